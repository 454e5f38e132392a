/*
 * SecCertificate.h: X.509 certificates.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECCERTIFICATE_H_
#define _SECURITY_SECCERTIFICATE_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecCertificateGetTypeID(void);
/* DER only; NULL for anything that is not one DER X.509 certificate. */
CF_EXPORT SecCertificateRef SecCertificateCreateWithData(CFAllocatorRef allocator, CFDataRef data);
CF_EXPORT CFDataRef SecCertificateCopyData(SecCertificateRef certificate);
CF_EXPORT CFStringRef SecCertificateCopySubjectSummary(SecCertificateRef certificate);
CF_EXPORT OSStatus SecCertificateCopyCommonName(SecCertificateRef certificate,
                                                CFStringRef *commonName);
CF_EXPORT SecKeyRef SecCertificateCopyKey(SecCertificateRef certificate);
CF_EXPORT OSStatus SecCertificateCopyPublicKey(SecCertificateRef certificate, SecKeyRef *key);
CF_EXPORT OSStatus SecCertificateCopyEmailAddresses(SecCertificateRef certificate,
                                                    CFArrayRef *emailAddresses);
CF_EXPORT CFDataRef SecCertificateCopySerialNumberData(SecCertificateRef certificate,
                                                       CFErrorRef *error);
/* The DER Name with its strings normalized (trimmed, spaces folded, upper case). */
CF_EXPORT CFDataRef SecCertificateCopyNormalizedIssuerSequence(SecCertificateRef certificate);
CF_EXPORT CFDataRef SecCertificateCopyNormalizedSubjectSequence(SecCertificateRef certificate);

/* Bits of the key usage extension, as SecCertificateCopyValues reports them. */
typedef CF_OPTIONS(uint32_t, SecKeyUsage) {
    kSecKeyUsageUnspecified = 0,
    kSecKeyUsageDigitalSignature = 1 << 0,
    kSecKeyUsageNonRepudiation = 1 << 1,
    kSecKeyUsageContentCommitment = 1 << 1,
    kSecKeyUsageKeyEncipherment = 1 << 2,
    kSecKeyUsageDataEncipherment = 1 << 3,
    kSecKeyUsageKeyAgreement = 1 << 4,
    kSecKeyUsageKeyCertSign = 1 << 5,
    kSecKeyUsageCRLSign = 1 << 6,
    kSecKeyUsageEncipherOnly = 1 << 7,
    kSecKeyUsageDecipherOnly = 1 << 8,
    /* Bit 31, spelled as a negative int so C99 accepts the enumerator. */
    kSecKeyUsageCritical = -2147483647 - 1,
    kSecKeyUsageAll = 0x7FFFFFFF
};

/* Keys of each entry of the SecCertificateCopyValues dictionary, and its types. */
CF_EXPORT const CFStringRef kSecPropertyKeyType;
CF_EXPORT const CFStringRef kSecPropertyKeyLabel;
CF_EXPORT const CFStringRef kSecPropertyKeyLocalizedLabel;
CF_EXPORT const CFStringRef kSecPropertyKeyValue;
CF_EXPORT const CFStringRef kSecPropertyTypeWarning;
CF_EXPORT const CFStringRef kSecPropertyTypeSuccess;
CF_EXPORT const CFStringRef kSecPropertyTypeSection;
CF_EXPORT const CFStringRef kSecPropertyTypeData;
CF_EXPORT const CFStringRef kSecPropertyTypeString;
CF_EXPORT const CFStringRef kSecPropertyTypeURL;
CF_EXPORT const CFStringRef kSecPropertyTypeDate;
CF_EXPORT const CFStringRef kSecPropertyTypeArray;
CF_EXPORT const CFStringRef kSecPropertyTypeNumber;

/*
 * The fields of a certificate keyed by OID string (SecCertificateOIDs.h);
 * `keys` (nullable) selects some of them.
 */
CF_EXPORT CFDictionaryRef SecCertificateCopyValues(SecCertificateRef certificate, CFArrayRef keys,
                                                   CFErrorRef *error);
CF_EXPORT CFStringRef SecCertificateCopyLongDescription(CFAllocatorRef alloc,
                                                        SecCertificateRef certificate,
                                                        CFErrorRef *error);
CF_EXPORT CFStringRef SecCertificateCopyShortDescription(CFAllocatorRef alloc,
                                                         SecCertificateRef certificate,
                                                         CFErrorRef *error);

CF_EXTERN_C_END

#endif
