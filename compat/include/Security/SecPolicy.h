/*
 * SecPolicy.h: the policies a trust evaluation applies.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECPOLICY_H_
#define _SECURITY_SECPOLICY_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>
#include <Security/cssmtype.h>

CF_EXTERN_C_BEGIN

/* Policy identifiers: the value of kSecPolicyOid (dotted OIDs). */
CF_EXPORT const CFStringRef kSecPolicyAppleX509Basic;
CF_EXPORT const CFStringRef kSecPolicyAppleSSL;
CF_EXPORT const CFStringRef kSecPolicyAppleSMIME;
CF_EXPORT const CFStringRef kSecPolicyAppleEAP;
CF_EXPORT const CFStringRef kSecPolicyAppleIPsec;
CF_EXPORT const CFStringRef kSecPolicyApplePKINITClient;
CF_EXPORT const CFStringRef kSecPolicyApplePKINITServer;
CF_EXPORT const CFStringRef kSecPolicyAppleCodeSigning;
CF_EXPORT const CFStringRef kSecPolicyMacAppStoreReceipt;
CF_EXPORT const CFStringRef kSecPolicyAppleIDValidation;
CF_EXPORT const CFStringRef kSecPolicyAppleTimeStamping;
CF_EXPORT const CFStringRef kSecPolicyAppleRevocation;
CF_EXPORT const CFStringRef kSecPolicyApplePassbookSigning;
CF_EXPORT const CFStringRef kSecPolicyApplePayIssuerEncryption;

/* Keys of a policy's properties dictionary. */
CF_EXPORT const CFStringRef kSecPolicyOid;
CF_EXPORT const CFStringRef kSecPolicyName;
CF_EXPORT const CFStringRef kSecPolicyClient;
CF_EXPORT const CFStringRef kSecPolicyRevocationFlags;
CF_EXPORT const CFStringRef kSecPolicyTeamIdentifier;

/* SecPolicyCreateRevocation flags. */
/* clang-format off */
CF_ENUM(CFOptionFlags){
    kSecRevocationOCSPMethod = (1 << 0),
    kSecRevocationCRLMethod = (1 << 1),
    kSecRevocationPreferCRL = (1 << 2),
    kSecRevocationRequirePositiveResponse = (1 << 3),
    kSecRevocationNetworkAccessDisabled = (1 << 4),
    kSecRevocationUseAnyAvailableMethod = (kSecRevocationOCSPMethod | kSecRevocationCRLMethod)
};
/* clang-format on */

CF_EXPORT CFTypeID SecPolicyGetTypeID(void);
CF_EXPORT SecPolicyRef SecPolicyCreateBasicX509(void);
/* server: true to evaluate a server's certificate; hostname NULL: no name check. */
CF_EXPORT SecPolicyRef SecPolicyCreateSSL(Boolean server, CFStringRef hostname);
CF_EXPORT CFDictionaryRef SecPolicyCopyProperties(SecPolicyRef policyRef);
/* Never fetches: without kSecRevocationRequirePositiveResponse it changes no verdict. */
CF_EXPORT SecPolicyRef SecPolicyCreateRevocation(CFOptionFlags revocationFlags);
/* kSecPolicyAppleSSL, kSecPolicyAppleX509Basic or kSecPolicyAppleRevocation; else NULL. */
CF_EXPORT SecPolicyRef SecPolicyCreateWithProperties(CFTypeRef policyIdentifier,
                                                     CFDictionaryRef properties);

/* Legacy (macOS): policies changed in place. */
CF_EXPORT OSStatus SecPolicySetValue(SecPolicyRef policyRef, const CSSM_DATA *value);
CF_EXPORT OSStatus SecPolicySetProperties(SecPolicyRef policyRef, CFDictionaryRef properties);

CF_EXTERN_C_END

#endif
