/*
 * The object behind CCCryptorRef and the cipher lookup it uses.
 */
#ifndef SECTRANS_CC_CRYPTOR_H
#define SECTRANS_CC_CRYPTOR_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdbool.h>

#include "cc_internal.h"

/*
 * OpenSSL runs with its padding off and is only ever given whole blocks in
 * total: the partial block, the ciphertext block a padded decryptor holds
 * back, and the padding itself are ours, so that sizes and the padding rule
 * are exactly CommonCrypto's.
 */
struct _CCCryptor {
    EVP_CIPHER_CTX *evp;
    CCOperation op;
    CCAlgorithm alg;
    CCMode mode;
    size_t block; /* the cipher's block; 1 for stream modes (CTR, CFB, OFB, RC4) */
    bool padding; /* PKCS#7, block modes only */
    size_t held;  /* bytes in `hold`: a partial block, or a padded decryptor's last block */
    unsigned char hold[EVP_MAX_BLOCK_LENGTH];
};

/* kCCSuccess, kCCParamError (unknown algorithm) or kCCKeySizeError. */
CCCryptorStatus cc_cipher_check_key(CCAlgorithm alg, size_t key_len);
size_t cc_cipher_block_size(CCAlgorithm alg);
/* kCCSuccess, kCCParamError (no such mode) or kCCUnimplemented (a mode OpenSSL lacks). */
CCCryptorStatus cc_cipher_check_mode(CCAlgorithm alg, CCMode mode);
/* kCCSuccess with *out to free, or kCCUnimplemented (no such cipher or provider). */
CCCryptorStatus cc_cipher_fetch(CCAlgorithm alg, CCMode mode, size_t key_len, EVP_CIPHER **out);

#endif
