/*
 * What a trust evaluation found, in the shapes Apple's callers read: the
 * per-certificate properties (SecTrustCopyProperties), the result
 * dictionary (SecTrustCopyResult), the built chain, the legacy macOS CDSA
 * view (SecTrustGetCssmResultCode, SecTrustGetResult and its per-certificate
 * evidence, cssmPerror), and the trust settings of the system anchors.
 *
 * Each of these evaluates the trust first when it has not been, as Apple's
 * implicitly do by asking for the certificate count.
 */
#include <stdio.h>
#include <string.h>

#include "cf_string.h"
#include "sec_errors.h"
#include "sec_internal.h"
#include "sec_trust_errors.h"

CF_STRING_CONSTANT(kSecPropertyTypeTitle, "title");
CF_STRING_CONSTANT(kSecPropertyTypeError, "error");

CF_STRING_CONSTANT(kSecTrustEvaluationDate, "TrustEvaluationDate");
CF_STRING_CONSTANT(kSecTrustExtendedValidation, "TrustExtendedValidation");
CF_STRING_CONSTANT(kSecTrustOrganizationName, "Organization");
CF_STRING_CONSTANT(kSecTrustResultValue, "TrustResultValue");
CF_STRING_CONSTANT(kSecTrustRevocationChecked, "TrustRevocationChecked");
CF_STRING_CONSTANT(kSecTrustRevocationValidUntilDate, "TrustExpirationDate");
CF_STRING_CONSTANT(kSecTrustCertificateTransparency, "TrustCertificateTransparency");

/* Apple's SecTrustSettings.h defines these keys as CFSTR()s of their own names. */
CF_STRING_CONSTANT(kSecTrustSettingsPolicy, "kSecTrustSettingsPolicy");
CF_STRING_CONSTANT(kSecTrustSettingsApplication, "kSecTrustSettingsApplication");
CF_STRING_CONSTANT(kSecTrustSettingsPolicyString, "kSecTrustSettingsPolicyString");
CF_STRING_CONSTANT(kSecTrustSettingsKeyUsage, "kSecTrustSettingsKeyUsage");
CF_STRING_CONSTANT(kSecTrustSettingsAllowedError, "kSecTrustSettingsAllowedError");
CF_STRING_CONSTANT(kSecTrustSettingsResult, "kSecTrustSettingsResult");

/* Seconds from 1970 to 2001, the CFAbsoluteTime epoch. */
#define UNIX_TIME_AT_CF_EPOCH 978307200.0

/*
 * Trust result codes and the CDSA codes Apple's legacy calls report for the
 * same failures (its map from policy checks to CSSMERR_*). The first row of
 * a result code gives its CDSA code; the first row of a CDSA code gives the
 * message cssmPerror prints.
 */
static const struct {
    OSStatus status;
    CSSM_RETURN cssm;
} cssm_codes[] = {
    {errSecNotTrusted, CSSMERR_TP_NOT_TRUSTED},
    {errSecCreateChainFailed, CSSMERR_TP_NOT_TRUSTED},
    {errSecCertificateExpired, CSSMERR_TP_CERT_EXPIRED},
    {errSecCertificateNotValidYet, CSSMERR_TP_CERT_NOT_VALID_YET},
    {errSecCertificateRevoked, CSSMERR_TP_CERT_REVOKED},
    {errSecCertificateSuspended, CSSMERR_TP_CERT_SUSPENDED},
    {errSecHostNameMismatch, CSSMERR_APPLETP_HOSTNAME_MISMATCH},
    {errSecInvalidExtendedKeyUsage, CSSMERR_APPLETP_INVALID_EXTENDED_KEY_USAGE},
    {errSecSSLBadExtendedKeyUsage, CSSMERR_APPLETP_SSL_BAD_EXT_KEY_USE},
    {errSecInvalidKeyUsageForPolicy, CSSMERR_APPLETP_INVALID_KEY_USAGE},
    {errSecInvalidSignature, CSSMERR_TP_INVALID_SIGNATURE},
    {errSecUnsupportedKeySize, CSSMERR_CSP_UNSUPPORTED_KEY_SIZE},
    {errSecInvalidDigestAlgorithm, CSSMERR_CSP_INVALID_DIGEST_ALGORITHM},
    {errSecInvalidCertAuthority, CSSMERR_APPLETP_NO_BASIC_CONSTRAINTS},
    {errSecInvalidCertAuthority, CSSMERR_APPLETP_INVALID_CA},
    {errSecPathLengthConstraintExceeded, CSSMERR_APPLETP_PATH_LEN_CONSTRAINT},
    {errSecNoBasicConstraints, CSSMERR_APPLETP_NO_BASIC_CONSTRAINTS},
    {errSecNoBasicConstraintsCA, CSSMERR_APPLETP_INVALID_CA},
    {errSecInvalidSubjectName, CSSMERR_APPLETP_INVALID_EMPTY_SUBJECT},
    {errSecUnknownCriticalExtensionFlag, CSSMERR_APPLETP_UNKNOWN_CRITICAL_EXTEN},
    {errSecUnknownCertExtension, CSSMERR_APPLETP_UNKNOWN_CRITICAL_EXTEN},
    {errSecCertificateNameNotAllowed, CSSMERR_TP_INVALID_CERTIFICATE},
    {errSecInvalidPolicyIdentifiers, CSSMERR_TP_INVALID_POLICY_IDENTIFIERS},
    {errSecIncompleteCertRevocationCheck, CSSMERR_APPLETP_INCOMPLETE_REVOCATION_CHECK},
    {errSecInvalidName, CSSMERR_TP_INVALID_NAME},
    {errSecAllocate, CSSMERR_TP_MEMORY_ERROR},
    {errSecTrustSettingDeny, CSSMERR_APPLETP_TRUST_SETTING_DENY},
    {errSecInvalidRoot, CSSMERR_APPLETP_INVALID_ROOT},
};
#define CSSM_CODE_COUNT (sizeof(cssm_codes) / sizeof(cssm_codes[0]))

/* Any other failure still reads as "not trusted", never as success. */
CSSM_RETURN sec_cssm_code_for(OSStatus status)
{
    if (status == errSecSuccess)
        return CSSM_OK;
    for (size_t i = 0; i < CSSM_CODE_COUNT; i++)
        if (cssm_codes[i].status == status)
            return cssm_codes[i].cssm;
    return CSSMERR_TP_NOT_TRUSTED;
}

/* The message of a Security or CDSA code; NULL if neither table knows it. */
static const char *message_for(CSSM_RETURN error)
{
    const char *text = sec_error_message(error);
    for (size_t i = 0; text == NULL && i < CSSM_CODE_COUNT; i++)
        if (cssm_codes[i].cssm == error)
            text = sec_error_message(cssm_codes[i].status);
    return text;
}

/* Apple's format: "how: message", "error" standing in for a NULL how. */
void cssmPerror(const char *how, CSSM_RETURN error)
{
    const char *text = message_for(error);
    if (text != NULL)
        fprintf(stderr, "%s: %s\n", how != NULL ? how : "error", text);
    else
        fprintf(stderr, "%s: unknown error %ld=%lx\n", how != NULL ? how : "error", (long)error,
                (unsigned long)(long)error);
}

/* The built chain, or the input when the evaluation could not build one. */
static CFArrayRef built_chain(const struct sec_trust *t)
{
    return t->chain != NULL && CFArrayGetCount(t->chain) > 0 ? t->chain : t->certificates;
}

static bool failed(const struct sec_trust *t)
{
    return t->evaluated && t->status != errSecSuccess;
}

/* Index of the certificate the failure is about, within the built chain. */
static CFIndex failing_index(const struct sec_trust *t)
{
    CFIndex n = CFArrayGetCount(built_chain(t));
    return t->error_depth >= 0 && t->error_depth < n ? t->error_depth : n - 1;
}

static CFDictionaryRef certificate_properties(const struct sec_trust *t, CFIndex ix)
{
    CFMutableDictionaryRef dict = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                            &kCFTypeDictionaryValueCallBacks);
    if (dict == NULL)
        return NULL;
    CFStringRef title = SecCertificateCopySubjectSummary(
        (SecCertificateRef)CFArrayGetValueAtIndex(built_chain(t), ix));
    if (title != NULL)
        CFDictionarySetValue(dict, kSecPropertyTypeTitle, title);
    CFRelease(title);
    /* Apple puts the reason on the leaf's dictionary. */
    if (ix == 0 && failed(t)) {
        CFStringRef reason = SecCopyErrorMessageString(t->status, NULL);
        if (reason != NULL)
            CFDictionarySetValue(dict, kSecPropertyTypeError, reason);
        CFRelease(reason);
    }
    return dict;
}

CFArrayRef SecTrustCopyProperties(SecTrustRef trust)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return NULL;
    sec_trust_evaluate_once(t);
    CFIndex n = CFArrayGetCount(built_chain(t));
    CFMutableArrayRef out = CFArrayCreateMutable(NULL, n, &kCFTypeArrayCallBacks);
    for (CFIndex i = 0; out != NULL && i < n; i++) {
        CFDictionaryRef dict = certificate_properties(t, i);
        if (dict == NULL) {
            CFRelease(out);
            return NULL;
        }
        CFArrayAppendValue(out, dict);
        CFRelease(dict);
    }
    return out;
}

static CFDateRef evaluation_date(const struct sec_trust *t)
{
    return t->verify_date != NULL ? CFRetain(t->verify_date) : CFDateCreate(NULL, t->evaluated_at);
}

/*
 * The verdict and when it applies. Extended validation, organization and
 * revocation keys are left out: we never check them.
 */
CFDictionaryRef SecTrustCopyResult(SecTrustRef trust)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return NULL;
    sec_trust_evaluate_once(t);
    CFMutableDictionaryRef out = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                           &kCFTypeDictionaryValueCallBacks);
    SInt32 value = (SInt32)t->result;
    CFNumberRef number = CFNumberCreate(NULL, kCFNumberSInt32Type, &value);
    CFDateRef date = evaluation_date(t);
    if (out == NULL || number == NULL || date == NULL) {
        CFRelease(out);
        out = NULL;
    } else {
        CFDictionarySetValue(out, kSecTrustResultValue, number);
        CFDictionarySetValue(out, kSecTrustEvaluationDate, date);
    }
    CFRelease(number);
    CFRelease(date);
    return out;
}

CFArrayRef SecTrustCopyCertificateChain(SecTrustRef trust)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return NULL;
    sec_trust_evaluate_once(t);
    return CFArrayCreateCopy(NULL, built_chain(t));
}

OSStatus SecTrustSetNetworkFetchAllowed(SecTrustRef trust, Boolean allowFetch)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return errSecParam;
    t->network_fetch_disabled = !allowFetch;
    return errSecSuccess;
}

/* Allowed unless switched off here or by a revocation policy that forbids the network. */
OSStatus SecTrustGetNetworkFetchAllowed(SecTrustRef trust, Boolean *allowFetch)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || allowFetch == NULL)
        return errSecParam;
    bool allowed = !t->network_fetch_disabled;
    for (CFIndex i = 0; allowed && i < CFArrayGetCount(t->policies); i++) {
        const struct sec_policy *p = sec_policy_of(CFArrayGetValueAtIndex(t->policies, i));
        if (p->kind == SEC_POLICY_REVOCATION &&
            (p->revocation_flags & kSecRevocationNetworkAccessDisabled))
            allowed = false;
    }
    *allowFetch = allowed;
    return errSecSuccess;
}

/* 0 after a successful evaluation, else the CDSA code of why it failed. */
OSStatus SecTrustGetCssmResultCode(SecTrustRef trust, OSStatus *resultCode)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || resultCode == NULL)
        return errSecParam;
    sec_trust_evaluate_once(t);
    *resultCode = sec_cssm_code_for(t->status);
    return errSecSuccess;
}

/* Position of `cert` in `certs` (by content), or -1. */
static CFIndex index_in(CFArrayRef certs, CFTypeRef cert)
{
    CFIndex n = certs != NULL ? CFArrayGetCount(certs) : 0;
    for (CFIndex i = 0; i < n; i++)
        if (CFEqual(CFArrayGetValueAtIndex(certs, i), cert))
            return i;
    return -1;
}

static bool is_system_anchor(X509 *x)
{
    STACK_OF(X509) *system = sec_system_anchors();
    for (int i = 0; x != NULL && system != NULL && i < sk_X509_num(system); i++)
        if (X509_cmp(sk_X509_value(system, i), x) == 0)
            return true;
    return false;
}

static time_t verify_time(const struct sec_trust *t)
{
    if (t->verify_date != NULL)
        return cf_date_unix_time(t->verify_date);
    return (time_t)(t->evaluated_at + UNIX_TIME_AT_CF_EPOCH);
}

/* The status bits and index of chain certificate `ix` (Apple's meanings). */
static void describe_certificate(const struct sec_trust *t, CFIndex ix,
                                 CSSM_TP_APPLE_EVIDENCE_INFO *info)
{
    CFArrayRef chain = built_chain(t);
    CFTypeRef cert = CFArrayGetValueAtIndex(chain, ix);
    X509 *x = sec_certificate_x509(cert);
    time_t when = verify_time(t);
    if (X509_cmp_time(X509_get0_notAfter(x), &when) < 0)
        info->StatusBits |= CSSM_CERT_STATUS_EXPIRED;
    if (X509_cmp_time(X509_get0_notBefore(x), &when) > 0)
        info->StatusBits |= CSSM_CERT_STATUS_NOT_VALID_YET;
    CFIndex input = index_in(t->certificates, cert);
    CFIndex anchor = index_in(t->anchors, cert);
    if (input >= 0)
        info->StatusBits |= CSSM_CERT_STATUS_IS_IN_INPUT_CERTS;
    if (anchor >= 0)
        info->StatusBits |= CSSM_CERT_STATUS_IS_IN_ANCHORS;
    info->Index = (uint32)(anchor >= 0 ? anchor : input >= 0 ? input : 0);
    bool last = ix == CFArrayGetCount(chain) - 1;
    if (last && X509_self_signed(x, 1) == 1)
        info->StatusBits |= CSSM_CERT_STATUS_IS_ROOT;
    /* A system anchor is "trusted by the system domain's settings". */
    if (last && !t->anchors_only && is_system_anchor(x))
        info->StatusBits |=
            CSSM_CERT_STATUS_TRUST_SETTINGS_FOUND_SYSTEM | CSSM_CERT_STATUS_TRUST_SETTINGS_TRUST;
}

static uint32 status_code_count(const struct sec_trust *t, CFIndex ix)
{
    return failed(t) && ix == failing_index(t) ? 1 : 0;
}

/*
 * One buffer: the evidence array, then each certificate's status codes with
 * one more slot for the CRL reason (always 0 here), as Apple lays it out.
 */
static CFMutableDataRef build_evidence(const struct sec_trust *t)
{
    CFIndex n = CFArrayGetCount(built_chain(t));
    size_t codes = 0;
    for (CFIndex i = 0; i < n; i++)
        codes += status_code_count(t, i) + 1;
    size_t info_size = (size_t)n * sizeof(CSSM_TP_APPLE_EVIDENCE_INFO);
    CFMutableDataRef data = CFDataCreateMutable(NULL, 0);
    if (data == NULL)
        return NULL;
    CFDataSetLength(data, (CFIndex)(info_size + codes * sizeof(CSSM_RETURN)));
    UInt8 *bytes = CFDataGetMutableBytePtr(data);
    if (bytes == NULL ||
        CFDataGetLength(data) != (CFIndex)(info_size + codes * sizeof(CSSM_RETURN))) {
        CFRelease(data);
        return NULL;
    }
    CSSM_TP_APPLE_EVIDENCE_INFO *infos = (CSSM_TP_APPLE_EVIDENCE_INFO *)bytes;
    CSSM_RETURN *next_code = (CSSM_RETURN *)(bytes + info_size);
    for (CFIndex i = 0; i < n; i++) {
        describe_certificate(t, i, &infos[i]);
        infos[i].NumStatusCodes = status_code_count(t, i);
        infos[i].StatusCodes = next_code;
        if (infos[i].NumStatusCodes > 0)
            next_code[0] = sec_cssm_code_for(t->status);
        next_code += infos[i].NumStatusCodes + 1;
    }
    return data;
}

/* The evidence, built once per evaluation and owned by the trust. */
static CSSM_TP_APPLE_EVIDENCE_INFO *evidence_of(struct sec_trust *t)
{
    if (t->legacy_evidence == NULL)
        t->legacy_evidence = build_evidence(t);
    if (t->legacy_evidence == NULL)
        return NULL;
    return (CSSM_TP_APPLE_EVIDENCE_INFO *)CFDataGetMutableBytePtr(
        (CFMutableDataRef)t->legacy_evidence);
}

/* The built chain with the caller's own certificate objects where they appear (Apple does). */
static CFArrayRef copy_chain_with_inputs(const struct sec_trust *t)
{
    CFArrayRef chain = built_chain(t);
    CFMutableArrayRef out = CFArrayCreateMutableCopy(NULL, 0, chain);
    for (CFIndex i = 0; out != NULL && i < CFArrayGetCount(out); i++) {
        CFTypeRef cert = CFArrayGetValueAtIndex(out, i);
        CFIndex input = index_in(t->certificates, cert);
        CFIndex anchor = index_in(t->anchors, cert);
        if (input >= 0)
            CFArraySetValueAtIndex(out, i, CFArrayGetValueAtIndex(t->certificates, input));
        else if (anchor >= 0)
            CFArraySetValueAtIndex(out, i, CFArrayGetValueAtIndex(t->anchors, anchor));
    }
    return out;
}

/*
 * As Apple's: *result is the verdict the trust holds when called (Invalid
 * before any evaluation), while the chain and evidence evaluate if needed.
 */
OSStatus SecTrustGetResult(SecTrustRef trustRef, SecTrustResultType *result, CFArrayRef *certChain,
                           CSSM_TP_APPLE_EVIDENCE_INFO **statusChain)
{
    struct sec_trust *t = sec_trust_of(trustRef);
    if (t == NULL)
        return errSecParam;
    if (result != NULL)
        *result = t->result;
    if (certChain == NULL && statusChain == NULL)
        return errSecSuccess;
    sec_trust_evaluate_once(t);
    if (certChain != NULL) {
        *certChain = copy_chain_with_inputs(t);
        if (*certChain == NULL)
            return errSecAllocate;
    }
    if (statusChain != NULL) {
        *statusChain = evidence_of(t);
        if (*statusChain == NULL)
            return errSecAllocate;
    }
    return errSecSuccess;
}

/* Trust settings: only the system domain has any, "always trust" for each anchor. */

static bool valid_domain(SecTrustSettingsDomain domain)
{
    return domain == kSecTrustSettingsDomainUser || domain == kSecTrustSettingsDomainAdmin ||
           domain == kSecTrustSettingsDomainSystem;
}

OSStatus SecTrustSettingsCopyCertificates(SecTrustSettingsDomain domain, CFArrayRef *certArray)
{
    if (certArray == NULL || !valid_domain(domain))
        return errSecParam;
    *certArray = NULL;
    if (domain != kSecTrustSettingsDomainSystem)
        return errSecNoTrustSettings;
    CFArrayRef anchors = NULL;
    OSStatus status = SecTrustCopyAnchorCertificates(&anchors);
    if (status != errSecSuccess)
        return status;
    if (CFArrayGetCount(anchors) == 0) {
        CFRelease(anchors);
        return errSecNoTrustSettings;
    }
    *certArray = anchors;
    return errSecSuccess;
}

OSStatus SecTrustSettingsCopyTrustSettings(SecCertificateRef certRef, SecTrustSettingsDomain domain,
                                           CFArrayRef *trustSettings)
{
    if (trustSettings == NULL || !valid_domain(domain))
        return errSecParam;
    *trustSettings = NULL;
    /* The default-root placeholder is not an object: no settings, and never dereferenced. */
    if (certRef == kSecTrustSettingsDefaultRootCertSetting)
        return errSecItemNotFound;
    X509 *x = sec_certificate_x509(certRef);
    if (x == NULL)
        return errSecParam;
    if (domain != kSecTrustSettingsDomainSystem || !is_system_anchor(x))
        return errSecItemNotFound;
    *trustSettings = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    return *trustSettings != NULL ? errSecSuccess : errSecAllocate;
}

OSStatus SecTrustSettingsCopyModificationDate(SecCertificateRef certRef,
                                              SecTrustSettingsDomain domain,
                                              CFDateRef *modificationDate)
{
    if (modificationDate == NULL || !valid_domain(domain))
        return errSecParam;
    *modificationDate = NULL;
    if (certRef != kSecTrustSettingsDefaultRootCertSetting && sec_certificate_x509(certRef) == NULL)
        return errSecParam;
    return errSecNoTrustSettings;
}
