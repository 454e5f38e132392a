/*
 * Session state and the calls that move it: SSLHandshake, SSLRead, SSLWrite,
 * SSLClose, SSLReHandshake, SSLSetError, SSLGetSessionState
 * (behaviour.md §1, §4-§7). The gates live here; the protocol work is the
 * engine's (engine/).
 */
#include "engine/st_engine.h"
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
ST_MUST_USE static OSStatus st_closed_status(const struct st_context *ctx)
{
    switch (ctx->state) {
    case ST_STATE_CLOSED: return errSSLClosedGraceful;
    case ST_STATE_ERROR_CLOSED:
    case ST_STATE_OUT_OF_BAND: return errSSLClosedAbort;
    default: return errSecSuccess;
    }
}

/* 10.15 jumps through a NULL pointer here; a clear error is better (docs/design.md). */
ST_MUST_USE static OSStatus st_require_io(const struct st_context *ctx)
{
    return ctx->read_func != NULL && ctx->write_func != NULL ? errSecSuccess : errSecBadReq;
}

/* Starts the engine on first use: the context enters kSSLHandshake. */
ST_MUST_USE static OSStatus st_session_begin(struct st_context *ctx)
{
    if (st_engine_started(ctx) && ctx->state != ST_STATE_IDLE)
        return errSecSuccess;
    OSStatus status = st_engine_start(ctx);
    if (status == errSecSuccess)
        ctx->state = ST_STATE_HANDSHAKE;
    return status;
}

/*
 * One round of handshake work, and the state it leaves: connected on
 * success; aborted on a fatal error (deliberately, where 10.15 stays in
 * kSSLHandshake: README); unchanged for would-block, the break points and
 * a close_notify received mid-handshake.
 */
ST_MUST_USE static OSStatus st_session_drive_handshake(struct st_context *ctx)
{
    OSStatus status = st_engine_handshake(ctx);
    if (status == errSecSuccess)
        ctx->state = ST_STATE_CONNECTED;
    else if (!st_status_continues(status) && status != errSSLClosedGraceful) {
        ctx->state = ST_STATE_ERROR_CLOSED;
        st_diag_handshake_failed(ctx, status);
    }
    return status;
}

/*
 * SSLHandshake after SSLSetError: the handshake ends with the fatal alert
 * matching the app's status and the context is aborted; the app's status is
 * returned when it is an error. 10.15 does this only for the two
 * certificate codes, closes gracefully and returns 0 (§4 step 3), and lets
 * every other status continue the handshake, even to kSSLConnected: README.
 */
ST_MUST_USE static OSStatus st_session_abort_handshake(struct st_context *ctx)
{
    OSStatus status = ctx->out_of_band_status;
    st_engine_abort_handshake(ctx, status);
    ctx->state = ST_STATE_ERROR_CLOSED;
    bool is_failure =
        status != errSecSuccess && !st_status_continues(status) && status != errSSLClosedGraceful;
    return is_failure ? status : errSSLClosedAbort;
}

OSStatus SSLHandshake(SSLContextRef context)
{
    ST_ENTER(SSLHandshake, context, ctx);
    /* SSLSetError's state is handled below (§4 step 3), not here. */
    if (ctx->state == ST_STATE_CLOSED || ctx->state == ST_STATE_ERROR_CLOSED)
        return st_closed_status(ctx);
    OSStatus status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    if (ctx->state == ST_STATE_OUT_OF_BAND)
        return st_session_abort_handshake(ctx);
    status = st_session_begin(ctx);
    if (status != errSecSuccess)
        return status;
    if (ctx->state == ST_STATE_CONNECTED)
        return errSecSuccess;
    return st_session_drive_handshake(ctx);
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
    if (ctx->state == ST_STATE_IDLE)
        return st_session_begin(ctx);
    /* A legacy peer is connected to, never renegotiated with (RFC 5746 §4.2). */
    if (!st_engine_may_renegotiate(ctx))
        return errSSLIllegalParam;
    status = st_engine_renegotiate(ctx);
    if (status == errSecSuccess)
        ctx->state = ST_STATE_HANDSHAKE;
    return status;
}

/*
 * A break point reached by SSLRead or SSLWrite belongs to a renegotiation:
 * the context is handshaking again until it completes (or SSLSetError).
 */
static void st_session_note_break(struct st_context *ctx, OSStatus status)
{
    if (status == errSSLPeerAuthCompleted || status == errSSLClientCertRequested ||
        status == errSSLClientHelloReceived)
        ctx->state = ST_STATE_HANDSHAKE;
}

/* Errors after which SSLRead and SSLWrite leave the state alone (§5, §6). */
static bool st_status_keeps_state(OSStatus status)
{
    return st_status_continues(status) || status == errSSLUnexpectedRecord ||
           status == errSSLClosedGraceful || status == errSSLClosedNoNotify;
}

OSStatus SSLRead(SSLContextRef context, void *data, size_t dataLength, size_t *processed)
{
    ST_ENTER(SSLRead, context, ctx);
    /* A NULL buffer is refused even for a zero length, as in 10.15. */
    ST_REQUIRE(data != NULL && processed != NULL);
    *processed = 0;
    OSStatus status = st_closed_status(ctx);
    if (status != errSecSuccess)
        return status;
    status = st_require_io(ctx);
    if (status != errSecSuccess)
        return status;
    /* Reading drives a handshake that has not finished, even one not yet started. */
    status = st_session_begin(ctx);
    if (status == errSecSuccess && ctx->state == ST_STATE_HANDSHAKE)
        status = st_session_drive_handshake(ctx);
    if (status != errSecSuccess)
        return status;
    status = st_engine_read(ctx, data, dataLength, processed);
    if (status == errSSLClosedGraceful)
        ctx->state = ST_STATE_CLOSED;
    else if (status != errSecSuccess && status != errSSLWouldBlock && st_status_continues(status))
        ctx->state = ST_STATE_HANDSHAKE; /* a break in the peer's renegotiation */
    else if (!st_status_keeps_state(status))
        ctx->state = ST_STATE_ERROR_CLOSED;
    st_session_note_break(ctx, status);
    return status;
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
    if (ctx->state == ST_STATE_HANDSHAKE) {
        status = st_session_drive_handshake(ctx);
        if (status != errSecSuccess)
            return status;
    }
    status = st_engine_write(ctx, data, dataLength, processed);
    if (!st_status_keeps_state(status))
        ctx->state = ST_STATE_ERROR_CLOSED;
    st_session_note_break(ctx, status);
    return status;
}

/*
 * close_notify goes out once, if a version was negotiated and no fatal
 * alert went first; a later call only flushes. The state becomes kSSLClosed
 * whatever it was, an idle context included (§7).
 */
OSStatus SSLClose(SSLContextRef context)
{
    ST_ENTER(SSLClose, context, ctx);
    OSStatus status = errSecSuccess;
    if (ctx->state != ST_STATE_ERROR_CLOSED && ctx->read_func != NULL && ctx->write_func != NULL)
        status = st_engine_close(ctx);
    ctx->state = ST_STATE_CLOSED;
    return status;
}

/* Always succeeds; the context is aborted and remembers why (§7). */
OSStatus SSLSetError(SSLContextRef context, OSStatus status)
{
    ST_ENTER(SSLSetError, context, ctx);
    ctx->state = ST_STATE_OUT_OF_BAND;
    ctx->out_of_band_status = status;
    return errSecSuccess;
}

/* Decrypted bytes of the last record not yet handed to the app (§5). */
OSStatus SSLGetBufferedReadSize(SSLContextRef context, size_t *bufferSize)
{
    ST_ENTER(SSLGetBufferedReadSize, context, ctx);
    ST_REQUIRE(bufferSize != NULL);
    *bufferSize = st_conninfo_pending_bytes(ctx);
    return errSecSuccess;
}
