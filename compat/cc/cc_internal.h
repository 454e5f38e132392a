/*
 * The CommonCrypto subset, internal interface: the digests by kind, so HMAC
 * and PBKDF2 can run any of them over the same caller-sized state.
 */
#ifndef SECTRANS_CC_INTERNAL_H
#define SECTRANS_CC_INTERNAL_H

#include <stddef.h>

#include "cc_export.h"

enum cc_digest_kind {
    CC_DIGEST_MD5,
    CC_DIGEST_SHA1,
    CC_DIGEST_SHA224,
    CC_DIGEST_SHA256,
    CC_DIGEST_SHA384,
    CC_DIGEST_SHA512,
};

/* Any one digest's running state (the largest is CC_SHA512_CTX, 208 bytes). */
union cc_digest_state {
    CC_MD5_CTX md5;
    CC_SHA1_CTX sha1;
    CC_SHA256_CTX sha256;
    CC_SHA512_CTX sha512;
};

#define CC_DIGEST_MAX_LENGTH CC_SHA512_DIGEST_LENGTH
#define CC_DIGEST_MAX_BLOCK  CC_SHA512_BLOCK_BYTES

size_t cc_digest_length(enum cc_digest_kind kind);
size_t cc_digest_block_size(enum cc_digest_kind kind);
void cc_digest_begin(enum cc_digest_kind kind, union cc_digest_state *state);
void cc_digest_feed(enum cc_digest_kind kind, union cc_digest_state *state, const void *data,
                    size_t len);
void cc_digest_end(enum cc_digest_kind kind, union cc_digest_state *state, unsigned char *out);

#endif
