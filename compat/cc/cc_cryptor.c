/*
 * CCCryptor: symmetric encryption over an OpenSSL EVP_CIPHER_CTX, with
 * CommonCrypto's buffering, sizes and padding (Apple's CommonCryptor.c and
 * its corecrypto bridge, as in 10.15):
 *
 * - Every call first works out how many bytes it will write
 *   (CCCryptorGetOutputLength); if the buffer is smaller, Update and CCCrypt
 *   return kCCBufferTooSmall with that size in *dataOutMoved.
 * - Block modes keep a partial block; a padded decryptor also keeps the
 *   last whole block until Final.
 * - PKCS#7 padding is removed by its last byte alone: a last byte of 1 to
 *   the block size removes that many bytes, any other value removes none.
 *   The other padding bytes are not checked and a bad padding is never
 *   reported (corecrypto's ccpad_pkcs7_decode, which keeps padding oracles
 *   out); a partial final block without padding is kCCAlignmentError.
 * - Final ends a message, not the cryptor: later Updates go on from where
 *   the chain stands, as on macOS.
 * A NULL IV means an IV of zeros, as Apple documents.
 */
#include <stdlib.h>
#include <string.h>

#include "cc_cryptor.h"

static bool is_stream_mode(CCAlgorithm alg, CCMode mode)
{
    return alg == kCCAlgorithmRC4 || mode == kCCModeCTR || mode == kCCModeCFB ||
           mode == kCCModeOFB || mode == kCCModeCFB8;
}

/* (Re)starts the cipher: with a key on creation, with only an IV on reset. */
static CCCryptorStatus start_cipher(CCCryptorRef c, const void *key, size_t key_len, const void *iv)
{
    unsigned char zero_iv[EVP_MAX_IV_LENGTH] = {0};
    int enc = c->op == kCCEncrypt;
    if (key != NULL) {
        /* Variable-length keys (CAST, RC2, RC4, Blowfish) are sized before the key is set. */
        if ((size_t)EVP_CIPHER_CTX_get_key_length(c->evp) != key_len &&
            EVP_CIPHER_CTX_set_key_length(c->evp, (int)key_len) != 1)
            return kCCKeySizeError;
        if (c->alg == kCCAlgorithmRC2)
            EVP_CIPHER_CTX_ctrl(c->evp, EVP_CTRL_SET_RC2_KEY_BITS, (int)key_len * 8, NULL);
    }
    const void *use_iv = EVP_CIPHER_CTX_get_iv_length(c->evp) > 0 ? (iv ? iv : zero_iv) : NULL;
    if (!EVP_CipherInit_ex2(c->evp, NULL, key, use_iv, enc, NULL))
        return kCCUnspecifiedError;
    EVP_CIPHER_CTX_set_padding(c->evp, 0);
    c->held = 0;
    return kCCSuccess;
}

CCCryptorStatus CCCryptorCreateWithMode(CCOperation op, CCMode mode, CCAlgorithm alg,
                                        CCPadding padding, const void *iv, const void *key,
                                        size_t keyLength, const void *tweak, size_t tweakLength,
                                        int numRounds, CCModeOptions options,
                                        CCCryptorRef *cryptorRef)
{
    /* Apple ignores these three (and so the CTR counter is always big-endian). */
    (void)tweak, (void)tweakLength, (void)numRounds, (void)options;
    if (cryptorRef == NULL || key == NULL)
        return kCCParamError;
    *cryptorRef = NULL;
    if (op != kCCEncrypt && op != kCCDecrypt)
        return kCCParamError;
    CCCryptorStatus status = cc_cipher_check_mode(alg, mode);
    if (status != kCCSuccess)
        return status;
    status = cc_cipher_check_key(alg, keyLength);
    if (status != kCCSuccess)
        return status;
    EVP_CIPHER *cipher = NULL;
    status = cc_cipher_fetch(alg, mode, keyLength, &cipher);
    if (status != kCCSuccess)
        return status;
    CCCryptorRef c = calloc(1, sizeof(*c));
    if (c == NULL || (c->evp = EVP_CIPHER_CTX_new()) == NULL ||
        !EVP_CipherInit_ex2(c->evp, cipher, NULL, NULL, op == kCCEncrypt, NULL)) {
        EVP_CIPHER_free(cipher);
        if (c != NULL)
            EVP_CIPHER_CTX_free(c->evp);
        free(c);
        ERR_clear_error();
        return kCCMemoryFailure;
    }
    EVP_CIPHER_free(cipher); /* the context keeps its own reference */
    c->op = op;
    c->alg = alg;
    c->mode = alg == kCCAlgorithmRC4 ? kCCModeRC4 : mode;
    c->block = is_stream_mode(alg, mode) ? 1 : cc_cipher_block_size(alg);
    /* Any padding value but PKCS#7 means none (Apple's default branch). */
    c->padding = padding == ccPKCS7Padding && c->block > 1;
    status = start_cipher(c, key, keyLength, iv);
    ERR_clear_error();
    if (status != kCCSuccess) {
        CCCryptorRelease(c);
        return status;
    }
    *cryptorRef = c;
    return kCCSuccess;
}

CCCryptorStatus CCCryptorCreate(CCOperation op, CCAlgorithm alg, CCOptions options, const void *key,
                                size_t keyLength, const void *iv, CCCryptorRef *cryptorRef)
{
    CCMode mode = alg == kCCAlgorithmRC4              ? kCCModeRC4
                  : (options & kCCOptionECBMode) != 0 ? kCCModeECB
                                                      : kCCModeCBC;
    CCPadding padding = (options & kCCOptionPKCS7Padding) != 0 ? ccPKCS7Padding : ccNoPadding;
    return CCCryptorCreateWithMode(op, mode, alg, padding, iv, key, keyLength, NULL, 0, 0, 0,
                                   cryptorRef);
}

/* Creating a cryptor inside caller memory is not provided: allocate with CCCryptorCreate. */
CCCryptorStatus CCCryptorCreateFromData(CCOperation op, CCAlgorithm alg, CCOptions options,
                                        const void *key, size_t keyLength, const void *iv,
                                        const void *data, size_t dataLength,
                                        CCCryptorRef *cryptorRef, size_t *dataUsed)
{
    (void)op, (void)alg, (void)options, (void)key, (void)keyLength, (void)iv, (void)data;
    (void)dataLength;
    if (cryptorRef != NULL)
        *cryptorRef = NULL;
    if (dataUsed != NULL)
        *dataUsed = 0;
    return kCCUnimplemented;
}

CCCryptorStatus CCCryptorRelease(CCCryptorRef cryptorRef)
{
    if (cryptorRef == NULL)
        return kCCSuccess;
    EVP_CIPHER_CTX_free(cryptorRef->evp);
    OPENSSL_cleanse(cryptorRef, sizeof(*cryptorRef));
    free(cryptorRef);
    return kCCSuccess;
}

static size_t round_down(size_t n, size_t block)
{
    return n - n % block;
}

/* Apple's padlen rules (ccpkcs7_padlen, ccnopad_padlen); streams write what they get. */
static size_t output_length(const struct _CCCryptor *c, size_t in, bool final)
{
    if (c->block == 1)
        return in;
    size_t total = c->held + in;
    if (total < in)
        return SIZE_MAX;
    if (!c->padding)
        return round_down(total, c->block);
    if (c->op == kCCEncrypt)
        return final ? round_down(total + c->block, c->block) : round_down(total, c->block);
    if (final)
        return total;
    return round_down(total != 0 && total % c->block == 0 ? total - 1 : total, c->block);
}

size_t CCCryptorGetOutputLength(CCCryptorRef cryptorRef, size_t inputLength, bool final)
{
    /* Apple returns the status as the length. */
    if (cryptorRef == NULL)
        return (size_t)kCCParamError;
    return output_length(cryptorRef, inputLength, final);
}

static void set_moved(size_t *dataOutMoved, size_t n)
{
    if (dataOutMoved != NULL)
        *dataOutMoved = n;
}

/* Runs `len` bytes through OpenSSL (EVP lengths are ints: large inputs go in pieces). */
static bool cipher_bytes(CCCryptorRef c, const unsigned char *in, size_t len, unsigned char *out,
                         size_t *written)
{
    while (len > 0) {
        int piece = len > (1u << 30) ? 1 << 30 : (int)len;
        int n = 0;
        if (!EVP_CipherUpdate(c->evp, out + *written, &n, in, piece)) {
            ERR_clear_error();
            return false;
        }
        *written += (size_t)n;
        in += piece;
        len -= (size_t)piece;
    }
    return true;
}

CCCryptorStatus CCCryptorUpdate(CCCryptorRef cryptorRef, const void *dataIn, size_t dataInLength,
                                void *dataOut, size_t dataOutAvailable, size_t *dataOutMoved)
{
    struct _CCCryptor *c = cryptorRef;
    if (c == NULL)
        return kCCParamError;
    set_moved(dataOutMoved, 0);
    if (dataInLength == 0)
        return kCCSuccess;
    if (dataIn == NULL)
        return kCCParamError;
    size_t out_len = output_length(c, dataInLength, false);
    if (out_len > dataOutAvailable) {
        set_moved(dataOutMoved, out_len);
        return kCCBufferTooSmall;
    }
    if (dataOut == NULL && out_len > 0)
        return kCCParamError;
    const unsigned char *in = dataIn;
    size_t written = 0;
    /* The first out_len bytes of held || in are ciphered (whole blocks); the rest is held. */
    size_t from_held = c->held < out_len ? c->held : out_len;
    size_t from_in = out_len - from_held, tail = dataInLength - from_in;
    /* The tail is saved first: output written in place over the input may cover it. */
    unsigned char saved[EVP_MAX_BLOCK_LENGTH];
    memcpy(saved, in + from_in, tail);
    bool ok = cipher_bytes(c, c->hold, from_held, dataOut, &written) &&
              cipher_bytes(c, in, from_in, dataOut, &written);
    if (ok) {
        memmove(c->hold, c->hold + from_held, c->held - from_held);
        c->held -= from_held;
        memcpy(c->hold + c->held, saved, tail);
        c->held += tail;
    }
    OPENSSL_cleanse(saved, sizeof(saved));
    if (!ok)
        return kCCUnspecifiedError;
    set_moved(dataOutMoved, written);
    return kCCSuccess;
}

/* A padded decryptor's last block: decrypted, then unpadded by its last byte alone. */
static CCCryptorStatus final_unpad(CCCryptorRef c, void *dataOut, size_t dataOutAvailable,
                                   size_t *dataOutMoved)
{
    unsigned char iv[EVP_MAX_IV_LENGTH], plain[EVP_MAX_BLOCK_LENGTH];
    int iv_len = EVP_CIPHER_CTX_get_iv_length(c->evp);
    if (iv_len > 0 && !EVP_CIPHER_CTX_get_updated_iv(c->evp, iv, (size_t)iv_len))
        return kCCUnspecifiedError;
    size_t written = 0;
    if (!cipher_bytes(c, c->hold, c->block, plain, &written) || written != c->block)
        return kCCUnspecifiedError;
    size_t pad = plain[c->block - 1];
    size_t keep = pad >= 1 && pad <= c->block ? c->block - pad : c->block;
    if (keep > dataOutAvailable) {
        /* Nothing consumed: the chain goes back to before this block. */
        if (iv_len > 0)
            EVP_CipherInit_ex2(c->evp, NULL, NULL, iv, 0, NULL);
        OPENSSL_cleanse(plain, sizeof(plain));
        return kCCBufferTooSmall;
    }
    /* As Apple's Final: with no buffer the bytes are dropped and nothing is reported moved. */
    if (dataOut != NULL) {
        memcpy(dataOut, plain, keep);
        set_moved(dataOutMoved, keep);
    }
    OPENSSL_cleanse(plain, sizeof(plain));
    c->held = 0;
    return kCCSuccess;
}

CCCryptorStatus CCCryptorFinal(CCCryptorRef cryptorRef, void *dataOut, size_t dataOutAvailable,
                               size_t *dataOutMoved)
{
    struct _CCCryptor *c = cryptorRef;
    /* Apple: "some old behavior ... has zapped the Cryptor": no cryptor is success. */
    if (c == NULL)
        return kCCSuccess;
    set_moved(dataOutMoved, 0);
    if (c->block == 1)
        return kCCSuccess;
    if (!c->padding)
        return c->held == 0 ? kCCSuccess : kCCAlignmentError;
    if (c->op == kCCDecrypt) {
        /* A whole number of blocks, at least one; Apple reads out of bounds otherwise. */
        if (c->held != c->block)
            return kCCAlignmentError;
        CCCryptorStatus status = final_unpad(c, dataOut, dataOutAvailable, dataOutMoved);
        ERR_clear_error();
        return status;
    }
    if (dataOutAvailable < c->block)
        return kCCBufferTooSmall;
    /* PKCS#7: n bytes of value n complete the block, a whole block when none is pending. */
    unsigned char last[EVP_MAX_BLOCK_LENGTH];
    size_t pad = c->block - c->held, written = 0;
    memcpy(last, c->hold, c->held);
    memset(last + c->held, (int)pad, pad);
    bool ok = cipher_bytes(c, last, c->block, last, &written);
    c->held = 0;
    if (!ok)
        return kCCUnspecifiedError;
    if (dataOut != NULL) {
        memcpy(dataOut, last, written);
        set_moved(dataOutMoved, written);
    }
    return kCCSuccess;
}

/* Apple (programs linked for 10.13 and later): CBC and CTR only; NULL IV means zeros. */
CCCryptorStatus CCCryptorReset(CCCryptorRef cryptorRef, const void *iv)
{
    if (cryptorRef == NULL)
        return kCCParamError;
    if (cryptorRef->mode != kCCModeCBC && cryptorRef->mode != kCCModeCTR)
        return kCCUnimplemented;
    CCCryptorStatus status = start_cipher(cryptorRef, NULL, 0, iv);
    ERR_clear_error();
    return status;
}

CCCryptorStatus CCCrypt(CCOperation op, CCAlgorithm alg, CCOptions options, const void *key,
                        size_t keyLength, const void *iv, const void *dataIn, size_t dataInLength,
                        void *dataOut, size_t dataOutAvailable, size_t *dataOutMoved)
{
    CCCryptorRef c = NULL;
    CCCryptorStatus status = CCCryptorCreate(op, alg, options, key, keyLength, iv, &c);
    if (status != kCCSuccess)
        return status;
    /* Apple's rule: the whole output's size is reported first, and checked. */
    size_t needed = output_length(c, dataInLength, true);
    set_moved(dataOutMoved, needed);
    if (needed > dataOutAvailable) {
        CCCryptorRelease(c);
        return kCCBufferTooSmall;
    }
    size_t update_len = 0, final_len = 0;
    status = CCCryptorUpdate(c, dataIn, dataInLength, dataOut, dataOutAvailable, &update_len);
    if (status == kCCSuccess) {
        unsigned char *rest = dataOut == NULL ? NULL : (unsigned char *)dataOut + update_len;
        status = CCCryptorFinal(c, rest, dataOutAvailable - update_len, &final_len);
        set_moved(dataOutMoved, update_len + final_len);
    }
    CCCryptorRelease(c);
    return status;
}
