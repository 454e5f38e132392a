/*
 * SecKey creation: from Apple's external representations (PKCS#1 for RSA,
 * ANSI X9.63 04||X||Y[||D] for EC), from the private constructors, by
 * generation; and what a key tells about itself (public half, block size,
 * attributes).
 */
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "sec_key_ops.h"

/* The curves Apple's EC keys use, by size; X9.63 lengths derive from the field size. */
static const struct {
    long bits;
    size_t field_bytes;
    const char *group;
} curves[] = {
    {192, 24, "prime192v1"}, {224, 28, "secp224r1"}, {256, 32, "prime256v1"},
    {384, 48, "secp384r1"},  {521, 66, "secp521r1"},
};

#define RSA_MIN_BITS 1024
#define RSA_MAX_BITS 8192

SecKeyRef sec_key_adopt(EVP_PKEY *pkey, bool is_private)
{
    SecKeyRef key = sec_key_from_pkey(pkey, is_private);
    EVP_PKEY_free(pkey);
    return key;
}

/* EVP_PKEY_RSA or EVP_PKEY_EC for a kSecAttrKeyType value; EVP_PKEY_NONE otherwise. */
static int key_type_of(CFTypeRef value)
{
    if (!cf_is_type(value, CFStringGetTypeID()))
        return EVP_PKEY_NONE;
    if (CFEqual(value, kSecAttrKeyTypeRSA))
        return EVP_PKEY_RSA;
    if (CFEqual(value, kSecAttrKeyTypeECSECPrimeRandom))
        return EVP_PKEY_EC;
    return EVP_PKEY_NONE;
}

enum key_class { CLASS_UNKNOWN, CLASS_PUBLIC, CLASS_PRIVATE };

static enum key_class key_class_of(CFTypeRef value)
{
    if (!cf_is_type(value, CFStringGetTypeID()))
        return CLASS_UNKNOWN;
    if (CFEqual(value, kSecAttrKeyClassPublic))
        return CLASS_PUBLIC;
    if (CFEqual(value, kSecAttrKeyClassPrivate))
        return CLASS_PRIVATE;
    return CLASS_UNKNOWN;
}

/* Exactly one PKCS#1 RSAPublicKey or RSAPrivateKey: trailing bytes are refused. */
static EVP_PKEY *rsa_from_pkcs1(const unsigned char *bytes, size_t len, bool is_private)
{
    if (bytes == NULL || len == 0 || len > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    EVP_PKEY *pkey = is_private ? d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, (long)len)
                                : d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
    if (pkey != NULL && p != bytes + len) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

/* The curve whose X9.63 encoding (with the scalar for private keys) has `len` bytes. */
static const char *curve_for_x963_length(size_t len, bool is_private, size_t *field_bytes)
{
    size_t parts = is_private ? 3 : 2;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (len == 1 + parts * curves[i].field_bytes) {
            *field_bytes = curves[i].field_bytes;
            return curves[i].group;
        }
    return NULL;
}

/* Builds a key from OpenSSL parameters and checks it (point on the curve, scalar matching). */
static EVP_PKEY *ec_from_params(OSSL_PARAM *params, bool is_private)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    ctx = EVP_PKEY_CTX_new(pkey, NULL);
    int ok =
        ctx != NULL && (is_private ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx));
    EVP_PKEY_CTX_free(ctx);
    if (ok != 1) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

/* An EC key from 04||X||Y, or 04||X||Y||D for a private key. */
static EVP_PKEY *ec_from_x963(const unsigned char *bytes, size_t len, bool is_private)
{
    size_t field = 0;
    const char *group = bytes != NULL ? curve_for_x963_length(len, is_private, &field) : NULL;
    if (group == NULL || bytes[0] != 0x04)
        return NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *d = is_private ? BN_secure_new() : NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pkey = NULL;
    if (bld == NULL ||
        (is_private && (d == NULL || !BN_bin2bn(bytes + 1 + 2 * field, (int)field, d))))
        goto out;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, bytes, 1 + 2 * field) ||
        (is_private && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params != NULL)
        pkey = ec_from_params(params, is_private);
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    return pkey;
}

/* `pkey` if it is a key of `type` whose encoding took all `len` bytes from `start` to `*p`. */
static EVP_PKEY *whole_key_of_type(EVP_PKEY *pkey, int type, const unsigned char *start, size_t len,
                                   const unsigned char *p)
{
    if (pkey != NULL && (p != start + len || EVP_PKEY_get_base_id(pkey) != type)) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    return pkey;
}

/*
 * A private key in the other DER forms macOS reads (its SecKeyCreateFromData
 * goes through the import code with kSecFormatUnknown): the algorithm's own
 * structure (SEC1 ECPrivateKey, PKCS#1 RSAPrivateKey) or an unencrypted
 * PKCS#8 PrivateKeyInfo. The key must be of `type`.
 */
static EVP_PKEY *private_from_der(int type, const unsigned char *bytes, size_t len)
{
    if (bytes == NULL || len == 0 || len > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    EVP_PKEY *pkey = d2i_PrivateKey(type, NULL, &p, (long)len);
    pkey = whole_key_of_type(pkey, type, bytes, len, p);
    if (pkey == NULL) {
        p = bytes;
        PKCS8_PRIV_KEY_INFO *info = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
        if (info != NULL)
            pkey = whole_key_of_type(EVP_PKCS82PKEY(info), type, bytes, len, p);
        PKCS8_PRIV_KEY_INFO_free(info);
    }
    ERR_clear_error();
    return pkey;
}

/* A public key as an X.509 SubjectPublicKeyInfo, which macOS also reads; it must be of `type`. */
static EVP_PKEY *public_from_spki(int type, const unsigned char *bytes, size_t len)
{
    if (bytes == NULL || len == 0 || len > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)len);
    pkey = whole_key_of_type(pkey, type, bytes, len, p);
    ERR_clear_error();
    return pkey;
}

/*
 * A key from Apple's external representation of its type and class, or
 * failing that from the other encodings macOS imports (10.15 reads every
 * recognised key format here, SEC1 EC private keys included).
 */
static EVP_PKEY *pkey_from_external(int type, CFDataRef data, bool is_private)
{
    const unsigned char *bytes = CFDataGetBytePtr(data);
    size_t len = (size_t)CFDataGetLength(data);
    EVP_PKEY *pkey = type == EVP_PKEY_RSA ? rsa_from_pkcs1(bytes, len, is_private)
                                          : ec_from_x963(bytes, len, is_private);
    if (pkey == NULL)
        pkey = is_private ? private_from_der(type, bytes, len) : public_from_spki(type, bytes, len);
    return pkey;
}

/* Apple reports every failure here, bad bytes included, as errSecParam. */
SecKeyRef SecKeyCreateWithData(CFDataRef keyData, CFDictionaryRef attributes, CFErrorRef *error)
{
    SecKeyRef key = NULL;
    if (cf_is_type(keyData, CFDataGetTypeID()) && cf_is_type(attributes, CFDictionaryGetTypeID())) {
        int type = key_type_of(CFDictionaryGetValue(attributes, kSecAttrKeyType));
        enum key_class cls = key_class_of(CFDictionaryGetValue(attributes, kSecAttrKeyClass));
        if (type != EVP_PKEY_NONE && cls != CLASS_UNKNOWN)
            key = sec_key_adopt(pkey_from_external(type, keyData, cls == CLASS_PRIVATE),
                                cls == CLASS_PRIVATE);
    }
    if (key == NULL)
        sec_set_error(error, errSecParam);
    return key;
}

/*
 * The legacy constructor. Apple's makes symmetric keys; sectrans has none, so
 * only RSA and EC types work (a missing class: private, then public).
 */
SecKeyRef SecKeyCreateFromData(CFDictionaryRef parameters, CFDataRef keyData, CFErrorRef *error)
{
    if (!cf_is_type(parameters, CFDictionaryGetTypeID()) ||
        !cf_is_type(keyData, CFDataGetTypeID())) {
        sec_set_error(error, errSecParam);
        return NULL;
    }
    int type = key_type_of(CFDictionaryGetValue(parameters, kSecAttrKeyType));
    if (type == EVP_PKEY_NONE) {
        sec_set_error(error, errSecUnimplemented);
        return NULL;
    }
    enum key_class cls = key_class_of(CFDictionaryGetValue(parameters, kSecAttrKeyClass));
    SecKeyRef key = NULL;
    if (cls != CLASS_PUBLIC)
        key = sec_key_adopt(pkey_from_external(type, keyData, true), true);
    if (key == NULL && cls != CLASS_PRIVATE)
        key = sec_key_adopt(pkey_from_external(type, keyData, false), false);
    if (key == NULL)
        sec_set_error(error, errSecParam);
    return key;
}

SecKeyRef SecKeyCreateRSAPrivateKey(CFAllocatorRef allocator, const uint8_t *keyData,
                                    CFIndex keyDataLength, SecKeyEncoding encoding)
{
    (void)allocator;
    if (keyDataLength <= 0 ||
        (encoding != kSecKeyEncodingPkcs1 && encoding != kSecKeyEncodingBytes))
        return NULL;
    return sec_key_adopt(rsa_from_pkcs1(keyData, (size_t)keyDataLength, true), true);
}

/* Exactly one SEC1 ECPrivateKey naming its curve. */
static EVP_PKEY *ec_from_sec1(const unsigned char *bytes, size_t len)
{
    if (bytes == NULL || len == 0 || len > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    EVP_PKEY *pkey = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, (long)len);
    if (pkey != NULL && p != bytes + len) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

SecKeyRef SecKeyCreateECPrivateKey(CFAllocatorRef allocator, const uint8_t *keyData,
                                   CFIndex keyDataLength, SecKeyEncoding encoding)
{
    (void)allocator;
    if (keyDataLength <= 0)
        return NULL;
    if (encoding == kSecKeyEncodingPkcs1)
        return sec_key_adopt(ec_from_sec1(keyData, (size_t)keyDataLength), true);
    if (encoding == kSecKeyEncodingBytes)
        return sec_key_adopt(ec_from_x963(keyData, (size_t)keyDataLength, true), true);
    return NULL;
}

/* kSecAttrKeySizeInBits as a CFNumber or a decimal CFString; 0 when absent or unreadable. */
static long requested_bits(CFDictionaryRef parameters)
{
    CFTypeRef value = CFDictionaryGetValue(parameters, kSecAttrKeySizeInBits);
    long bits = 0;
    if (cf_is_type(value, CFNumberGetTypeID())) {
        if (!CFNumberGetValue(value, kCFNumberLongType, &bits))
            return 0;
    } else if (cf_is_type(value, CFStringGetTypeID())) {
        const char *text = cf_string_utf8(value);
        char *end = NULL;
        bits = strtol(text, &end, 10);
        if (end == text || *end != '\0')
            return 0;
    }
    return bits;
}

/* The OpenSSL group of an EC key size; NULL for a size Apple does not generate. */
static const char *curve_for_bits(long bits)
{
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].bits == bits)
            return curves[i].group;
    return NULL;
}

/* A new key pair of `type` and size; *status says why when NULL. */
static EVP_PKEY *generate_pkey(int type, long bits, OSStatus *status)
{
    const char *group = NULL;
    if (type == EVP_PKEY_RSA) {
        if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
            *status = errSecKeySizeNotAllowed;
            return NULL;
        }
    } else if (type == EVP_PKEY_EC) {
        if ((group = curve_for_bits(bits)) == NULL) {
            *status = errSecKeySizeNotAllowed;
            return NULL;
        }
    } else {
        *status = errSecUnimplemented; /* Apple's errSecUnsupportedAlgorithm */
        return NULL;
    }
    EVP_PKEY *pkey = type == EVP_PKEY_RSA ? EVP_RSA_gen((unsigned int)bits) : EVP_EC_gen(group);
    *status = pkey != NULL ? errSecSuccess : errSecInternalComponent;
    return pkey;
}

/* The private key SecKeyGeneratePair and SecKeyCreateRandomKey make from their parameters. */
static OSStatus generate_private_key(CFDictionaryRef parameters, SecKeyRef *out)
{
    *out = NULL;
    if (!cf_is_type(parameters, CFDictionaryGetTypeID()))
        return errSecParam;
    OSStatus status;
    int type = key_type_of(CFDictionaryGetValue(parameters, kSecAttrKeyType));
    EVP_PKEY *pkey = generate_pkey(type, requested_bits(parameters), &status);
    if (pkey == NULL)
        return status;
    *out = sec_key_adopt(pkey, true);
    return *out != NULL ? errSecSuccess : errSecAllocate;
}

/* Hands both halves out (either pointer may be NULL). */
static OSStatus hand_out_pair(SecKeyRef private_key, SecKeyRef *publicKey, SecKeyRef *privateKey)
{
    SecKeyRef public_key = SecKeyCopyPublicKey(private_key);
    if (public_key == NULL) {
        CFRelease(private_key);
        return errSecAllocate;
    }
    if (publicKey != NULL)
        *publicKey = public_key;
    else
        CFRelease(public_key);
    if (privateKey != NULL)
        *privateKey = private_key;
    else
        CFRelease(private_key);
    return errSecSuccess;
}

/* kSecAttrIsPermanent is not honoured: the keys are transient (no keychain write). */
OSStatus SecKeyGeneratePair(CFDictionaryRef parameters, SecKeyRef *publicKey, SecKeyRef *privateKey)
{
    SecKeyRef private_key;
    OSStatus status = generate_private_key(parameters, &private_key);
    if (status != errSecSuccess)
        return status;
    return hand_out_pair(private_key, publicKey, privateKey);
}

SecKeyRef SecKeyCreateRandomKey(CFDictionaryRef parameters, CFErrorRef *error)
{
    SecKeyRef private_key;
    OSStatus status = generate_private_key(parameters, &private_key);
    if (status != errSecSuccess)
        sec_set_error(error, status);
    return private_key;
}

/*
 * The CSSM-era generator. The pair is not stored in `keychainRef` (keys are
 * transient); usages, attributes and access are accepted and not enforced.
 * A CSSM context cannot be honoured, so a non-zero one is refused.
 */
OSStatus SecKeyCreatePair(SecKeychainRef keychainRef, CSSM_ALGORITHMS algorithm,
                          uint32_t keySizeInBits, CSSM_CC_HANDLE contextHandle,
                          CSSM_KEYUSE publicKeyUsage, uint32_t publicKeyAttr,
                          CSSM_KEYUSE privateKeyUsage, uint32_t privateKeyAttr,
                          SecAccessRef initialAccess, SecKeyRef *publicKey, SecKeyRef *privateKey)
{
    (void)keychainRef;
    (void)publicKeyUsage;
    (void)publicKeyAttr;
    (void)privateKeyUsage;
    (void)privateKeyAttr;
    (void)initialAccess;
    if (contextHandle != 0)
        return errSecUnimplemented;
    int type = algorithm == CSSM_ALGID_RSA     ? EVP_PKEY_RSA
               : algorithm == CSSM_ALGID_ECDSA ? EVP_PKEY_EC
                                               : EVP_PKEY_NONE;
    if (type == EVP_PKEY_NONE)
        return errSecInvalidAlgorithm;
    OSStatus status;
    EVP_PKEY *pkey = generate_pkey(type, (long)keySizeInBits, &status);
    if (pkey == NULL)
        return status == errSecKeySizeNotAllowed ? errSecUnsupportedKeySize : status;
    SecKeyRef private_key = sec_key_adopt(pkey, true);
    if (private_key == NULL)
        return errSecAllocate;
    return hand_out_pair(private_key, publicKey, privateKey);
}

/* Only the public components of `pkey`, in a new key. */
static EVP_PKEY *public_half(EVP_PKEY *pkey)
{
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pub = NULL;
    if (EVP_PKEY_todata(pkey, EVP_PKEY_PUBLIC_KEY, &params) != 1)
        return NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pub, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pub = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pub;
}

/* A public key is its own public key (retained); a private one gets a new object. */
SecKeyRef SecKeyCopyPublicKey(SecKeyRef key)
{
    const struct sec_key *k = sec_key_of(key);
    if (k == NULL)
        return NULL;
    if (!k->is_private)
        return (SecKeyRef)CFRetain(key);
    return sec_key_adopt(public_half(k->pkey), false);
}

/* The modulus size of an RSA key, the field size of an EC key, in bytes; 0 for no key. */
size_t SecKeyGetBlockSize(SecKeyRef key)
{
    const struct sec_key *k = sec_key_of(key);
    if (k == NULL)
        return 0;
    if (EVP_PKEY_get_base_id(k->pkey) == EVP_PKEY_RSA)
        return (size_t)EVP_PKEY_get_size(k->pkey);
    return (size_t)(EVP_PKEY_get_bits(k->pkey) + 7) / 8;
}

/* Type, class and size: the attributes a key itself knows. */
CFDictionaryRef SecKeyCopyAttributes(SecKeyRef key)
{
    const struct sec_key *k = sec_key_of(key);
    if (k == NULL)
        return NULL;
    int type = EVP_PKEY_get_base_id(k->pkey);
    long bits = EVP_PKEY_get_bits(k->pkey);
    CFNumberRef size = CFNumberCreate(NULL, kCFNumberLongType, &bits);
    const void *keys[] = {kSecAttrKeyType, kSecAttrKeyClass, kSecAttrKeySizeInBits};
    const void *values[] = {
        type == EVP_PKEY_RSA ? kSecAttrKeyTypeRSA : kSecAttrKeyTypeECSECPrimeRandom,
        k->is_private ? kSecAttrKeyClassPrivate : kSecAttrKeyClassPublic,
        size,
    };
    CFDictionaryRef attributes =
        size != NULL ? CFDictionaryCreate(NULL, keys, values, 3, &kCFTypeDictionaryKeyCallBacks,
                                          &kCFTypeDictionaryValueCallBacks)
                     : NULL;
    if (size != NULL)
        CFRelease(size);
    return attributes;
}
