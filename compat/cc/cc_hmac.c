/*
 * CCHmac (RFC 2104) over the digests of cc_digest.c.
 *
 * A CCHmacContext is Apple's 384 bytes on the caller's stack. Two SHA-512
 * states (inner and outer) would not fit, so the context holds the inner
 * digest state and the padded key K0; the outer hash is computed at Final
 * from K0 ^ opad. The caller's buffer is only 4-byte aligned and the SHA-512
 * state needs 8, so each call works on an aligned copy.
 *
 * The functions return nothing: a NULL context, an unknown algorithm or a
 * NULL key with a length leave the context marked unusable, and Update and
 * Final on it do nothing (macOS would crash or misbehave).
 */
#include <openssl/crypto.h>
#include <string.h>

#include "cc_internal.h"

#define HMAC_READY 0x48636d43u /* "CmcH": set by a successful Init */

struct hmac_state {
    uint32_t ready;
    uint32_t kind; /* enum cc_digest_kind */
    unsigned char k0[CC_DIGEST_MAX_BLOCK];
    union cc_digest_state inner;
};

_Static_assert(sizeof(struct hmac_state) <= sizeof(CCHmacContext),
               "the HMAC state fits in Apple's CCHmacContext");

static int kind_of_algorithm(CCHmacAlgorithm algorithm, enum cc_digest_kind *kind)
{
    switch (algorithm) {
    case kCCHmacAlgSHA1: *kind = CC_DIGEST_SHA1; return 1;
    case kCCHmacAlgMD5: *kind = CC_DIGEST_MD5; return 1;
    case kCCHmacAlgSHA256: *kind = CC_DIGEST_SHA256; return 1;
    case kCCHmacAlgSHA384: *kind = CC_DIGEST_SHA384; return 1;
    case kCCHmacAlgSHA512: *kind = CC_DIGEST_SHA512; return 1;
    case kCCHmacAlgSHA224: *kind = CC_DIGEST_SHA224; return 1;
    default: return 0;
    }
}

static void pad_key(unsigned char *out, const unsigned char *k0, size_t n, unsigned char pad)
{
    for (size_t i = 0; i < n; i++)
        out[i] = k0[i] ^ pad;
}

static void hmac_start(struct hmac_state *s, enum cc_digest_kind kind, const void *key,
                       size_t key_len)
{
    size_t block = cc_digest_block_size(kind);
    memset(s, 0, sizeof(*s));
    s->kind = (uint32_t)kind;
    /* RFC 2104 §2: a key longer than a block is hashed first. */
    if (key_len > block) {
        cc_digest_begin(kind, &s->inner);
        cc_digest_feed(kind, &s->inner, key, key_len);
        cc_digest_end(kind, &s->inner, s->k0);
    } else if (key_len > 0) {
        memcpy(s->k0, key, key_len);
    }
    unsigned char ipad[CC_DIGEST_MAX_BLOCK];
    pad_key(ipad, s->k0, block, 0x36);
    cc_digest_begin(kind, &s->inner);
    cc_digest_feed(kind, &s->inner, ipad, block);
    OPENSSL_cleanse(ipad, sizeof(ipad));
    s->ready = HMAC_READY;
}

static void hmac_finish(struct hmac_state *s, void *mac_out)
{
    enum cc_digest_kind kind = (enum cc_digest_kind)s->kind;
    size_t block = cc_digest_block_size(kind);
    unsigned char inner_hash[CC_DIGEST_MAX_LENGTH], opad[CC_DIGEST_MAX_BLOCK];
    cc_digest_end(kind, &s->inner, inner_hash);
    pad_key(opad, s->k0, block, 0x5c);
    union cc_digest_state outer;
    cc_digest_begin(kind, &outer);
    cc_digest_feed(kind, &outer, opad, block);
    cc_digest_feed(kind, &outer, inner_hash, cc_digest_length(kind));
    cc_digest_end(kind, &outer, mac_out);
    OPENSSL_cleanse(inner_hash, sizeof(inner_hash));
    OPENSSL_cleanse(opad, sizeof(opad));
}

/* A context Init accepted: the marker and a known digest. */
static int load_ready(const CCHmacContext *ctx, struct hmac_state *s)
{
    memcpy(s, ctx, sizeof(*s));
    return s->ready == HMAC_READY && s->kind <= CC_DIGEST_SHA512;
}

static void mark_unusable(CCHmacContext *ctx)
{
    OPENSSL_cleanse(ctx, sizeof(*ctx));
}

void CCHmacInit(CCHmacContext *ctx, CCHmacAlgorithm algorithm, const void *key, size_t keyLength)
{
    enum cc_digest_kind kind;
    if (ctx == NULL)
        return;
    if (!kind_of_algorithm(algorithm, &kind) || (key == NULL && keyLength != 0)) {
        mark_unusable(ctx);
        return;
    }
    struct hmac_state s;
    hmac_start(&s, kind, key, keyLength);
    memcpy(ctx, &s, sizeof(s));
    OPENSSL_cleanse(&s, sizeof(s));
}

void CCHmacUpdate(CCHmacContext *ctx, const void *data, size_t dataLength)
{
    struct hmac_state s;
    if (ctx == NULL || (data == NULL && dataLength != 0) || !load_ready(ctx, &s))
        return;
    cc_digest_feed((enum cc_digest_kind)s.kind, &s.inner, data, dataLength);
    memcpy(ctx, &s, sizeof(s));
    OPENSSL_cleanse(&s, sizeof(s));
}

void CCHmacFinal(CCHmacContext *ctx, void *macOut)
{
    struct hmac_state s;
    if (ctx == NULL || macOut == NULL || !load_ready(ctx, &s))
        return;
    hmac_finish(&s, macOut);
    OPENSSL_cleanse(&s, sizeof(s));
    mark_unusable(ctx);
}

void CCHmac(CCHmacAlgorithm algorithm, const void *key, size_t keyLength, const void *data,
            size_t dataLength, void *macOut)
{
    enum cc_digest_kind kind;
    if (!kind_of_algorithm(algorithm, &kind) || (key == NULL && keyLength != 0) ||
        (data == NULL && dataLength != 0) || macOut == NULL)
        return;
    struct hmac_state s;
    hmac_start(&s, kind, key, keyLength);
    cc_digest_feed(kind, &s.inner, data, dataLength);
    hmac_finish(&s, macOut);
    OPENSSL_cleanse(&s, sizeof(s));
}
