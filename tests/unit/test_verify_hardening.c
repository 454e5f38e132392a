/*
 * The client never ends up talking to a server it did not verify:
 * SSLSetError at a break point ends the handshake with a fatal alert
 * (behaviour.md §4, §7), every renegotiation is verified or broken to the
 * app again, a renegotiation may not change the server's certificate
 * unless kSSLSessionOptionAllowServerIdentityChange is set (coreTLS
 * SSLProcessCertificate), and a rejected chain never reads as verified.
 */
#include <openssl/err.h>
#include <string.h>

#include "st_test.h"
#include "socket_pair.h"
#include "tls_peer.h"

static struct tls_pki pki;

static void setup(void)
{
    tls_pki_create(&pki);
}

static void teardown(void)
{
    tls_pki_destroy(&pki);
}

/* ---- our client against an in-process OpenSSL server ---- */

static void server_with(struct mem_peer *peer, X509 *cert, int version)
{
    mem_peer_init(peer, cert, pki.server_key, version);
    ck_assert(SSL_add1_chain_cert(peer->ssl, pki.intermediate));
}

/* Lets the OpenSSL server read what we sent; the fatal alert it received, or -1. */
static int alert_at_server(struct mem_peer *peer)
{
    ERR_clear_error();
    for (int i = 0; i < 10 && !SSL_is_init_finished(peer->ssl); i++)
        if (SSL_do_handshake(peer->ssl) <= 0 && ERR_peek_error() != 0)
            break;
    int reason = ERR_GET_REASON(ERR_get_error());
    ERR_clear_error();
    return reason >= SSL_AD_REASON_OFFSET ? reason - SSL_AD_REASON_OFFSET : -1;
}

static SSLSessionState state_of(SSLContextRef ctx)
{
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(ctx, &state), errSecSuccess);
    return state;
}

/* An aborted context: every I/O call and SSLHandshake answer errSSLClosedAbort. */
static void expect_aborted(SSLContextRef ctx)
{
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
    char buf[16];
    size_t n = 9;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &n), errSSLClosedAbort);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(SSLWrite(ctx, "x", 1, &n), errSSLClosedAbort);
    ck_assert_int_eq(SSLHandshake(ctx), errSSLClosedAbort);
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
}

static const struct {
    OSStatus status;
    int alert;
} rejections[] = {
    {errSSLXCertChainInvalid, SSL_AD_CERTIFICATE_UNKNOWN},
    {errSSLBadCert, SSL_AD_BAD_CERTIFICATE},
    {errSecNotTrusted, SSL_AD_CERTIFICATE_UNKNOWN},
    {errSecCertificateExpired, SSL_AD_CERTIFICATE_EXPIRED},
    {errSecCertificateRevoked, SSL_AD_CERTIFICATE_REVOKED},
};
enum { REJECTIONS = sizeof(rejections) / sizeof(rejections[0]) };

/* The reported attack: reject an untrusted server at the break, then read its data anyway. */
START_TEST(set_error_at_server_auth_break_aborts)
{
    int version = _i < REJECTIONS ? TLS1_2_VERSION : TLS1_3_VERSION;
    int c = _i % REJECTIONS;
    struct mem_peer peer;
    server_with(&peer, pki.untrusted, version);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLPeerAuthCompleted);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert(!SecTrustEvaluateWithError(trust, NULL));
    CFRelease(trust);
    ck_assert_int_eq(SSLSetError(ctx, rejections[c].status), errSecSuccess);
    ck_assert_int_eq(SSLHandshake(ctx), rejections[c].status);
    ck_assert_int_eq(alert_at_server(&peer), rejections[c].alert);
    ck_assert(!SSL_is_init_finished(peer.ssl));
    expect_aborted(ctx);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* A status that is no error (success, would-block, a break code) still ends the handshake. */
START_TEST(set_error_with_a_non_error_status_still_aborts)
{
    static const OSStatus statuses[] = {errSecSuccess, errSSLWouldBlock, errSSLPeerAuthCompleted};
    struct mem_peer peer;
    server_with(&peer, pki.untrusted, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLPeerAuthCompleted);
    SSLSetError(ctx, statuses[_i]);
    ck_assert_int_eq(SSLHandshake(ctx), errSSLClosedAbort);
    ck_assert_int_eq(alert_at_server(&peer), SSL_AD_CERTIFICATE_UNKNOWN);
    ck_assert(!SSL_is_init_finished(peer.ssl));
    expect_aborted(ctx);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

static int accept_any_client(int ok, X509_STORE_CTX *store)
{
    (void)ok;
    (void)store;
    return 1;
}

START_TEST(set_error_at_cert_requested_break_aborts)
{
    struct mem_peer peer;
    server_with(&peer, pki.server, _i == 0 ? TLS1_2_VERSION : TLS1_3_VERSION);
    SSL_set_verify(peer.ssl, SSL_VERIFY_PEER, accept_any_client);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnCertRequested, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLClientCertRequested);
    SSLSetError(ctx, errSSLXCertChainInvalid);
    ck_assert_int_eq(SSLHandshake(ctx), errSSLXCertChainInvalid);
    /* OpenSSL's only alert for a certificate callback that gives up. */
    ck_assert_int_eq(alert_at_server(&peer), SSL_AD_INTERNAL_ERROR);
    ck_assert(!SSL_is_init_finished(peer.ssl));
    expect_aborted(ctx);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* A rejected chain leaves a verification error behind, never X509_V_OK. */
START_TEST(rejected_chain_never_reads_as_verified)
{
    struct mem_peer peer;
    server_with(&peer, pki.untrusted, _i == 0 ? TLS1_2_VERSION : TLS1_3_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLXCertChainInvalid);
    ck_assert_int_eq(alert_at_server(&peer), SSL_AD_CERTIFICATE_UNKNOWN);
    SSL *ssl = st_context_table_find(ctx)->session.ssl;
    ck_assert_ptr_nonnull(ssl);
    ck_assert_int_ne(SSL_get_verify_result(ssl), X509_V_OK);
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* ---- renegotiation started by the server (TLS 1.2) ---- */

static X509 *other_trusted_leaf(void)
{
    struct cert_spec spec = {.common_name = "localhost",
                             .san = "DNS:localhost",
                             .not_before_days = -1,
                             .not_after_days = 365,
                             .eku = EKU_SERVER};
    return factory_cert(&spec, pki.server_key, pki.intermediate, pki.intermediate_key);
}

static SSLContextRef connected_client(struct mem_peer *peer, bool break_on_auth)
{
    server_with(peer, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(peer, &pki);
    if (break_on_auth) {
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
        ck_assert_int_eq(mem_peer_handshake(ctx, peer), errSSLPeerAuthCompleted);
    }
    ck_assert_int_eq(mem_peer_handshake(ctx, peer), errSecSuccess);
    ck_assert_int_eq(state_of(ctx), kSSLConnected);
    return ctx;
}

/* The server switches to `cert` and renegotiates (it sends a HelloRequest). */
static void server_renegotiates_with(struct mem_peer *peer, X509 *cert)
{
    ck_assert(SSL_use_certificate(peer->ssl, cert));
    /* A full handshake, so the new certificate is sent. */
    SSL_set_options(peer->ssl, SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    ck_assert(SSL_renegotiate(peer->ssl));
    ck_assert_int_eq(SSL_do_handshake(peer->ssl), 1); /* the HelloRequest is out */
    ck_assert(SSL_renegotiate_pending(peer->ssl));
}

/*
 * Reads until something other than would-block. The server sends "secret"
 * as soon as its renegotiation is done; *read_secret says whether the
 * client got it.
 */
static OSStatus read_during_renegotiation(SSLContextRef ctx, struct mem_peer *peer,
                                          bool *read_secret)
{
    bool sent = false;
    *read_secret = false;
    for (int i = 0; i < 100000; i++) {
        /* The server's reads run its side of the renegotiation. */
        char scratch[16];
        size_t got;
        if (SSL_read_ex(peer->ssl, scratch, sizeof(scratch), &got) != 1)
            ERR_clear_error();
        if (!sent && SSL_is_init_finished(peer->ssl) && !SSL_renegotiate_pending(peer->ssl)) {
            size_t n;
            ck_assert_int_eq(SSL_write_ex(peer->ssl, "secret", 6, &n), 1);
            sent = true;
        }
        char buf[16];
        size_t n = 0;
        OSStatus status = SSLRead(ctx, buf, sizeof(buf), &n);
        if (n == 6 && memcmp(buf, "secret", 6) == 0)
            *read_secret = true;
        if (status != errSSLWouldBlock || *read_secret)
            return status;
    }
    return errSSLWouldBlock;
}

START_TEST(renegotiation_keeps_the_same_certificate)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, false);
    server_renegotiates_with(&peer, pki.server);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSecSuccess);
    ck_assert(secret);
    ck_assert_int_eq(state_of(ctx), kSSLConnected);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* The triple-handshake guard: without the option, any other certificate is refused. */
START_TEST(renegotiation_to_another_certificate_needs_the_option)
{
    X509 *other = other_trusted_leaf();
    X509 *certs[] = {other, pki.untrusted};
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, _i >= 2);
    server_renegotiates_with(&peer, certs[_i % 2]);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSSLProtocol);
    ck_assert(!secret);
    ck_assert_int_eq(alert_at_server(&peer), SSL_AD_BAD_CERTIFICATE);
    expect_aborted(ctx);
    CFRelease(ctx);
    mem_peer_free(&peer);
    X509_free(other);
}
END_TEST

START_TEST(renegotiation_to_another_trusted_certificate_with_the_option)
{
    X509 *other = other_trusted_leaf();
    struct mem_peer peer;
    server_with(&peer, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionAllowServerIdentityChange, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSecSuccess);
    server_renegotiates_with(&peer, other);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSecSuccess);
    ck_assert(secret);
    ck_assert(tls_peer_leaf_is(ctx, other));
    CFRelease(ctx);
    mem_peer_free(&peer);
    X509_free(other);
}
END_TEST

/* Measured before the fix: the client read the untrusted server's data. */
START_TEST(renegotiation_to_an_untrusted_certificate_is_verified)
{
    struct mem_peer peer;
    server_with(&peer, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionAllowServerIdentityChange, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSecSuccess);
    server_renegotiates_with(&peer, pki.untrusted);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSSLXCertChainInvalid);
    ck_assert(!secret);
    ck_assert_int_eq(alert_at_server(&peer), SSL_AD_CERTIFICATE_UNKNOWN);
    ck_assert(tls_peer_leaf_is(ctx, pki.untrusted));
    expect_aborted(ctx);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* With BreakOnServerAuth the renegotiation breaks to the app again, with the new chain's trust. */
START_TEST(renegotiation_breaks_to_the_app_again)
{
    struct mem_peer peer;
    server_with(&peer, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    SSLSetSessionOption(ctx, kSSLSessionOptionAllowServerIdentityChange, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLPeerAuthCompleted);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSecSuccess);
    server_renegotiates_with(&peer, pki.untrusted);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSSLPeerAuthCompleted);
    ck_assert(!secret);
    ck_assert_int_eq(state_of(ctx), kSSLHandshake);
    ck_assert(tls_peer_leaf_is(ctx, pki.untrusted));
    SecTrustRef trust = NULL;
    SSLCopyPeerTrust(ctx, &trust);
    ck_assert(!SecTrustEvaluateWithError(trust, NULL));
    CFRelease(trust);
    if (_i == 0) {
        /* The app rejects it: the renegotiation ends with certificate_unknown. */
        SSLSetError(ctx, errSSLXCertChainInvalid);
        ck_assert_int_eq(SSLHandshake(ctx), errSSLXCertChainInvalid);
        ck_assert_int_eq(alert_at_server(&peer), SSL_AD_CERTIFICATE_UNKNOWN);
        expect_aborted(ctx);
    } else {
        /* The app accepts it, on its own judgement: the data comes through. */
        ck_assert_int_eq(read_during_renegotiation(ctx, &peer, &secret), errSecSuccess);
        ck_assert(secret);
        ck_assert_int_eq(state_of(ctx), kSSLConnected);
    }
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* A second connection to the same OpenSSL server (its session cache), TLS 1.2. */
static void server_again(struct mem_peer *next, const struct mem_peer *first)
{
    memset(next, 0, sizeof(*next));
    ck_assert(SSL_CTX_up_ref(first->ssl_ctx));
    next->ssl_ctx = first->ssl_ctx;
    next->ssl = SSL_new(next->ssl_ctx);
    ck_assert_ptr_nonnull(next->ssl);
    ck_assert(SSL_add1_chain_cert(next->ssl, pki.intermediate));
    next->to_server = BIO_new(BIO_s_mem());
    next->from_server = BIO_new(BIO_s_mem());
    BIO_up_ref(next->to_server);
    BIO_up_ref(next->from_server);
    SSL_set_bio(next->ssl, next->to_server, next->from_server);
    SSL_set_accept_state(next->ssl);
}

/* A resumed session verified nothing, yet its certificate is the one to keep. */
START_TEST(renegotiation_after_resumption_keeps_the_certificate)
{
    struct mem_peer first, second;
    server_with(&first, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&first, &pki);
    SSLSetPeerID(ctx, "verify-resume", 13);
    ck_assert_int_eq(mem_peer_handshake(ctx, &first), errSecSuccess);
    SSLClose(ctx);
    CFRelease(ctx);

    server_again(&second, &first);
    ctx = mem_peer_client(&second, &pki);
    SSLSetPeerID(ctx, "verify-resume", 13);
    ck_assert_int_eq(mem_peer_handshake(ctx, &second), errSecSuccess);
    mem_peer_pump(&second); /* the server reads our Finished */
    ck_assert(SSL_is_init_finished(second.ssl));
    ck_assert(SSL_session_reused(second.ssl));
    X509 *other = other_trusted_leaf();
    server_renegotiates_with(&second, other);
    bool secret;
    ck_assert_int_eq(read_during_renegotiation(ctx, &second, &secret), errSSLProtocol);
    ck_assert(!secret);
    expect_aborted(ctx);
    CFRelease(ctx);
    X509_free(other);
    mem_peer_free(&second);
    mem_peer_free(&first);
}
END_TEST

/* ---- the server's break points: our client against our server ---- */

/* The server trusts the root too, for the client-auth break points. */
static void pair_open(struct socket_pair *p, SSLProtocol max)
{
    socket_pair_open_pki(p, &pki, SOCKET_PAIR_SERVER_TRUSTS_ROOTS);
    SSLSetProtocolVersionMax(p->client, max);
}

/* Steps both sides until `side` stops on something other than would-block. */
static OSStatus run_until(struct socket_pair *p, SSLContextRef side, OSStatus *other)
{
    SSLContextRef peer = side == p->client ? p->server : p->client;
    *other = errSSLWouldBlock;
    for (int i = 0; i < 20000; i++) {
        OSStatus status = SSLHandshake(side);
        if (*other == errSSLWouldBlock)
            *other = SSLHandshake(peer);
        if (status != errSSLWouldBlock)
            return status;
    }
    return errSSLWouldBlock;
}

START_TEST(set_error_at_client_hello_break_aborts)
{
    struct socket_pair p;
    pair_open(&p, _i == 0 ? kTLSProtocol12 : kTLSProtocol13);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientHello, true);
    OSStatus client;
    ck_assert_int_eq(run_until(&p, p.server, &client), errSSLClientHelloReceived);
    SSLSetError(p.server, errSecNotTrusted);
    ck_assert_int_eq(SSLHandshake(p.server), errSecNotTrusted);
    expect_aborted(p.server);
    /* The client hears handshake_failure. */
    ck_assert_int_eq(run_until(&p, p.client, &client), errSSLPeerHandshakeFail);
    socket_pair_free(&p);
}
END_TEST

/*
 * BreakOnClientAuth, then SSLSetError: the server never connects. Its alert
 * reaches the client in TLS 1.2; in TLS 1.3 OpenSSL offers no way to send
 * one from that point (README).
 */
START_TEST(set_error_at_client_auth_break_aborts)
{
    struct socket_pair p;
    pair_open(&p, _i == 0 ? kTLSProtocol12 : kTLSProtocol13);
    SSLSetClientSideAuthenticate(p.server, kAlwaysAuthenticate);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientAuth, true);
    CFArrayRef identity = tls_pki_client_identity(&pki);
    ck_assert_int_eq(SSLSetCertificate(p.client, identity), errSecSuccess);
    CFRelease(identity);
    OSStatus client;
    ck_assert_int_eq(run_until(&p, p.server, &client), errSSLClientAuthCompleted);
    SSLSetError(p.server, errSSLBadCert);
    ck_assert_int_eq(SSLHandshake(p.server), errSSLBadCert);
    expect_aborted(p.server);
    if (_i == 0)
        ck_assert_int_eq(run_until(&p, p.client, &client), errSSLPeerBadCert);
    socket_pair_free(&p);
}
END_TEST

/*
 * A client-initiated renegotiation, the server with BreakOnClientAuth: the
 * new client certificate breaks to the app again (it used to be accepted
 * unjudged), from SSLRead.
 */
START_TEST(server_renegotiation_breaks_on_client_auth_again)
{
    struct socket_pair p;
    pair_open(&p, kTLSProtocol12);
    SSLSetSessionOption(p.server, kSSLSessionOptionAllowRenegotiation, true);
    SSLSetClientSideAuthenticate(p.server, kAlwaysAuthenticate);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientAuth, true);
    CFArrayRef identity = tls_pki_client_identity(&pki);
    SSLSetCertificate(p.client, identity);
    CFRelease(identity);
    OSStatus client;
    ck_assert_int_eq(run_until(&p, p.server, &client), errSSLClientAuthCompleted);
    ck_assert_int_eq(run_until(&p, p.server, &client), errSecSuccess);
    ck_assert_int_eq(run_until(&p, p.client, &client), errSecSuccess);

    ck_assert_int_eq(SSLReHandshake(p.client), errSecSuccess);
    OSStatus server = errSSLWouldBlock;
    for (int i = 0; i < 20000 && server == errSSLWouldBlock; i++) {
        (void)SSLHandshake(p.client);
        char buf[8];
        size_t n;
        server = SSLRead(p.server, buf, sizeof(buf), &n);
    }
    ck_assert_int_eq(server, errSSLClientAuthCompleted);
    ck_assert_int_eq(state_of(p.server), kSSLHandshake);
    if (_i == 0) {
        SSLSetError(p.server, errSSLXCertChainInvalid);
        ck_assert_int_eq(SSLHandshake(p.server), errSSLXCertChainInvalid);
        expect_aborted(p.server);
    } else {
        ck_assert_int_eq(run_until(&p, p.server, &client), errSecSuccess);
        ck_assert_int_eq(state_of(p.server), kSSLConnected);
    }
    socket_pair_free(&p);
}
END_TEST

static Suite *verify_hardening_suite(void)
{
    Suite *s = suite_create("verify_hardening");
    TCase *tc = tcase_create("set error");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, set_error_at_server_auth_break_aborts, 0, 2 * REJECTIONS);
    tcase_add_loop_test(tc, set_error_with_a_non_error_status_still_aborts, 0, 3);
    tcase_add_loop_test(tc, set_error_at_cert_requested_break_aborts, 0, 2);
    tcase_add_loop_test(tc, rejected_chain_never_reads_as_verified, 0, 2);
    tcase_add_loop_test(tc, set_error_at_client_hello_break_aborts, 0, 2);
    tcase_add_loop_test(tc, set_error_at_client_auth_break_aborts, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("renegotiation");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, renegotiation_keeps_the_same_certificate);
    tcase_add_loop_test(tc, renegotiation_to_another_certificate_needs_the_option, 0, 4);
    tcase_add_test(tc, renegotiation_to_another_trusted_certificate_with_the_option);
    tcase_add_test(tc, renegotiation_to_an_untrusted_certificate_is_verified);
    tcase_add_loop_test(tc, renegotiation_breaks_to_the_app_again, 0, 2);
    tcase_add_test(tc, renegotiation_after_resumption_keeps_the_certificate);
    tcase_add_loop_test(tc, server_renegotiation_breaks_on_client_auth_again, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(verify_hardening_suite());
}
