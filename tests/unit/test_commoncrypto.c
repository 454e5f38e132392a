/*
 * The CommonCrypto subset through the public headers and the shared
 * library: digests, HMAC, CCCryptor, PBKDF2 and random bytes.
 *
 * Known answers come from the standards (FIPS 180 and RFC 1319/1320/1321,
 * RFC 2202 and 4231, RFC 6070, NIST SP 800-38A); everything else is checked
 * against OpenSSL's EVP on random data, streaming at every split point.
 * Bad arguments get exact status codes (or a NULL/0 result, or no effect),
 * never a crash; AddressSanitizer and valgrind run this suite for leaks.
 */
#include <CommonCrypto/CommonCrypto.h>
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Hex text to bytes; returns the length. */
static size_t unhex(const char *hex, unsigned char *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    ck_assert_uint_le(n, max);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
    return n;
}

static void assert_hex(const unsigned char *got, size_t len, const char *hex)
{
    char text[2 * 256 + 1];
    ck_assert_uint_le(len, 256);
    for (size_t i = 0; i < len; i++)
        snprintf(text + 2 * i, 3, "%02x", got[i]);
    ck_assert_str_eq(text, hex);
}

static void random_bytes(unsigned char *buf, size_t len)
{
    ck_assert_int_eq(RAND_bytes(buf, (int)len), 1);
}

/* ---- The digest families, each behind one signature for table-driven tests ---- */

union any_ctx {
    CC_MD2_CTX md2;
    CC_MD4_CTX md4;
    CC_MD5_CTX md5;
    CC_SHA1_CTX sha1;
    CC_SHA256_CTX sha256;
    CC_SHA512_CTX sha512;
};

struct digest {
    const char *name;
    const char *evp; /* NULL: no EVP counterpart (MD2, MD4) */
    size_t length;
    int (*init)(union any_ctx *c);
    int (*update)(union any_ctx *c, const void *data, CC_LONG len);
    int (*final)(unsigned char *md, union any_ctx *c);
    unsigned char *(*oneshot)(const void *data, CC_LONG len, unsigned char *md);
};

#define DIGEST_ADAPTERS(NAME, FIELD)                                                               \
    static int NAME##_init(union any_ctx *c)                                                       \
    {                                                                                              \
        return CC_##NAME##_Init(c == NULL ? NULL : &c->FIELD);                                     \
    }                                                                                              \
    static int NAME##_update(union any_ctx *c, const void *data, CC_LONG len)                      \
    {                                                                                              \
        return CC_##NAME##_Update(c == NULL ? NULL : &c->FIELD, data, len);                        \
    }                                                                                              \
    static int NAME##_final(unsigned char *md, union any_ctx *c)                                   \
    {                                                                                              \
        return CC_##NAME##_Final(md, c == NULL ? NULL : &c->FIELD);                                \
    }

DIGEST_ADAPTERS(MD2, md2)
DIGEST_ADAPTERS(MD4, md4)
DIGEST_ADAPTERS(MD5, md5)
DIGEST_ADAPTERS(SHA1, sha1)
DIGEST_ADAPTERS(SHA224, sha256)
DIGEST_ADAPTERS(SHA256, sha256)
DIGEST_ADAPTERS(SHA384, sha512)
DIGEST_ADAPTERS(SHA512, sha512)

#define DIGEST_ROW(NAME, EVP)                                                                      \
    {                                                                                              \
#NAME, EVP, CC_##NAME##_DIGEST_LENGTH, NAME##_init, NAME##_update, NAME##_final, CC_##NAME \
    }

static const struct digest digests[] = {
    DIGEST_ROW(MD2, NULL),        DIGEST_ROW(MD4, NULL),        DIGEST_ROW(MD5, "MD5"),
    DIGEST_ROW(SHA1, "SHA1"),     DIGEST_ROW(SHA224, "SHA224"), DIGEST_ROW(SHA256, "SHA256"),
    DIGEST_ROW(SHA384, "SHA384"), DIGEST_ROW(SHA512, "SHA512"),
};

static const struct digest *digest_named(const char *name)
{
    for (size_t i = 0; i < COUNT(digests); i++)
        if (strcmp(digests[i].name, name) == 0)
            return &digests[i];
    ck_abort_msg("no digest %s", name);
    return NULL;
}

START_TEST(context_sizes_are_apples)
{
    /* The SDK's sizes: a caller allocates these, so ours must be exactly as large. */
    ck_assert_uint_eq(sizeof(CC_MD2_CTX), 148);
    ck_assert_uint_eq(sizeof(CC_MD4_CTX), 92);
    ck_assert_uint_eq(sizeof(CC_MD5_CTX), 92);
    ck_assert_uint_eq(sizeof(CC_SHA1_CTX), 96);
    ck_assert_uint_eq(sizeof(CC_SHA256_CTX), 104);
    ck_assert_uint_eq(sizeof(CC_SHA512_CTX), 208);
    ck_assert_uint_eq(sizeof(CCHmacContext), 384);
    ck_assert_int_eq(CC_SHA1_BLOCK_BYTES, 64);
    ck_assert_int_eq(CC_SHA384_BLOCK_BYTES, 128);
    ck_assert_int_eq(CC_SHA224_DIGEST_LENGTH, 28);
    ck_assert_int_eq(kCCSuccess, 0);
    ck_assert_int_eq(kCCParamError, -4300);
    ck_assert_int_eq(kCCBufferTooSmall, -4301);
    ck_assert_int_eq(kCCMemoryFailure, -4302);
    ck_assert_int_eq(kCCAlignmentError, -4303);
    ck_assert_int_eq(kCCDecodeError, -4304);
    ck_assert_int_eq(kCCUnimplemented, -4305);
    ck_assert_int_eq(kCCOverflow, -4306);
    ck_assert_int_eq(kCCRNGFailure, -4307);
    ck_assert_int_eq(kCCUnspecifiedError, -4308);
    ck_assert_int_eq(kCCCallSequenceError, -4309);
    ck_assert_int_eq(kCCKeySizeError, -4310);
    ck_assert_int_eq(kCCInvalidKey, -4311);
    ck_assert_int_eq(kCCHmacAlgSHA1, 0);
    ck_assert_int_eq(kCCHmacAlgSHA224, 5);
    ck_assert_int_eq(kCCAlgorithm3DES, 2);
    ck_assert_int_eq(kCCAlgorithmBlowfish, 6);
    ck_assert_int_eq(kCCModeCTR, 4);
    ck_assert_int_eq(kCCModeOptionCTR_BE, 2);
    ck_assert_int_eq(kCCPBKDF2, 2);
    ck_assert_int_eq(kCCPRFHmacAlgSHA512, 5);
}
END_TEST

struct digest_answer {
    const char *digest;
    const char *message; /* "" and up; the million a's are separate */
    const char *hex;
};

static const char fips_448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char rfc_alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char rfc_digits[] =
    "12345678901234567890123456789012345678901234567890123456789012345678901234567890";

static const struct digest_answer digest_answers[] = {
    /* RFC 1319 §A.5 */
    {"MD2", "", "8350e5a3e24c153df2275c9f80692773"},
    {"MD2", "a", "32ec01ec4a6dac72c0ab96fb34c0b5d1"},
    {"MD2", "abc", "da853b0d3f88d99b30283a69e6ded6bb"},
    {"MD2", "message digest", "ab4f496bfb2a530b219ff33031fe06b0"},
    {"MD2", "abcdefghijklmnopqrstuvwxyz", "4e8ddff3650292ab5a4108c3aa47940b"},
    {"MD2", rfc_alnum, "da33def2a42df13975352846c30338cd"},
    {"MD2", rfc_digits, "d5976f79d83d3a0dc9806c3c66f3efd8"},
    /* RFC 1320 §A.5 */
    {"MD4", "", "31d6cfe0d16ae931b73c59d7e0c089c0"},
    {"MD4", "a", "bde52cb31de33e46245e05fbdbd6fb24"},
    {"MD4", "abc", "a448017aaf21d8525fc10ae87aa6729d"},
    {"MD4", "message digest", "d9130a8164549fe818874806e1c7014b"},
    {"MD4", "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
    {"MD4", rfc_alnum, "043f8582f241db351ce627e153e7f0e4"},
    {"MD4", rfc_digits, "e33b4ddc9c38f2199c3e7b164fcc0536"},
    /* RFC 1321 §A.5 */
    {"MD5", "", "d41d8cd98f00b204e9800998ecf8427e"},
    {"MD5", "a", "0cc175b9c0f1b6a831c399e269772661"},
    {"MD5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"MD5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"MD5", "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"MD5", rfc_alnum, "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"MD5", rfc_digits, "57edf4a22be3c955ac49da2e2107b67a"},
    /* FIPS 180 examples: "abc" and the 448-bit message */
    {"SHA1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {"SHA1", fips_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {"SHA224", "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {"SHA224", fips_448, "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"},
    {"SHA256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"SHA256", fips_448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"SHA384", "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c"
     "825a7"},
    {"SHA384", fips_448,
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c"
     "8452b"},
    {"SHA512", "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3f"
     "eebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {"SHA512", fips_448,
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea577"
     "89ca031ad85c7a71dd70354ec631238ca3445"},
};

START_TEST(digest_known_answers)
{
    const struct digest_answer *a = &digest_answers[_i];
    const struct digest *d = digest_named(a->digest);
    unsigned char md[64], streamed[64];
    size_t len = strlen(a->message);
    ck_assert_ptr_eq(d->oneshot(a->message, (CC_LONG)len, md), md);
    assert_hex(md, d->length, a->hex);
    /* One byte at a time through the streaming calls. */
    union any_ctx c;
    ck_assert_int_eq(d->init(&c), 1);
    for (size_t i = 0; i < len; i++)
        ck_assert_int_eq(d->update(&c, a->message + i, 1), 1);
    ck_assert_int_eq(d->final(streamed, &c), 1);
    assert_hex(streamed, d->length, a->hex);
}
END_TEST

START_TEST(digest_million_a)
{
    /* FIPS 180 example: one million 'a', fed in uneven pieces. */
    static const char *const answers[][2] = {
        {"SHA1", "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
        {"SHA224", "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67"},
        {"SHA256", "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        {"SHA384", "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4"
                   "ebae97ddd87f3d8985"},
        {"SHA512", "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea6"
                   "0a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
    };
    static char million[1000000];
    memset(million, 'a', sizeof(million));
    for (size_t i = 0; i < COUNT(answers); i++) {
        const struct digest *d = digest_named(answers[i][0]);
        unsigned char md[64];
        ck_assert_ptr_eq(d->oneshot(million, sizeof(million), md), md);
        assert_hex(md, d->length, answers[i][1]);
        union any_ctx c;
        d->init(&c);
        size_t done = 0;
        for (size_t piece = 1; done < sizeof(million); piece = piece * 3 + 1) {
            size_t n = sizeof(million) - done < piece ? sizeof(million) - done : piece;
            d->update(&c, million + done, (CC_LONG)n);
            done += n;
        }
        memset(md, 0, sizeof(md));
        d->final(md, &c);
        assert_hex(md, d->length, answers[i][1]);
    }
}
END_TEST

static void evp_digest(const char *name, const void *data, size_t len, unsigned char *md)
{
    EVP_MD *md_type = EVP_MD_fetch(NULL, name, NULL);
    ck_assert_ptr_nonnull(md_type);
    unsigned int out_len = 0;
    ck_assert_int_eq(EVP_Digest(data, len, md, &out_len, md_type, NULL), 1);
    EVP_MD_free(md_type);
}

START_TEST(digest_matches_openssl_at_every_split)
{
    const struct digest *d = &digests[_i];
    unsigned char data[300], want[64], got[64];
    random_bytes(data, sizeof(data));
    for (size_t len = 0; len <= sizeof(data); len += 7) {
        if (d->evp != NULL)
            evp_digest(d->evp, data, len, want);
        else
            d->oneshot(data, (CC_LONG)len, want);
        ck_assert_ptr_eq(d->oneshot(data, (CC_LONG)len, got), got);
        ck_assert_mem_eq(got, want, d->length);
    }
    size_t len = sizeof(data);
    if (d->evp != NULL)
        evp_digest(d->evp, data, len, want);
    else
        d->oneshot(data, (CC_LONG)len, want);
    /* Every split point, and every split into three around a block boundary. */
    for (size_t split = 0; split <= len; split++) {
        union any_ctx c;
        ck_assert_int_eq(d->init(&c), 1);
        ck_assert_int_eq(d->update(&c, data, (CC_LONG)split), 1);
        ck_assert_int_eq(d->update(&c, data + split, (CC_LONG)(len - split)), 1);
        ck_assert_int_eq(d->final(got, &c), 1);
        ck_assert_msg(memcmp(got, want, d->length) == 0, "%s split at %zu", d->name, split);
    }
    for (size_t a = 100; a <= 140; a++) {
        union any_ctx c;
        d->init(&c);
        d->update(&c, data, 50);
        d->update(&c, data + 50, (CC_LONG)(a - 50));
        d->update(&c, data + a, (CC_LONG)(len - a));
        d->final(got, &c);
        ck_assert_msg(memcmp(got, want, d->length) == 0, "%s split at 50 and %zu", d->name, a);
    }
}
END_TEST

START_TEST(digest_bad_arguments)
{
    const struct digest *d = &digests[_i];
    unsigned char md[64], empty[64];
    union any_ctx c;
    /* NULL data with no length is the empty message; with a length, nothing happens. */
    ck_assert_ptr_eq(d->oneshot(NULL, 0, md), md);
    ck_assert_ptr_eq(d->oneshot("", 0, empty), empty);
    ck_assert_mem_eq(md, empty, d->length);
    ck_assert_ptr_null(d->oneshot(NULL, 5, md));
    ck_assert_ptr_null(d->oneshot("abc", 3, NULL));
    ck_assert_int_eq(d->init(NULL), 0);
    ck_assert_int_eq(d->update(NULL, "abc", 3), 0);
    ck_assert_int_eq(d->final(md, NULL), 0);
    ck_assert_int_eq(d->init(&c), 1);
    ck_assert_int_eq(d->update(&c, NULL, 3), 0);
    ck_assert_int_eq(d->update(&c, NULL, 0), 1);
    ck_assert_int_eq(d->final(NULL, &c), 0);
    /* The refused calls changed nothing: the context still hashes the empty message. */
    ck_assert_int_eq(d->final(md, &c), 1);
    ck_assert_mem_eq(md, empty, d->length);
}
END_TEST

/* ---- HMAC ---- */

struct hmac_answer {
    CCHmacAlgorithm alg;
    size_t length;
    const char *key_hex;
    const char *data;
    const char *hex;
};

static const char rfc4231_case6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
#define KEY_0B16 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define KEY_0B20 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define KEY_JEFE "4a656665"
#define KEY_AA131                                                                                  \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct hmac_answer hmac_answers[] = {
    /* RFC 2202 cases 1 and 2 */
    {kCCHmacAlgMD5, 16, KEY_0B16, "Hi There", "9294727a3638bb1c13f48ef8158bfc9d"},
    {kCCHmacAlgMD5, 16, KEY_JEFE, "what do ya want for nothing?",
     "750c783e6ab0b503eaa86e310a5db738"},
    {kCCHmacAlgSHA1, 20, KEY_0B20, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
    {kCCHmacAlgSHA1, 20, KEY_JEFE, "what do ya want for nothing?",
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    /* RFC 4231 cases 1, 2 and 6 */
    {kCCHmacAlgSHA224, 28, KEY_0B20, "Hi There",
     "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"},
    {kCCHmacAlgSHA256, 32, KEY_0B20, "Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {kCCHmacAlgSHA384, 48, KEY_0B20, "Hi There",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2f"
     "a9cb6"},
    {kCCHmacAlgSHA512, 64, KEY_0B20, "Hi There",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea"
     "3f4e4be9d914eeb61f1702e696c203a126854"},
    {kCCHmacAlgSHA256, 32, KEY_JEFE, "what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {kCCHmacAlgSHA512, 64, KEY_JEFE, "what do ya want for nothing?",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f"
     "0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {kCCHmacAlgSHA224, 28, KEY_AA131, rfc4231_case6,
     "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e"},
    {kCCHmacAlgSHA256, 32, KEY_AA131, rfc4231_case6,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {kCCHmacAlgSHA384, 48, KEY_AA131, rfc4231_case6,
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f"
     "44952"},
    {kCCHmacAlgSHA512, 64, KEY_AA131, rfc4231_case6,
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6"
     "a1e5295e64f73f63f0aec8b915a985d786598"},
};

START_TEST(hmac_known_answers)
{
    const struct hmac_answer *a = &hmac_answers[_i];
    unsigned char key[200], mac[64];
    size_t key_len = unhex(a->key_hex, key, sizeof(key));
    CCHmac(a->alg, key, key_len, a->data, strlen(a->data), mac);
    assert_hex(mac, a->length, a->hex);
    CCHmacContext ctx;
    CCHmacInit(&ctx, a->alg, key, key_len);
    for (const char *p = a->data; *p != '\0'; p++)
        CCHmacUpdate(&ctx, p, 1);
    memset(mac, 0, sizeof(mac));
    CCHmacFinal(&ctx, mac);
    assert_hex(mac, a->length, a->hex);
}
END_TEST

static const struct {
    CCHmacAlgorithm alg;
    const char *evp;
    size_t length;
} hmac_algs[] = {
    {kCCHmacAlgSHA1, "SHA1", 20},     {kCCHmacAlgMD5, "MD5", 16},
    {kCCHmacAlgSHA256, "SHA256", 32}, {kCCHmacAlgSHA384, "SHA384", 48},
    {kCCHmacAlgSHA512, "SHA512", 64}, {kCCHmacAlgSHA224, "SHA224", 28},
};

START_TEST(hmac_matches_openssl)
{
    unsigned char key[200], data[300], want[64], got[64];
    random_bytes(key, sizeof(key));
    random_bytes(data, sizeof(data));
    EVP_MD *md = EVP_MD_fetch(NULL, hmac_algs[_i].evp, NULL);
    ck_assert_ptr_nonnull(md);
    size_t n = hmac_algs[_i].length;
    /* Key lengths around both block sizes: shorter, equal, longer (hashed first). */
    for (size_t key_len = 0; key_len <= sizeof(key); key_len += 9) {
        unsigned int want_len = 0;
        ck_assert_ptr_nonnull(HMAC(md, key, (int)key_len, data, sizeof(data), want, &want_len));
        ck_assert_uint_eq(want_len, n);
        CCHmac(hmac_algs[_i].alg, key, key_len, data, sizeof(data), got);
        ck_assert_mem_eq(got, want, n);
    }
    unsigned int want_len = 0;
    HMAC(md, key, 37, data, sizeof(data), want, &want_len);
    for (size_t split = 0; split <= sizeof(data); split++) {
        CCHmacContext ctx;
        CCHmacInit(&ctx, hmac_algs[_i].alg, key, 37);
        CCHmacUpdate(&ctx, data, split);
        CCHmacUpdate(&ctx, data + split, sizeof(data) - split);
        CCHmacFinal(&ctx, got);
        ck_assert_msg(memcmp(got, want, n) == 0, "split at %zu", split);
    }
    EVP_MD_free(md);
}
END_TEST

START_TEST(hmac_bad_arguments)
{
    unsigned char mac[64], untouched[64];
    memset(untouched, 0xee, sizeof(untouched));
    CCHmacContext ctx;
    /* Nothing to crash on, and nothing written. */
    CCHmacInit(NULL, kCCHmacAlgSHA256, "k", 1);
    CCHmacUpdate(NULL, "x", 1);
    CCHmacFinal(NULL, mac);
    memcpy(mac, untouched, sizeof(mac));
    CCHmac(99, "k", 1, "x", 1, mac);
    CCHmac(kCCHmacAlgSHA256, NULL, 5, "x", 1, mac);
    CCHmac(kCCHmacAlgSHA256, "k", 1, NULL, 5, mac);
    CCHmac(kCCHmacAlgSHA256, "k", 1, "x", 1, NULL);
    ck_assert_mem_eq(mac, untouched, sizeof(mac));
    /* An unknown algorithm, or a NULL key with a length, leaves the context unusable. */
    CCHmacInit(&ctx, 99, "k", 1);
    CCHmacUpdate(&ctx, "x", 1);
    CCHmacFinal(&ctx, mac);
    ck_assert_mem_eq(mac, untouched, sizeof(mac));
    CCHmacInit(&ctx, kCCHmacAlgSHA1, NULL, 4);
    CCHmacFinal(&ctx, mac);
    ck_assert_mem_eq(mac, untouched, sizeof(mac));
    /* A context never initialised, and one already finished. */
    memset(&ctx, 0, sizeof(ctx));
    CCHmacFinal(&ctx, mac);
    ck_assert_mem_eq(mac, untouched, sizeof(mac));
    CCHmacInit(&ctx, kCCHmacAlgSHA1, "k", 1);
    CCHmacUpdate(&ctx, NULL, 3); /* refused: the MAC is still of the empty message */
    CCHmacFinal(&ctx, NULL);     /* refused: the context stays usable */
    CCHmacFinal(&ctx, mac);
    unsigned char want[20];
    CCHmac(kCCHmacAlgSHA1, "k", 1, NULL, 0, want);
    ck_assert_mem_eq(mac, want, 20);
    memcpy(mac, untouched, sizeof(mac));
    CCHmacFinal(&ctx, mac);
    ck_assert_mem_eq(mac, untouched, sizeof(mac));
    /* An empty key is a valid key. */
    CCHmac(kCCHmacAlgSHA256, NULL, 0, "x", 1, mac);
    ck_assert_mem_ne(mac, untouched, 32);
}
END_TEST

/* ---- PBKDF2 ---- */

START_TEST(pbkdf2_rfc6070)
{
    static const struct {
        const char *password;
        size_t password_len;
        const char *salt;
        size_t salt_len;
        unsigned rounds;
        const char *hex;
    } answers[] = {
        {"password", 8, "salt", 4, 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
        {"password", 8, "salt", 4, 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
        {"password", 8, "salt", 4, 4096, "4b007901b765489abead49d926f721d065a429c1"},
        {"passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096,
         "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
        {"pass\0word", 9, "sa\0lt", 5, 4096, "56fa6aa75548099dcc37d7f03425e0c3"},
    };
    for (size_t i = 0; i < COUNT(answers); i++) {
        uint8_t key[64];
        size_t key_len = strlen(answers[i].hex) / 2;
        ck_assert_int_eq(CCKeyDerivationPBKDF(kCCPBKDF2, answers[i].password,
                                              answers[i].password_len,
                                              (const uint8_t *)answers[i].salt, answers[i].salt_len,
                                              kCCPRFHmacAlgSHA1, answers[i].rounds, key, key_len),
                         kCCSuccess);
        assert_hex(key, key_len, answers[i].hex);
    }
}
END_TEST

START_TEST(pbkdf2_matches_openssl)
{
    static const struct {
        CCPseudoRandomAlgorithm prf;
        const char *evp;
    } prfs[] = {{kCCPRFHmacAlgSHA1, "SHA1"},
                {kCCPRFHmacAlgSHA224, "SHA224"},
                {kCCPRFHmacAlgSHA256, "SHA256"},
                {kCCPRFHmacAlgSHA384, "SHA384"},
                {kCCPRFHmacAlgSHA512, "SHA512"}};
    uint8_t salt[16], got[100], want[100];
    random_bytes(salt, sizeof(salt));
    for (size_t i = 0; i < COUNT(prfs); i++) {
        EVP_MD *md = EVP_MD_fetch(NULL, prfs[i].evp, NULL);
        ck_assert_int_eq(
            PKCS5_PBKDF2_HMAC("secret", 6, salt, sizeof(salt), 100, md, sizeof(want), want), 1);
        ck_assert_int_eq(CCKeyDerivationPBKDF(kCCPBKDF2, "secret", 6, salt, sizeof(salt),
                                              prfs[i].prf, 100, got, sizeof(got)),
                         kCCSuccess);
        ck_assert_mem_eq(got, want, sizeof(got));
        EVP_MD_free(md);
    }
    /* An empty password and an empty (even NULL) salt are allowed. */
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, "", 0, NULL, 0, kCCPRFHmacAlgSHA256, 1, got, 32),
        kCCSuccess);
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    ck_assert_int_eq(PKCS5_PBKDF2_HMAC("", 0, (const unsigned char *)"", 0, 1, md, 32, want), 1);
    EVP_MD_free(md);
    ck_assert_mem_eq(got, want, 32);
}
END_TEST

START_TEST(pbkdf2_bad_arguments)
{
    uint8_t key[32];
    const uint8_t salt[4] = {1, 2, 3, 4};
    ck_assert_int_eq(CCKeyDerivationPBKDF(1, "pw", 2, salt, 4, kCCPRFHmacAlgSHA1, 1, key, 32),
                     kCCParamError);
    ck_assert_int_eq(CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, salt, 4, 0, 1, key, 32),
                     kCCParamError);
    ck_assert_int_eq(CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, salt, 4, 6, 1, key, 32),
                     kCCParamError);
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, salt, 4, kCCPRFHmacAlgSHA1, 0, key, 32),
        kCCParamError);
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, salt, 4, kCCPRFHmacAlgSHA1, 1, NULL, 32),
        kCCParamError);
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, salt, 4, kCCPRFHmacAlgSHA1, 1, key, 0),
        kCCParamError);
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, NULL, 2, salt, 4, kCCPRFHmacAlgSHA1, 1, key, 32),
        kCCParamError);
    /* Apple refuses a NULL password even with no length. */
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, NULL, 0, salt, 4, kCCPRFHmacAlgSHA1, 1, key, 32),
        kCCParamError);
    ck_assert_int_eq(
        CCKeyDerivationPBKDF(kCCPBKDF2, "pw", 2, NULL, 4, kCCPRFHmacAlgSHA1, 1, key, 32),
        kCCParamError);
}
END_TEST

START_TEST(pbkdf_calibration)
{
    /* A usable count (no timing is asserted: only the clamp and the errors). */
    unsigned rounds = CCCalibratePBKDF(kCCPBKDF2, 8, 8, kCCPRFHmacAlgSHA256, 32, 1);
    ck_assert_uint_ge(rounds, 10000);
    ck_assert_uint_ge(CCCalibratePBKDF(kCCPBKDF2, 8, 8, kCCPRFHmacAlgSHA1, 20, 0), 10000);
    ck_assert_uint_eq(CCCalibratePBKDF(7, 8, 8, kCCPRFHmacAlgSHA1, 20, 10), (unsigned)-1);
    ck_assert_uint_eq(CCCalibratePBKDF(kCCPBKDF2, 8, 8, 9, 20, 10), (unsigned)-1);
    ck_assert_uint_eq(CCCalibratePBKDF(kCCPBKDF2, 8, 8, kCCPRFHmacAlgSHA1, 0, 10), (unsigned)-1);
    ck_assert_uint_eq(CCCalibratePBKDF(kCCPBKDF2, 8, 133, kCCPRFHmacAlgSHA1, 20, 10), (unsigned)-1);
    ck_assert_uint_ge(CCCalibratePBKDF(kCCPBKDF2, 0, 0, kCCPRFHmacAlgSHA1, 20, 1), 10000);
}
END_TEST

/* ---- CCCryptor ---- */

static const char sp800_38a_plain[] =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
#define SP_KEY128 "2b7e151628aed2a6abf7158809cf4f3c"

START_TEST(aes_sp800_38a)
{
    static const struct {
        CCMode mode;
        const char *key_hex;
        const char *iv_hex;
        const char *cipher_hex;
    } cases[] = {
        /* F.1.1 ECB-AES128, F.1.5 ECB-AES256, F.2.1 CBC-AES128, F.5.1 CTR-AES128 */
        {kCCModeECB, SP_KEY128, NULL,
         "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
         "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"},
        {kCCModeECB, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", NULL,
         "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
         "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7"},
        {kCCModeCBC, SP_KEY128, "000102030405060708090a0b0c0d0e0f",
         "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
         "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},
        {kCCModeCTR, SP_KEY128, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
         "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},
    };
    unsigned char plain[64], key[32], iv[16], out[80], back[80];
    unhex(sp800_38a_plain, plain, sizeof(plain));
    for (size_t i = 0; i < COUNT(cases); i++) {
        size_t key_len = unhex(cases[i].key_hex, key, sizeof(key));
        if (cases[i].iv_hex != NULL)
            unhex(cases[i].iv_hex, iv, sizeof(iv));
        const void *ivp = cases[i].iv_hex != NULL ? iv : NULL;
        CCCryptorRef enc = NULL, dec = NULL;
        CCModeOptions opts = cases[i].mode == kCCModeCTR ? kCCModeOptionCTR_BE : 0;
        ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, cases[i].mode, kCCAlgorithmAES,
                                                 ccNoPadding, ivp, key, key_len, NULL, 0, 0, opts,
                                                 &enc),
                         kCCSuccess);
        size_t moved = 0, last = 0;
        ck_assert_int_eq(CCCryptorUpdate(enc, plain, 64, out, sizeof(out), &moved), kCCSuccess);
        ck_assert_int_eq(CCCryptorFinal(enc, out + moved, sizeof(out) - moved, &last), kCCSuccess);
        ck_assert_uint_eq(moved + last, 64);
        assert_hex(out, 64, cases[i].cipher_hex);
        ck_assert_int_eq(CCCryptorCreateWithMode(kCCDecrypt, cases[i].mode, kCCAlgorithmAES,
                                                 ccNoPadding, ivp, key, key_len, NULL, 0, 0, opts,
                                                 &dec),
                         kCCSuccess);
        ck_assert_int_eq(CCCryptorUpdate(dec, out, 64, back, sizeof(back), &moved), kCCSuccess);
        ck_assert_int_eq(CCCryptorFinal(dec, back + moved, sizeof(back) - moved, &last),
                         kCCSuccess);
        ck_assert_uint_eq(moved + last, 64);
        ck_assert_mem_eq(back, plain, 64);
        ck_assert_int_eq(CCCryptorRelease(enc), kCCSuccess);
        ck_assert_int_eq(CCCryptorRelease(dec), kCCSuccess);
    }
    /* The same through CCCrypt: ECB by option, CBC by default. */
    size_t moved = 0;
    unhex(SP_KEY128, key, sizeof(key));
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES128, kCCOptionECBMode, key,
                             kCCKeySizeAES128, NULL, plain, 64, out, sizeof(out), &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, 64);
    assert_hex(out, 64, cases[0].cipher_hex);
    unhex("000102030405060708090a0b0c0d0e0f", iv, sizeof(iv));
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, key, kCCKeySizeAES128, iv, plain, 64,
                             out, 64, &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, 64);
    assert_hex(out, 64, cases[2].cipher_hex);
}
END_TEST

/* OpenSSL's answer for the same one-shot encryption. */
static size_t evp_encrypt(const char *name, const unsigned char *key, const unsigned char *iv,
                          int padding, const unsigned char *in, size_t len, unsigned char *out)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, NULL);
    ck_assert_ptr_nonnull(cipher);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    ck_assert_int_eq(EVP_EncryptInit_ex2(ctx, cipher, key, iv, NULL), 1);
    EVP_CIPHER_CTX_set_padding(ctx, padding);
    ck_assert_int_eq(EVP_EncryptUpdate(ctx, out, &n, in, (int)len), 1);
    ck_assert_int_eq(EVP_EncryptFinal_ex(ctx, out + n, &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
    return (size_t)(n + m);
}

START_TEST(cbc_padding_matches_openssl)
{
    static const struct {
        CCAlgorithm alg;
        size_t key_len, block;
        const char *evp;
    } algs[] = {{kCCAlgorithmAES, 16, 16, "AES-128-CBC"},
                {kCCAlgorithmAES, 24, 16, "AES-192-CBC"},
                {kCCAlgorithmAES, 32, 16, "AES-256-CBC"},
                {kCCAlgorithm3DES, 24, 8, "DES-EDE3-CBC"}};
    unsigned char key[32], iv[16], data[70], want[96], got[96], back[96];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(data, sizeof(data));
    for (size_t a = 0; a < COUNT(algs); a++) {
        for (size_t len = 0; len <= sizeof(data); len++) {
            size_t want_len = evp_encrypt(algs[a].evp, key, iv, 1, data, len, want);
            size_t moved = 0;
            ck_assert_int_eq(CCCrypt(kCCEncrypt, algs[a].alg, kCCOptionPKCS7Padding, key,
                                     algs[a].key_len, iv, data, len, got, sizeof(got), &moved),
                             kCCSuccess);
            ck_assert_uint_eq(moved, want_len);
            ck_assert_uint_eq(moved, (len / algs[a].block + 1) * algs[a].block);
            ck_assert_mem_eq(got, want, want_len);
            size_t back_len = 0;
            ck_assert_int_eq(CCCrypt(kCCDecrypt, algs[a].alg, kCCOptionPKCS7Padding, key,
                                     algs[a].key_len, iv, got, moved, back, sizeof(back),
                                     &back_len),
                             kCCSuccess);
            ck_assert_uint_eq(back_len, len);
            ck_assert_mem_eq(back, data, len);
        }
    }
}
END_TEST

/* Runs a cryptor over `in` split at `split`; returns the bytes written. */
static size_t run_split(CCCryptorRef c, const unsigned char *in, size_t len, size_t split,
                        unsigned char *out, size_t out_size)
{
    size_t total = 0, moved = 0;
    size_t expect = CCCryptorGetOutputLength(c, split, false);
    ck_assert_int_eq(CCCryptorUpdate(c, in, split, out, out_size, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, expect);
    total += moved;
    expect = CCCryptorGetOutputLength(c, len - split, false);
    ck_assert_int_eq(
        CCCryptorUpdate(c, in + split, len - split, out + total, out_size - total, &moved),
        kCCSuccess);
    ck_assert_uint_eq(moved, expect);
    total += moved;
    ck_assert_uint_ge(CCCryptorGetOutputLength(c, 0, true), 0);
    ck_assert_int_eq(CCCryptorFinal(c, out + total, out_size - total, &moved), kCCSuccess);
    return total + moved;
}

START_TEST(cryptor_streaming_every_split)
{
    unsigned char key[16], iv[16], data[50], want[64], got[64], back[64];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(data, sizeof(data));
    size_t want_len = evp_encrypt("AES-128-CBC", key, iv, 1, data, sizeof(data), want);
    for (size_t split = 0; split <= sizeof(data); split++) {
        CCCryptorRef enc = NULL;
        ck_assert_int_eq(
            CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, iv, &enc),
            kCCSuccess);
        ck_assert_uint_eq(run_split(enc, data, sizeof(data), split, got, sizeof(got)), want_len);
        ck_assert_mem_eq(got, want, want_len);
        CCCryptorRelease(enc);
    }
    for (size_t split = 0; split <= want_len; split++) {
        CCCryptorRef dec = NULL;
        ck_assert_int_eq(
            CCCryptorCreate(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, iv, &dec),
            kCCSuccess);
        ck_assert_uint_eq(run_split(dec, want, want_len, split, back, sizeof(back)), sizeof(data));
        ck_assert_mem_eq(back, data, sizeof(data));
        CCCryptorRelease(dec);
    }
    /* CTR is a stream: every byte comes out at once. */
    size_t ctr_len = evp_encrypt("AES-128-CTR", key, iv, 0, data, sizeof(data), want);
    for (size_t split = 0; split <= sizeof(data); split++) {
        CCCryptorRef ctr = NULL;
        ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeCTR, kCCAlgorithmAES,
                                                 ccNoPadding, iv, key, 16, NULL, 0, 0,
                                                 kCCModeOptionCTR_BE, &ctr),
                         kCCSuccess);
        ck_assert_uint_eq(CCCryptorGetOutputLength(ctr, split, false), split);
        ck_assert_uint_eq(run_split(ctr, data, sizeof(data), split, got, sizeof(got)), ctr_len);
        ck_assert_mem_eq(got, want, ctr_len);
        CCCryptorRelease(ctr);
    }
}
END_TEST

START_TEST(stream_modes_match_openssl)
{
    /* CFB, CFB8, OFB and CTR are streams: any length, output as long as the input. */
    static const struct {
        CCMode mode;
        CCAlgorithm alg;
        size_t key_len;
        const char *evp;
    } modes[] = {{kCCModeCFB, kCCAlgorithmAES, 16, "AES-128-CFB"},
                 {kCCModeCFB8, kCCAlgorithmAES, 24, "AES-192-CFB8"},
                 {kCCModeOFB, kCCAlgorithmAES, 32, "AES-256-OFB"},
                 {kCCModeCTR, kCCAlgorithmAES, 32, "AES-256-CTR"},
                 {kCCModeCFB, kCCAlgorithm3DES, 24, "DES-EDE3-CFB"},
                 {kCCModeOFB, kCCAlgorithm3DES, 24, "DES-EDE3-OFB"},
                 {kCCModeECB, kCCAlgorithm3DES, 24, "DES-EDE3-ECB"}};
    unsigned char key[32], iv[16], data[48], want[48], got[48], back[48];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(data, sizeof(data));
    for (size_t i = 0; i < COUNT(modes); i++) {
        size_t len = modes[i].mode == kCCModeECB ? 48 : 45;
        ck_assert_uint_eq(evp_encrypt(modes[i].evp, key, iv, 0, data, len, want), len);
        CCCryptorRef enc = NULL, dec = NULL;
        ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, modes[i].mode, modes[i].alg,
                                                 ccPKCS7Padding, iv, key, modes[i].key_len, NULL, 0,
                                                 0, 0, &enc),
                         kCCSuccess);
        /* Padding means nothing to a stream; ECB pads (one more block). */
        bool stream = modes[i].mode != kCCModeECB;
        ck_assert_uint_eq(CCCryptorGetOutputLength(enc, len, true), stream ? len : len + 8);
        size_t moved = 0, total = 0;
        ck_assert_int_eq(CCCryptorUpdate(enc, data, 7, got, sizeof(got), &moved), kCCSuccess);
        total += moved;
        ck_assert_int_eq(
            CCCryptorUpdate(enc, data + 7, len - 7, got + total, sizeof(got) - total, &moved),
            kCCSuccess);
        total += moved;
        ck_assert_uint_eq(total, stream ? len : 48);
        ck_assert_mem_eq(got, want, total);
        CCCryptorRelease(enc);
        if (!stream)
            continue;
        ck_assert_int_eq(CCCryptorCreateWithMode(kCCDecrypt, modes[i].mode, modes[i].alg,
                                                 ccNoPadding, iv, key, modes[i].key_len, NULL, 0, 0,
                                                 0, &dec),
                         kCCSuccess);
        ck_assert_int_eq(CCCryptorUpdate(dec, got, len, back, len, &moved), kCCSuccess);
        ck_assert_uint_eq(moved, len);
        ck_assert_int_eq(CCCryptorFinal(dec, back + len, 0, &moved), kCCSuccess);
        ck_assert_uint_eq(moved, 0);
        ck_assert_mem_eq(back, data, len);
        CCCryptorRelease(dec);
    }
}
END_TEST

START_TEST(cryptor_buffer_too_small)
{
    unsigned char key[16] = {0}, data[40] = {0}, out[64];
    size_t moved = 0;
    /* The needed size comes back in *dataOutMoved. */
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                             data, 20, out, 31, &moved),
                     kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 32);
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                             data, 20, NULL, 0, &moved),
                     kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 32);
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                             data, 32, out, 48, &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, 48);
    /* Decryption asks room for the whole input. */
    unsigned char plain[48];
    ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL, out,
                             48, plain, 40, &moved),
                     kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 48);
    /* A cryptor: Update and Final report what they need and change nothing. */
    CCCryptorRef c = NULL;
    ck_assert_int_eq(
        CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL, &c),
        kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 40, out, 16, &moved), kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 32);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 40, out, 32, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 32);
    ck_assert_uint_eq(CCCryptorGetOutputLength(c, 0, true), 16);
    ck_assert_uint_eq(CCCryptorGetOutputLength(c, 8, false), 16);
    /* Final reports no size, as Apple's does. */
    ck_assert_int_eq(CCCryptorFinal(c, out + 32, 15, &moved), kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 0);
    ck_assert_int_eq(CCCryptorFinal(c, out + 32, 16, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 16);
    CCCryptorRelease(c);
    /* A decryptor's Final needs room for what is left once unpadded; a refusal loses nothing. */
    ck_assert_int_eq(
        CCCryptorCreate(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL, &c),
        kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, out, 48, plain, 48, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 32);
    ck_assert_uint_eq(CCCryptorGetOutputLength(c, 0, true), 16);
    ck_assert_int_eq(CCCryptorFinal(c, plain + 32, 7, &moved), kCCBufferTooSmall);
    ck_assert_uint_eq(moved, 0);
    ck_assert_int_eq(CCCryptorFinal(c, plain + 32, 8, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 8);
    ck_assert_mem_eq(plain, data, 40);
    CCCryptorRelease(c);
}
END_TEST

START_TEST(cryptor_padding_as_corecrypto)
{
    /*
     * 10.15 removes PKCS#7 padding by its last byte alone and never reports
     * a bad padding (corecrypto's ccpad_pkcs7_decode): a last byte of 1 to 16
     * removes that many bytes, any other value removes none.
     */
    static const struct {
        unsigned char before_last, last;
        size_t plain_len;
    } cases[] = {{16, 16, 16}, {1, 1, 31}, {0, 0, 32}, {17, 17, 32}, {3, 2, 30}, {0, 255, 32}};
    unsigned char key[16], out[48];
    size_t moved = 99;
    random_bytes(key, sizeof(key));
    for (size_t i = 0; i < COUNT(cases); i++) {
        unsigned char plain[32], cipher[32];
        memset(plain, 'x', sizeof(plain));
        plain[30] = cases[i].before_last;
        plain[31] = cases[i].last;
        ck_assert_int_eq(
            CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, plain, 32, cipher, 32, &moved),
            kCCSuccess);
        ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                                 cipher, 32, out, sizeof(out), &moved),
                         kCCSuccess);
        ck_assert_uint_eq(moved, cases[i].plain_len);
        ck_assert_mem_eq(out, plain, moved);
    }
}
END_TEST

START_TEST(cryptor_alignment_errors)
{
    unsigned char key[16] = {0}, block[32] = {0}, out[48];
    size_t moved = 99;
    /* Without padding a block mode needs whole blocks: nothing is written, nothing asked for. */
    ck_assert_int_eq(
        CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, block, 15, out, sizeof(out), &moved),
        kCCAlignmentError);
    ck_assert_uint_eq(moved, 0);
    ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithm3DES, kCCOptionECBMode, key, 24, NULL, block,
                             20, out, 16, &moved),
                     kCCAlignmentError);
    ck_assert_uint_eq(moved, 16);
    /* A padded decryptor needs whole blocks, and at least one. */
    ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                             block, 17, out, sizeof(out), &moved),
                     kCCAlignmentError);
    ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 16, NULL,
                             block, 0, out, sizeof(out), &moved),
                     kCCAlignmentError);
    ck_assert_uint_eq(moved, 0);
    /* Streams have no blocks. */
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmRC4, kCCOptionPKCS7Padding, key, 16, NULL,
                             block, 15, out, 15, &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, 15);
}
END_TEST

START_TEST(cryptor_bad_arguments)
{
    unsigned char key[32] = {0}, data[16] = {0}, out[32];
    size_t moved = 0;
    CCCryptorRef c = (CCCryptorRef)(uintptr_t)1;
    /* Key sizes CommonCrypto refuses. */
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 15, NULL, &c),
                     kCCKeySizeError);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 0, NULL, &c),
                     kCCKeySizeError);
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithm3DES, 0, key, 16, NULL, &c),
                     kCCKeySizeError);
    ck_assert_int_eq(
        CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, key, 33, NULL, data, 16, out, 32, &moved),
        kCCKeySizeError);
    /* NULLs and values out of range. */
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, NULL, 16, NULL, &c),
                     kCCParamError);
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, NULL),
                     kCCParamError);
    ck_assert_int_eq(CCCryptorCreate(7, kCCAlgorithmAES, 0, key, 16, NULL, &c), kCCParamError);
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, 42, 0, key, 16, NULL, &c), kCCParamError);
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, 5, kCCAlgorithmAES, ccNoPadding, NULL, key,
                                             3, NULL, 0, 0, 0, &c),
                     kCCParamError); /* the mode is checked before the key size */
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeRC4, kCCAlgorithmAES, ccNoPadding,
                                             NULL, key, 16, NULL, 0, 0, 0, &c),
                     kCCParamError);
    ck_assert_ptr_null(c);
    /* An unknown padding is no padding, and unknown mode options are ignored, as on macOS. */
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeCBC, kCCAlgorithmAES, 9, NULL, key,
                                             16, NULL, 0, 0, 0, &c),
                     kCCSuccess);
    ck_assert_uint_eq(CCCryptorGetOutputLength(c, 20, true), 16);
    CCCryptorRelease(c);
    ck_assert_int_eq(
        CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, NULL, 16, out, 32, &moved),
        kCCParamError);
    /* Modes and options that do not exist here. */
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, 8 /* XTS */, kCCAlgorithmAES, ccNoPadding,
                                             NULL, key, 16, key, 16, 0, 0, &c),
                     kCCUnimplemented);
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeCTR, kCCAlgorithmAES, ccNoPadding,
                                             NULL, key, 16, NULL, 0, 0, 0x0001 /* CTR_LE */, &c),
                     kCCSuccess);
    CCCryptorRelease(c);
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeCTR, kCCAlgorithm3DES, ccNoPadding,
                                             NULL, key, 24, NULL, 0, 0, kCCModeOptionCTR_BE, &c),
                     kCCUnimplemented);
    ck_assert_int_eq(CCCryptorCreateFromData(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, out,
                                             sizeof(out), &c, &moved),
                     kCCUnimplemented);
    ck_assert_ptr_null(c);
    /* The calls on a cryptor, with no cryptor. */
    ck_assert_int_eq(CCCryptorUpdate(NULL, data, 16, out, 32, &moved), kCCParamError);
    moved = 99;
    ck_assert_int_eq(CCCryptorFinal(NULL, out, 32, &moved), kCCSuccess); /* as Apple's */
    ck_assert_uint_eq(moved, 99);
    ck_assert_int_eq(CCCryptorReset(NULL, NULL), kCCParamError);
    ck_assert_uint_eq(CCCryptorGetOutputLength(NULL, 16, true), (size_t)kCCParamError);
    ck_assert_int_eq(CCCryptorRelease(NULL), kCCSuccess);
    /* A real cryptor with bad buffers (where macOS would crash). */
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, NULL, &c),
                     kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, NULL, 16, out, 32, &moved), kCCParamError);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 16, NULL, 32, &moved), kCCParamError);
    ck_assert_int_eq(CCCryptorUpdate(c, NULL, 0, NULL, 0, NULL), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 16, out, 32, NULL), kCCSuccess);
    ck_assert_int_eq(CCCryptorFinal(c, NULL, 0, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 0);
    ck_assert_int_eq(CCCryptorReset(c, NULL), kCCSuccess);
    ck_assert_int_eq(CCCryptorRelease(c), kCCSuccess);
    /* A failed creation leaves CCCrypt's *dataOutMoved alone. */
    moved = 99;
    ck_assert_int_eq(
        CCCrypt(kCCEncrypt, kCCAlgorithmAES, 0, NULL, 16, NULL, data, 16, out, 32, &moved),
        kCCParamError);
    ck_assert_uint_eq(moved, 99);
}
END_TEST

START_TEST(cryptor_reset_restarts)
{
    unsigned char key[16], iv[16], iv2[16], data[48], first[48], second[48];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(iv2, sizeof(iv2));
    random_bytes(data, sizeof(data));
    CCCryptorRef c = NULL;
    size_t moved = 0;
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, iv, &c), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 40, first, 48, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 32);
    /* A reset drops the partial block and starts again from the new IV. */
    ck_assert_int_eq(CCCryptorReset(c, iv), kCCSuccess);
    ck_assert_uint_eq(CCCryptorGetOutputLength(c, 0, true), 0);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 48, second, 48, &moved), kCCSuccess);
    ck_assert_uint_eq(moved, 48);
    ck_assert_mem_eq(first, second, 32);
    ck_assert_int_eq(CCCryptorFinal(c, NULL, 0, &moved), kCCSuccess);
    ck_assert_int_eq(CCCryptorReset(c, iv2), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 48, second, 48, &moved), kCCSuccess);
    size_t want = evp_encrypt("AES-128-CBC", key, iv2, 0, data, 48, first);
    ck_assert_uint_eq(want, 48);
    ck_assert_mem_eq(first, second, 48);
    /* NULL IV: zeros. */
    unsigned char zero[16] = {0};
    ck_assert_int_eq(CCCryptorReset(c, NULL), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 48, second, 48, &moved), kCCSuccess);
    evp_encrypt("AES-128-CBC", key, zero, 0, data, 48, first);
    ck_assert_mem_eq(first, second, 48);
    CCCryptorRelease(c);
    /* Only CBC and CTR reset (programs linked for 10.13 and later). */
    ck_assert_int_eq(
        CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, kCCOptionECBMode, key, 16, NULL, &c),
        kCCSuccess);
    ck_assert_int_eq(CCCryptorReset(c, iv), kCCUnimplemented);
    CCCryptorRelease(c);
    ck_assert_int_eq(CCCryptorCreateWithMode(kCCEncrypt, kCCModeCTR, kCCAlgorithmAES, ccNoPadding,
                                             iv, key, 16, NULL, 0, 0, kCCModeOptionCTR_BE, &c),
                     kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 20, first, 20, &moved), kCCSuccess);
    ck_assert_int_eq(CCCryptorReset(c, iv), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 20, second, 20, &moved), kCCSuccess);
    ck_assert_mem_eq(first, second, 20);
    CCCryptorRelease(c);
}
END_TEST

START_TEST(cryptor_final_ends_a_message_not_the_chain)
{
    /* After Final the CBC chain goes on, as on macOS: two messages make one CBC stream. */
    unsigned char key[16], iv[16], data[64], want[64], got[64];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(data, sizeof(data));
    evp_encrypt("AES-128-CBC", key, iv, 0, data, 64, want);
    CCCryptorRef c = NULL;
    size_t moved = 0, total = 0;
    ck_assert_int_eq(CCCryptorCreate(kCCEncrypt, kCCAlgorithmAES, 0, key, 16, iv, &c), kCCSuccess);
    ck_assert_int_eq(CCCryptorUpdate(c, data, 32, got, 64, &moved), kCCSuccess);
    total += moved;
    ck_assert_int_eq(CCCryptorFinal(c, got + total, 64 - total, &moved), kCCSuccess);
    total += moved;
    ck_assert_int_eq(CCCryptorUpdate(c, data + 32, 32, got + total, 64 - total, &moved),
                     kCCSuccess);
    total += moved;
    ck_assert_uint_eq(total, 64);
    ck_assert_mem_eq(got, want, 64);
    CCCryptorRelease(c);
}
END_TEST

START_TEST(cryptor_in_place)
{
    /* CCCrypt over one buffer, as programs do: output written over the input. */
    unsigned char key[32], iv[16], data[45], buf[64], want[64];
    random_bytes(key, sizeof(key));
    random_bytes(iv, sizeof(iv));
    random_bytes(data, sizeof(data));
    size_t want_len = evp_encrypt("AES-256-CBC", key, iv, 1, data, sizeof(data), want);
    memcpy(buf, data, sizeof(data));
    size_t moved = 0;
    ck_assert_int_eq(CCCrypt(kCCEncrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 32, iv, buf,
                             sizeof(data), buf, sizeof(buf), &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, want_len);
    ck_assert_mem_eq(buf, want, want_len);
    ck_assert_int_eq(CCCrypt(kCCDecrypt, kCCAlgorithmAES, kCCOptionPKCS7Padding, key, 32, iv, buf,
                             want_len, buf, sizeof(buf), &moved),
                     kCCSuccess);
    ck_assert_uint_eq(moved, sizeof(data));
    ck_assert_mem_eq(buf, data, sizeof(data));
}
END_TEST

START_TEST(legacy_algorithms_round_trip)
{
    /* DES, CAST, RC2, Blowfish and RC4 come from OpenSSL's legacy provider. */
    static const struct {
        CCAlgorithm alg;
        size_t key_len;
        CCOptions options;
    } algs[] = {{kCCAlgorithmDES, 8, kCCOptionPKCS7Padding},
                {kCCAlgorithmCAST, 16, kCCOptionPKCS7Padding},
                {kCCAlgorithmRC2, 16, kCCOptionPKCS7Padding},
                {kCCAlgorithmBlowfish, 16, kCCOptionPKCS7Padding | kCCOptionECBMode},
                {kCCAlgorithmRC4, 16, 0}};
    unsigned char key[16], data[37], out[64], back[64];
    random_bytes(key, sizeof(key));
    random_bytes(data, sizeof(data));
    for (size_t i = 0; i < COUNT(algs); i++) {
        size_t moved = 0, back_len = 0;
        CCCryptorStatus st = CCCrypt(kCCEncrypt, algs[i].alg, algs[i].options, key, algs[i].key_len,
                                     NULL, data, sizeof(data), out, sizeof(out), &moved);
        ck_assert_int_eq(st, kCCSuccess);
        ck_assert_uint_eq(moved, algs[i].alg == kCCAlgorithmRC4 ? 37 : 40);
        ck_assert_mem_ne(out, data, sizeof(data));
        ck_assert_int_eq(CCCrypt(kCCDecrypt, algs[i].alg, algs[i].options, key, algs[i].key_len,
                                 NULL, out, moved, back, sizeof(back), &back_len),
                         kCCSuccess);
        ck_assert_uint_eq(back_len, sizeof(data));
        ck_assert_mem_eq(back, data, sizeof(data));
    }
    size_t moved = 0;
    ck_assert_int_eq(
        CCCrypt(kCCEncrypt, kCCAlgorithmBlowfish, 0, key, 4, NULL, data, 8, out, 64, &moved),
        kCCKeySizeError);
}
END_TEST

/* ---- Random ---- */

START_TEST(random_bytes_generated)
{
    unsigned char a[64] = {0}, b[64] = {0};
    ck_assert_int_eq(CCRandomGenerateBytes(a, sizeof(a)), kCCSuccess);
    ck_assert_int_eq(CCRandomGenerateBytes(b, sizeof(b)), kCCSuccess);
    ck_assert_mem_ne(a, b, sizeof(a));
    ck_assert_int_eq(CCRandomGenerateBytes(NULL, 0), kCCSuccess);
    ck_assert_int_eq(CCRandomGenerateBytes(a, 0), kCCSuccess);
    ck_assert_int_eq(CCRandomGenerateBytes(NULL, 16), kCCParamError);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("commoncrypto");
    TCase *digest = tcase_create("digest");
    tcase_add_test(digest, context_sizes_are_apples);
    tcase_add_loop_test(digest, digest_known_answers, 0, (int)COUNT(digest_answers));
    tcase_add_test(digest, digest_million_a);
    tcase_add_loop_test(digest, digest_matches_openssl_at_every_split, 0, (int)COUNT(digests));
    tcase_add_loop_test(digest, digest_bad_arguments, 0, (int)COUNT(digests));
    suite_add_tcase(s, digest);
    TCase *mac = tcase_create("hmac_kdf");
    tcase_add_loop_test(mac, hmac_known_answers, 0, (int)COUNT(hmac_answers));
    tcase_add_loop_test(mac, hmac_matches_openssl, 0, (int)COUNT(hmac_algs));
    tcase_add_test(mac, hmac_bad_arguments);
    tcase_add_test(mac, pbkdf2_rfc6070);
    tcase_add_test(mac, pbkdf2_matches_openssl);
    tcase_add_test(mac, pbkdf2_bad_arguments);
    tcase_add_test(mac, pbkdf_calibration);
    suite_add_tcase(s, mac);
    TCase *cryptor = tcase_create("cryptor");
    tcase_add_test(cryptor, aes_sp800_38a);
    tcase_add_test(cryptor, cbc_padding_matches_openssl);
    tcase_add_test(cryptor, cryptor_streaming_every_split);
    tcase_add_test(cryptor, stream_modes_match_openssl);
    tcase_add_test(cryptor, cryptor_buffer_too_small);
    tcase_add_test(cryptor, cryptor_padding_as_corecrypto);
    tcase_add_test(cryptor, cryptor_alignment_errors);
    tcase_add_test(cryptor, cryptor_final_ends_a_message_not_the_chain);
    tcase_add_test(cryptor, cryptor_in_place);
    tcase_add_test(cryptor, cryptor_bad_arguments);
    tcase_add_test(cryptor, cryptor_reset_restarts);
    tcase_add_test(cryptor, legacy_algorithms_round_trip);
    tcase_add_test(cryptor, random_bytes_generated);
    suite_add_tcase(s, cryptor);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
