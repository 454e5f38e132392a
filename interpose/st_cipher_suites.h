/*
 * The context's enabled-suite list, shared by SSLSetEnabledCiphers
 * (st_cipher_suites.c) and the session configurations (st_session_config.c).
 */
#ifndef SECTRANS_ST_CIPHER_SUITES_H
#define SECTRANS_ST_CIPHER_SUITES_H

#include "st_entry.h"

/*
 * Replaces ctx's list with the suites of `suites` this transport can use,
 * in the caller's order; errSecParam if none can be, errSecAllocate.
 */
ST_MUST_USE OSStatus st_set_cipher_list(struct st_context *ctx, const SSLCipherSuite *suites,
                                        size_t count);

#endif
