/*
 * CCKeyDerivationPBKDF (PBKDF2, RFC 8018 §5.2) over OpenSSL's
 * PKCS5_PBKDF2_HMAC, and CCCalibratePBKDF.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * Apple's checks (CommonKeyDerivation.c), each kCCParamError: the algorithm,
 * the PRF, a NULL password (even with length 0), a NULL or empty output, no
 * rounds, a NULL salt with a length. OpenSSL counts in ints: longer inputs
 * are refused too.
 */
static int pbkdf_arguments_valid(CCPBKDFAlgorithm algorithm, const char *password,
                                 size_t passwordLen, const uint8_t *salt, size_t saltLen,
                                 CCPseudoRandomAlgorithm prf, unsigned rounds,
                                 const uint8_t *derivedKey, size_t derivedKeyLen)
{
    return algorithm == kCCPBKDF2 && digest_of_prf(prf) != NULL && password != NULL &&
           derivedKey != NULL && derivedKeyLen != 0 && rounds != 0 &&
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
    /* More than INT_MAX rounds would take years: OpenSSL's int is never the limit in practice. */
    int iterations = rounds > INT_MAX ? INT_MAX : (int)rounds;
    static const unsigned char no_salt[1] = {0};
    int ok =
        PKCS5_PBKDF2_HMAC(password, (int)passwordLen, salt != NULL ? salt : no_salt, (int)saltLen,
                          iterations, digest_of_prf(prf), (int)derivedKeyLen, derivedKey);
    ERR_clear_error();
    return ok ? kCCSuccess : kCCParamError;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * The round count that takes about msec milliseconds here, as Apple's does
 * it: time a trial derivation (password of 'a's, salt 0, 1, 2...) and scale,
 * never below 10000 rounds. (unsigned)-1 for no key length, a salt over 132
 * bytes, another algorithm or PRF. The trial is 10000 rounds, not Apple's
 * 100000, so calibrating stays quick under valgrind.
 */
unsigned CCCalibratePBKDF(CCPBKDFAlgorithm algorithm, size_t passwordLen, size_t saltLen,
                          CCPseudoRandomAlgorithm prf, size_t derivedKeyLen, uint32_t msec)
{
    enum { trial_rounds = 10000, min_rounds = 10000, max_salt = 128 + 4 };
    if (derivedKeyLen == 0 || saltLen > max_salt || algorithm != kCCPBKDF2)
        return (unsigned)-1;
    if (passwordLen == 0)
        passwordLen = 1;
    char *password = malloc(passwordLen);
    uint8_t salt[max_salt + 1], *key = malloc(derivedKeyLen);
    unsigned result = (unsigned)-1;
    if (password == NULL || key == NULL)
        goto out;
    memset(password, 'a', passwordLen);
    for (size_t i = 0; i < sizeof(salt); i++)
        salt[i] = (uint8_t)i;
    double start = now_ms();
    if (CCKeyDerivationPBKDF(algorithm, password, passwordLen, salt, saltLen, prf, trial_rounds,
                             key, derivedKeyLen) != kCCSuccess)
        goto out;
    double elapsed = now_ms() - start;
    double rounds = elapsed > 0 ? (double)trial_rounds * (double)msec / elapsed : (double)UINT_MAX;
    result = rounds < min_rounds         ? min_rounds
             : rounds > (double)UINT_MAX ? UINT_MAX
                                         : (unsigned)rounds;
out:
    free(password);
    if (key != NULL)
        OPENSSL_cleanse(key, derivedKeyLen);
    free(key);
    return result;
}
