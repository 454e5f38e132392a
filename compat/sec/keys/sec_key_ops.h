/*
 * Key operations, internal interface shared by the key and certificate
 * files: the key behind a reference, and how a new key is adopted.
 */
#ifndef SECTRANS_SEC_KEY_OPS_H
#define SECTRANS_SEC_KEY_OPS_H

#include "sec_internal.h"
#include "sec_errors.h"

/* The key object behind `key`, or NULL when it is not a SecKeyRef. */
static inline const struct sec_key *sec_key_of(CFTypeRef key)
{
    return sec_key_pkey(key) != NULL ? (const struct sec_key *)key : NULL;
}

/* A new SecKeyRef for `pkey`, which it consumes (NULL in, or a failure: NULL out). */
CF_INTERNAL SecKeyRef sec_key_adopt(EVP_PKEY *pkey, bool is_private);

#endif
