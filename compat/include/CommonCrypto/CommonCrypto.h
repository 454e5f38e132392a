/*
 * CommonCrypto.h: the whole CommonCrypto subset sectrans provides.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _COMMONCRYPTO_H_
#define _COMMONCRYPTO_H_

#include <CommonCrypto/CommonCryptoError.h>
#include <CommonCrypto/CommonCryptor.h>
#include <CommonCrypto/CommonDigest.h>
#include <CommonCrypto/CommonHMAC.h>
#include <CommonCrypto/CommonKeyDerivation.h>
#include <CommonCrypto/CommonRandom.h>

#endif
