/*
 * Session state and the calls that move it: SSLGetSessionState, SSLClose,
 * SSLSetError, and the state gates of SSLHandshake, SSLRead, SSLWrite and
 * SSLReHandshake (semantics.md §1, §4-§7).
 *
 * The TLS engine arrives with the client TLS issue; until then the gates are
 * real and the work behind them answers errSecUnimplemented.
 */
#include "st_entry.h"

static const SSLSessionState st_public_states[] = {
    [ST_STATE_IDLE] = kSSLIdle,
    [ST_STATE_HANDSHAKE] = kSSLHandshake,
    [ST_STATE_CONNECTED] = kSSLConnected,
    [ST_STATE_CLOSED] = kSSLClosed,
    [ST_STATE_ERROR_CLOSED] = kSSLAborted,
    [ST_STATE_OUT_OF_BAND] = kSSLAborted,
};

OSStatus SSLGetSessionState(SSLContextRef context, SSLSessionState *state)
{
    ST_ENTER(SSLGetSessionState, context, ctx);
    ST_REQUIRE(state != NULL);
    *state = st_public_states[ctx->state];
    return errSecSuccess;
}

/*
 * The status a closed context answers to I/O calls: graceful after SSLClose
 * or the peer's close_notify, abort after an error or SSLSetError.
 */
static OSStatus st_closed_status(const struct st_context *ctx)
{
    switch (ctx->state) {
    case ST_STATE_CLOSED: return errSSLClosedGraceful;
    case ST_STATE_ERROR_CLOSED:
    case ST_STATE_OUT_OF_BAND: return errSSLClosedAbort;
    default: return errSecSuccess;
    }
}

/* 10.15 jumps through a NULL pointer here; a clear error is better (DESIGN.md). */
static OSStatus st_require_io(const struct st_context *ctx)
{
    return ctx->read_func != NULL && ctx->write_func != NULL ? errSecSuccess : errSecBadReq;
}

OSStatus SSLHandshake(SSLContextRef context)
{
    ST_ENTER(SSLHandshake, context, ctx);
    /* SSLSetError's state is handled by the handshake itself (§4 step 3), not here. */
    if (ctx->state == ST_STATE_CLOSED || ctx->state == ST_STATE_ERROR_CLOSED)
        return st_closed_status(ctx);
    OSStatus status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    return errSecUnimplemented;
}

OSStatus SSLReHandshake(SSLContextRef context)
{
    ST_ENTER(SSLReHandshake, context, ctx);
    OSStatus status = st_closed_status(ctx);
    if (status != errSecSuccess)
        return status;
    if (ctx->state == ST_STATE_HANDSHAKE)
        return errSecBadReq;
    status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    return errSecUnimplemented;
}

OSStatus SSLRead(SSLContextRef context, void *data, size_t dataLength, size_t *processed)
{
    ST_ENTER(SSLRead, context, ctx);
    /* A NULL buffer is refused even for a zero length, as in 10.15. */
    ST_REQUIRE(data != NULL && processed != NULL);
    *processed = 0;
    (void)dataLength;
    OSStatus status = st_closed_status(ctx);
    if (status != errSecSuccess)
        return status;
    status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    return errSecUnimplemented;
}

OSStatus SSLWrite(SSLContextRef context, const void *data, size_t dataLength, size_t *processed)
{
    ST_ENTER(SSLWrite, context, ctx);
    ST_REQUIRE(processed != NULL);
    *processed = 0;
    /* NULL data is a flush, so only with a zero length. */
    ST_REQUIRE(data != NULL || dataLength == 0);
    OSStatus status = st_closed_status(ctx);
    if (status != errSecSuccess)
        return status;
    /* Writing needs a handshake that was started (§6). */
    if (ctx->state == ST_STATE_IDLE)
        return errSecBadReq;
    status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    return errSecUnimplemented;
}

/*
 * Closing an idle context sends nothing and succeeds; the state becomes
 * kSSLClosed whatever it was (§7). A later call only flushes.
 */
OSStatus SSLClose(SSLContextRef context)
{
    ST_ENTER(SSLClose, context, ctx);
    ctx->state = ST_STATE_CLOSED;
    return errSecSuccess;
}

/* Always succeeds; the context is aborted and remembers why (§7). */
OSStatus SSLSetError(SSLContextRef context, OSStatus status)
{
    ST_ENTER(SSLSetError, context, ctx);
    ctx->state = ST_STATE_OUT_OF_BAND;
    ctx->out_of_band_status = status;
    return errSecSuccess;
}

/* Decrypted bytes not yet handed to the app: none without an engine. */
OSStatus SSLGetBufferedReadSize(SSLContextRef context, size_t *bufferSize)
{
    ST_ENTER(SSLGetBufferedReadSize, context, ctx);
    ST_REQUIRE(bufferSize != NULL);
    *bufferSize = 0;
    return errSecSuccess;
}
