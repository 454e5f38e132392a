/*
 * SecKey.h: public and private keys (RSA and elliptic curve): creation from
 * external representations, generation, attributes, signing, verification,
 * encryption and decryption.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEY_H_
#define _SECURITY_SECKEY_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

/*
 * The few CSSM types the legacy SecKeyCreatePair takes (macOS declares them
 * in cssmtype.h). Guarded so that another header of this set can share them.
 */
#ifndef SECTRANS_CSSM_KEY_TYPES
#define SECTRANS_CSSM_KEY_TYPES
typedef uint32_t CSSM_ALGORITHMS;
typedef uint32_t CSSM_KEYUSE;
typedef uint32_t CSSM_KEYATTR_FLAGS;
typedef uint64_t CSSM_CC_HANDLE;

/* clang-format off */
CF_ENUM(CSSM_ALGORITHMS){
    CSSM_ALGID_NONE = 0,
    CSSM_ALGID_RSA = 42,
    CSSM_ALGID_DSA = 43,
    CSSM_ALGID_ECDSA = 73
};
/* clang-format on */

/*
 * CSSM_KEYUSE_ANY is 0x80000000, unsigned as in Apple's cssmtype.h;
 * __extension__ lets ISO C have an enumerator beyond INT_MAX.
 */
/* clang-format off */
__extension__ CF_ENUM(CSSM_KEYUSE){
    CSSM_KEYUSE_ANY = 0x80000000,
    CSSM_KEYUSE_ENCRYPT = 0x00000001,
    CSSM_KEYUSE_DECRYPT = 0x00000002,
    CSSM_KEYUSE_SIGN = 0x00000004,
    CSSM_KEYUSE_VERIFY = 0x00000008,
    CSSM_KEYUSE_SIGN_RECOVER = 0x00000010,
    CSSM_KEYUSE_VERIFY_RECOVER = 0x00000020,
    CSSM_KEYUSE_WRAP = 0x00000040,
    CSSM_KEYUSE_UNWRAP = 0x00000080,
    CSSM_KEYUSE_DERIVE = 0x00000100
};
/* clang-format on */

/* clang-format off */
CF_ENUM(CSSM_KEYATTR_FLAGS){
    CSSM_KEYATTR_RETURN_DEFAULT = 0x00000000,    CSSM_KEYATTR_RETURN_DATA = 0x10000000,
    CSSM_KEYATTR_RETURN_REF = 0x20000000,        CSSM_KEYATTR_RETURN_NONE = 0x40000000,
    CSSM_KEYATTR_PERMANENT = 0x00000001,         CSSM_KEYATTR_PRIVATE = 0x00000002,
    CSSM_KEYATTR_MODIFIABLE = 0x00000004,        CSSM_KEYATTR_SENSITIVE = 0x00000008,
    CSSM_KEYATTR_ALWAYS_SENSITIVE = 0x00000010,  CSSM_KEYATTR_EXTRACTABLE = 0x00000020,
    CSSM_KEYATTR_NEVER_EXTRACTABLE = 0x00000040
};
/* clang-format on */
#endif

/* Padding of the legacy raw operations (SecKeyRawSign, SecKeyEncrypt, ...). */
typedef CF_ENUM(uint32_t, SecPadding) {
    kSecPaddingNone = 0,
    kSecPaddingPKCS1 = 1,
    kSecPaddingOAEP = 2,
    kSecPaddingSigRaw = 0x4000,
    kSecPaddingPKCS1MD2 = 0x8000,
    kSecPaddingPKCS1MD5 = 0x8001,
    kSecPaddingPKCS1SHA1 = 0x8002,
    kSecPaddingPKCS1SHA224 = 0x8003,
    kSecPaddingPKCS1SHA256 = 0x8004,
    kSecPaddingPKCS1SHA384 = 0x8005,
    kSecPaddingPKCS1SHA512 = 0x8006
};

typedef CF_ENUM(uint32_t, SecKeySizes) {
    kSecDefaultKeySize = 0,
    kSec3DES192 = 192,
    kSecAES128 = 128,
    kSecAES192 = 192,
    kSecAES256 = 256,
    kSecp192r1 = 192,
    kSecp256r1 = 256,
    kSecp384r1 = 384,
    kSecp521r1 = 521,
    kSecRSAMin = 1024,
    kSecRSAMax = 4096
};

/* Key attributes: Apple declares them in SecItem.h; these are identical redeclarations. */
CF_EXPORT const CFStringRef kSecAttrKeyType;
CF_EXPORT const CFStringRef kSecAttrKeyTypeRSA;
CF_EXPORT const CFStringRef kSecAttrKeyTypeEC;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECSECPrimeRandom;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECDSA;
CF_EXPORT const CFStringRef kSecAttrKeyClass;
CF_EXPORT const CFStringRef kSecAttrKeyClassPublic;
CF_EXPORT const CFStringRef kSecAttrKeyClassPrivate;
CF_EXPORT const CFStringRef kSecAttrKeyClassSymmetric;
CF_EXPORT const CFStringRef kSecAttrKeySizeInBits;
CF_EXPORT const CFStringRef kSecAttrIsPermanent;

/* Sub-dictionaries of SecKeyGeneratePair's parameters for one half of the pair. */
CF_EXPORT const CFStringRef kSecPrivateKeyAttrs;
CF_EXPORT const CFStringRef kSecPublicKeyAttrs;

CF_EXPORT CFTypeID SecKeyGetTypeID(void);

/* Legacy: generates a pair (the keychain is not written: keys are transient). */
CF_EXPORT OSStatus SecKeyCreatePair(SecKeychainRef keychainRef, CSSM_ALGORITHMS algorithm,
                                    uint32_t keySizeInBits, CSSM_CC_HANDLE contextHandle,
                                    CSSM_KEYUSE publicKeyUsage, uint32_t publicKeyAttr,
                                    CSSM_KEYUSE privateKeyUsage, uint32_t privateKeyAttr,
                                    SecAccessRef initialAccess, SecKeyRef *publicKey,
                                    SecKeyRef *privateKey);

CF_EXPORT size_t SecKeyGetBlockSize(SecKeyRef key);
CF_EXPORT SecKeyRef SecKeyCreateFromData(CFDictionaryRef parameters, CFDataRef keyData,
                                         CFErrorRef *error);
CF_EXPORT OSStatus SecKeyGeneratePair(CFDictionaryRef parameters, SecKeyRef *publicKey,
                                      SecKeyRef *privateKey);
CF_EXPORT SecKeyRef SecKeyCreateRandomKey(CFDictionaryRef parameters, CFErrorRef *error);
CF_EXPORT SecKeyRef SecKeyCreateWithData(CFDataRef keyData, CFDictionaryRef attributes,
                                         CFErrorRef *error);
CF_EXPORT CFDataRef SecKeyCopyExternalRepresentation(SecKeyRef key, CFErrorRef *error);
CF_EXPORT CFDictionaryRef SecKeyCopyAttributes(SecKeyRef key);
CF_EXPORT SecKeyRef SecKeyCopyPublicKey(SecKeyRef key);

/* The legacy raw operations; *sigLen, *cipherTextLen and *plainTextLen are in/out. */
CF_EXPORT OSStatus SecKeyRawSign(SecKeyRef key, SecPadding padding, const uint8_t *dataToSign,
                                 size_t dataToSignLen, uint8_t *sig, size_t *sigLen);
CF_EXPORT OSStatus SecKeyRawVerify(SecKeyRef key, SecPadding padding, const uint8_t *signedData,
                                   size_t signedDataLen, const uint8_t *sig, size_t sigLen);
CF_EXPORT OSStatus SecKeyEncrypt(SecKeyRef key, SecPadding padding, const uint8_t *plainText,
                                 size_t plainTextLen, uint8_t *cipherText, size_t *cipherTextLen);
CF_EXPORT OSStatus SecKeyDecrypt(SecKeyRef key, SecPadding padding, const uint8_t *cipherText,
                                 size_t cipherTextLen, uint8_t *plainText, size_t *plainTextLen);

/* Algorithms of SecKeyCreateSignature and friends; the value names the algorithm. */
typedef CFStringRef SecKeyAlgorithm;

CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureRaw;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15Raw;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA224;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA256;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA384;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA512;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA224;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA384;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA512;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureRFC4754;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA224;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA256;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA384;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA512;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureMessageX962SHA1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureMessageX962SHA224;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureMessageX962SHA256;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureMessageX962SHA384;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureMessageX962SHA512;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionRaw;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionPKCS1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionOAEPSHA1;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionOAEPSHA224;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionOAEPSHA256;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionOAEPSHA384;
CF_EXPORT const SecKeyAlgorithm kSecKeyAlgorithmRSAEncryptionOAEPSHA512;

typedef CF_ENUM(CFIndex, SecKeyOperationType) {
    kSecKeyOperationTypeSign = 0,
    kSecKeyOperationTypeVerify = 1,
    kSecKeyOperationTypeEncrypt = 2,
    kSecKeyOperationTypeDecrypt = 3,
    kSecKeyOperationTypeKeyExchange = 4
};

CF_EXPORT CFDataRef SecKeyCreateSignature(SecKeyRef key, SecKeyAlgorithm algorithm,
                                          CFDataRef dataToSign, CFErrorRef *error);
CF_EXPORT Boolean SecKeyVerifySignature(SecKeyRef key, SecKeyAlgorithm algorithm,
                                        CFDataRef signedData, CFDataRef signature,
                                        CFErrorRef *error);
CF_EXPORT CFDataRef SecKeyCreateEncryptedData(SecKeyRef key, SecKeyAlgorithm algorithm,
                                              CFDataRef plaintext, CFErrorRef *error);
CF_EXPORT CFDataRef SecKeyCreateDecryptedData(SecKeyRef key, SecKeyAlgorithm algorithm,
                                              CFDataRef ciphertext, CFErrorRef *error);
CF_EXPORT Boolean SecKeyIsAlgorithmSupported(SecKeyRef key, SecKeyOperationType operation,
                                             SecKeyAlgorithm algorithm);

CF_EXTERN_C_END

#endif
