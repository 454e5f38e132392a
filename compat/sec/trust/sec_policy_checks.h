/*
 * The checks 10.15's policies make on a built chain that OpenSSL's
 * verification does not make, or makes differently: weak keys and digests,
 * empty subjects, issuers' basic constraints and key usage, the SSL
 * server policy's key sizes, digests, extended key usage, validity period
 * and host name (subjectAltName only).
 */
#ifndef SECTRANS_SEC_POLICY_CHECKS_H
#define SECTRANS_SEC_POLICY_CHECKS_H

#include <openssl/x509.h>

#include "sec_internal.h"
#include "sec_trust_errors.h"

/*
 * Adds to `f` each check of `policies` that `chain` (leaf first) fails;
 * `system_anchored`: its last certificate is one of the system's anchors.
 */
CF_INTERNAL void sec_policy_check_chain(CFArrayRef policies, STACK_OF(X509) * chain,
                                        bool system_anchored, struct sec_trust_findings *f);

/* True if `x` is one of the system's anchors (by content). */
CF_INTERNAL bool sec_policy_is_system_anchor(X509 *x);

/* True if `host` (a DNS name or an IPv4/IPv6 literal) is among the leaf's subjectAltNames. */
CF_INTERNAL bool sec_policy_host_matches(X509 *leaf, const char *host);

#endif
