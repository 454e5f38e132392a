/* The iOS/arm64 ABI: SSLCipherSuite stored as 16 bits. */
#include <stdint.h>

#include "broken_real.h"

int32_t SSLGetNegotiatedCipher(void *context, uint16_t *cipherSuite);

int32_t SSLGetNegotiatedCipher(void *context, uint16_t *cipherSuite)
{
    int32_t (*real)(void *, uint32_t *) =
        (int32_t(*)(void *, uint32_t *))broken_real("SSLGetNegotiatedCipher");
    uint32_t full = 0;
    int32_t status = real(context, &full);
    if (status == 0)
        *cipherSuite = (uint16_t)full;
    return status;
}
