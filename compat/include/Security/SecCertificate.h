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

/*
 * Bits of the key usage extension, as SecCertificateCopyValues reports them.
 * kSecKeyUsageCritical is 1u << 31, unsigned as in Apple's header (so it is
 * positive when widened or compared); __extension__ lets ISO C have an
 * enumerator beyond INT_MAX without a -pedantic warning.
 */
typedef uint32_t SecKeyUsage;
__extension__ enum {
    kSecKeyUsageUnspecified = 0u,
    kSecKeyUsageDigitalSignature = 1u << 0,
    kSecKeyUsageNonRepudiation = 1u << 1,
    kSecKeyUsageContentCommitment = 1u << 1,
    kSecKeyUsageKeyEncipherment = 1u << 2,
    kSecKeyUsageDataEncipherment = 1u << 3,
    kSecKeyUsageKeyAgreement = 1u << 4,
    kSecKeyUsageKeyCertSign = 1u << 5,
    kSecKeyUsageCRLSign = 1u << 6,
    kSecKeyUsageEncipherOnly = 1u << 7,
    kSecKeyUsageDecipherOnly = 1u << 8,
    kSecKeyUsageCritical = 1u << 31,
    kSecKeyUsageAll = 0x7FFFFFFFu
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
