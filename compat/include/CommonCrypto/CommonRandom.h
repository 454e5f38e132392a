/*
 * CommonRandom.h: random bytes from the system generator.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef __COMMON_RANDOM_PUBLIC__
#define __COMMON_RANDOM_PUBLIC__

#include <stddef.h>
#include <CommonCrypto/CommonCryptoError.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef CCCryptorStatus CCRNGStatus;

CCRNGStatus CCRandomGenerateBytes(void *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
