/*
 * SecKeychain.h: keychains (sectrans emulates them in memory or in a file).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYCHAIN_H_
#define _SECURITY_SECKEYCHAIN_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

/* Bits of a SecKeychainStatus (the type itself: SecBase.h). */
/* clang-format off */
CF_ENUM(UInt32){
    kSecUnlockStateStatus = 1,
    kSecReadPermStatus = 2,
    kSecWritePermStatus = 4
};
/* clang-format on */

CF_EXPORT CFTypeID SecKeychainGetTypeID(void);

/*
 * A file keychain at pathName, made unlocked with the password; the file must
 * not exist yet. sectrans cannot prompt: promptUser without a password fails.
 */
CF_EXPORT OSStatus SecKeychainCreate(const char *pathName, UInt32 passwordLength,
                                     const void *password, Boolean promptUser,
                                     SecAccessRef initialAccess, SecKeychainRef *keychain);
/* A reference to the keychain file at pathName, which need not exist yet; it opens locked. */
CF_EXPORT OSStatus SecKeychainOpen(const char *pathName, SecKeychainRef *keychain);
/* Removes the keychain (or each keychain of an array) and its file. */
CF_EXPORT OSStatus SecKeychainDelete(SecKeychainRef keychainOrArray);
CF_EXPORT OSStatus SecKeychainUnlock(SecKeychainRef keychain, UInt32 passwordLength,
                                     const void *password, Boolean usePassword);
CF_EXPORT OSStatus SecKeychainLock(SecKeychainRef keychain);
CF_EXPORT OSStatus SecKeychainGetStatus(SecKeychainRef keychain, SecKeychainStatus *keychainStatus);
CF_EXPORT OSStatus SecKeychainGetPath(SecKeychainRef keychain, UInt32 *ioPathLength,
                                      char *pathName);
CF_EXPORT OSStatus SecKeychainCopyDefault(SecKeychainRef *keychain);
CF_EXPORT OSStatus SecKeychainSetDefault(SecKeychainRef keychain);
CF_EXPORT OSStatus SecKeychainCopySearchList(CFArrayRef *searchList);
CF_EXPORT OSStatus SecKeychainSetSearchList(CFArrayRef searchList);
CF_EXPORT OSStatus SecKeychainSetUserInteractionAllowed(Boolean state);
CF_EXPORT OSStatus SecKeychainGetUserInteractionAllowed(Boolean *state);

CF_EXTERN_C_END

#endif
