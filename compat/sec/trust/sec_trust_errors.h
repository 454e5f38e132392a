/*
 * Trust failures as 10.15 reports them. Each failure is one of Apple's
 * policy checks (SecPolicyChecks.list); the check gives the OSStatus that
 * SecTrustEvaluateWithError returns, whether the failure is fatal, and how
 * it ranks when several checks fail (SecTrustCopyErrorStrings keeps the
 * failure of the highest-ranked subtype). docs/trust.md has the table.
 */
#ifndef SECTRANS_SEC_TRUST_ERRORS_H
#define SECTRANS_SEC_TRUST_ERRORS_H

#include "sec_internal.h"

/* Apple's policy checks that an evaluation here can fail. */
enum sec_trust_check {
    SEC_CHECK_NONE,
    SEC_CHECK_SSL_HOSTNAME,
    SEC_CHECK_TEMPORAL_VALIDITY,
    SEC_CHECK_WEAK_KEY_SIZE,
    SEC_CHECK_WEAK_SIGNATURE,
    SEC_CHECK_KEY_USAGE,
    SEC_CHECK_EXTENDED_KEY_USAGE,
    SEC_CHECK_BASIC_CONSTRAINTS,
    SEC_CHECK_BASIC_CONSTRAINTS_CA,
    SEC_CHECK_BASIC_CONSTRAINTS_PATH_LEN,
    SEC_CHECK_ANCHOR_TRUSTED,
    SEC_CHECK_MISSING_INTERMEDIATE,
    SEC_CHECK_NON_EMPTY_SUBJECT,
    SEC_CHECK_KEY_SIZE,
    SEC_CHECK_SIGNATURE_HASH_ALGORITHMS,
    SEC_CHECK_CRITICAL_EXTENSIONS,
    SEC_CHECK_NAME_CONSTRAINTS,
    SEC_CHECK_POLICY_CONSTRAINTS,
    SEC_CHECK_REVOCATION,
    SEC_CHECK_REVOCATION_RESPONSE_REQUIRED,
    SEC_CHECK_SERVER_AUTH_EKU,
    SEC_CHECK_VALIDITY_PERIOD_MAXIMUMS,
    SEC_CHECK_SIGNATURE, /* a signature that does not verify: no check of Apple's */
    SEC_CHECK_OUT_OF_MEMORY,
};

/* The failure an evaluation reports: the highest-ranked check that failed. */
struct sec_trust_findings {
    enum sec_trust_check check; /* SEC_CHECK_NONE: nothing failed */
    int depth;                  /* chain index of the certificate it failed on */
    bool fatal;                 /* any failed check is fatal (kSecTrustResultFatalTrustFailure) */
};

/* Records that `check` failed on chain certificate `depth`. */
CF_INTERNAL void sec_trust_findings_add(struct sec_trust_findings *f, enum sec_trust_check check,
                                        int depth);

/* The OSStatus SecTrustEvaluateWithError reports for the findings (errSecSuccess: none). */
CF_INTERNAL OSStatus sec_trust_findings_status(const struct sec_trust_findings *f);

/* The SecTrustResultType of the findings. */
CF_INTERNAL SecTrustResultType sec_trust_findings_result(const struct sec_trust_findings *f);

/* The check an X509_V_ERR_* code stands for; SEC_CHECK_ANCHOR_TRUSTED for anything unlisted. */
CF_INTERNAL enum sec_trust_check sec_trust_check_for(int x509_error);

/* The OSStatus for an X509_V_ERR_* code: that of its check. */
CF_INTERNAL OSStatus sec_trust_status_for(int x509_error);

#endif
