/*
 * CCRandomGenerateBytes: bytes from OpenSSL's CSPRNG.
 */
#include <limits.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "cc_internal.h"

CCRNGStatus CCRandomGenerateBytes(void *bytes, size_t count)
{
    if (count == 0)
        return kCCSuccess;
    if (bytes == NULL)
        return kCCParamError;
    unsigned char *out = bytes;
    while (count > 0) {
        int chunk = count > INT_MAX ? INT_MAX : (int)count;
        if (RAND_bytes(out, chunk) != 1) {
            ERR_clear_error();
            return kCCRNGFailure;
        }
        out += chunk;
        count -= (size_t)chunk;
    }
    return kCCSuccess;
}
