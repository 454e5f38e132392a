/*
 * SecKeychain.h: keychains (sectrans emulates them in memory or in a file).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYCHAIN_H_
#define _SECURITY_SECKEYCHAIN_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecKeychainGetTypeID(void);
CF_EXPORT OSStatus SecKeychainCreate(const char *pathName, UInt32 passwordLength,
                                     const void *password, Boolean promptUser,
                                     SecAccessRef initialAccess, SecKeychainRef *keychain);
CF_EXPORT OSStatus SecKeychainOpen(const char *pathName, SecKeychainRef *keychain);
CF_EXPORT OSStatus SecKeychainDelete(SecKeychainRef keychainOrArray);

CF_EXTERN_C_END

#endif
