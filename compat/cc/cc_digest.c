/*
 * CC_MD4, CC_MD5, CC_SHA1 and the SHA-2 family, one-shot and streaming.
 *
 * A caller allocates the context on its own stack with Apple's size, so the
 * whole running state must live inside Apple's structure: OpenSSL's EVP
 * contexts are opaque heap objects and its SHA256_CTX/SHA512_CTX are larger
 * than CC_SHA256_CTX (104 bytes) and CC_SHA512_CTX (208 bytes). So this file
 * keeps the chaining values, the byte count and the partial block in Apple's
 * fields itself, and only the compression of one full block is OpenSSL's
 * (its *_Transform functions, on a scratch context that lives for one call).
 * Init, Update and Final return 1 as on macOS; 0 only for a NULL argument,
 * where macOS would crash.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/md4.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <string.h>

#include "cc_internal.h"

typedef void (*compress_fn)(void *ctx, const unsigned char *block);

/* What one digest needs to buffer and pad: its block, count and compression. */
struct md_engine {
    void *ctx;
    unsigned char *buffer; /* one block, inside the caller's context */
    size_t block;          /* 64 or 128 */
    uint64_t total;        /* bytes absorbed so far */
    compress_fn compress;
    int big_endian; /* length field and output words: SHA big-endian, MD4/MD5 little */
};

static void engine_absorb(struct md_engine *e, const unsigned char *p, size_t len)
{
    size_t have = (size_t)(e->total % e->block);
    e->total += len;
    if (have != 0) {
        size_t take = e->block - have < len ? e->block - have : len;
        memcpy(e->buffer + have, p, take);
        p += take;
        len -= take;
        if (have + take < e->block)
            return;
        e->compress(e->ctx, e->buffer);
    }
    for (; len >= e->block; p += e->block, len -= e->block)
        e->compress(e->ctx, p);
    if (len > 0)
        memcpy(e->buffer, p, len);
}

static void put_be64(unsigned char *out, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (unsigned char)v;
}

static void put_le64(unsigned char *out, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        out[i] = (unsigned char)v;
}

/* FIPS 180-4 §5.1 / RFC 1321 §3.1-3.2: 0x80, zeros, then the bit length. */
static void engine_pad(struct md_engine *e)
{
    size_t length_bytes = e->block == 128 ? 16 : 8;
    size_t have = (size_t)(e->total % e->block);
    e->buffer[have++] = 0x80;
    if (have > e->block - length_bytes) {
        memset(e->buffer + have, 0, e->block - have);
        e->compress(e->ctx, e->buffer);
        have = 0;
    }
    memset(e->buffer + have, 0, e->block - have);
    uint64_t bits = e->total << 3;
    if (e->big_endian) {
        put_be64(e->buffer + e->block - 8, bits);
        if (length_bytes == 16)
            put_be64(e->buffer + e->block - 16, e->total >> 61);
    } else {
        put_le64(e->buffer + e->block - 8, bits);
    }
    e->compress(e->ctx, e->buffer);
}

static void put_words32(unsigned char *out, const uint32_t *w, size_t bytes, int big_endian)
{
    for (size_t i = 0; i < bytes; i++) {
        unsigned shift = big_endian ? 24 - 8 * (unsigned)(i % 4) : 8 * (unsigned)(i % 4);
        out[i] = (unsigned char)(w[i / 4] >> shift);
    }
}

/* ---- MD4 and MD5 (RFC 1320, RFC 1321): A..D, a 64-bit count in Nl/Nh ---- */

static void md4_compress(void *ctx, const unsigned char *block)
{
    CC_MD4_CTX *c = ctx;
    MD4_CTX scratch;
    scratch.A = c->A, scratch.B = c->B, scratch.C = c->C, scratch.D = c->D;
    MD4_Transform(&scratch, block);
    c->A = scratch.A, c->B = scratch.B, c->C = scratch.C, c->D = scratch.D;
}

static void md5_compress(void *ctx, const unsigned char *block)
{
    CC_MD5_CTX *c = ctx;
    MD5_CTX scratch;
    scratch.A = c->A, scratch.B = c->B, scratch.C = c->C, scratch.D = c->D;
    MD5_Transform(&scratch, block);
    c->A = scratch.A, c->B = scratch.B, c->C = scratch.C, c->D = scratch.D;
}

static const uint32_t md_initial[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

#define DEFINE_MD_FAMILY(NAME, CTX, COMPRESS, LEN)                                                 \
    static struct md_engine NAME##_engine(CTX *c)                                                  \
    {                                                                                              \
        struct md_engine e = {                                                                     \
            c, (unsigned char *)c->data, 64, ((uint64_t)c->Nh << 32) | c->Nl, COMPRESS, 0};        \
        return e;                                                                                  \
    }                                                                                              \
    static void NAME##_store(CTX *c, const struct md_engine *e)                                    \
    {                                                                                              \
        c->Nl = (CC_LONG)e->total;                                                                 \
        c->Nh = (CC_LONG)(e->total >> 32);                                                         \
        c->num = (int)(e->total % 64);                                                             \
    }                                                                                              \
    int CC_##NAME##_Init(CTX *c)                                                                   \
    {                                                                                              \
        if (c == NULL)                                                                             \
            return 0;                                                                              \
        memset(c, 0, sizeof(*c));                                                                  \
        c->A = md_initial[0], c->B = md_initial[1], c->C = md_initial[2], c->D = md_initial[3];    \
        return 1;                                                                                  \
    }                                                                                              \
    int CC_##NAME##_Update(CTX *c, const void *data, CC_LONG len)                                  \
    {                                                                                              \
        if (c == NULL || (data == NULL && len != 0))                                               \
            return 0;                                                                              \
        struct md_engine e = NAME##_engine(c);                                                     \
        engine_absorb(&e, data, len);                                                              \
        NAME##_store(c, &e);                                                                       \
        return 1;                                                                                  \
    }                                                                                              \
    int CC_##NAME##_Final(unsigned char *md, CTX *c)                                               \
    {                                                                                              \
        if (md == NULL || c == NULL)                                                               \
            return 0;                                                                              \
        struct md_engine e = NAME##_engine(c);                                                     \
        engine_pad(&e);                                                                            \
        uint32_t words[4] = {c->A, c->B, c->C, c->D};                                              \
        put_words32(md, words, LEN, 0);                                                            \
        OPENSSL_cleanse(c, sizeof(*c));                                                            \
        return 1;                                                                                  \
    }                                                                                              \
    unsigned char *CC_##NAME(const void *data, CC_LONG len, unsigned char *md)                     \
    {                                                                                              \
        CTX c;                                                                                     \
        if (md == NULL || (data == NULL && len != 0))                                              \
            return NULL;                                                                           \
        CC_##NAME##_Init(&c);                                                                      \
        CC_##NAME##_Update(&c, data, len);                                                         \
        CC_##NAME##_Final(md, &c);                                                                 \
        return md;                                                                                 \
    }

DEFINE_MD_FAMILY(MD4, CC_MD4_CTX, md4_compress, CC_MD4_DIGEST_LENGTH)
DEFINE_MD_FAMILY(MD5, CC_MD5_CTX, md5_compress, CC_MD5_DIGEST_LENGTH)

/* ---- SHA-1 (FIPS 180-4): h0..h4, a 64-bit count in Nl/Nh ---- */

static void sha1_compress(void *ctx, const unsigned char *block)
{
    CC_SHA1_CTX *c = ctx;
    SHA_CTX scratch;
    scratch.h0 = c->h0, scratch.h1 = c->h1, scratch.h2 = c->h2, scratch.h3 = c->h3;
    scratch.h4 = c->h4;
    SHA1_Transform(&scratch, block);
    c->h0 = scratch.h0, c->h1 = scratch.h1, c->h2 = scratch.h2, c->h3 = scratch.h3;
    c->h4 = scratch.h4;
}

static struct md_engine sha1_engine(CC_SHA1_CTX *c)
{
    struct md_engine e = {
        c, (unsigned char *)c->data, 64, ((uint64_t)c->Nh << 32) | c->Nl, sha1_compress, 1};
    return e;
}

int CC_SHA1_Init(CC_SHA1_CTX *c)
{
    if (c == NULL)
        return 0;
    memset(c, 0, sizeof(*c));
    c->h0 = 0x67452301, c->h1 = 0xefcdab89, c->h2 = 0x98badcfe, c->h3 = 0x10325476;
    c->h4 = 0xc3d2e1f0;
    return 1;
}

int CC_SHA1_Update(CC_SHA1_CTX *c, const void *data, CC_LONG len)
{
    if (c == NULL || (data == NULL && len != 0))
        return 0;
    struct md_engine e = sha1_engine(c);
    engine_absorb(&e, data, len);
    c->Nl = (CC_LONG)e.total;
    c->Nh = (CC_LONG)(e.total >> 32);
    c->num = (int)(e.total % 64);
    return 1;
}

int CC_SHA1_Final(unsigned char *md, CC_SHA1_CTX *c)
{
    if (md == NULL || c == NULL)
        return 0;
    struct md_engine e = sha1_engine(c);
    engine_pad(&e);
    uint32_t words[5] = {c->h0, c->h1, c->h2, c->h3, c->h4};
    put_words32(md, words, CC_SHA1_DIGEST_LENGTH, 1);
    OPENSSL_cleanse(c, sizeof(*c));
    return 1;
}

unsigned char *CC_SHA1(const void *data, CC_LONG len, unsigned char *md)
{
    CC_SHA1_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    CC_SHA1_Init(&c);
    CC_SHA1_Update(&c, data, len);
    CC_SHA1_Final(md, &c);
    return md;
}

/* ---- SHA-224 and SHA-256: hash[8], the byte count in count[0..1], wbuf ---- */

static void sha256_compress(void *ctx, const unsigned char *block)
{
    CC_SHA256_CTX *c = ctx;
    SHA256_CTX scratch;
    memcpy(scratch.h, c->hash, sizeof(c->hash));
    SHA256_Transform(&scratch, block);
    memcpy(c->hash, scratch.h, sizeof(c->hash));
}

static struct md_engine sha256_engine(CC_SHA256_CTX *c)
{
    struct md_engine e = {c,
                          (unsigned char *)c->wbuf,
                          64,
                          ((uint64_t)c->count[1] << 32) | c->count[0],
                          sha256_compress,
                          1};
    return e;
}

static const uint32_t sha224_initial[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                           0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
static const uint32_t sha256_initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static int sha256_begin(CC_SHA256_CTX *c, const uint32_t initial[8])
{
    if (c == NULL)
        return 0;
    memset(c, 0, sizeof(*c));
    memcpy(c->hash, initial, sizeof(c->hash));
    return 1;
}

static int sha256_feed(CC_SHA256_CTX *c, const void *data, size_t len)
{
    if (c == NULL || (data == NULL && len != 0))
        return 0;
    struct md_engine e = sha256_engine(c);
    engine_absorb(&e, data, len);
    c->count[0] = (CC_LONG)e.total;
    c->count[1] = (CC_LONG)(e.total >> 32);
    return 1;
}

static int sha256_end(unsigned char *md, CC_SHA256_CTX *c, size_t out_len)
{
    if (md == NULL || c == NULL)
        return 0;
    struct md_engine e = sha256_engine(c);
    engine_pad(&e);
    put_words32(md, c->hash, out_len, 1);
    OPENSSL_cleanse(c, sizeof(*c));
    return 1;
}

int CC_SHA224_Init(CC_SHA256_CTX *c)
{
    return sha256_begin(c, sha224_initial);
}

int CC_SHA224_Update(CC_SHA256_CTX *c, const void *data, CC_LONG len)
{
    return sha256_feed(c, data, len);
}

int CC_SHA224_Final(unsigned char *md, CC_SHA256_CTX *c)
{
    return sha256_end(md, c, CC_SHA224_DIGEST_LENGTH);
}

unsigned char *CC_SHA224(const void *data, CC_LONG len, unsigned char *md)
{
    CC_SHA256_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    sha256_begin(&c, sha224_initial);
    sha256_feed(&c, data, len);
    sha256_end(md, &c, CC_SHA224_DIGEST_LENGTH);
    return md;
}

int CC_SHA256_Init(CC_SHA256_CTX *c)
{
    return sha256_begin(c, sha256_initial);
}

int CC_SHA256_Update(CC_SHA256_CTX *c, const void *data, CC_LONG len)
{
    return sha256_feed(c, data, len);
}

int CC_SHA256_Final(unsigned char *md, CC_SHA256_CTX *c)
{
    return sha256_end(md, c, CC_SHA256_DIGEST_LENGTH);
}

unsigned char *CC_SHA256(const void *data, CC_LONG len, unsigned char *md)
{
    CC_SHA256_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    sha256_begin(&c, sha256_initial);
    sha256_feed(&c, data, len);
    sha256_end(md, &c, CC_SHA256_DIGEST_LENGTH);
    return md;
}

/* ---- SHA-384 and SHA-512: hash[8], the byte count in count[0], wbuf ---- */

static void sha512_compress(void *ctx, const unsigned char *block)
{
    CC_SHA512_CTX *c = ctx;
    SHA512_CTX scratch;
    memcpy(scratch.h, c->hash, sizeof(c->hash));
    SHA512_Transform(&scratch, block);
    memcpy(c->hash, scratch.h, sizeof(c->hash));
}

static struct md_engine sha512_engine(CC_SHA512_CTX *c)
{
    struct md_engine e = {c, (unsigned char *)c->wbuf, 128, c->count[0], sha512_compress, 1};
    return e;
}

static const uint64_t sha384_initial[8] = {
    0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
    0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL};
static const uint64_t sha512_initial[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

static int sha512_begin(CC_SHA512_CTX *c, const uint64_t initial[8])
{
    if (c == NULL)
        return 0;
    memset(c, 0, sizeof(*c));
    memcpy(c->hash, initial, sizeof(c->hash));
    return 1;
}

static int sha512_feed(CC_SHA512_CTX *c, const void *data, size_t len)
{
    if (c == NULL || (data == NULL && len != 0))
        return 0;
    struct md_engine e = sha512_engine(c);
    engine_absorb(&e, data, len);
    c->count[0] = e.total;
    return 1;
}

static int sha512_end(unsigned char *md, CC_SHA512_CTX *c, size_t out_len)
{
    if (md == NULL || c == NULL)
        return 0;
    struct md_engine e = sha512_engine(c);
    engine_pad(&e);
    for (size_t i = 0; i < out_len; i++)
        md[i] = (unsigned char)(c->hash[i / 8] >> (56 - 8 * (i % 8)));
    OPENSSL_cleanse(c, sizeof(*c));
    return 1;
}

int CC_SHA384_Init(CC_SHA512_CTX *c)
{
    return sha512_begin(c, sha384_initial);
}

int CC_SHA384_Update(CC_SHA512_CTX *c, const void *data, CC_LONG len)
{
    return sha512_feed(c, data, len);
}

int CC_SHA384_Final(unsigned char *md, CC_SHA512_CTX *c)
{
    return sha512_end(md, c, CC_SHA384_DIGEST_LENGTH);
}

unsigned char *CC_SHA384(const void *data, CC_LONG len, unsigned char *md)
{
    CC_SHA512_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    sha512_begin(&c, sha384_initial);
    sha512_feed(&c, data, len);
    sha512_end(md, &c, CC_SHA384_DIGEST_LENGTH);
    return md;
}

int CC_SHA512_Init(CC_SHA512_CTX *c)
{
    return sha512_begin(c, sha512_initial);
}

int CC_SHA512_Update(CC_SHA512_CTX *c, const void *data, CC_LONG len)
{
    return sha512_feed(c, data, len);
}

int CC_SHA512_Final(unsigned char *md, CC_SHA512_CTX *c)
{
    return sha512_end(md, c, CC_SHA512_DIGEST_LENGTH);
}

unsigned char *CC_SHA512(const void *data, CC_LONG len, unsigned char *md)
{
    CC_SHA512_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    sha512_begin(&c, sha512_initial);
    sha512_feed(&c, data, len);
    sha512_end(md, &c, CC_SHA512_DIGEST_LENGTH);
    return md;
}

/* ---- By kind, for HMAC and PBKDF2: lengths are size_t there ---- */

size_t cc_digest_length(enum cc_digest_kind kind)
{
    static const size_t lengths[] = {CC_MD5_DIGEST_LENGTH,    CC_SHA1_DIGEST_LENGTH,
                                     CC_SHA224_DIGEST_LENGTH, CC_SHA256_DIGEST_LENGTH,
                                     CC_SHA384_DIGEST_LENGTH, CC_SHA512_DIGEST_LENGTH};
    return lengths[kind];
}

size_t cc_digest_block_size(enum cc_digest_kind kind)
{
    return kind >= CC_DIGEST_SHA384 ? 128 : 64;
}

void cc_digest_begin(enum cc_digest_kind kind, union cc_digest_state *state)
{
    switch (kind) {
    case CC_DIGEST_MD5: CC_MD5_Init(&state->md5); break;
    case CC_DIGEST_SHA1: CC_SHA1_Init(&state->sha1); break;
    case CC_DIGEST_SHA224: sha256_begin(&state->sha256, sha224_initial); break;
    case CC_DIGEST_SHA256: sha256_begin(&state->sha256, sha256_initial); break;
    case CC_DIGEST_SHA384: sha512_begin(&state->sha512, sha384_initial); break;
    case CC_DIGEST_SHA512: sha512_begin(&state->sha512, sha512_initial); break;
    }
}

void cc_digest_feed(enum cc_digest_kind kind, union cc_digest_state *state, const void *data,
                    size_t len)
{
    if (kind >= CC_DIGEST_SHA224) {
        if (kind >= CC_DIGEST_SHA384)
            sha512_feed(&state->sha512, data, len);
        else
            sha256_feed(&state->sha256, data, len);
        return;
    }
    /* MD5 and SHA-1 take CC_LONG lengths: feed them in pieces. */
    const unsigned char *p = data;
    while (len > 0) {
        CC_LONG piece = len > 0x40000000u ? 0x40000000u : (CC_LONG)len;
        if (kind == CC_DIGEST_MD5)
            CC_MD5_Update(&state->md5, p, piece);
        else
            CC_SHA1_Update(&state->sha1, p, piece);
        p += piece;
        len -= piece;
    }
}

void cc_digest_end(enum cc_digest_kind kind, union cc_digest_state *state, unsigned char *out)
{
    switch (kind) {
    case CC_DIGEST_MD5: CC_MD5_Final(out, &state->md5); break;
    case CC_DIGEST_SHA1: CC_SHA1_Final(out, &state->sha1); break;
    case CC_DIGEST_SHA224: sha256_end(out, &state->sha256, CC_SHA224_DIGEST_LENGTH); break;
    case CC_DIGEST_SHA256: sha256_end(out, &state->sha256, CC_SHA256_DIGEST_LENGTH); break;
    case CC_DIGEST_SHA384: sha512_end(out, &state->sha512, CC_SHA384_DIGEST_LENGTH); break;
    case CC_DIGEST_SHA512: sha512_end(out, &state->sha512, CC_SHA512_DIGEST_LENGTH); break;
    }
}
