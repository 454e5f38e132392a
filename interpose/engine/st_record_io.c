/*
 * Application data through the engine: SSLRead returns after at most one
 * record, SSLWrite takes its whole buffer, SSLClose sends close_notify once
 * (behaviour.md §5-§7).
 */
#include <stdlib.h>
#include <string.h>

#include "st_engine.h"

/* Finishes what an earlier SSLWrite accepted; errSSLWouldBlock until it is all out. */
ST_MUST_USE static OSStatus st_engine_write_backlog(struct st_context *ctx)
{
    if (ctx->session.write_backlog == NULL)
        return errSecSuccess;
    size_t written = 0;
    int ret = SSL_write_ex(ctx->session.ssl, ctx->session.write_backlog,
                           ctx->session.write_backlog_len, &written);
    if (ret != 1)
        return st_engine_status(ctx, ret);
    free(ctx->session.write_backlog);
    ctx->session.write_backlog = NULL;
    ctx->session.write_backlog_len = 0;
    return errSecSuccess;
}

OSStatus st_engine_read(struct st_context *ctx, void *data, size_t len, size_t *processed)
{
    st_io_begin(ctx);
    /*
     * What an earlier SSLWrite left goes out first, as 10.15's SSLRead
     * services its write queue: OpenSSL cannot write anything else (a
     * KeyUpdate's answer) behind an unfinished record. Would-block is no
     * reason not to read.
     */
    OSStatus status = st_engine_write_backlog(ctx);
    if (status != errSecSuccess && status != errSSLWouldBlock)
        return status;
    if (len == 0)
        return errSecSuccess;
    /*
     * Apple copies what is left of the last record, then reads one more
     * record. A leftover exists only on a stream: there SSL_pending is the
     * rest of the record the caller's buffer was too small for, while DTLS
     * also counts whole records kept from the handshake, and a datagram
     * read never joins two records.
     */
    bool had_leftover = !ctx->datagram && SSL_pending(ctx->session.ssl) > 0;
    size_t n = 0;
    int ret = SSL_read_ex(ctx->session.ssl, data, len, &n);
    if (ret == 1) {
        *processed = n;
        if (!had_leftover || n == len)
            return errSecSuccess;
        size_t more = 0;
        ret = SSL_read_ex(ctx->session.ssl, (uint8_t *)data + n, len - n, &more);
        if (ret == 1) {
            *processed += more;
            return errSecSuccess;
        }
        /*
         * Would-block comes back with the bytes already copied (curl
         * relies on it). Any other failure shows on the next call: OpenSSL
         * keeps answering with it.
         */
        return st_engine_status(ctx, ret) == errSSLWouldBlock ? errSSLWouldBlock : errSecSuccess;
    }
    /* A renegotiation's client certificate with BreakOnClientAuth on. */
    status = st_engine_client_auth_break(ctx, st_engine_status(ctx, ret));
    if (status == errSSLClosedGraceful)
        (void)st_engine_close(ctx); /* answer close_notify; the read reports the close either way */
    return status;
}

OSStatus st_engine_write(struct st_context *ctx, const void *data, size_t len, size_t *processed)
{
    st_io_begin(ctx);
    OSStatus status = st_engine_write_backlog(ctx);
    if (status != errSecSuccess || len == 0)
        return status;
    size_t written = 0;
    int ret = SSL_write_ex(ctx->session.ssl, data, len, &written);
    if (ret == 1) {
        *processed = len;
        return errSecSuccess;
    }
    status = st_engine_status(ctx, ret);
    if (status != errSSLWouldBlock)
        return status;
    /*
     * OpenSSL wants the same bytes again when it can go on; keep a copy so
     * the caller may forget them, as Secure Transport lets it (§6).
     */
    ctx->session.write_backlog = malloc(len);
    if (ctx->session.write_backlog == NULL)
        return errSecAllocate;
    memcpy(ctx->session.write_backlog, data, len);
    ctx->session.write_backlog_len = len;
    *processed = len;
    return errSSLWouldBlock;
}

OSStatus st_engine_close(struct st_context *ctx)
{
    st_io_begin(ctx);
    if (ctx->session.ssl == NULL)
        return errSecSuccess;
    /* Nothing is sent before a version is agreed, or after a fatal alert. */
    if (ctx->session.negotiated_version == ST_VERSION_NONE)
        return errSecSuccess;
    bool sent = (SSL_get_shutdown(ctx->session.ssl) & SSL_SENT_SHUTDOWN) != 0;
    if (sent && !ctx->session.close_pending)
        return errSecSuccess;
    if (!sent && st_engine_write_backlog(ctx) == errSSLWouldBlock)
        return errSSLWouldBlock;
    int ret = SSL_shutdown(ctx->session.ssl);
    if (ret >= 0) {
        ctx->session.close_pending = false;
        return errSecSuccess;
    }
    OSStatus status = st_engine_status(ctx, ret);
    ctx->session.close_pending = status == errSSLWouldBlock;
    /* Apple maps an I/O failure while closing to success. */
    return status == errSSLWouldBlock ? errSSLWouldBlock : errSecSuccess;
}

OSStatus st_engine_renegotiate(struct st_context *ctx)
{
    st_io_begin(ctx);
    ctx->session.peer_auth_break_taken = false;
    ctx->session.cert_request_break_taken = false;
    ctx->session.client_hello_break_taken = false;
    /* TLS 1.3 has no renegotiation: a key update asking the peer for one too. */
    int ok = SSL_version(ctx->session.ssl) == TLS1_3_VERSION
                 ? SSL_key_update(ctx->session.ssl, SSL_KEY_UPDATE_REQUESTED)
                 : SSL_renegotiate(ctx->session.ssl);
    if (!ok) {
        /* Clears the error state OpenSSL left; the refusal itself is errSSLIllegalParam. */
        (void)st_engine_status(ctx, 0);
        return errSSLIllegalParam;
    }
    return errSecSuccess;
}
