/*
 * Starting and driving the TLS engine: the SSL object is made from the
 * context's settings when the first handshake step runs, so configuration
 * calls stay cheap and a context that never connects costs no OpenSSL state.
 */
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

#include "st_engine.h"

static int st_wire_version(enum st_version v)
{
    for (unsigned i = 0; i < st_version_count; i++)
        if (st_versions[i].version == v)
            return st_versions[i].wire;
    return 0;
}

/*
 * OpenSSL has no SSL 3: a minimum of kSSLProtocol3 (old programs set it)
 * starts at TLS 1.0. A range with nothing OpenSSL can speak is a
 * configuration error rather than a handshake that cannot succeed.
 */
ST_MUST_USE static OSStatus st_apply_versions(const struct st_context *ctx, SSL *ssl)
{
    enum st_version min = ctx->min_version, max = ctx->max_version;
    enum st_version lowest = ctx->datagram ? ST_VERSION_DTLS10 : ST_VERSION_TLS10;
    if (min == ST_VERSION_NONE || max == ST_VERSION_NONE || max < lowest || min > max)
        return errSSLBadConfiguration;
    if (min < lowest)
        min = lowest;
    if (!SSL_set_min_proto_version(ssl, st_wire_version(min)) ||
        !SSL_set_max_proto_version(ssl, st_wire_version(max)))
        return errSSLBadConfiguration;
    /* TLS 1.0 and 1.1 sign with MD5/SHA-1, which OpenSSL allows only at security level 0. */
    if (min < (ctx->datagram ? ST_VERSION_DTLS12 : ST_VERSION_TLS12))
        SSL_set_security_level(ssl, 0);
    return errSecSuccess;
}

/*
 * OpenSSL also asks this callback for a TLS 1.3 external PSK while it builds
 * the ClientHello. TLS 1.3 identities are never empty (RFC 8446 §4.2.11), so
 * a key without an identity is offered only to TLS 1.2 PSK suites.
 */
static unsigned st_psk_client(SSL *ssl, const char *hint, char *identity, unsigned max_identity_len,
                              unsigned char *psk, unsigned max_psk_len)
{
    (void)hint;
    const struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL || ctx->psk_secret_len > max_psk_len ||
        ctx->psk_identity_len + 1 > max_identity_len)
        return 0;
    if (ctx->psk_identity_len == 0 && SSL_get_state(ssl) == TLS_ST_CW_CLNT_HELLO)
        return 0;
    /* No SSLSetPSKIdentity: an empty identity (psk_identity is NULL, not a 0-byte copy). */
    if (ctx->psk_identity_len > 0)
        memcpy(identity, ctx->psk_identity, ctx->psk_identity_len);
    identity[ctx->psk_identity_len] = '\0';
    memcpy(psk, ctx->psk_secret, ctx->psk_secret_len);
    return (unsigned)ctx->psk_secret_len;
}

/* The server side of a pre-shared key: one secret, whatever identity the client names. */
static unsigned st_psk_server(SSL *ssl, const char *identity, unsigned char *psk,
                              unsigned max_psk_len)
{
    (void)identity;
    const struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL || ctx->psk_secret_len > max_psk_len)
        return 0;
    memcpy(psk, ctx->psk_secret, ctx->psk_secret_len);
    return (unsigned)ctx->psk_secret_len;
}

ST_MUST_USE static OSStatus st_apply_server_settings(struct st_context *ctx, SSL *ssl)
{
    int mode = SSL_VERIFY_NONE;
    if (ctx->client_auth == kAlwaysAuthenticate)
        mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    else if (ctx->client_auth == kTryAuthenticate)
        mode = SSL_VERIFY_PEER;
    SSL_set_verify(ssl, mode, NULL);
    if (ctx->authorities != NULL && CFArrayGetCount(ctx->authorities) > 0) {
        STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
        for (CFIndex i = 0; names != NULL && i < CFArrayGetCount(ctx->authorities); i++) {
            CFDataRef der = CFArrayGetValueAtIndex(ctx->authorities, i);
            const unsigned char *p = CFDataGetBytePtr(der);
            X509_NAME *name = d2i_X509_NAME(NULL, &p, CFDataGetLength(der));
            if (name != NULL && !sk_X509_NAME_push(names, name))
                X509_NAME_free(name);
        }
        if (names != NULL)
            SSL_set_client_CA_list(ssl, names);
    }
    if (ctx->session_options[kSSLSessionOptionAllowRenegotiation])
        SSL_set_options(ssl, SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
    /* Resumption only after SSLSetPeerID (§14): no tickets, and the cache skips us. */
    if (ctx->peer_id == NULL) {
        SSL_set_num_tickets(ssl, 0);
        SSL_set_options(ssl, SSL_OP_NO_TICKET);
    }
    if (ctx->datagram && ctx->dtls_cookie_len > 0)
        SSL_set_options(ssl, SSL_OP_COOKIE_EXCHANGE);
    if (ctx->psk_secret != NULL)
        SSL_set_psk_server_callback(ssl, st_psk_server);
    return errSecSuccess;
}

ST_MUST_USE static OSStatus st_apply_client_settings(struct st_context *ctx, SSL *ssl)
{
    SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);
    /*
     * coreTLS connected to servers without renegotiation_info (RFC 5746);
     * it is renegotiating with them that is refused (st_engine_may_renegotiate).
     */
    SSL_set_options(ssl, SSL_OP_LEGACY_SERVER_CONNECT);
    /* OpenSSL refuses a name longer than SNI allows (errSecParam); else it ran out of memory. */
    if (ctx->peer_name != NULL && ctx->peer_name_len > 0 &&
        !SSL_set_tlsext_host_name(ssl, ctx->peer_name))
        return ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_SSL3_EXT_INVALID_SERVERNAME
                   ? errSecParam
                   : errSecAllocate;
    /* Apple's clients always ask for a stapled OCSP response. */
    SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
    if (ctx->alpn != NULL && SSL_set_alpn_protos(ssl, ctx->alpn, (unsigned)ctx->alpn_len) != 0)
        return errSecAllocate;
    if (ctx->fallback_scsv || ctx->session_options[kSSLSessionOptionFallback])
        SSL_set_mode(ssl, SSL_MODE_SEND_FALLBACK_SCSV);
    if (ctx->psk_secret != NULL) {
        SSL_set_psk_client_callback(ssl, st_psk_client);
        /* Without an identity the key only works below TLS 1.3 (see st_psk_client). */
        long max = SSL_get_max_proto_version(ssl);
        if (ctx->psk_identity_len == 0 && !ctx->datagram && (max == 0 || max > TLS1_2_VERSION) &&
            SSL_get_min_proto_version(ssl) <= TLS1_2_VERSION &&
            !SSL_set_max_proto_version(ssl, TLS1_2_VERSION))
            return errSSLBadConfiguration;
    }
    if (ctx->peer_id != NULL) {
        SSL_SESSION *session = st_session_cache_find(ctx);
        if (session != NULL) {
            SSL_set_session(ssl, session);
            SSL_SESSION_free(session);
        }
    }
    return errSecSuccess;
}

/*
 * Each handshake, the first and every renegotiation, gets its own break
 * points: a break taken before must not let a later chain through unjudged.
 * A resumed handshake's chain is noted for the renegotiation identity check.
 */
static void st_engine_info_callback(const SSL *ssl, int where, int ret)
{
    struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx != NULL && (where & SSL_CB_ALERT))
        st_diag_note_alert(ctx, (where & SSL_CB_READ) != 0, ret);
    if (ctx != NULL && (where & SSL_CB_HANDSHAKE_DONE))
        st_verify_note_session_chain(ctx);
    if (ctx == NULL || !(where & SSL_CB_HANDSHAKE_START))
        return;
    ctx->session.peer_auth_break_taken = false;
    ctx->session.cert_request_break_taken = false;
    ctx->session.client_hello_break_taken = false;
}

/*
 * kSSLSessionOptionSendOneByteRecord: the BEAST countermeasure for CBC
 * suites up to TLS 1.0. 10.15 splits 1/n-1; OpenSSL sends an empty record
 * before each one instead, which protects the same way. The option turns
 * OpenSSL's on (the default) or off (behaviour.md §8).
 */
static void st_apply_record_options(const struct st_context *ctx, SSL *ssl)
{
    if (ctx->session_options[kSSLSessionOptionSendOneByteRecord])
        SSL_clear_options(ssl, SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS);
    else
        SSL_set_options(ssl, SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS);
}

ST_MUST_USE static OSStatus st_engine_configure(struct st_context *ctx, SSL *ssl)
{
    OSStatus status = st_apply_versions(ctx, ssl);
    if (status == errSecSuccess)
        status = st_cipher_apply(ctx, ssl);
    if (status != errSecSuccess)
        return status;
    /*
     * Tickets off: no RFC 5077 tickets, and a server sends no TLS 1.3
     * NewSessionTicket either (OpenSSL's NO_TICKET alone still sends
     * stateful ones).
     */
    if (!ctx->session_options[kSSLSessionOptionEnableSessionTickets]) {
        SSL_set_options(ssl, SSL_OP_NO_TICKET);
        if (ctx->server)
            SSL_set_num_tickets(ssl, 0);
    }
    SSL_set_cert_cb(ssl, st_certificate_callback, NULL);
    st_apply_record_options(ctx, ssl);
    SSL_set_info_callback(ssl, st_engine_info_callback);
    if (ctx->datagram) {
        SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
        SSL_set_mtu(ssl, (long)ctx->dtls_mtu);
    }
    if (ctx->server) {
        SSL_set_accept_state(ssl);
        status = st_apply_server_settings(ctx, ssl);
    } else {
        SSL_set_connect_state(ssl);
        status = st_apply_client_settings(ctx, ssl);
    }
    return status == errSecSuccess ? st_dh_configure(ctx, ssl) : status;
}

/*
 * The one place a session's resources are freed: every owned member of
 * struct st_session is released here, then the whole struct is zeroed, which
 * is each member's starting value (ST_VERSION_NONE, kSSLClientCertNone, 0).
 */
void st_engine_free(struct st_context *ctx)
{
    struct st_session *s = &ctx->session;
    SSL_free(s->ssl); /* frees the BIO too; first, as its callbacks may still look at the session */
    s->ssl = NULL;
    free(s->write_backlog);
    if (s->peer_chain != NULL)
        CFRelease(s->peer_chain);
    if (s->peer_trust != NULL)
        CFRelease(s->peer_trust);
    free(s->peer_alpn);
    free(s->requested_peer_name);
    memset(s, 0, sizeof(*s));
}

OSStatus st_engine_start(struct st_context *ctx)
{
    st_engine_free(ctx);
    SSL_CTX *shared = st_ssl_ctx_shared(ctx->server, ctx->datagram);
    if (shared == NULL)
        return errSecAllocate;
    SSL *ssl = SSL_new(shared);
    BIO *bio = ssl != NULL ? st_bio_new(ctx) : NULL;
    if (bio == NULL) {
        SSL_free(ssl);
        return errSecAllocate;
    }
    SSL_set_bio(ssl, bio, bio);
    SSL_set_app_data(ssl, ctx);
    ctx->session.ssl = ssl;
    OSStatus status = st_engine_configure(ctx, ssl);
    if (status != errSecSuccess) {
        ERR_clear_error();
        st_engine_free(ctx);
    }
    return status;
}

/* The negotiated version is known once the hellos are through. */
static void st_engine_note_version(struct st_context *ctx)
{
    SSL_SESSION *session = SSL_get_session(ctx->session.ssl);
    int wire = session != NULL ? SSL_SESSION_get_protocol_version(session) : 0;
    enum st_version v = wire != 0 ? st_version_from_wire(wire) : ST_VERSION_NONE;
    if (v != ST_VERSION_NONE)
        ctx->session.negotiated_version = v;
}

/*
 * DTLS retransmits a flight when its timer has run out; the app drives it by
 * calling SSLHandshake again after errSSLWouldBlock (behaviour.md §16).
 */
ST_MUST_USE static OSStatus st_engine_dtls_timer(struct st_context *ctx)
{
    struct timeval left;
    if (!ctx->datagram || !DTLSv1_get_timeout(ctx->session.ssl, &left) || left.tv_sec > 0 ||
        left.tv_usec > 0)
        return errSecSuccess;
    if (DTLSv1_handle_timeout(ctx->session.ssl) >= 0)
        return errSecSuccess;
    ERR_clear_error();
    return errSSLConnectionRefused; /* the peer never answered */
}

/* A server's handshake stopped after the client's certificate (BreakOnClientAuth). */
OSStatus st_engine_client_auth_break(struct st_context *ctx, OSStatus status)
{
    if (!ctx->session.client_auth_break_pending)
        return status;
    ctx->session.client_auth_break_pending = false;
    return status == errSecSuccess || status == errSSLWouldBlock ? errSSLClientAuthCompleted
                                                                 : status;
}

/*
 * A server's renegotiation: OpenSSL is done once the HelloRequest is out, but
 * 10.15's SSLHandshake goes on until the client's new handshake has run
 * (behaviour.md §7). Reading runs it; application data the client sent
 * first ends the call, and SSLRead carries on from there.
 */
ST_MUST_USE static OSStatus st_engine_await_renegotiation(struct st_context *ctx)
{
    if (!ctx->server || !SSL_renegotiate_pending(ctx->session.ssl))
        return errSecSuccess;
    unsigned char byte;
    int ret = SSL_peek(ctx->session.ssl, &byte, 1);
    if (ret > 0)
        return errSecSuccess;
    OSStatus status = st_engine_status(ctx, ret);
    if (status == errSSLWouldBlock && !SSL_renegotiate_pending(ctx->session.ssl))
        return errSecSuccess;
    return status;
}

OSStatus st_engine_handshake(struct st_context *ctx)
{
    st_io_begin(ctx);
    OSStatus status = st_engine_dtls_timer(ctx);
    if (status != errSecSuccess)
        return status;
    int ret = SSL_do_handshake(ctx->session.ssl);
    /* A peer's DH group below the client's minimum has its own code (behaviour.md §12). */
    bool weak_group = ret != 1 && st_dh_group_refused(ctx);
    status = ret == 1 ? st_engine_await_renegotiation(ctx) : st_engine_status(ctx, ret);
    if (weak_group && !st_status_continues(status))
        status = errSSLWeakPeerEphemeralDHKey;
    st_engine_note_version(ctx);
    status = st_engine_client_auth_break(ctx, status);
    /* A server with no identity cannot negotiate a certificate suite (§4). */
    if (ctx->server && status == errSSLNegotiation && ctx->certificates == NULL &&
        ctx->psk_secret == NULL)
        status = errSSLBadConfiguration;
    if (!st_status_continues(status) && !ctx->server)
        st_session_cache_remove(ctx);
    return status;
}

bool st_engine_may_renegotiate(const struct st_context *ctx)
{
    return ctx->session.ssl == NULL || SSL_version(ctx->session.ssl) == TLS1_3_VERSION ||
           SSL_get_secure_renegotiation_support(ctx->session.ssl);
}

/* The handshake is stopped inside one of OpenSSL's callbacks (a break point). */
static bool st_engine_paused_in_callback(SSL *ssl)
{
    return SSL_want_retry_verify(ssl) || SSL_want_client_hello_cb(ssl) || SSL_want_x509_lookup(ssl);
}

/*
 * A server past the client's certificate (BreakOnClientAuth) is inside no
 * OpenSSL callback, and OpenSSL has no call that sends an alert. In a first
 * TLS 1.2 (or older) handshake nothing is encrypted yet and we have sent no
 * Finished, so the alert record is written as it is; otherwise none goes out
 * (README).
 */
static void st_engine_send_plain_alert(struct st_context *ctx, int alert)
{
    unsigned char finished[1];
    int version = SSL_version(ctx->session.ssl);
    if (ctx->datagram || version >= TLS1_3_VERSION ||
        SSL_get_finished(ctx->session.ssl, finished, sizeof(finished)) > 0)
        return;
    uint8_t record[7] = {SSL3_RT_ALERT, (uint8_t)(version >> 8), (uint8_t)version, 0, 2,
                         SSL3_AL_FATAL, (uint8_t)alert};
    size_t len = sizeof(record);
    /* Best effort: the handshake ends with the app's status whether or not the alert got out. */
    (void)ctx->write_func(ctx->connection, record, &len);
}

/*
 * SSLSetError at a break, then SSLHandshake: the paused step runs again and
 * our callback fails it, so OpenSSL sends the fatal alert that matches the
 * app's status (behaviour.md §4 step 3) and the handshake cannot complete.
 * A server past the client's certificate (BreakOnClientAuth) is not inside
 * a callback: it sends the alert itself when it can.
 */
void st_engine_abort_handshake(struct st_context *ctx, OSStatus status)
{
    if (ctx->session.ssl == NULL || !SSL_in_init(ctx->session.ssl))
        return;
    if (!st_engine_paused_in_callback(ctx->session.ssl)) {
        if (ctx->server && ctx->session.peer_auth_break_taken)
            st_engine_send_plain_alert(ctx,
                                       st_alert_for_rejection(status, SSL_AD_CERTIFICATE_UNKNOWN));
        return;
    }
    ctx->session.reject_status = status != errSecSuccess ? status : errSSLXCertChainInvalid;
    st_io_begin(ctx);
    int ret = SSL_do_handshake(ctx->session.ssl);
    /*
     * Called for its bookkeeping only (the callback status, the error queue,
     * the diagnostic's OpenSSL error): SSLHandshake reports the app's status.
     */
    if (ret != 1)
        (void)st_engine_status(ctx, ret);
}
