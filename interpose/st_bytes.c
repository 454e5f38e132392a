/*
 * Byte strings a context owns (peer ID, ALPN list, PSK, DH parameters):
 * one way to replace them, so every setter copies, frees and wipes alike.
 */
#include <stdlib.h>
#include <string.h>

#include "st_entry.h"

OSStatus st_replace_bytes(uint8_t **slot, size_t *slot_len, const void *bytes, size_t len)
{
    uint8_t *copy = NULL;
    if (len > 0) {
        copy = malloc(len);
        if (copy == NULL)
            return errSecAllocate;
        memcpy(copy, bytes, len);
    }
    /* The old bytes may be a secret (a pre-shared key): wipe before freeing. */
    if (*slot != NULL)
        explicit_bzero(*slot, *slot_len); /* not optimised away, unlike memset */
    free(*slot);
    *slot = copy;
    *slot_len = len;
    return errSecSuccess;
}
