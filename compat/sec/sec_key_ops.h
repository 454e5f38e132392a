/*
 * Key operations, internal interface shared by the key and certificate
 * files: the key behind a reference, and the CFError every call reports.
 */
#ifndef SECTRANS_SEC_KEY_OPS_H
#define SECTRANS_SEC_KEY_OPS_H

#include "sec_internal.h"
#include "sec_trust_errors.h"

/* The key object behind `key`, or NULL when it is not a SecKeyRef. */
static inline const struct sec_key *sec_key_of(CFTypeRef key)
{
    return sec_key_pkey(key) != NULL ? (const struct sec_key *)key : NULL;
}

/* Reports `status` through an optional CFErrorRef out-parameter (+1 for the caller). */
static inline void sec_set_error(CFErrorRef *error, OSStatus status)
{
    if (error != NULL)
        *error = sec_trust_error_create(status);
}

/* A new SecKeyRef for `pkey`, which it consumes (NULL in, or a failure: NULL out). */
CF_INTERNAL SecKeyRef sec_key_adopt(EVP_PKEY *pkey, bool is_private);

#endif
