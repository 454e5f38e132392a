/*
 * DTLS settings (behaviour.md §16). All four calls refuse stream contexts
 * with errSecParam (the ST_DTLS_ONLY guard).
 */
#include <string.h>

#include "st_entry.h"

/* DTLS record header (13 bytes), and the AES-CBC + SHA-256 worst case Apple assumes. */
#define DTLS_RECORD_HEADER 13
#define DTLS_BLOCK_SIZE    16
#define DTLS_MAC_SIZE      32

OSStatus SSLSetDatagramHelloCookie(SSLContextRef dtlsContext, const void *cookie, size_t cookieLen)
{
    ST_ENTER(SSLSetDatagramHelloCookie, dtlsContext, ctx);
    ST_REQUIRE(cookieLen <= ST_DTLS_COOKIE_MAX);
    ST_REQUIRE(cookie != NULL || cookieLen == 0);
    if (cookieLen > 0)
        memcpy(ctx->dtls_cookie, cookie, cookieLen);
    ctx->dtls_cookie_len = cookieLen;
    return errSecSuccess;
}

/*
 * 10.15 silently ignores sizes below 64 and its getter never reflects the
 * setter; here the getter returns what was set and nonsense sizes are refused
 * (README, "Differences").
 */
OSStatus SSLSetMaxDatagramRecordSize(SSLContextRef dtlsContext, size_t maxSize)
{
    ST_ENTER(SSLSetMaxDatagramRecordSize, dtlsContext, ctx);
    ST_REQUIRE(maxSize >= ST_DTLS_MIN_MTU && maxSize <= ST_DTLS_MAX_MTU);
    ctx->dtls_mtu = maxSize;
    return errSecSuccess;
}

OSStatus SSLGetMaxDatagramRecordSize(SSLContextRef dtlsContext, size_t *maxSize)
{
    ST_ENTER(SSLGetMaxDatagramRecordSize, dtlsContext, ctx);
    ST_REQUIRE(maxSize != NULL);
    *maxSize = ctx->dtls_mtu;
    return errSecSuccess;
}

/*
 * Largest plaintext one datagram carries: the record less its header, cut to
 * whole cipher blocks, less an explicit IV block, the padding-length byte and
 * the MAC (1400 -> 1327).
 */
OSStatus SSLGetDatagramWriteSize(SSLContextRef dtlsContext, size_t *bufSize)
{
    ST_ENTER(SSLGetDatagramWriteSize, dtlsContext, ctx);
    ST_REQUIRE(bufSize != NULL);
    size_t fragment = (ctx->dtls_mtu - DTLS_RECORD_HEADER) & ~(size_t)(DTLS_BLOCK_SIZE - 1);
    *bufSize = fragment - DTLS_BLOCK_SIZE - 1 - DTLS_MAC_SIZE;
    return errSecSuccess;
}
