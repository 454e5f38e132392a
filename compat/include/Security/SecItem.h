/*
 * SecItem.h: the item query dictionary keys and functions.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECITEM_H_
#define _SECURITY_SECITEM_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT const CFStringRef kSecClass;
CF_EXPORT const CFStringRef kSecClassCertificate;
CF_EXPORT const CFStringRef kSecClassIdentity;
CF_EXPORT const CFStringRef kSecClassKey;
CF_EXPORT const CFStringRef kSecMatchLimit;
CF_EXPORT const CFStringRef kSecMatchLimitOne;
CF_EXPORT const CFStringRef kSecMatchLimitAll;
CF_EXPORT const CFStringRef kSecMatchPolicy;
CF_EXPORT const CFStringRef kSecReturnRef;
CF_EXPORT const CFStringRef kSecValueRef;
CF_EXPORT const CFStringRef kSecAttrLabel;
CF_EXPORT const CFStringRef kSecAttrKeyType;
CF_EXPORT const CFStringRef kSecAttrKeyTypeRSA;
CF_EXPORT const CFStringRef kSecAttrKeyTypeEC;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECSECPrimeRandom;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECDSA;
CF_EXPORT const CFStringRef kSecAttrKeyClass;
CF_EXPORT const CFStringRef kSecAttrKeyClassPublic;
CF_EXPORT const CFStringRef kSecAttrKeyClassPrivate;

CF_EXPORT OSStatus SecItemCopyMatching(CFDictionaryRef query, CFTypeRef *result);
CF_EXPORT OSStatus SecItemAdd(CFDictionaryRef attributes, CFTypeRef *result);
CF_EXPORT OSStatus SecItemDelete(CFDictionaryRef query);

CF_EXTERN_C_END

#endif
