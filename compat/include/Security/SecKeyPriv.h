/*
 * SecKeyPriv.h: the private key constructors programs call (SPI).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYPRIV_H_
#define _SECURITY_SECKEYPRIV_H_

#include <Security/SecKey.h>

CF_EXTERN_C_BEGIN

/* How the bytes given to SecKeyCreateRSAPrivateKey and friends are encoded. */
typedef uint32_t SecKeyEncoding;
enum {
    kSecKeyEncodingRaw = 0,
    /* RSA: the PKCS#1 DER structure; EC private keys: the SEC1 DER structure. */
    kSecKeyEncodingPkcs1 = 1,
    kSecKeyEncodingApplePkcs1 = 2,
    kSecKeyEncodingRSAPublicParams = 3,
    kSecDERKeyEncoding = 4,
    kSecGenerateKey = 5,
    kSecExtractPublicFromPrivate = 6,
    /* What SecKeyCopyExternalRepresentation produces (PKCS#1, or X9.63 for EC). */
    kSecKeyEncodingBytes = 7,
    kSecKeyCoreCrypto = 8
};

CF_EXPORT SecKeyRef SecKeyCreateRSAPrivateKey(CFAllocatorRef allocator, const uint8_t *keyData,
                                              CFIndex keyDataLength, SecKeyEncoding encoding);
CF_EXPORT SecKeyRef SecKeyCreateECPrivateKey(CFAllocatorRef allocator, const uint8_t *keyData,
                                             CFIndex keyDataLength, SecKeyEncoding encoding);

CF_EXTERN_C_END

#endif
