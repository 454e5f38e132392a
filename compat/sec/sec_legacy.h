/*
 * OpenSSL's legacy algorithms (RC2, RC4, DES, Blowfish, CAST...) in a library
 * context of our own, for Security's legacy PKCS#12 files and CommonCrypto's
 * legacy ciphers: the application's own OpenSSL context never gains weak
 * algorithms.
 */
#ifndef SECTRANS_SEC_LEGACY_H
#define SECTRANS_SEC_LEGACY_H

#include <openssl/types.h>

/* The context (default + legacy providers), made on first need; NULL if it cannot be. */
OSSL_LIB_CTX *sec_legacy_libctx(void);

#endif
