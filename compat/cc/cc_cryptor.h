/*
 * The object behind CCCryptorRef and the cipher lookup it uses.
 */
#ifndef SECTRANS_CC_CRYPTOR_H
#define SECTRANS_CC_CRYPTOR_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdbool.h>

#include "cc_internal.h"

struct _CCCryptor {
    EVP_CIPHER_CTX *evp;
    CCOperation op;
    CCAlgorithm alg;
    CCMode mode;
    size_t block;    /* the cipher's block; 1 for stream modes (CTR, CFB, OFB, RC4) */
    bool padding;    /* PKCS#7, block modes only */
    bool finished;   /* Final ran: Update and Final wait for CCCryptorReset */
    size_t buffered; /* bytes OpenSSL holds back: a partial block, or the last block */
};

/* kCCSuccess, kCCParamError (unknown algorithm) or kCCKeySizeError. */
CCCryptorStatus cc_cipher_check_key(CCAlgorithm alg, size_t key_len);
size_t cc_cipher_block_size(CCAlgorithm alg);
/* kCCSuccess with *out to free, or kCCUnimplemented (no such mode or provider). */
CCCryptorStatus cc_cipher_fetch(CCAlgorithm alg, CCMode mode, size_t key_len, EVP_CIPHER **out);

#endif
