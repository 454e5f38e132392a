/*
 * The table from OpenSSL verification errors to the result codes Apple's
 * trust evaluation reports. Failures that mean "no path to an anchor" are
 * errSecNotTrusted, as on Apple's platforms.
 */
#include "sec_trust_errors.h"

static const struct {
    int x509_error;
    OSStatus status;
} trust_errors[] = {
    {X509_V_ERR_CERT_HAS_EXPIRED, errSecCertificateExpired},
    {X509_V_ERR_CERT_NOT_YET_VALID, errSecCertificateNotValidYet},
    {X509_V_ERR_HOSTNAME_MISMATCH, errSecHostNameMismatch},
    {X509_V_ERR_IP_ADDRESS_MISMATCH, errSecHostNameMismatch},
    {X509_V_ERR_EMAIL_MISMATCH, errSecHostNameMismatch},
    {X509_V_ERR_INVALID_PURPOSE, errSecInvalidExtendedKeyUsage},
    {X509_V_ERR_CERT_REVOKED, errSecCertificateRevoked},
    {X509_V_ERR_CERT_SIGNATURE_FAILURE, errSecInvalidSignature},
    {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, errSecInvalidSignature},
    {X509_V_ERR_EE_KEY_TOO_SMALL, errSecUnsupportedKeySize},
    {X509_V_ERR_CA_KEY_TOO_SMALL, errSecUnsupportedKeySize},
    {X509_V_ERR_CA_MD_TOO_WEAK, errSecInvalidDigestAlgorithm},
    {X509_V_ERR_INVALID_CA, errSecInvalidCertAuthority},
    {X509_V_ERR_PATH_LENGTH_EXCEEDED, errSecPathLengthConstraintExceeded},
    {X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, errSecUnknownCertExtension},
    {X509_V_ERR_KEYUSAGE_NO_CERTSIGN, errSecInvalidKeyUsageForPolicy},
    {X509_V_ERR_PERMITTED_VIOLATION, errSecCertificateNameNotAllowed},
    {X509_V_ERR_EXCLUDED_VIOLATION, errSecCertificateNameNotAllowed},
    {X509_V_ERR_INVALID_POLICY_EXTENSION, errSecInvalidPolicyIdentifiers},
    {X509_V_ERR_NO_EXPLICIT_POLICY, errSecInvalidPolicyIdentifiers},
    {X509_V_ERR_OUT_OF_MEM, errSecAllocate},
};

OSStatus sec_trust_status_for(int x509_error)
{
    if (x509_error == X509_V_OK)
        return errSecSuccess;
    for (size_t i = 0; i < sizeof(trust_errors) / sizeof(trust_errors[0]); i++)
        if (trust_errors[i].x509_error == x509_error)
            return trust_errors[i].status;
    return errSecNotTrusted;
}
