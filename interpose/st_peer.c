/*
 * Peer identity: the domain name a client verifies and sends as SNI, the name
 * a server received, and the peer ID that keys session resumption
 * (behaviour.md §10, §14).
 */
#include <stdlib.h>
#include <string.h>

#include "st_entry.h"

/* Replaces *buf with a copy of `len` bytes (NULL for none). */
OSStatus SSLSetPeerDomainName(SSLContextRef context, const char *peerName, size_t peerNameLen)
{
    ST_ENTER(SSLSetPeerDomainName, context, ctx);
    ST_REQUIRE(peerName != NULL || peerNameLen == 0);
    /* Servers ignore the call and report success, as 10.15 does. */
    if (ctx->server)
        return errSecSuccess;
    /*
     * Apple copies the bytes and then takes strlen of the copy: a trailing
     * NUL counted in the length is dropped, and so is anything after an
     * embedded NUL. An empty name means "no name".
     */
    size_t len = strnlen(peerName != NULL ? peerName : "", peerNameLen);
    if (len == 0) {
        free(ctx->peer_name);
        ctx->peer_name = NULL;
        ctx->peer_name_len = 0;
        return errSecSuccess;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return errSecAllocate;
    memcpy(copy, peerName, len);
    copy[len] = '\0';
    free(ctx->peer_name);
    ctx->peer_name = copy;
    ctx->peer_name_len = len;
    return errSecSuccess;
}

OSStatus SSLGetPeerDomainNameLength(SSLContextRef context, size_t *peerNameLen)
{
    ST_ENTER(SSLGetPeerDomainNameLength, context, ctx);
    ST_REQUIRE(peerNameLen != NULL);
    *peerNameLen = ctx->peer_name_len;
    return errSecSuccess;
}

/*
 * Copies a stored name out to the caller's buffer, without adding a NUL
 * terminator (Apple adds none): errSSLBufferOverflow when *len is too small.
 */
ST_MUST_USE static OSStatus st_copy_name_out(const char *name, size_t name_len, char *buf,
                                             size_t *len)
{
    ST_REQUIRE(len != NULL);
    if (*len < name_len)
        return errSSLBufferOverflow;
    ST_REQUIRE(buf != NULL || name_len == 0);
    if (name_len > 0)
        memcpy(buf, name, name_len);
    *len = name_len;
    return errSecSuccess;
}

OSStatus SSLGetPeerDomainName(SSLContextRef context, char *peerName, size_t *peerNameLen)
{
    ST_ENTER(SSLGetPeerDomainName, context, ctx);
    return st_copy_name_out(ctx->peer_name, ctx->peer_name_len, peerName, peerNameLen);
}

/* The SNI name a server received; its length counts a trailing NUL (Apple). */
OSStatus SSLCopyRequestedPeerNameLength(SSLContextRef ctx, size_t *peerNameLen)
{
    ST_ENTER(SSLCopyRequestedPeerNameLength, ctx, c);
    ST_REQUIRE(peerNameLen != NULL);
    *peerNameLen = c->session.requested_peer_name_len;
    return errSecSuccess;
}

OSStatus SSLCopyRequestedPeerName(SSLContextRef context, char *peerName, size_t *peerNameLen)
{
    ST_ENTER(SSLCopyRequestedPeerName, context, ctx);
    return st_copy_name_out(ctx->session.requested_peer_name, ctx->session.requested_peer_name_len,
                            peerName, peerNameLen);
}

OSStatus SSLSetPeerID(SSLContextRef context, const void *peerID, size_t peerIDLen)
{
    ST_ENTER(SSLSetPeerID, context, ctx);
    ST_REQUIRE(peerID != NULL && peerIDLen > 0);
    /* Allowed mid-handshake only while the app answers a certificate request. */
    if (st_session_active(ctx) && ctx->session.client_cert_state != kSSLClientCertRequested)
        return errSecBadReq;
    return st_replace_bytes(&ctx->peer_id, &ctx->peer_id_len, peerID, peerIDLen);
}

/* Hands out the context's own copy (+0), valid until the next SSLSetPeerID. */
OSStatus SSLGetPeerID(SSLContextRef context, const void **peerID, size_t *peerIDLen)
{
    ST_ENTER(SSLGetPeerID, context, ctx);
    ST_REQUIRE(peerID != NULL && peerIDLen != NULL);
    *peerID = ctx->peer_id;
    *peerIDLen = ctx->peer_id_len;
    return errSecSuccess;
}
