/*
 * SecRandom.h: cryptographically secure random bytes.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECRANDOM_H_
#define _SECURITY_SECRANDOM_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

typedef const struct __SecRandom *SecRandomRef;
CF_EXPORT const SecRandomRef kSecRandomDefault; /* NULL */
CF_EXPORT int SecRandomCopyBytes(SecRandomRef rnd, size_t count, void *bytes) CF_WARN_UNUSED_RESULT;

CF_EXTERN_C_END

#endif
