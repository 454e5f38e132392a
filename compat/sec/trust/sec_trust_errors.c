/*
 * Apple's policy checks as result codes (see sec_trust_errors.h), and the
 * OpenSSL verification errors that stand for each. Codes, fatality and
 * subtypes are those of SecPolicyChecks.list; the ranking is the order of
 * SecTrustErrorSubType, which SecTrustCopyErrorStrings uses to pick the one
 * code SecTrustEvaluateWithError reports.
 */
#include <openssl/x509_vfy.h>

#include "sec_trust_errors.h"

/* SecTrustErrorSubType, highest rank first. */
enum subtype {
    SUBTYPE_INTERNAL = -1, /* ours: an allocation failure outranks any verdict */
    SUBTYPE_BLOCKED,
    SUBTYPE_REVOKED,
    SUBTYPE_KEY_SIZE,
    SUBTYPE_WEAK_HASH,
    SUBTYPE_DENIED,
    SUBTYPE_COMPLIANCE,
    SUBTYPE_PINNING,
    SUBTYPE_TRUST,
    SUBTYPE_USAGE,
    SUBTYPE_NAME,
    SUBTYPE_EXPIRED,
    SUBTYPE_INVALID,
};

static const struct {
    OSStatus status;
    bool fatal;
    enum subtype subtype;
} checks[] = {
    [SEC_CHECK_NONE] = {errSecSuccess, false, SUBTYPE_INVALID},
    [SEC_CHECK_SSL_HOSTNAME] = {errSecHostNameMismatch, false, SUBTYPE_NAME},
    [SEC_CHECK_TEMPORAL_VALIDITY] = {errSecCertificateExpired, false, SUBTYPE_EXPIRED},
    [SEC_CHECK_WEAK_KEY_SIZE] = {errSecUnsupportedKeySize, true, SUBTYPE_KEY_SIZE},
    [SEC_CHECK_WEAK_SIGNATURE] = {errSecInvalidDigestAlgorithm, true, SUBTYPE_WEAK_HASH},
    [SEC_CHECK_KEY_USAGE] = {errSecInvalidKeyUsageForPolicy, false, SUBTYPE_USAGE},
    [SEC_CHECK_EXTENDED_KEY_USAGE] = {errSecInvalidExtendedKeyUsage, false, SUBTYPE_USAGE},
    [SEC_CHECK_BASIC_CONSTRAINTS] = {errSecNoBasicConstraints, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_BASIC_CONSTRAINTS_CA] = {errSecNoBasicConstraintsCA, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_BASIC_CONSTRAINTS_PATH_LEN] = {errSecPathLengthConstraintExceeded, false,
                                              SUBTYPE_COMPLIANCE},
    [SEC_CHECK_ANCHOR_TRUSTED] = {errSecNotTrusted, false, SUBTYPE_TRUST},
    [SEC_CHECK_MISSING_INTERMEDIATE] = {errSecCreateChainFailed, false, SUBTYPE_TRUST},
    [SEC_CHECK_NON_EMPTY_SUBJECT] = {errSecInvalidSubjectName, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_KEY_SIZE] = {errSecUnsupportedKeySize, false, SUBTYPE_KEY_SIZE},
    [SEC_CHECK_SIGNATURE_HASH_ALGORITHMS] = {errSecInvalidDigestAlgorithm, false,
                                             SUBTYPE_WEAK_HASH},
    [SEC_CHECK_CRITICAL_EXTENSIONS] = {errSecUnknownCriticalExtensionFlag, false,
                                       SUBTYPE_COMPLIANCE},
    [SEC_CHECK_NAME_CONSTRAINTS] = {errSecInvalidName, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_POLICY_CONSTRAINTS] = {errSecInvalidPolicyIdentifiers, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_REVOCATION] = {errSecCertificateRevoked, true, SUBTYPE_REVOKED},
    [SEC_CHECK_REVOCATION_RESPONSE_REQUIRED] = {errSecIncompleteCertRevocationCheck, false,
                                                SUBTYPE_PINNING},
    [SEC_CHECK_SERVER_AUTH_EKU] = {errSecInvalidExtendedKeyUsage, false, SUBTYPE_USAGE},
    [SEC_CHECK_VALIDITY_PERIOD_MAXIMUMS] = {errSecCertificateValidityPeriodTooLong, false,
                                            SUBTYPE_COMPLIANCE},
    [SEC_CHECK_SIGNATURE] = {errSecInvalidSignature, false, SUBTYPE_COMPLIANCE},
    [SEC_CHECK_OUT_OF_MEMORY] = {errSecAllocate, false, SUBTYPE_INTERNAL},
};

/* A higher-ranked subtype wins; within one, the certificate nearest the leaf (Apple's rule). */
void sec_trust_findings_add(struct sec_trust_findings *f, enum sec_trust_check check, int depth)
{
    if (check == SEC_CHECK_NONE)
        return;
    f->fatal = f->fatal || checks[check].fatal;
    if (f->check == SEC_CHECK_NONE || checks[check].subtype < checks[f->check].subtype ||
        (checks[check].subtype == checks[f->check].subtype && depth < f->depth)) {
        f->check = check;
        f->depth = depth;
    }
}

OSStatus sec_trust_findings_status(const struct sec_trust_findings *f)
{
    return checks[f->check].status;
}

SecTrustResultType sec_trust_findings_result(const struct sec_trust_findings *f)
{
    if (f->check == SEC_CHECK_NONE)
        return kSecTrustResultUnspecified;
    if (f->check == SEC_CHECK_OUT_OF_MEMORY)
        return kSecTrustResultOtherError;
    return f->fatal ? kSecTrustResultFatalTrustFailure : kSecTrustResultRecoverableTrustFailure;
}

static const struct {
    int x509_error;
    enum sec_trust_check check;
} x509_checks[] = {
    {X509_V_OK, SEC_CHECK_NONE},
    {X509_V_ERR_CERT_HAS_EXPIRED, SEC_CHECK_TEMPORAL_VALIDITY},
    /* Apple has one validity check for both ends of the period. */
    {X509_V_ERR_CERT_NOT_YET_VALID, SEC_CHECK_TEMPORAL_VALIDITY},
    {X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, SEC_CHECK_TEMPORAL_VALIDITY},
    {X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, SEC_CHECK_TEMPORAL_VALIDITY},
    {X509_V_ERR_HOSTNAME_MISMATCH, SEC_CHECK_SSL_HOSTNAME},
    {X509_V_ERR_IP_ADDRESS_MISMATCH, SEC_CHECK_SSL_HOSTNAME},
    {X509_V_ERR_EMAIL_MISMATCH, SEC_CHECK_SSL_HOSTNAME},
    {X509_V_ERR_INVALID_PURPOSE, SEC_CHECK_EXTENDED_KEY_USAGE},
    {X509_V_ERR_CERT_REVOKED, SEC_CHECK_REVOCATION},
    {X509_V_ERR_CERT_SIGNATURE_FAILURE, SEC_CHECK_SIGNATURE},
    {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, SEC_CHECK_SIGNATURE},
    {X509_V_ERR_EE_KEY_TOO_SMALL, SEC_CHECK_KEY_SIZE},
    {X509_V_ERR_CA_KEY_TOO_SMALL, SEC_CHECK_KEY_SIZE},
    {X509_V_ERR_CA_MD_TOO_WEAK, SEC_CHECK_SIGNATURE_HASH_ALGORITHMS},
    {X509_V_ERR_INVALID_CA, SEC_CHECK_BASIC_CONSTRAINTS_CA},
    {X509_V_ERR_PATH_LENGTH_EXCEEDED, SEC_CHECK_BASIC_CONSTRAINTS_PATH_LEN},
    {X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, SEC_CHECK_CRITICAL_EXTENSIONS},
    {X509_V_ERR_KEYUSAGE_NO_CERTSIGN, SEC_CHECK_KEY_USAGE},
    {X509_V_ERR_PERMITTED_VIOLATION, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_EXCLUDED_VIOLATION, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_SUBTREE_MINMAX, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, SEC_CHECK_NAME_CONSTRAINTS},
    {X509_V_ERR_INVALID_POLICY_EXTENSION, SEC_CHECK_POLICY_CONSTRAINTS},
    {X509_V_ERR_NO_EXPLICIT_POLICY, SEC_CHECK_POLICY_CONSTRAINTS},
    /* A chain that stops short of a self-signed certificate lacks an intermediate. */
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, SEC_CHECK_MISSING_INTERMEDIATE},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, SEC_CHECK_MISSING_INTERMEDIATE},
    {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, SEC_CHECK_MISSING_INTERMEDIATE},
    {X509_V_ERR_OUT_OF_MEM, SEC_CHECK_OUT_OF_MEMORY},
};

/* Anything else (a self-signed certificate no anchor vouches for, ...) is "not trusted". */
enum sec_trust_check sec_trust_check_for(int x509_error)
{
    for (size_t i = 0; i < sizeof(x509_checks) / sizeof(x509_checks[0]); i++)
        if (x509_checks[i].x509_error == x509_error)
            return x509_checks[i].check;
    return SEC_CHECK_ANCHOR_TRUSTED;
}

OSStatus sec_trust_status_for(int x509_error)
{
    return checks[sec_trust_check_for(x509_error)].status;
}
