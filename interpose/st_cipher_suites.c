/*
 * Cipher suite selection by IANA value (behaviour.md §11). The engine
 * (engine/st_ciphers.c) supplies the supported and default lists and
 * applies the choice; the named session configurations built on these
 * lists are in st_session_config.c.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/st_engine.h"
#include "st_cipher_suites.h"
#include "st_entry.h"

/* The list in force: the context's own, or the default for its transport. */
static size_t st_enabled_ciphers(const struct st_context *ctx, const uint16_t **list)
{
    if (ctx->enabled_ciphers != NULL) {
        *list = ctx->enabled_ciphers;
        return ctx->enabled_cipher_count;
    }
    return st_cipher_defaults(ctx->datagram, list);
}

ST_MUST_USE static OSStatus st_copy_cipher_list(const uint16_t *list, size_t count,
                                                SSLCipherSuite *out, size_t *capacity)
{
    if (*capacity < count)
        return errSSLBufferOverflow;
    for (size_t i = 0; i < count; i++)
        out[i] = list[i];
    *capacity = count;
    return errSecSuccess;
}

/* Suites a context of this transport can use: supported, and no TLS 1.3 over DTLS. */
static bool st_cipher_usable(const struct st_context *ctx, SSLCipherSuite suite)
{
    if (suite > 0xFFFF)
        return false;
    struct st_cipher_traits traits;
    return st_cipher_traits((uint16_t)suite, &traits) && !(ctx->datagram && traits.tls13);
}

/* Replaces the context's list; errSecParam if nothing in `suites` can be used. */
OSStatus st_set_cipher_list(struct st_context *ctx, const SSLCipherSuite *suites, size_t count)
{
    uint16_t *kept = malloc(count * sizeof(*kept));
    if (kept == NULL)
        return errSecAllocate;
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (st_cipher_usable(ctx, suites[i]))
            kept[n++] = (uint16_t)suites[i];
    if (n == 0) {
        free(kept);
        return errSecParam;
    }
    free(ctx->enabled_ciphers);
    ctx->enabled_ciphers = kept;
    ctx->enabled_cipher_count = n;
    return errSecSuccess;
}

OSStatus SSLGetNumberSupportedCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberSupportedCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    const uint16_t *list;
    *numCiphers = st_cipher_supported(&list);
    return errSecSuccess;
}

OSStatus SSLGetSupportedCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetSupportedCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    const uint16_t *list;
    size_t count = st_cipher_supported(&list);
    return st_copy_cipher_list(list, count, ciphers, numCiphers);
}

OSStatus SSLGetNumberEnabledCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberEnabledCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    const uint16_t *list;
    *numCiphers = st_enabled_ciphers(ctx, &list);
    return errSecSuccess;
}

/* Unknown suites are dropped; the caller's order and duplicates are kept. */
OSStatus SSLSetEnabledCiphers(SSLContextRef context, const SSLCipherSuite *ciphers,
                              size_t numCiphers)
{
    ST_ENTER(SSLSetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers > 0);
    return st_set_cipher_list(ctx, ciphers, numCiphers);
}

OSStatus SSLGetEnabledCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    const uint16_t *list;
    size_t count = st_enabled_ciphers(ctx, &list);
    return st_copy_cipher_list(list, count, ciphers, numCiphers);
}

/* Only an active session has a cipher (§11): idle, closed and aborted ones get errSecBadReq. */
OSStatus SSLGetNegotiatedCipher(SSLContextRef context, SSLCipherSuite *cipherSuite)
{
    ST_ENTER(SSLGetNegotiatedCipher, context, ctx);
    ST_REQUIRE(cipherSuite != NULL);
    if (!st_session_active(ctx))
        return errSecBadReq;
    *cipherSuite = st_conninfo_cipher(ctx);
    return errSecSuccess;
}
