/*
 * The checks 10.15's policies make on a built chain that OpenSSL's
 * verification does not make, or makes differently: weak keys and digests,
 * empty subjects, the SSL policy's key sizes, extended key usage and host
 * name (subjectAltName only).
 */
#ifndef SECTRANS_SEC_POLICY_CHECKS_H
#define SECTRANS_SEC_POLICY_CHECKS_H

#include <openssl/x509.h>

#include "sec_internal.h"
#include "sec_trust_errors.h"

/* Adds to `f` each check of `policies` that `chain` (leaf first) fails. */
CF_INTERNAL void sec_policy_check_chain(CFArrayRef policies, STACK_OF(X509) * chain,
                                        struct sec_trust_findings *f);

/* True if `host` (a DNS name or an IPv4/IPv6 literal) is among the leaf's subjectAltNames. */
CF_INTERNAL bool sec_policy_host_matches(X509 *leaf, const char *host);

#endif
