/*
 * Which OpenSSL cipher implements an (algorithm, mode) pair, and the key
 * and block sizes CommonCrypto allows for each algorithm. DES, CAST, RC2,
 * Blowfish and RC4 live in OpenSSL's legacy provider: they are fetched from
 * a library context of our own (default + legacy) so the process's default
 * context never gains weak algorithms.
 */
#include <stdio.h>

#include "cc_cryptor.h"
#include "sec_legacy.h"

struct algorithm_info {
    const char *stem; /* OpenSSL's name without the mode: "AES-128", "DES-EDE3" */
    size_t block;     /* 1 for the stream cipher RC4 */
    size_t key_min, key_max;
    bool legacy;
};

static const struct algorithm_info algorithms[] = {
    [kCCAlgorithmAES] = {"AES", kCCBlockSizeAES128, kCCKeySizeAES128, kCCKeySizeAES256, false},
    [kCCAlgorithmDES] = {"DES", kCCBlockSizeDES, kCCKeySizeDES, kCCKeySizeDES, true},
    [kCCAlgorithm3DES] = {"DES-EDE3", kCCBlockSize3DES, kCCKeySize3DES, kCCKeySize3DES, false},
    [kCCAlgorithmCAST] = {"CAST5", kCCBlockSizeCAST, kCCKeySizeMinCAST, kCCKeySizeMaxCAST, true},
    [kCCAlgorithmRC4] = {"RC4", 1, kCCKeySizeMinRC4, kCCKeySizeMaxRC4, true},
    [kCCAlgorithmRC2] = {"RC2", kCCBlockSizeRC2, kCCKeySizeMinRC2, kCCKeySizeMaxRC2, true},
    [kCCAlgorithmBlowfish] = {"BF", kCCBlockSizeBlowfish, kCCKeySizeMinBlowfish,
                              kCCKeySizeMaxBlowfish, true},
};

CCCryptorStatus cc_cipher_check_key(CCAlgorithm alg, size_t key_len)
{
    if (alg >= sizeof(algorithms) / sizeof(algorithms[0]))
        return kCCParamError;
    const struct algorithm_info *a = &algorithms[alg];
    if (alg == kCCAlgorithmAES)
        return key_len == kCCKeySizeAES128 || key_len == kCCKeySizeAES192 ||
                       key_len == kCCKeySizeAES256
                   ? kCCSuccess
                   : kCCKeySizeError;
    return key_len >= a->key_min && key_len <= a->key_max ? kCCSuccess : kCCKeySizeError;
}

size_t cc_cipher_block_size(CCAlgorithm alg)
{
    return algorithms[alg].block;
}

static const char *mode_suffix(CCMode mode)
{
    switch (mode) {
    case kCCModeECB: return "ECB";
    case kCCModeCBC: return "CBC";
    case kCCModeCFB: return "CFB";
    case kCCModeCTR: return "CTR";
    case kCCModeOFB: return "OFB";
    case kCCModeCFB8: return "CFB8";
    default: return NULL;
    }
}

/*
 * Apple's order of checks (CommonCryptor.c, ccSetupCryptor and
 * setCryptorCipherMode): an unknown algorithm or mode is kCCParamError; RC4
 * is always its own stream mode; a mode Apple has but we cannot provide
 * (XTS, GCM, CCM, CTR with other ciphers than AES) is kCCUnimplemented.
 */
CCCryptorStatus cc_cipher_check_mode(CCAlgorithm alg, CCMode mode)
{
    if (alg >= sizeof(algorithms) / sizeof(algorithms[0]))
        return kCCParamError;
    if (alg == kCCAlgorithmRC4)
        return kCCSuccess;
    switch (mode) {
    case kCCModeECB:
    case kCCModeCBC:
    case kCCModeCFB:
    case kCCModeOFB:
    case kCCModeCFB8: return kCCSuccess;
    case kCCModeCTR: return alg == kCCAlgorithmAES ? kCCSuccess : kCCUnimplemented;
    case 8 /* XTS */:
    case 11 /* GCM */:
    case 12 /* CCM */: return kCCUnimplemented;
    default: return kCCParamError;
    }
}

CCCryptorStatus cc_cipher_fetch(CCAlgorithm alg, CCMode mode, size_t key_len, EVP_CIPHER **out)
{
    const struct algorithm_info *a = &algorithms[alg];
    char name[32];
    *out = NULL;
    if (alg == kCCAlgorithmRC4) {
        snprintf(name, sizeof(name), "RC4");
    } else {
        const char *suffix = mode_suffix(mode);
        if (suffix == NULL)
            return kCCUnimplemented;
        if (alg == kCCAlgorithmAES)
            snprintf(name, sizeof(name), "AES-%zu-%s", key_len * 8, suffix);
        else
            snprintf(name, sizeof(name), "%s-%s", a->stem, suffix);
    }
    OSSL_LIB_CTX *libctx = NULL;
    if (a->legacy) {
        libctx = sec_legacy_libctx();
        if (libctx == NULL)
            return kCCUnimplemented;
    }
    *out = EVP_CIPHER_fetch(libctx, name, NULL);
    ERR_clear_error();
    return *out != NULL ? kCCSuccess : kCCUnimplemented;
}
