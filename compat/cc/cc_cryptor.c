/*
 * CCCryptor: symmetric encryption over an OpenSSL EVP_CIPHER_CTX.
 *
 * Output sizes follow CommonCrypto's rule: every call first works out how
 * many bytes it will write (CCCryptorGetOutputLength); if the caller's
 * buffer is smaller it returns kCCBufferTooSmall with that size in
 * *dataOutMoved and changes nothing. Block modes keep a partial block, and
 * a decryptor with PKCS#7 padding keeps the last full block until Final,
 * as OpenSSL does; `buffered` mirrors what OpenSSL holds so the sizes are
 * exact. A NULL IV means an IV of zeros, as Apple documents.
 */
#include <stdlib.h>
#include <string.h>

#include "cc_cryptor.h"

static bool is_stream_mode(CCMode mode)
{
    return mode == kCCModeCTR || mode == kCCModeCFB || mode == kCCModeOFB || mode == kCCModeCFB8 ||
           mode == kCCModeRC4;
}

static CCCryptorStatus start_cipher(CCCryptorRef c, const void *key, size_t key_len, const void *iv)
{
    unsigned char zero_iv[EVP_MAX_IV_LENGTH] = {0};
    const EVP_CIPHER *cipher = EVP_CIPHER_CTX_get0_cipher(c->evp);
    int enc = c->op == kCCEncrypt;
    if (key != NULL) {
        /* Variable-length keys (CAST, RC2, RC4, Blowfish) are set before the key itself. */
        if (!EVP_CipherInit_ex2(c->evp, cipher, NULL, NULL, enc, NULL) ||
            ((size_t)EVP_CIPHER_CTX_get_key_length(c->evp) != key_len &&
             EVP_CIPHER_CTX_set_key_length(c->evp, (int)key_len) != 1))
            return kCCParamError;
        if (c->alg == kCCAlgorithmRC2)
            EVP_CIPHER_CTX_ctrl(c->evp, EVP_CTRL_SET_RC2_KEY_BITS, (int)key_len * 8, NULL);
    }
    const void *use_iv = EVP_CIPHER_CTX_get_iv_length(c->evp) > 0 ? (iv ? iv : zero_iv) : NULL;
    if (!EVP_CipherInit_ex2(c->evp, NULL, key, use_iv, enc, NULL))
        return kCCParamError;
    EVP_CIPHER_CTX_set_padding(c->evp, c->padding);
    c->buffered = 0;
    c->finished = false;
    return kCCSuccess;
}

CCCryptorStatus CCCryptorCreateWithMode(CCOperation op, CCMode mode, CCAlgorithm alg,
                                        CCPadding padding, const void *iv, const void *key,
                                        size_t keyLength, const void *tweak, size_t tweakLength,
                                        int numRounds, CCModeOptions options,
                                        CCCryptorRef *cryptorRef)
{
    (void)tweak;
    (void)tweakLength;
    (void)numRounds; /* 0 means the algorithm's default; RC2 and CAST take theirs */
    if (cryptorRef == NULL)
        return kCCParamError;
    *cryptorRef = NULL;
    if (key == NULL || (op != kCCEncrypt && op != kCCDecrypt) ||
        (padding != ccNoPadding && padding != ccPKCS7Padding))
        return kCCParamError;
    CCCryptorStatus status = cc_cipher_check_key(alg, keyLength);
    if (status != kCCSuccess)
        return status;
    /* Only the big-endian counter exists (the little-endian one was never implemented). */
    if (mode == kCCModeCTR && options != 0 && options != kCCModeOptionCTR_BE)
        return kCCUnimplemented;
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
    c->mode = mode;
    c->block = is_stream_mode(mode) ? 1 : cc_cipher_block_size(alg);
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

/* What Update writes for `in` more bytes: whole blocks, less a held-back last block. */
static size_t update_output(const struct _CCCryptor *c, size_t in)
{
    size_t total = c->buffered + in;
    if (total < c->buffered)
        return SIZE_MAX;
    if (c->block == 1)
        return in;
    size_t out = total - total % c->block;
    if (c->op == kCCDecrypt && c->padding && out == total && out > 0)
        out -= c->block;
    return out;
}

/* What Final would write after `in` more bytes: all of it, plus a padding block when encrypting. */
static size_t final_output(const struct _CCCryptor *c, size_t in)
{
    size_t total = c->buffered + in;
    if (total < c->buffered)
        return SIZE_MAX;
    if (c->block == 1 || !c->padding)
        return total;
    if (c->op == kCCEncrypt)
        return total - total % c->block + c->block;
    return total;
}

size_t CCCryptorGetOutputLength(CCCryptorRef cryptorRef, size_t inputLength, bool final)
{
    if (cryptorRef == NULL)
        return 0;
    return final ? final_output(cryptorRef, inputLength) : update_output(cryptorRef, inputLength);
}

static void set_moved(size_t *dataOutMoved, size_t n)
{
    if (dataOutMoved != NULL)
        *dataOutMoved = n;
}

CCCryptorStatus CCCryptorUpdate(CCCryptorRef cryptorRef, const void *dataIn, size_t dataInLength,
                                void *dataOut, size_t dataOutAvailable, size_t *dataOutMoved)
{
    set_moved(dataOutMoved, 0);
    if (cryptorRef == NULL || (dataIn == NULL && dataInLength != 0))
        return kCCParamError;
    if (cryptorRef->finished)
        return kCCCallSequenceError;
    size_t needed = update_output(cryptorRef, dataInLength);
    if (needed > dataOutAvailable) {
        set_moved(dataOutMoved, needed);
        return kCCBufferTooSmall;
    }
    if (dataOut == NULL && needed > 0)
        return kCCParamError;
    /* EVP takes int lengths: feed large inputs in pieces. */
    unsigned char nowhere[1]; /* written to by no one: needed is 0 when dataOut is NULL */
    const unsigned char *in = dataIn;
    unsigned char *out = dataOut != NULL ? dataOut : nowhere;
    size_t consumed = dataInLength, moved = 0;
    while (dataInLength > 0) {
        int piece = dataInLength > (1u << 30) ? 1 << 30 : (int)dataInLength;
        int written = 0;
        if (!EVP_CipherUpdate(cryptorRef->evp, out + moved, &written, in, piece)) {
            ERR_clear_error();
            return kCCUnspecifiedError;
        }
        moved += (size_t)written;
        in += piece;
        dataInLength -= (size_t)piece;
    }
    cryptorRef->buffered = cryptorRef->buffered + consumed - moved;
    set_moved(dataOutMoved, moved);
    return kCCSuccess;
}

CCCryptorStatus CCCryptorFinal(CCCryptorRef cryptorRef, void *dataOut, size_t dataOutAvailable,
                               size_t *dataOutMoved)
{
    set_moved(dataOutMoved, 0);
    if (cryptorRef == NULL)
        return kCCParamError;
    if (cryptorRef->finished)
        return kCCCallSequenceError;
    struct _CCCryptor *c = cryptorRef;
    /* Without padding a block mode must have been fed whole blocks; so must a padded decryptor. */
    if (c->block > 1 && c->buffered % c->block != 0 && (!c->padding || c->op == kCCDecrypt))
        return kCCAlignmentError;
    if (c->block > 1 && c->padding && c->op == kCCDecrypt && c->buffered == 0)
        return kCCDecodeError;
    size_t needed = final_output(c, 0);
    if (needed > dataOutAvailable) {
        set_moved(dataOutMoved, needed);
        return kCCBufferTooSmall;
    }
    unsigned char last[EVP_MAX_BLOCK_LENGTH];
    int written = 0;
    int ok = EVP_CipherFinal_ex(c->evp, last, &written);
    ERR_clear_error();
    c->finished = true;
    c->buffered = 0;
    if (!ok) {
        OPENSSL_cleanse(last, sizeof(last));
        /* The only way a well-sized Final fails: the PKCS#7 padding is wrong. */
        return kCCDecodeError;
    }
    if (written > 0) {
        if (dataOut == NULL)
            return kCCParamError;
        memcpy(dataOut, last, (size_t)written);
    }
    OPENSSL_cleanse(last, sizeof(last));
    set_moved(dataOutMoved, (size_t)written);
    return kCCSuccess;
}

CCCryptorStatus CCCryptorReset(CCCryptorRef cryptorRef, const void *iv)
{
    if (cryptorRef == NULL)
        return kCCParamError;
    if (cryptorRef->mode == kCCModeRC4)
        return kCCUnimplemented;
    CCCryptorStatus status = start_cipher(cryptorRef, NULL, 0, iv);
    ERR_clear_error();
    return status;
}

CCCryptorStatus CCCrypt(CCOperation op, CCAlgorithm alg, CCOptions options, const void *key,
                        size_t keyLength, const void *iv, const void *dataIn, size_t dataInLength,
                        void *dataOut, size_t dataOutAvailable, size_t *dataOutMoved)
{
    set_moved(dataOutMoved, 0);
    if (dataIn == NULL && dataInLength != 0)
        return kCCParamError;
    CCCryptorRef c = NULL;
    CCCryptorStatus status = CCCryptorCreate(op, alg, options, key, keyLength, iv, &c);
    if (status != kCCSuccess)
        return status;
    /* Apple's rule: the whole output's size is checked first and reported when too small. */
    size_t needed = final_output(c, dataInLength);
    if (needed > dataOutAvailable) {
        CCCryptorRelease(c);
        set_moved(dataOutMoved, needed);
        return kCCBufferTooSmall;
    }
    size_t moved = 0, last = 0;
    status = CCCryptorUpdate(c, dataIn, dataInLength, dataOut, dataOutAvailable, &moved);
    if (status == kCCSuccess)
        status = CCCryptorFinal(c, dataOut == NULL ? NULL : (unsigned char *)dataOut + moved,
                                dataOutAvailable - moved, &last);
    CCCryptorRelease(c);
    if (status != kCCSuccess)
        return status;
    set_moved(dataOutMoved, moved + last);
    return kCCSuccess;
}
