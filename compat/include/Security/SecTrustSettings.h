/*
 * SecTrustSettings.h: per-certificate trust settings in the user, admin and
 * system domains. Here the system domain is the system trust anchors, each
 * trusted for everything; the user and admin domains are empty.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SEC_TRUST_SETTINGS_H_
#define _SECURITY_SEC_TRUST_SETTINGS_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>
#include <Security/SecCertificate.h>
#include <Security/SecPolicy.h>
#include <Security/cssmtype.h>

CF_EXTERN_C_BEGIN

/*
 * Keys of one usage-constraints dictionary of a certificate's settings.
 * Apple defines them as CFSTR macros with these same texts; here they are
 * also data symbols, for programs that look them up by name.
 */
CF_EXPORT const CFStringRef kSecTrustSettingsPolicy;
CF_EXPORT const CFStringRef kSecTrustSettingsApplication;
CF_EXPORT const CFStringRef kSecTrustSettingsPolicyString;
CF_EXPORT const CFStringRef kSecTrustSettingsKeyUsage;
CF_EXPORT const CFStringRef kSecTrustSettingsAllowedError;
CF_EXPORT const CFStringRef kSecTrustSettingsResult;

/*
 * kSecTrustSettingsKeyUseAny is an enumerator, as in Apple's header;
 * __extension__ lets ISO C have one beyond INT_MAX.
 */
typedef uint32 SecTrustSettingsKeyUsage;
__extension__ enum {
    kSecTrustSettingsKeyUseSignature = 0x00000001,
    kSecTrustSettingsKeyUseEnDecryptData = 0x00000002,
    kSecTrustSettingsKeyUseEnDecryptKey = 0x00000004,
    kSecTrustSettingsKeyUseSignCert = 0x00000008,
    kSecTrustSettingsKeyUseSignRevocation = 0x00000010,
    kSecTrustSettingsKeyUseKeyExchange = 0x00000020,
    kSecTrustSettingsKeyUseAny = 0xffffffff
};

typedef CF_ENUM(uint32, SecTrustSettingsResult) {
    kSecTrustSettingsResultInvalid = 0,
    kSecTrustSettingsResultTrustRoot = 1,
    kSecTrustSettingsResultTrustAsRoot = 2,
    kSecTrustSettingsResultDeny = 3,
    kSecTrustSettingsResultUnspecified = 4
};

typedef CF_ENUM(uint32, SecTrustSettingsDomain) {
    kSecTrustSettingsDomainUser = 0,
    kSecTrustSettingsDomainAdmin = 1,
    kSecTrustSettingsDomainSystem = 2
};

/* Stands for "the default settings of root certificates" in place of a certificate. */
#define kSecTrustSettingsDefaultRootCertSetting ((SecCertificateRef)-1)

/*
 * A certificate's settings (+1): an empty array means "always trusted".
 * errSecItemNotFound when the domain has none for it.
 */
CF_EXPORT OSStatus SecTrustSettingsCopyTrustSettings(SecCertificateRef certRef,
                                                     SecTrustSettingsDomain domain,
                                                     CFArrayRef *trustSettings);
/* The certificates with settings in a domain (+1); errSecNoTrustSettings if none. */
CF_EXPORT OSStatus SecTrustSettingsCopyCertificates(SecTrustSettingsDomain domain,
                                                    CFArrayRef *certArray);
/* No domain records modification dates here: errSecNoTrustSettings. */
CF_EXPORT OSStatus SecTrustSettingsCopyModificationDate(SecCertificateRef certRef,
                                                        SecTrustSettingsDomain domain,
                                                        CFDateRef *modificationDate);

CF_EXTERN_C_END

#endif
