/*
 * CCKeyDerivationPBKDF (PBKDF2, RFC 8018 §5.2) over OpenSSL's
 * PKCS5_PBKDF2_HMAC, and CCCalibratePBKDF.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <limits.h>
#include <time.h>

#include "cc_internal.h"

static const EVP_MD *digest_of_prf(CCPseudoRandomAlgorithm prf)
{
    switch (prf) {
    case kCCPRFHmacAlgSHA1: return EVP_sha1();
    case kCCPRFHmacAlgSHA224: return EVP_sha224();
    case kCCPRFHmacAlgSHA256: return EVP_sha256();
    case kCCPRFHmacAlgSHA384: return EVP_sha384();
    case kCCPRFHmacAlgSHA512: return EVP_sha512();
    default: return NULL;
    }
}

/* The argument checks CommonCrypto makes: kCCParamError for each. */
static int pbkdf_arguments_valid(CCPBKDFAlgorithm algorithm, const char *password,
                                 size_t passwordLen, const uint8_t *salt, size_t saltLen,
                                 CCPseudoRandomAlgorithm prf, unsigned rounds,
                                 const uint8_t *derivedKey, size_t derivedKeyLen)
{
    return algorithm == kCCPBKDF2 && digest_of_prf(prf) != NULL && rounds != 0 &&
           derivedKey != NULL && derivedKeyLen != 0 && (password != NULL || passwordLen == 0) &&
           (salt != NULL || saltLen == 0) && passwordLen <= INT_MAX && saltLen <= INT_MAX &&
           derivedKeyLen <= INT_MAX;
}

int CCKeyDerivationPBKDF(CCPBKDFAlgorithm algorithm, const char *password, size_t passwordLen,
                         const uint8_t *salt, size_t saltLen, CCPseudoRandomAlgorithm prf,
                         unsigned rounds, uint8_t *derivedKey, size_t derivedKeyLen)
{
    if (!pbkdf_arguments_valid(algorithm, password, passwordLen, salt, saltLen, prf, rounds,
                               derivedKey, derivedKeyLen))
        return kCCParamError;
    /* OpenSSL counts iterations in an int; more than INT_MAX rounds would take years anyway. */
    int iterations = rounds > INT_MAX ? INT_MAX : (int)rounds;
    static const unsigned char empty[1] = {0};
    int ok = PKCS5_PBKDF2_HMAC(password != NULL ? password : (const char *)empty, (int)passwordLen,
                               salt != NULL ? salt : empty, (int)saltLen, iterations,
                               digest_of_prf(prf), (int)derivedKeyLen, derivedKey);
    ERR_clear_error();
    return ok ? kCCSuccess : kCCUnspecifiedError;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * The round count that takes about msec milliseconds here: time a trial
 * derivation and scale, clamped to [10000, UINT_MAX] so a fast machine or
 * a tiny msec never yields a trivial count. Invalid arguments give
 * (unsigned)-1.
 */
unsigned CCCalibratePBKDF(CCPBKDFAlgorithm algorithm, size_t passwordLen, size_t saltLen,
                          CCPseudoRandomAlgorithm prf, size_t derivedKeyLen, uint32_t msec)
{
    enum { trial_rounds = 10000, floor_rounds = 10000 };
    if (algorithm != kCCPBKDF2 || digest_of_prf(prf) == NULL || derivedKeyLen == 0 ||
        derivedKeyLen > 1024 || passwordLen > 4096 || saltLen > 4096)
        return (unsigned)-1;
    char password[4096] = {0};
    uint8_t salt[4096] = {0}, key[1024];
    double start = now_ms();
    CCKeyDerivationPBKDF(algorithm, password, passwordLen, salt, saltLen, prf, trial_rounds, key,
                         derivedKeyLen);
    double elapsed = now_ms() - start;
    OPENSSL_cleanse(key, sizeof(key));
    if (elapsed <= 0)
        elapsed = 0.001;
    double rounds = (double)trial_rounds * (double)msec / elapsed;
    if (rounds < floor_rounds)
        return floor_rounds;
    if (rounds > (double)UINT_MAX)
        return UINT_MAX;
    return (unsigned)rounds;
}
