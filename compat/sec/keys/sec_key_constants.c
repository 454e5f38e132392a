/*
 * The key attribute and algorithm constants: kSecAttrKey* (owned here for
 * the keychain code too), the SecKeyGeneratePair sub-dictionary keys and
 * the SecKeyAlgorithm names. Apple's values; callers compare by content.
 */
#include "cf_string.h"
#include "sec_internal.h"

/* Attribute keys and values; key types and classes are CSSM numbers as text. */
CF_STRING_CONSTANT(kSecAttrKeyType, "type");
CF_STRING_CONSTANT(kSecAttrKeyTypeRSA, "42");
CF_STRING_CONSTANT(kSecAttrKeyTypeEC, "73");
CF_STRING_CONSTANT(kSecAttrKeyTypeECSECPrimeRandom, "73");
CF_STRING_CONSTANT(kSecAttrKeyTypeECDSA, "73");
CF_STRING_CONSTANT(kSecAttrKeyClass, "kcls");
CF_STRING_CONSTANT(kSecAttrKeyClassPublic, "0");
CF_STRING_CONSTANT(kSecAttrKeyClassPrivate, "1");
CF_STRING_CONSTANT(kSecAttrKeyClassSymmetric, "2");
CF_STRING_CONSTANT(kSecAttrKeySizeInBits, "bsiz");
CF_STRING_CONSTANT(kSecAttrIsPermanent, "perm");
CF_STRING_CONSTANT(kSecPrivateKeyAttrs, "private");
CF_STRING_CONSTANT(kSecPublicKeyAttrs, "public");

/* Algorithms. */
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureRaw, "algid:sign:RSA:raw");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15Raw, "algid:sign:RSA:digest-PKCS1v15");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA1,
                   "algid:sign:RSA:digest-PKCS1v15:SHA1");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA224,
                   "algid:sign:RSA:digest-PKCS1v15:SHA224");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA256,
                   "algid:sign:RSA:digest-PKCS1v15:SHA256");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA384,
                   "algid:sign:RSA:digest-PKCS1v15:SHA384");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA512,
                   "algid:sign:RSA:digest-PKCS1v15:SHA512");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA1,
                   "algid:sign:RSA:message-PKCS1v15:SHA1");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA224,
                   "algid:sign:RSA:message-PKCS1v15:SHA224");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256,
                   "algid:sign:RSA:message-PKCS1v15:SHA256");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA384,
                   "algid:sign:RSA:message-PKCS1v15:SHA384");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA512,
                   "algid:sign:RSA:message-PKCS1v15:SHA512");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureRFC4754, "algid:sign:ECDSA:RFC4754");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962, "algid:sign:ECDSA:digest-X962");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962SHA1,
                   "algid:sign:ECDSA:digest-X962:SHA1");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962SHA224,
                   "algid:sign:ECDSA:digest-X962:SHA224");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962SHA256,
                   "algid:sign:ECDSA:digest-X962:SHA256");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962SHA384,
                   "algid:sign:ECDSA:digest-X962:SHA384");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureDigestX962SHA512,
                   "algid:sign:ECDSA:digest-X962:SHA512");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureMessageX962SHA1,
                   "algid:sign:ECDSA:message-X962:SHA1");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureMessageX962SHA224,
                   "algid:sign:ECDSA:message-X962:SHA224");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureMessageX962SHA256,
                   "algid:sign:ECDSA:message-X962:SHA256");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureMessageX962SHA384,
                   "algid:sign:ECDSA:message-X962:SHA384");
CF_STRING_CONSTANT(kSecKeyAlgorithmECDSASignatureMessageX962SHA512,
                   "algid:sign:ECDSA:message-X962:SHA512");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionRaw, "algid:encrypt:RSA:raw");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionPKCS1, "algid:encrypt:RSA:PKCS1");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionOAEPSHA1, "algid:encrypt:RSA:OAEP:SHA1");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionOAEPSHA224, "algid:encrypt:RSA:OAEP:SHA224");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionOAEPSHA256, "algid:encrypt:RSA:OAEP:SHA256");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionOAEPSHA384, "algid:encrypt:RSA:OAEP:SHA384");
CF_STRING_CONSTANT(kSecKeyAlgorithmRSAEncryptionOAEPSHA512, "algid:encrypt:RSA:OAEP:SHA512");
