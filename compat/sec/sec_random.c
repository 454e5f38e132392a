/*
 * SecRandomCopyBytes: bytes from OpenSSL's CSPRNG. 0 on success, -1 on
 * failure (errno is not set), as Apple documents.
 */
#include <limits.h>
#include <openssl/rand.h>

#include "sec_internal.h"

/* Apple's kSecRandomDefault is NULL too; any generator means the default one. */
const SecRandomRef kSecRandomDefault = NULL;

int SecRandomCopyBytes(SecRandomRef rnd, size_t count, void *bytes)
{
    (void)rnd;
    if (count == 0)
        return 0;
    if (bytes == NULL)
        return -1;
    unsigned char *out = bytes;
    while (count > 0) {
        int chunk = count > INT_MAX ? INT_MAX : (int)count;
        if (RAND_bytes(out, chunk) != 1)
            return -1;
        out += chunk;
        count -= (size_t)chunk;
    }
    return 0;
}
