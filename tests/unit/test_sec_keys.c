/*
 * SecKey creation and operations: Apple's external formats both ways,
 * generation, attributes, every signature / encryption family checked
 * against OpenSSL on its own, the legacy raw calls, wrong keys and hostile
 * arguments.
 */
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <string.h>

#include "cert_factory.h"
#include "sec_internal.h"
#include "st_test.h"

static EVP_PKEY *rsa_a, *rsa_b, *ec_a, *ec_b;

static void make_keys(void)
{
    rsa_a = factory_key(KEY_RSA1024);
    rsa_b = factory_key(KEY_RSA1024);
    ec_a = factory_key(KEY_EC256);
    ec_b = factory_key(KEY_EC256);
}

static void free_keys(void)
{
    EVP_PKEY_free(rsa_a);
    EVP_PKEY_free(rsa_b);
    EVP_PKEY_free(ec_a);
    EVP_PKEY_free(ec_b);
}

static const unsigned char message[] = "the message that gets signed";

static CFDataRef bytes(const void *p, size_t n)
{
    CFDataRef d = CFDataCreate(NULL, p, (CFIndex)n);
    ck_assert_ptr_nonnull(d);
    return d;
}

static CFDataRef message_data(void)
{
    return bytes(message, sizeof(message) - 1);
}

static CFDataRef sha256_data(const unsigned char *p, size_t n)
{
    unsigned char md[32];
    ck_assert(EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL));
    return bytes(md, sizeof(md));
}

/* Apple's external representation of an OpenSSL key, built with OpenSSL alone. */
static CFDataRef external_of(EVP_PKEY *pkey, bool private_part)
{
    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        unsigned char *der = NULL;
        int len = private_part ? i2d_PrivateKey(pkey, &der) : i2d_PublicKey(pkey, &der);
        ck_assert_int_gt(len, 0);
        CFDataRef d = bytes(der, (size_t)len);
        OPENSSL_free(der);
        return d;
    }
    unsigned char out[65 + 32];
    size_t point_len = 0;
    ck_assert(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, out, 65, &point_len));
    ck_assert_uint_eq(point_len, 65);
    if (!private_part)
        return bytes(out, 65);
    BIGNUM *d = NULL;
    ck_assert(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d));
    ck_assert_int_eq(BN_bn2binpad(d, out + 65, 32), 32);
    BN_clear_free(d);
    return bytes(out, sizeof(out));
}

static CFDictionaryRef key_attributes(CFStringRef type, CFStringRef cls)
{
    const void *keys[] = {kSecAttrKeyType, kSecAttrKeyClass};
    const void *values[] = {type, cls};
    return CFDictionaryCreate(NULL, keys, values, cls != NULL ? 2 : 1,
                              &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
}

/* A SecKeyRef for an OpenSSL key, through SecKeyCreateWithData. */
static SecKeyRef sec_key(EVP_PKEY *pkey, bool private_part)
{
    bool rsa = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA;
    CFDictionaryRef attrs =
        key_attributes(rsa ? kSecAttrKeyTypeRSA : kSecAttrKeyTypeECSECPrimeRandom,
                       private_part ? kSecAttrKeyClassPrivate : kSecAttrKeyClassPublic);
    CFDataRef ext = external_of(pkey, private_part);
    CFErrorRef error = NULL;
    SecKeyRef key = SecKeyCreateWithData(ext, attrs, &error);
    ck_assert_ptr_nonnull(key);
    ck_assert_ptr_null(error);
    CFRelease(ext);
    CFRelease(attrs);
    return key;
}

/* The OSStatus of a CFError (released); fails on a missing error or the wrong domain. */
static CFIndex code_of(CFErrorRef error)
{
    ck_assert_ptr_nonnull(error);
    ck_assert(CFEqual(CFErrorGetDomain(error), kCFErrorDomainOSStatus));
    CFIndex code = CFErrorGetCode(error);
    CFRelease(error);
    return code;
}

static bool openssl_verifies(EVP_PKEY *pkey, const EVP_MD *md, const unsigned char *msg, size_t len,
                             CFDataRef sig)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok =
        EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) == 1 &&
        EVP_DigestVerify(ctx, CFDataGetBytePtr(sig), (size_t)CFDataGetLength(sig), msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static CFDataRef openssl_sign(EVP_PKEY *pkey, const unsigned char *msg, size_t len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t n = 0;
    ck_assert_int_eq(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey), 1);
    ck_assert_int_eq(EVP_DigestSign(ctx, NULL, &n, msg, len), 1);
    unsigned char *sig = OPENSSL_malloc(n);
    ck_assert_int_eq(EVP_DigestSign(ctx, sig, &n, msg, len), 1);
    CFDataRef d = bytes(sig, n);
    OPENSSL_free(sig);
    EVP_MD_CTX_free(ctx);
    return d;
}

START_TEST(constant_values)
{
    static const struct {
        const CFStringRef *symbol;
        const char *value;
    } table[] = {
        {&kSecAttrKeyType, "type"},
        {&kSecAttrKeyTypeRSA, "42"},
        {&kSecAttrKeyTypeEC, "73"},
        {&kSecAttrKeyTypeECSECPrimeRandom, "73"},
        {&kSecAttrKeyTypeECDSA, "73"},
        {&kSecAttrKeyClass, "kcls"},
        {&kSecAttrKeyClassPublic, "0"},
        {&kSecAttrKeyClassPrivate, "1"},
        {&kSecAttrKeyClassSymmetric, "2"},
        {&kSecAttrKeySizeInBits, "bsiz"},
        {&kSecAttrIsPermanent, "perm"},
        {&kSecPrivateKeyAttrs, "private"},
        {&kSecPublicKeyAttrs, "public"},
        {&kSecKeyAlgorithmRSASignatureRaw, "algid:sign:RSA:raw"},
        {&kSecKeyAlgorithmRSASignatureDigestPKCS1v15Raw, "algid:sign:RSA:digest-PKCS1v15"},
        {&kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA256,
         "algid:sign:RSA:digest-PKCS1v15:SHA256"},
        {&kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256,
         "algid:sign:RSA:message-PKCS1v15:SHA256"},
        {&kSecKeyAlgorithmECDSASignatureRFC4754, "algid:sign:ECDSA:RFC4754"},
        {&kSecKeyAlgorithmECDSASignatureDigestX962SHA256, "algid:sign:ECDSA:digest-X962:SHA256"},
        {&kSecKeyAlgorithmECDSASignatureMessageX962SHA256, "algid:sign:ECDSA:message-X962:SHA256"},
        {&kSecKeyAlgorithmRSAEncryptionRaw, "algid:encrypt:RSA:raw"},
        {&kSecKeyAlgorithmRSAEncryptionPKCS1, "algid:encrypt:RSA:PKCS1"},
        {&kSecKeyAlgorithmRSAEncryptionOAEPSHA1, "algid:encrypt:RSA:OAEP:SHA1"},
        {&kSecKeyAlgorithmRSAEncryptionOAEPSHA256, "algid:encrypt:RSA:OAEP:SHA256"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        ck_assert(CFStringGetCString(*table[i].symbol, buf, sizeof(buf), kCFStringEncodingUTF8));
        ck_assert_str_eq(buf, table[i].value);
    }
    ck_assert_int_eq(kSecPaddingPKCS1SHA256, 0x8004);
    ck_assert_int_eq(kSecPaddingOAEP, 2);
    ck_assert_uint_eq((uint32_t)CSSM_KEYUSE_ANY, 0x80000000u);
}
END_TEST

/* Our representation equals OpenSSL's for both classes, and reads back as the same key. */
START_TEST(external_representation_round_trip)
{
    EVP_PKEY *keys[] = {rsa_a, ec_a};
    for (int i = 0; i < 2; i++)
        for (int priv = 0; priv < 2; priv++) {
            SecKeyRef key = sec_key(keys[i], priv);
            CFErrorRef error = NULL;
            CFDataRef ext = SecKeyCopyExternalRepresentation(key, &error);
            CFDataRef expected = external_of(keys[i], priv);
            ck_assert(CFEqual(ext, expected));
            SecKeyRef again = sec_key(keys[i], priv);
            ck_assert(CFEqual(again, key));
            CFRelease(again);
            CFRelease(expected);
            CFRelease(ext);
            CFRelease(key);
        }
}
END_TEST

START_TEST(attributes_and_sizes)
{
    SecKeyRef rsa = sec_key(rsa_a, true), ec = sec_key(ec_a, false);
    ck_assert_uint_eq(SecKeyGetBlockSize(rsa), 128);
    ck_assert_uint_eq(SecKeyGetBlockSize(ec), 32);
    CFDictionaryRef a = SecKeyCopyAttributes(rsa);
    ck_assert(CFEqual(CFDictionaryGetValue(a, kSecAttrKeyType), kSecAttrKeyTypeRSA));
    ck_assert(CFEqual(CFDictionaryGetValue(a, kSecAttrKeyClass), kSecAttrKeyClassPrivate));
    long bits = 0;
    ck_assert(
        CFNumberGetValue(CFDictionaryGetValue(a, kSecAttrKeySizeInBits), kCFNumberLongType, &bits));
    ck_assert_int_eq(bits, 1024);
    CFRelease(a);
    a = SecKeyCopyAttributes(ec);
    ck_assert(CFEqual(CFDictionaryGetValue(a, kSecAttrKeyType), kSecAttrKeyTypeEC));
    ck_assert(CFEqual(CFDictionaryGetValue(a, kSecAttrKeyClass), kSecAttrKeyClassPublic));
    ck_assert(
        CFNumberGetValue(CFDictionaryGetValue(a, kSecAttrKeySizeInBits), kCFNumberLongType, &bits));
    ck_assert_int_eq(bits, 256);
    CFRelease(a);
    CFRelease(rsa);
    CFRelease(ec);
}
END_TEST

START_TEST(public_key_of_private_key)
{
    EVP_PKEY *keys[] = {rsa_a, ec_a};
    for (int i = 0; i < 2; i++) {
        SecKeyRef priv = sec_key(keys[i], true), pub = sec_key(keys[i], false);
        SecKeyRef derived = SecKeyCopyPublicKey(priv);
        ck_assert(CFEqual(derived, pub));
        ck_assert(!CFEqual(derived, priv));
        /* Nothing private leaks into the public half. */
        CFDataRef ext = SecKeyCopyExternalRepresentation(derived, NULL);
        CFDataRef expected = external_of(keys[i], false);
        ck_assert(CFEqual(ext, expected));
        SecKeyRef same = SecKeyCopyPublicKey(pub);
        ck_assert_ptr_eq(same, pub);
        CFRelease(same);
        CFRelease(expected);
        CFRelease(ext);
        CFRelease(derived);
        CFRelease(pub);
        CFRelease(priv);
    }
}
END_TEST

static CFDictionaryRef generation_parameters(CFStringRef type, CFTypeRef bits)
{
    const void *keys[] = {kSecAttrKeyType, kSecAttrKeySizeInBits};
    const void *values[] = {type, bits};
    return CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

static CFNumberRef number(long n)
{
    return CFNumberCreate(NULL, kCFNumberLongType, &n);
}

/* A generated pair signs and verifies, with OpenSSL agreeing. */
static void check_pair(SecKeyRef pub, SecKeyRef priv, SecKeyAlgorithm alg, long bits)
{
    CFDictionaryRef a = SecKeyCopyAttributes(pub);
    long got = 0;
    ck_assert(
        CFNumberGetValue(CFDictionaryGetValue(a, kSecAttrKeySizeInBits), kCFNumberLongType, &got));
    ck_assert_int_eq(got, bits);
    CFRelease(a);
    CFDataRef msg = message_data();
    CFDataRef sig = SecKeyCreateSignature(priv, alg, msg, NULL);
    ck_assert_ptr_nonnull(sig);
    ck_assert(SecKeyVerifySignature(pub, alg, msg, sig, NULL));
    CFRelease(sig);
    CFRelease(msg);
}

START_TEST(generate_pairs)
{
    CFNumberRef rsa_bits = number(1024);
    CFStringRef ec_bits = CFSTR("256"); /* a CFString size works too */
    CFDictionaryRef p = generation_parameters(kSecAttrKeyTypeRSA, rsa_bits);
    SecKeyRef pub = NULL, priv = NULL;
    ck_assert_int_eq(SecKeyGeneratePair(p, &pub, &priv), errSecSuccess);
    check_pair(pub, priv, kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256, 1024);
    CFRelease(pub);
    CFRelease(priv);
    CFRelease(p);

    p = generation_parameters(kSecAttrKeyTypeECSECPrimeRandom, ec_bits);
    CFErrorRef error = NULL;
    priv = SecKeyCreateRandomKey(p, &error);
    ck_assert_ptr_null(error);
    pub = SecKeyCopyPublicKey(priv);
    check_pair(pub, priv, kSecKeyAlgorithmECDSASignatureMessageX962SHA256, 256);
    CFRelease(pub);
    CFRelease(priv);
    /* Either output may be left out. */
    ck_assert_int_eq(SecKeyGeneratePair(p, NULL, NULL), errSecSuccess);
    CFRelease(p);
    CFRelease(rsa_bits);
}
END_TEST

START_TEST(generate_errors)
{
    SecKeyRef pub = (SecKeyRef)1, priv = (SecKeyRef)1;
    ck_assert_int_eq(SecKeyGeneratePair(NULL, &pub, &priv), errSecParam);
    CFNumberRef bad = number(300), rsa_small = number(512);
    CFDictionaryRef p = generation_parameters(kSecAttrKeyTypeECSECPrimeRandom, bad);
    ck_assert_int_eq(SecKeyGeneratePair(p, &pub, &priv), errSecKeySizeNotAllowed);
    CFErrorRef error = NULL;
    ck_assert_ptr_null(SecKeyCreateRandomKey(p, &error));
    ck_assert_int_eq(code_of(error), errSecKeySizeNotAllowed);
    CFRelease(p);
    p = generation_parameters(kSecAttrKeyTypeRSA, rsa_small);
    ck_assert_int_eq(SecKeyGeneratePair(p, &pub, &priv), errSecKeySizeNotAllowed);
    CFRelease(p);
    p = generation_parameters(CFSTR("2147483649"), bad); /* AES: not a key pair type */
    ck_assert_int_eq(SecKeyGeneratePair(p, &pub, &priv), errSecUnimplemented);
    CFRelease(p);
    p = key_attributes(kSecAttrKeyTypeRSA, NULL); /* no size */
    ck_assert_int_eq(SecKeyGeneratePair(p, &pub, &priv), errSecKeySizeNotAllowed);
    ck_assert_ptr_null(SecKeyCreateRandomKey(p, NULL));
    CFRelease(p);
    ck_assert_ptr_eq(pub, (SecKeyRef)1); /* untouched on failure */
    ck_assert_ptr_null(SecKeyCreateRandomKey((CFDictionaryRef)CFSTR("x"), NULL));
    CFRelease(bad);
    CFRelease(rsa_small);
}
END_TEST

START_TEST(legacy_create_pair)
{
    SecKeyRef pub = NULL, priv = NULL;
    ck_assert_int_eq(SecKeyCreatePair(NULL, CSSM_ALGID_ECDSA, 256, 0, CSSM_KEYUSE_VERIFY,
                                      CSSM_KEYATTR_EXTRACTABLE, CSSM_KEYUSE_SIGN,
                                      CSSM_KEYATTR_EXTRACTABLE, NULL, &pub, &priv),
                     errSecSuccess);
    check_pair(pub, priv, kSecKeyAlgorithmECDSASignatureMessageX962SHA256, 256);
    CFRelease(pub);
    CFRelease(priv);
    ck_assert_int_eq(SecKeyCreatePair(NULL, CSSM_ALGID_RSA, 1024, 0, 0, 0, 0, 0, NULL, &pub, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(SecKeyGetBlockSize(pub), 128);
    CFRelease(pub);
    ck_assert_int_eq(SecKeyCreatePair(NULL, CSSM_ALGID_DSA, 1024, 0, 0, 0, 0, 0, NULL, &pub, &priv),
                     errSecInvalidAlgorithm);
    ck_assert_int_eq(
        SecKeyCreatePair(NULL, CSSM_ALGID_ECDSA, 255, 0, 0, 0, 0, 0, NULL, &pub, &priv),
        errSecUnsupportedKeySize);
    ck_assert_int_eq(SecKeyCreatePair(NULL, CSSM_ALGID_RSA, 1024, 7, 0, 0, 0, 0, NULL, &pub, &priv),
                     errSecUnimplemented);
}
END_TEST

/* Every signature family, checked by OpenSSL with the original key. */
START_TEST(signatures_verify_with_openssl)
{
    SecKeyRef rsa = sec_key(rsa_a, true), ec = sec_key(ec_a, true);
    CFDataRef msg = message_data(), digest = sha256_data(message, sizeof(message) - 1);
    CFErrorRef error = NULL;

    CFDataRef by_message =
        SecKeyCreateSignature(rsa, kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256, msg, &error);
    ck_assert_ptr_null(error);
    ck_assert(openssl_verifies(rsa_a, EVP_sha256(), message, sizeof(message) - 1, by_message));
    CFDataRef by_digest =
        SecKeyCreateSignature(rsa, kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA256, digest, NULL);
    ck_assert(CFEqual(by_digest, by_message)); /* PKCS#1 v1.5 is deterministic */

    CFDataRef ecdsa =
        SecKeyCreateSignature(ec, kSecKeyAlgorithmECDSASignatureMessageX962SHA256, msg, NULL);
    ck_assert(openssl_verifies(ec_a, EVP_sha256(), message, sizeof(message) - 1, ecdsa));
    CFDataRef ecdsa_digest =
        SecKeyCreateSignature(ec, kSecKeyAlgorithmECDSASignatureDigestX962SHA256, digest, NULL);
    ck_assert(openssl_verifies(ec_a, EVP_sha256(), message, sizeof(message) - 1, ecdsa_digest));

    /* RFC 4754: r||s, each 32 bytes; rebuilt as DER it is a valid ECDSA signature. */
    CFDataRef raw = SecKeyCreateSignature(ec, kSecKeyAlgorithmECDSASignatureRFC4754, digest, NULL);
    ck_assert_int_eq(CFDataGetLength(raw), 64);
    ECDSA_SIG *s = ECDSA_SIG_new();
    ECDSA_SIG_set0(s, BN_bin2bn(CFDataGetBytePtr(raw), 32, NULL),
                   BN_bin2bn(CFDataGetBytePtr(raw) + 32, 32, NULL));
    unsigned char *der = NULL;
    int der_len = i2d_ECDSA_SIG(s, &der);
    CFDataRef der_sig = bytes(der, (size_t)der_len);
    ck_assert(openssl_verifies(ec_a, EVP_sha256(), message, sizeof(message) - 1, der_sig));
    OPENSSL_free(der);
    ECDSA_SIG_free(s);

    CFRelease(der_sig);
    CFRelease(raw);
    CFRelease(ecdsa_digest);
    CFRelease(ecdsa);
    CFRelease(by_digest);
    CFRelease(by_message);
    CFRelease(digest);
    CFRelease(msg);
    CFRelease(ec);
    CFRelease(rsa);
}
END_TEST

/* Signatures made by OpenSSL verify here; a different key or message is errSecVerifyFailed. */
START_TEST(verification_and_wrong_keys)
{
    EVP_PKEY *signers[] = {rsa_a, ec_a}, *others[] = {rsa_b, ec_b};
    SecKeyAlgorithm algs[] = {kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256,
                              kSecKeyAlgorithmECDSASignatureMessageX962SHA256};
    for (int i = 0; i < 2; i++) {
        CFDataRef sig = openssl_sign(signers[i], message, sizeof(message) - 1);
        CFDataRef msg = message_data();
        CFDataRef other_msg = bytes("another message", 15);
        SecKeyRef right = sec_key(signers[i], false), wrong = sec_key(others[i], false);
        CFErrorRef error = NULL;
        ck_assert(SecKeyVerifySignature(right, algs[i], msg, sig, &error));
        ck_assert_ptr_null(error);
        ck_assert(!SecKeyVerifySignature(wrong, algs[i], msg, sig, &error));
        ck_assert_int_eq(code_of(error), errSecVerifyFailed);
        error = NULL;
        ck_assert(!SecKeyVerifySignature(right, algs[i], other_msg, sig, &error));
        ck_assert_int_eq(code_of(error), errSecVerifyFailed);
        error = NULL;
        ck_assert(!SecKeyVerifySignature(right, algs[i], msg, other_msg, &error));
        ck_assert_int_eq(code_of(error), errSecVerifyFailed);
        CFRelease(wrong);
        CFRelease(right);
        CFRelease(other_msg);
        CFRelease(msg);
        CFRelease(sig);
    }
}
END_TEST

static CFDataRef openssl_decrypt_oaep256(EVP_PKEY *pkey, CFDataRef ct)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    unsigned char out[256];
    size_t n = sizeof(out);
    ck_assert_int_eq(EVP_PKEY_decrypt_init(ctx), 1);
    ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING), 0);
    ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 0);
    ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()), 0);
    ck_assert_int_eq(
        EVP_PKEY_decrypt(ctx, out, &n, CFDataGetBytePtr(ct), (size_t)CFDataGetLength(ct)), 1);
    EVP_PKEY_CTX_free(ctx);
    return bytes(out, n);
}

START_TEST(encryption_round_trips)
{
    SecKeyRef pub = sec_key(rsa_a, false), priv = sec_key(rsa_a, true);
    SecKeyAlgorithm algs[] = {
        kSecKeyAlgorithmRSAEncryptionPKCS1, kSecKeyAlgorithmRSAEncryptionOAEPSHA1,
        kSecKeyAlgorithmRSAEncryptionOAEPSHA256, kSecKeyAlgorithmRSAEncryptionOAEPSHA224,
        kSecKeyAlgorithmRSAEncryptionRaw};
    CFDataRef plain = message_data();
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        CFErrorRef error = NULL;
        CFDataRef ct = SecKeyCreateEncryptedData(pub, algs[i], plain, &error);
        ck_assert_ptr_nonnull(ct);
        ck_assert_int_eq(CFDataGetLength(ct), 128);
        CFDataRef back = SecKeyCreateDecryptedData(priv, algs[i], ct, &error);
        ck_assert_ptr_nonnull(back);
        if (algs[i] == kSecKeyAlgorithmRSAEncryptionRaw) {
            /* Raw RSA gives the whole block back: the plaintext right-aligned. */
            ck_assert_int_eq(CFDataGetLength(back), 128);
            ck_assert(memcmp(CFDataGetBytePtr(back) + 128 - CFDataGetLength(plain),
                             CFDataGetBytePtr(plain), (size_t)CFDataGetLength(plain)) == 0);
        } else {
            ck_assert(CFEqual(back, plain));
        }
        if (algs[i] == kSecKeyAlgorithmRSAEncryptionOAEPSHA256) {
            CFDataRef by_openssl = openssl_decrypt_oaep256(rsa_a, ct);
            ck_assert(CFEqual(by_openssl, plain));
            CFRelease(by_openssl);
        }
        CFRelease(back);
        CFRelease(ct);
    }
    /* Too long for PKCS#1 padding (more than the block size minus 11). */
    unsigned char big[118] = {1};
    CFDataRef too_long = bytes(big, sizeof(big));
    CFErrorRef error = NULL;
    ck_assert_ptr_null(
        SecKeyCreateEncryptedData(pub, kSecKeyAlgorithmRSAEncryptionPKCS1, too_long, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    /* Decrypting garbage, or with the other key, fails cleanly. */
    CFDataRef ct =
        SecKeyCreateEncryptedData(pub, kSecKeyAlgorithmRSAEncryptionOAEPSHA256, plain, NULL);
    SecKeyRef other = sec_key(rsa_b, true);
    error = NULL;
    ck_assert_ptr_null(
        SecKeyCreateDecryptedData(other, kSecKeyAlgorithmRSAEncryptionOAEPSHA256, ct, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    CFRelease(other);
    CFRelease(ct);
    CFRelease(too_long);
    CFRelease(plain);
    CFRelease(priv);
    CFRelease(pub);
}
END_TEST

/* Which key can run what, as Apple's: private keys sign and decrypt, public keys the rest. */
START_TEST(algorithm_support)
{
    SecKeyRef rsa_priv = sec_key(rsa_a, true), rsa_pub = sec_key(rsa_a, false);
    SecKeyRef ec_priv = sec_key(ec_a, true), ec_pub = sec_key(ec_a, false);
    SecKeyAlgorithm pkcs1 = kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256;
    SecKeyAlgorithm x962 = kSecKeyAlgorithmECDSASignatureMessageX962SHA256;
    SecKeyAlgorithm oaep = kSecKeyAlgorithmRSAEncryptionOAEPSHA256;
    ck_assert(SecKeyIsAlgorithmSupported(rsa_priv, kSecKeyOperationTypeSign, pkcs1));
    ck_assert(!SecKeyIsAlgorithmSupported(rsa_pub, kSecKeyOperationTypeSign, pkcs1));
    ck_assert(SecKeyIsAlgorithmSupported(rsa_pub, kSecKeyOperationTypeVerify, pkcs1));
    ck_assert(!SecKeyIsAlgorithmSupported(rsa_priv, kSecKeyOperationTypeVerify, pkcs1));
    ck_assert(SecKeyIsAlgorithmSupported(rsa_pub, kSecKeyOperationTypeEncrypt, oaep));
    ck_assert(SecKeyIsAlgorithmSupported(rsa_priv, kSecKeyOperationTypeDecrypt, oaep));
    ck_assert(!SecKeyIsAlgorithmSupported(rsa_priv, kSecKeyOperationTypeEncrypt, oaep));
    ck_assert(!SecKeyIsAlgorithmSupported(rsa_pub, kSecKeyOperationTypeSign, oaep));
    ck_assert(SecKeyIsAlgorithmSupported(ec_priv, kSecKeyOperationTypeSign, x962));
    ck_assert(SecKeyIsAlgorithmSupported(ec_pub, kSecKeyOperationTypeVerify, x962));
    ck_assert(!SecKeyIsAlgorithmSupported(ec_priv, kSecKeyOperationTypeSign, pkcs1));
    ck_assert(!SecKeyIsAlgorithmSupported(ec_pub, kSecKeyOperationTypeEncrypt, oaep));
    ck_assert(!SecKeyIsAlgorithmSupported(ec_priv, kSecKeyOperationTypeKeyExchange, x962));
    ck_assert(!SecKeyIsAlgorithmSupported(ec_priv, (SecKeyOperationType)99, x962));
    ck_assert(!SecKeyIsAlgorithmSupported(ec_priv, kSecKeyOperationTypeSign, CFSTR("algid:x")));
    ck_assert(!SecKeyIsAlgorithmSupported(NULL, kSecKeyOperationTypeSign, x962));

    /* The unsupported combinations fail with errSecParam. */
    CFDataRef msg = message_data();
    CFErrorRef error = NULL;
    ck_assert_ptr_null(SecKeyCreateSignature(rsa_pub, pkcs1, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert_ptr_null(SecKeyCreateSignature(ec_priv, pkcs1, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert_ptr_null(SecKeyCreateEncryptedData(rsa_priv, oaep, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    /* A "digest" of the wrong length for its algorithm. */
    ck_assert_ptr_null(SecKeyCreateSignature(
        rsa_priv, kSecKeyAlgorithmRSASignatureDigestPKCS1v15SHA256, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    CFRelease(msg);
    CFRelease(rsa_priv);
    CFRelease(rsa_pub);
    CFRelease(ec_priv);
    CFRelease(ec_pub);
}
END_TEST

/* kSecPaddingPKCS1 signs the given bytes as they are: OpenSSL recovers them unchanged. */
START_TEST(raw_sign_pkcs1)
{
    SecKeyRef priv = sec_key(rsa_a, true), pub = sec_key(rsa_a, false);
    unsigned char digest[32], sig[256];
    size_t sig_len = sizeof(sig);
    ck_assert(EVP_Digest(message, sizeof(message) - 1, digest, NULL, EVP_sha256(), NULL));
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1, digest, 32, sig, &sig_len),
                     errSecSuccess);
    ck_assert_uint_eq(sig_len, 128);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(rsa_a, NULL);
    unsigned char recovered[128];
    size_t recovered_len = sizeof(recovered);
    ck_assert_int_eq(EVP_PKEY_verify_recover_init(ctx), 1);
    ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 0);
    ck_assert_int_eq(EVP_PKEY_verify_recover(ctx, recovered, &recovered_len, sig, sig_len), 1);
    ck_assert_uint_eq(recovered_len, 32);
    ck_assert(memcmp(recovered, digest, 32) == 0);
    EVP_PKEY_CTX_free(ctx);

    ck_assert_int_eq(SecKeyRawVerify(pub, kSecPaddingPKCS1, digest, 32, sig, sig_len),
                     errSecSuccess);
    digest[0] ^= 1;
    ck_assert_int_eq(SecKeyRawVerify(pub, kSecPaddingPKCS1, digest, 32, sig, sig_len),
                     errSSLCrypto);
    SecKeyRef other = sec_key(rsa_b, false);
    digest[0] ^= 1;
    ck_assert_int_eq(SecKeyRawVerify(other, kSecPaddingPKCS1, digest, 32, sig, sig_len),
                     errSSLCrypto);
    CFRelease(other);

    /* The buffer must hold the signature. */
    size_t small = 64;
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1, digest, 32, sig, &small), errSecParam);
    ck_assert_uint_eq(small, 64);
    CFRelease(priv);
    CFRelease(pub);
}
END_TEST

/* On macOS kSecPaddingPKCS1SHA256 hashes its input; kSecPaddingNone is raw RSA. */
START_TEST(raw_sign_other_paddings)
{
    SecKeyRef priv = sec_key(rsa_a, true), pub = sec_key(rsa_a, false);
    unsigned char sig[128];
    size_t sig_len = sizeof(sig);
    ck_assert_int_eq(
        SecKeyRawSign(priv, kSecPaddingPKCS1SHA256, message, sizeof(message) - 1, sig, &sig_len),
        errSecSuccess);
    CFDataRef s = bytes(sig, sig_len);
    ck_assert(openssl_verifies(rsa_a, EVP_sha256(), message, sizeof(message) - 1, s));
    CFRelease(s);
    ck_assert_int_eq(
        SecKeyRawVerify(pub, kSecPaddingPKCS1SHA256, message, sizeof(message) - 1, sig, sig_len),
        errSecSuccess);

    unsigned char block[128] = {0, 1, 2, 3};
    sig_len = sizeof(sig);
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingNone, block, sizeof(block), sig, &sig_len),
                     errSecSuccess);
    ck_assert_int_eq(SecKeyRawVerify(pub, kSecPaddingNone, block, sizeof(block), sig, sig_len),
                     errSecSuccess);
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1MD5, block, 16, sig, &sig_len),
                     errSecParam);

    /* EC: X9.62 DER for any padding but kSecPaddingSigRaw, which gives r||s. */
    SecKeyRef ec = sec_key(ec_a, true), ec_pub = sec_key(ec_a, false);
    unsigned char digest[32], ec_sig[80];
    size_t ec_len = sizeof(ec_sig);
    ck_assert(EVP_Digest(message, sizeof(message) - 1, digest, NULL, EVP_sha256(), NULL));
    ck_assert_int_eq(SecKeyRawSign(ec, kSecPaddingPKCS1, digest, 32, ec_sig, &ec_len),
                     errSecSuccess);
    s = bytes(ec_sig, ec_len);
    ck_assert(openssl_verifies(ec_a, EVP_sha256(), message, sizeof(message) - 1, s));
    CFRelease(s);
    ck_assert_int_eq(SecKeyRawVerify(ec_pub, kSecPaddingNone, digest, 32, ec_sig, ec_len),
                     errSecSuccess);
    ec_len = sizeof(ec_sig);
    ck_assert_int_eq(SecKeyRawSign(ec, kSecPaddingSigRaw, digest, 32, ec_sig, &ec_len),
                     errSecSuccess);
    ck_assert_uint_eq(ec_len, 64);
    ck_assert_int_eq(SecKeyRawVerify(ec_pub, kSecPaddingSigRaw, digest, 32, ec_sig, ec_len),
                     errSecSuccess);
    ec_sig[5] ^= 0x40;
    ck_assert_int_eq(SecKeyRawVerify(ec_pub, kSecPaddingSigRaw, digest, 32, ec_sig, ec_len),
                     errSSLCrypto);
    CFRelease(ec);
    CFRelease(ec_pub);
    CFRelease(priv);
    CFRelease(pub);
}
END_TEST

START_TEST(raw_encrypt_decrypt)
{
    SecKeyRef pub = sec_key(rsa_a, false), priv = sec_key(rsa_a, true);
    SecPadding paddings[] = {kSecPaddingPKCS1, kSecPaddingOAEP, kSecPaddingNone};
    for (size_t i = 0; i < 3; i++) {
        unsigned char ct[128], pt[128];
        size_t ct_len = sizeof(ct), pt_len = sizeof(pt);
        ck_assert_int_eq(SecKeyEncrypt(pub, paddings[i], message, sizeof(message) - 1, ct, &ct_len),
                         errSecSuccess);
        ck_assert_uint_eq(ct_len, 128);
        ck_assert_int_eq(SecKeyDecrypt(priv, paddings[i], ct, ct_len, pt, &pt_len), errSecSuccess);
        /* kSecPaddingNone strips the leading zeros of the block. */
        ck_assert_uint_eq(pt_len, sizeof(message) - 1);
        ck_assert(memcmp(pt, message, pt_len) == 0);
    }
    unsigned char ct[128];
    size_t ct_len = sizeof(ct);
    ck_assert_int_eq(SecKeyEncrypt(priv, kSecPaddingPKCS1, message, 4, ct, &ct_len), errSecParam);
    ck_assert_int_eq(SecKeyEncrypt(pub, kSecPaddingSigRaw, message, 4, ct, &ct_len), errSecParam);
    size_t small = 16;
    ck_assert_int_eq(SecKeyEncrypt(pub, kSecPaddingPKCS1, message, 4, ct, &small), errSecParam);
    SecKeyRef ec = sec_key(ec_a, false);
    ck_assert_int_eq(SecKeyEncrypt(ec, kSecPaddingPKCS1, message, 4, ct, &ct_len), errSecParam);
    CFRelease(ec);
    CFRelease(pub);
    CFRelease(priv);
}
END_TEST

/* The private constructors take PKCS#1 / SEC1 DER, or the X9.63 bytes. */
START_TEST(private_constructors)
{
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(rsa_a, &der);
    SecKeyRef rsa = SecKeyCreateRSAPrivateKey(NULL, der, len, kSecKeyEncodingPkcs1);
    SecKeyRef expected = sec_key(rsa_a, true);
    ck_assert(CFEqual(rsa, expected));
    ck_assert_ptr_null(SecKeyCreateRSAPrivateKey(NULL, der, len, kSecKeyEncodingRaw));
    ck_assert_ptr_null(SecKeyCreateRSAPrivateKey(NULL, der, len - 1, kSecKeyEncodingPkcs1));
    ck_assert_ptr_null(SecKeyCreateRSAPrivateKey(NULL, NULL, len, kSecKeyEncodingPkcs1));
    ck_assert_ptr_null(SecKeyCreateRSAPrivateKey(NULL, der, -1, kSecKeyEncodingPkcs1));
    OPENSSL_free(der);
    CFRelease(expected);
    CFRelease(rsa);

    der = NULL;
    len = i2d_PrivateKey(ec_a, &der); /* SEC1 ECPrivateKey */
    SecKeyRef ec = SecKeyCreateECPrivateKey(NULL, der, len, kSecKeyEncodingPkcs1);
    expected = sec_key(ec_a, true);
    ck_assert(CFEqual(ec, expected));
    OPENSSL_free(der);
    CFRelease(ec);
    CFDataRef x963 = external_of(ec_a, true);
    ec = SecKeyCreateECPrivateKey(NULL, CFDataGetBytePtr(x963), CFDataGetLength(x963),
                                  kSecKeyEncodingBytes);
    ck_assert(CFEqual(ec, expected));
    ck_assert_ptr_null(
        SecKeyCreateECPrivateKey(NULL, CFDataGetBytePtr(x963), 0, kSecKeyEncodingBytes));
    ck_assert_ptr_null(
        SecKeyCreateECPrivateKey(NULL, CFDataGetBytePtr(x963), 65, kSecKeyEncodingApplePkcs1));
    CFRelease(x963);
    CFRelease(ec);
    CFRelease(expected);
}
END_TEST

START_TEST(legacy_create_from_data)
{
    CFDataRef ext = external_of(ec_a, true);
    CFDictionaryRef no_class = key_attributes(kSecAttrKeyTypeEC, NULL);
    CFErrorRef error = NULL;
    SecKeyRef key = SecKeyCreateFromData(no_class, ext, &error);
    SecKeyRef expected = sec_key(ec_a, true);
    ck_assert(CFEqual(key, expected));
    CFRelease(key);
    CFRelease(expected);
    CFRelease(ext);
    ext = external_of(ec_a, false);
    key = SecKeyCreateFromData(no_class, ext, &error);
    expected = sec_key(ec_a, false);
    ck_assert(CFEqual(key, expected));
    CFRelease(key);
    CFRelease(expected);
    CFDictionaryRef aes = key_attributes(CFSTR("2147483649"), NULL);
    ck_assert_ptr_null(SecKeyCreateFromData(aes, ext, &error));
    ck_assert_int_eq(code_of(error), errSecUnimplemented);
    error = NULL;
    ck_assert_ptr_null(SecKeyCreateFromData(NULL, ext, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    CFRelease(aes);
    CFRelease(no_class);
    CFRelease(ext);
}
END_TEST

/* The private keys of the format test: P-256, P-384 and RSA. */
static EVP_PKEY *format_test_key(int i)
{
    EVP_PKEY *pkey = i == 0   ? EVP_EC_gen("P-256")
                     : i == 1 ? EVP_EC_gen("P-384")
                              : factory_key(KEY_RSA2048);
    ck_assert_ptr_nonnull(pkey);
    return pkey;
}

static CFDataRef bio_contents(BIO *bio)
{
    char *p = NULL;
    long len = BIO_get_mem_data(bio, &p);
    ck_assert_int_gt(len, 0);
    CFDataRef d = bytes(p, (size_t)len);
    BIO_free(bio);
    return d;
}

/* The algorithm's own DER (SEC1 ECPrivateKey or PKCS#1), or PKCS#8; PEM of each. */
static CFDataRef encoded_private_key(EVP_PKEY *pkey, bool pkcs8, bool pem)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int ok = pkcs8
                 ? (pem ? PEM_write_bio_PKCS8PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)
                        : i2d_PKCS8PrivateKey_bio(bio, pkey, NULL, NULL, 0, NULL, NULL))
                 : (pem ? PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL)
                        : i2d_PrivateKey_bio(bio, pkey));
    ck_assert_int_eq(ok, 1);
    return bio_contents(bio);
}

static void check_private(SecKeyRef key, EVP_PKEY *pkey)
{
    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(CFGetTypeID(key), SecKeyGetTypeID());
    ck_assert(((const struct sec_key *)key)->is_private);
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(key), pkey), 1);
}

/* SecItemImport of `data` with the format hint `format`: exactly the private key `pkey`. */
static void check_import(CFDataRef data, SecExternalFormat format, EVP_PKEY *pkey)
{
    SecExternalItemType type = kSecItemTypeUnknown;
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(data, NULL, &format, &type, 0, NULL, NULL, &items),
                     errSecSuccess);
    ck_assert_int_eq(type, kSecItemTypePrivateKey);
    ck_assert_int_eq(CFArrayGetCount(items), 1);
    check_private((SecKeyRef)CFArrayGetValueAtIndex(items, 0), pkey);
    CFRelease(items);
}

/*
 * Every key importer reads every recognised private key format, as 10.15
 * does: SEC1 EC keys (P-256, P-384) in DER and PEM ("EC PRIVATE KEY"),
 * PKCS#1 RSA keys, and PKCS#8 for both; public keys also as SPKI.
 */
START_TEST(key_formats_macos_imports)
{
    EVP_PKEY *pkey = format_test_key(_i);
    bool rsa = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA;
    CFStringRef type = rsa ? kSecAttrKeyTypeRSA : kSecAttrKeyTypeECSECPrimeRandom;
    CFStringRef other_type = rsa ? kSecAttrKeyTypeECSECPrimeRandom : kSecAttrKeyTypeRSA;
    CFDictionaryRef private_attrs = key_attributes(type, kSecAttrKeyClassPrivate);
    CFDictionaryRef public_attrs = key_attributes(type, kSecAttrKeyClassPublic);
    CFDictionaryRef no_class = key_attributes(type, NULL);
    CFDictionaryRef wrong_type = key_attributes(other_type, kSecAttrKeyClassPrivate);
    static const SecExternalFormat formats[] = {kSecFormatOpenSSL, kSecFormatBSAFE,
                                                kSecFormatUnknown};

    for (int pkcs8 = 0; pkcs8 < 2; pkcs8++) {
        CFDataRef der = encoded_private_key(pkey, pkcs8, false);
        CFErrorRef error = NULL;
        SecKeyRef key = SecKeyCreateWithData(der, private_attrs, &error);
        check_private(key, pkey);
        ck_assert_ptr_null(error);
        CFRelease(key);
        key = SecKeyCreateFromData(no_class, der, &error);
        check_private(key, pkey);
        CFRelease(key);
        key = SecKeyCreateFromData(private_attrs, der, &error);
        check_private(key, pkey);
        CFRelease(key);
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
            check_import(der, formats[f], pkey);
        /* A key of the other algorithm is still refused. */
        ck_assert_ptr_null(SecKeyCreateWithData(der, wrong_type, &error));
        ck_assert_int_eq(code_of(error), errSecParam);
        /* So is a private key where a public one is declared. */
        ck_assert_ptr_null(SecKeyCreateWithData(der, public_attrs, &error));
        ck_assert_int_eq(code_of(error), errSecParam);
        /* And a truncated encoding. */
        CFDataRef cut = bytes(CFDataGetBytePtr(der), (size_t)CFDataGetLength(der) - 1);
        ck_assert_ptr_null(SecKeyCreateWithData(cut, private_attrs, &error));
        ck_assert_int_eq(code_of(error), errSecParam);
        CFRelease(cut);
        CFRelease(der);

        CFDataRef pem = encoded_private_key(pkey, pkcs8, true);
        const char *header = pkcs8 ? "-----BEGIN PRIVATE KEY-----"
                             : rsa ? "-----BEGIN RSA PRIVATE KEY-----"
                                   : "-----BEGIN EC PRIVATE KEY-----";
        ck_assert(memcmp(CFDataGetBytePtr(pem), header, strlen(header)) == 0);
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
            check_import(pem, formats[f], pkey);
        CFRelease(pem);
    }

    /* A public key as SubjectPublicKeyInfo. */
    unsigned char *spki = NULL;
    int len = i2d_PUBKEY(pkey, &spki);
    ck_assert_int_gt(len, 0);
    CFDataRef spki_data = bytes(spki, (size_t)len);
    OPENSSL_free(spki);
    CFErrorRef error = NULL;
    SecKeyRef pub = SecKeyCreateWithData(spki_data, public_attrs, &error);
    ck_assert_ptr_nonnull(pub);
    ck_assert(!((const struct sec_key *)pub)->is_private);
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(pub), pkey), 1);
    CFRelease(pub);
    CFRelease(spki_data);

    CFRelease(wrong_type);
    CFRelease(no_class);
    CFRelease(public_attrs);
    CFRelease(private_attrs);
    EVP_PKEY_free(pkey);
}
END_TEST

/* Bad bytes, a point off the curve, a scalar of another key, trailing data: errSecParam. */
START_TEST(hostile_key_data)
{
    CFDataRef ec_pub = external_of(ec_a, false), ec_priv = external_of(ec_a, true);
    CFDataRef rsa_pub = external_of(rsa_a, false);
    CFDictionaryRef ec_pub_attrs = key_attributes(kSecAttrKeyTypeEC, kSecAttrKeyClassPublic);
    CFDictionaryRef ec_priv_attrs = key_attributes(kSecAttrKeyTypeEC, kSecAttrKeyClassPrivate);
    CFDictionaryRef rsa_pub_attrs = key_attributes(kSecAttrKeyTypeRSA, kSecAttrKeyClassPublic);

    unsigned char buf[200];
    memcpy(buf, CFDataGetBytePtr(ec_pub), 65);
    buf[64] ^= 1; /* Y no longer on the curve */
    CFDataRef off_curve = bytes(buf, 65);
    memcpy(buf, CFDataGetBytePtr(ec_priv), 97);
    buf[96] ^= 1; /* the scalar of some other key */
    CFDataRef mismatched = bytes(buf, 97);
    buf[0] = 0x03; /* compressed points are not Apple's format */
    CFDataRef compressed = bytes(buf, 65);
    memcpy(buf, CFDataGetBytePtr(rsa_pub), (size_t)CFDataGetLength(rsa_pub));
    buf[CFDataGetLength(rsa_pub)] = 0;
    CFDataRef trailing = bytes(buf, (size_t)CFDataGetLength(rsa_pub) + 1);
    CFDataRef truncated = bytes(buf, (size_t)CFDataGetLength(rsa_pub) - 1);
    CFDataRef empty = bytes("", 0);

    const struct {
        CFDataRef data;
        CFDictionaryRef attrs;
    } cases[] = {
        {off_curve, ec_pub_attrs},
        {mismatched, ec_priv_attrs},
        {compressed, ec_pub_attrs},
        {trailing, rsa_pub_attrs},
        {truncated, rsa_pub_attrs},
        {empty, rsa_pub_attrs},
        {ec_pub, rsa_pub_attrs},
        {rsa_pub, ec_pub_attrs},
        {ec_pub, ec_priv_attrs},
        {NULL, rsa_pub_attrs},
        {rsa_pub, NULL},
        {rsa_pub, (CFDictionaryRef)rsa_pub},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CFErrorRef error = NULL;
        ck_assert_msg(SecKeyCreateWithData(cases[i].data, cases[i].attrs, &error) == NULL,
                      "case %zu", i);
        ck_assert_int_eq(code_of(error), errSecParam);
    }
    CFDictionaryRef no_class = key_attributes(kSecAttrKeyTypeRSA, NULL);
    ck_assert_ptr_null(SecKeyCreateWithData(rsa_pub, no_class, NULL));
    CFRelease(no_class);
    CFRelease(empty);
    CFRelease(truncated);
    CFRelease(trailing);
    CFRelease(compressed);
    CFRelease(mismatched);
    CFRelease(off_curve);
    CFRelease(rsa_pub_attrs);
    CFRelease(ec_priv_attrs);
    CFRelease(ec_pub_attrs);
    CFRelease(rsa_pub);
    CFRelease(ec_priv);
    CFRelease(ec_pub);
}
END_TEST

/* NULL and objects of the wrong type: clear errors, never a crash. */
START_TEST(null_and_wrong_objects)
{
    CFTypeRef not_key = CFSTR("not a key");
    CFDataRef msg = message_data();
    CFErrorRef error = NULL;
    SecKeyAlgorithm alg = kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256;
    ck_assert_ptr_null(SecKeyCopyPublicKey(NULL));
    ck_assert_ptr_null(SecKeyCopyPublicKey((SecKeyRef)not_key));
    ck_assert_uint_eq(SecKeyGetBlockSize(NULL), 0);
    ck_assert_uint_eq(SecKeyGetBlockSize((SecKeyRef)not_key), 0);
    ck_assert_ptr_null(SecKeyCopyAttributes(NULL));
    ck_assert_ptr_null(SecKeyCopyExternalRepresentation(NULL, NULL));
    ck_assert_ptr_null(SecKeyCreateSignature(NULL, alg, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert_ptr_null(SecKeyCreateSignature((SecKeyRef)not_key, alg, msg, NULL));
    SecKeyRef priv = sec_key(rsa_a, true), pub = sec_key(rsa_a, false);
    ck_assert_ptr_null(SecKeyCreateSignature(priv, NULL, msg, NULL));
    ck_assert_ptr_null(SecKeyCreateSignature(priv, (SecKeyAlgorithm)msg, msg, NULL));
    ck_assert_ptr_null(SecKeyCreateSignature(priv, alg, NULL, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert_ptr_null(SecKeyCreateSignature(priv, alg, (CFDataRef)not_key, NULL));
    ck_assert(!SecKeyVerifySignature(pub, alg, NULL, msg, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert(!SecKeyVerifySignature(pub, alg, msg, NULL, NULL));
    ck_assert(!SecKeyVerifySignature(NULL, alg, msg, msg, NULL));
    ck_assert_ptr_null(
        SecKeyCreateEncryptedData(NULL, kSecKeyAlgorithmRSAEncryptionPKCS1, msg, NULL));
    ck_assert_ptr_null(
        SecKeyCreateDecryptedData(priv, kSecKeyAlgorithmRSAEncryptionPKCS1, NULL, &error));
    ck_assert_int_eq(code_of(error), errSecParam);

    unsigned char out[256];
    size_t out_len = sizeof(out);
    ck_assert_int_eq(SecKeyRawSign(NULL, kSecPaddingPKCS1, message, 4, out, &out_len), errSecParam);
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1, NULL, 4, out, &out_len), errSecParam);
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1, message, 4, NULL, &out_len),
                     errSecParam);
    ck_assert_int_eq(SecKeyRawSign(priv, kSecPaddingPKCS1, message, 4, out, NULL), errSecParam);
    ck_assert_int_eq(SecKeyRawVerify(NULL, kSecPaddingPKCS1, message, 4, out, 4), errSecParam);
    ck_assert_int_eq(SecKeyRawVerify(pub, kSecPaddingPKCS1, message, 4, NULL, 4), errSecParam);
    ck_assert_int_eq(SecKeyRawVerify(pub, (SecPadding)0x1234, message, 4, out, 4), errSecParam);
    ck_assert_int_eq(SecKeyEncrypt((SecKeyRef)not_key, kSecPaddingPKCS1, message, 4, out, &out_len),
                     errSecParam);
    ck_assert_int_eq(SecKeyDecrypt(priv, kSecPaddingPKCS1, NULL, 4, out, &out_len), errSecParam);
    ck_assert_int_eq(SecKeyDecrypt(priv, kSecPaddingPKCS1, out, 4, out, NULL), errSecParam);
    ck_assert_int_eq(SecKeyCreatePair(NULL, CSSM_ALGID_ECDSA, 256, 0, 0, 0, 0, 0, NULL, NULL, NULL),
                     errSecSuccess);
    CFRelease(priv);
    CFRelease(pub);
    CFRelease(msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_keys");
    TCase *tc = tcase_create("keys");
    tcase_add_unchecked_fixture(tc, make_keys, free_keys);
    tcase_add_test(tc, constant_values);
    tcase_add_test(tc, external_representation_round_trip);
    tcase_add_test(tc, attributes_and_sizes);
    tcase_add_test(tc, public_key_of_private_key);
    tcase_add_test(tc, generate_pairs);
    tcase_add_test(tc, generate_errors);
    tcase_add_test(tc, legacy_create_pair);
    tcase_add_test(tc, signatures_verify_with_openssl);
    tcase_add_test(tc, verification_and_wrong_keys);
    tcase_add_test(tc, encryption_round_trips);
    tcase_add_test(tc, algorithm_support);
    tcase_add_test(tc, raw_sign_pkcs1);
    tcase_add_test(tc, raw_sign_other_paddings);
    tcase_add_test(tc, raw_encrypt_decrypt);
    tcase_add_test(tc, private_constructors);
    tcase_add_test(tc, legacy_create_from_data);
    tcase_add_test(tc, hostile_key_data);
    tcase_add_loop_test(tc, key_formats_macos_imports, 0, 3);
    tcase_add_test(tc, null_and_wrong_objects);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
