/*
 * SecTrust.h: certificate trust evaluation.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECTRUST_H_
#define _SECURITY_SECTRUST_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>
#include <Security/cssmapple.h>

CF_EXTERN_C_BEGIN

typedef CF_ENUM(uint32_t, SecTrustResultType) {
    kSecTrustResultInvalid = 0,
    kSecTrustResultProceed = 1,
    kSecTrustResultConfirm = 2,
    kSecTrustResultDeny = 3,
    kSecTrustResultUnspecified = 4,
    kSecTrustResultRecoverableTrustFailure = 5,
    kSecTrustResultFatalTrustFailure = 6,
    kSecTrustResultOtherError = 7
};

typedef CF_OPTIONS(uint32_t, SecTrustOptionFlags) {
    kSecTrustOptionAllowExpired = 0x00000001,
    kSecTrustOptionLeafIsCA = 0x00000002,
    kSecTrustOptionFetchIssuerFromNet = 0x00000004,
    kSecTrustOptionAllowExpiredRoot = 0x00000008,
    kSecTrustOptionRequireRevPerCert = 0x00000010,
    kSecTrustOptionUseTrustSettings = 0x00000020,
    kSecTrustOptionImplicitAnchors = 0x00000040
};

typedef struct __SecTrust *SecTrustRef;

/* Keys of the per-certificate dictionaries SecTrustCopyProperties returns. */
CF_EXPORT const CFStringRef kSecPropertyTypeTitle;
CF_EXPORT const CFStringRef kSecPropertyTypeError;

/* Keys of the dictionary SecTrustCopyResult returns. */
CF_EXPORT const CFStringRef kSecTrustEvaluationDate;
CF_EXPORT const CFStringRef kSecTrustExtendedValidation;
CF_EXPORT const CFStringRef kSecTrustOrganizationName;
CF_EXPORT const CFStringRef kSecTrustResultValue;
CF_EXPORT const CFStringRef kSecTrustRevocationChecked;
CF_EXPORT const CFStringRef kSecTrustRevocationValidUntilDate;
CF_EXPORT const CFStringRef kSecTrustCertificateTransparency;

CF_EXPORT CFTypeID SecTrustGetTypeID(void);
CF_EXPORT OSStatus SecTrustCreateWithCertificates(CFTypeRef certificates, CFTypeRef policies,
                                                  SecTrustRef *trust);
CF_EXPORT OSStatus SecTrustSetPolicies(SecTrustRef trust, CFTypeRef policies);
CF_EXPORT OSStatus SecTrustCopyPolicies(SecTrustRef trust, CFArrayRef *policies);
CF_EXPORT OSStatus SecTrustSetAnchorCertificates(SecTrustRef trust, CFArrayRef anchorCertificates);
CF_EXPORT OSStatus SecTrustSetAnchorCertificatesOnly(SecTrustRef trust,
                                                     Boolean anchorCertificatesOnly);
CF_EXPORT OSStatus SecTrustCopyCustomAnchorCertificates(SecTrustRef trust, CFArrayRef *anchors);
CF_EXPORT OSStatus SecTrustCopyAnchorCertificates(CFArrayRef *anchors);
CF_EXPORT OSStatus SecTrustSetVerifyDate(SecTrustRef trust, CFDateRef verifyDate);
CF_EXPORT OSStatus SecTrustSetOptions(SecTrustRef trustRef, SecTrustOptionFlags options);
CF_EXPORT OSStatus SecTrustEvaluate(SecTrustRef trust, SecTrustResultType *result);
/* __extension__: `bool` is C99; the declaration stays clean under -std=c89 -pedantic. */
__extension__ CF_EXPORT bool SecTrustEvaluateWithError(SecTrustRef trust,
                                                       CFErrorRef *error) CF_WARN_UNUSED_RESULT;
CF_EXPORT OSStatus SecTrustGetTrustResult(SecTrustRef trust, SecTrustResultType *result);
CF_EXPORT CFIndex SecTrustGetCertificateCount(SecTrustRef trust);
CF_EXPORT SecCertificateRef SecTrustGetCertificateAtIndex(SecTrustRef trust, CFIndex ix);
CF_EXPORT SecKeyRef SecTrustCopyPublicKey(SecTrustRef trust);
/* One dictionary per certificate of the built chain (evaluates first if needed). */
CF_EXPORT CFArrayRef SecTrustCopyProperties(SecTrustRef trust);
CF_EXPORT CFDictionaryRef SecTrustCopyResult(SecTrustRef trust);
CF_EXPORT CFArrayRef SecTrustCopyCertificateChain(SecTrustRef trust);
/* We never fetch; the flag is kept and reported. */
CF_EXPORT OSStatus SecTrustSetNetworkFetchAllowed(SecTrustRef trust, Boolean allowFetch);
CF_EXPORT OSStatus SecTrustGetNetworkFetchAllowed(SecTrustRef trust, Boolean *allowFetch);

/* Legacy (macOS): CDSA result codes and per-certificate evidence. */
CF_EXPORT OSStatus SecTrustGetCssmResultCode(SecTrustRef trust, OSStatus *resultCode);
/* *certChain is +1; *statusChain belongs to the trust until it is changed or released. */
CF_EXPORT OSStatus SecTrustGetResult(SecTrustRef trustRef, SecTrustResultType *result,
                                     CFArrayRef *certChain,
                                     CSSM_TP_APPLE_EVIDENCE_INFO **statusChain);

CF_EXTERN_C_END

#endif
