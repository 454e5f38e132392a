/*
 * Our client against `openssl s_server` on 127.0.0.1 with the test PKI:
 * TLS 1.2 and 1.3, RSA and ECDSA, client certificates, ALPN, resumption,
 * cipher and version choices, and servers whose certificates must be
 * refused. Blocking and non-blocking sockets.
 */
#include <openssl/x509.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "st_test.h"
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

struct client {
    SSLContextRef ctx;
    struct socket_conn conn;
};

/* A client connected (TCP only) to the server, trusting the test root. */
static void client_open(struct client *c, const struct s_server *server, bool nonblocking)
{
    c->conn.fd = tls_connect_loopback(server->port, nonblocking);
    c->ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    ck_assert_ptr_nonnull(c->ctx);
    ck_assert_int_eq(SSLSetIOFuncs(c->ctx, socket_read_cb, socket_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(c->ctx, &c->conn), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(c->ctx, "localhost", strlen("localhost")), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(&pki);
    ck_assert_int_eq(SSLSetTrustedRoots(c->ctx, roots, false), errSecSuccess);
    CFRelease(roots);
}

static void client_close(struct client *c)
{
    SSLClose(c->ctx);
    CFRelease(c->ctx);
    close(c->conn.fd);
}

/* Sends a GET to `s_server -www` and collects its status page. */
static char *fetch_status_page(struct client *c)
{
    const char request[] = "GET / HTTP/1.0\r\n\r\n";
    size_t processed = 0;
    OSStatus status = SSLWrite(c->ctx, request, sizeof(request) - 1, &processed);
    while (status == errSSLWouldBlock) {
        ck_assert_uint_eq(processed, sizeof(request) - 1);
        status = SSLWrite(c->ctx, NULL, 0, &processed);
    }
    ck_assert_int_eq(status, errSecSuccess);
    size_t cap = 1 << 16, len = 0;
    char *page = calloc(cap + 1, 1);
    for (int spins = 0; spins < 100000; spins++) {
        status = SSLRead(c->ctx, page + len, cap - len, &processed);
        len += processed;
        if (status == errSSLWouldBlock) {
            struct pollfd p = {.fd = c->conn.fd, .events = POLLIN};
            poll(&p, 1, 50);
            continue;
        }
        if (status != errSecSuccess || len == cap)
            break;
    }
    /* s_server -www ends with close_notify, or a bare EOF (errSSLClosedAbort). */
    ck_assert_msg(status == errSSLClosedGraceful || status == errSSLClosedAbort,
                  "read ended with %d", (int)status);
    return page;
}

static void expect_connected(struct client *c, SSLProtocol version)
{
    ck_assert_int_eq(handshake_until_done(c->ctx, c->conn.fd), errSecSuccess);
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(c->ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLConnected);
    SSLProtocol negotiated;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(c->ctx, &negotiated), errSecSuccess);
    ck_assert_int_eq(negotiated, version);
}

static const struct {
    const char *version_flag;
    bool ec;
    bool nonblocking;
    SSLProtocol expected;
} servers[] = {
    {"-tls1_3", false, false, kTLSProtocol13},
    {"-tls1_3", true, true, kTLSProtocol13},
    {"-tls1_2", false, true, kTLSProtocol12},
    {"-tls1_2", true, false, kTLSProtocol12},
};

START_TEST(fetch_from_s_server)
{
    const char *args[] = {servers[_i].version_flag,
                          "-cert",
                          servers[_i].ec ? pki.ec_pem : pki.server_pem,
                          "-key",
                          servers[_i].ec ? pki.ec_key_pem : pki.server_key_pem,
                          "-cert_chain",
                          pki.chain_pem,
                          "-www",
                          NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, servers[_i].nonblocking);
    expect_connected(&c, servers[_i].expected);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(c.ctx, &suite), errSecSuccess);
    if (servers[_i].expected == kTLSProtocol13)
        ck_assert_uint_eq(suite >> 8, 0x13);
    else if (servers[_i].ec)
        ck_assert(suite == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ||
                  suite == TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ||
                  suite == TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
    char *page = fetch_status_page(&c);
    ck_assert_msg(strstr(page, "200 ok") != NULL, "no status page: %.200s", page);
    ck_assert_ptr_nonnull(
        strstr(page, servers[_i].expected == kTLSProtocol13 ? "TLSv1.3" : "TLSv1.2"));
    free(page);
    CFArrayRef chain = NULL;
    ck_assert_int_eq(SSLCopyPeerCertificates(c.ctx, &chain), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(chain), 3);
    CFRelease(chain);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

/* Each bad server certificate fails with -9807, whatever the reason. */
START_TEST(bad_server_certificates_are_refused)
{
    const char *certs[] = {pki.expired_pem, pki.wrong_host_pem, pki.untrusted_pem};
    const char *args[] = {"-cert",       certs[_i],     "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem, "-www", NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, _i == 1);
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSSLXCertChainInvalid);
    SSLSessionState state;
    SSLGetSessionState(c.ctx, &state);
    ck_assert_int_eq(state, kSSLAborted);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

/* The same refused server is accepted by each of the app's ways of relaxing trust. */
START_TEST(relaxed_trust_accepts_untrusted_server)
{
    const char *args[] = {"-cert",       pki.untrusted_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem,     "-www", NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    if (_i == 0) {
        ck_assert_int_eq(SSLSetEnableCertVerify(c.ctx, false), errSecSuccess);
    } else if (_i == 1) {
        ck_assert_int_eq(SSLSetAllowsAnyRoot(c.ctx, true), errSecSuccess);
    } else {
        SecCertificateRef leaf = factory_sec_cert(pki.untrusted);
        CFArrayRef leaves = CFArrayCreate(NULL, (const void **)&leaf, 1, &kCFTypeArrayCallBacks);
        ck_assert_int_eq(SSLSetTrustedLeafCertificates(c.ctx, leaves), errSecSuccess);
        CFRelease(leaves);
        CFRelease(leaf);
    }
    expect_connected(&c, kTLSProtocol13);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

START_TEST(roots_only_excludes_other_anchors)
{
    /* Anchors only: the other root, so our own chain no longer verifies. */
    const char *args[] = {"-cert",       pki.server_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem,  "-www", NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    SecCertificateRef other = factory_sec_cert(pki.other_root);
    CFArrayRef roots = CFArrayCreate(NULL, (const void **)&other, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetTrustedRoots(c.ctx, roots, true), errSecSuccess);
    CFArrayRef copied = NULL;
    ck_assert_int_eq(SSLCopyTrustedRoots(c.ctx, &copied), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(copied), 1);
    CFRelease(copied);
    CFRelease(roots);
    CFRelease(other);
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSSLXCertChainInvalid);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

START_TEST(client_certificate_required)
{
    const char *args[] = {
        "-tls1_2",     "-cert",       pki.server_pem, "-key", pki.server_key_pem,
        "-cert_chain", pki.chain_pem, "-Verify",      "2",    "-verify_return_error",
        "-CAfile",     pki.root_pem,  "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);

    /* With an identity from PKCS#12: accepted. */
    struct client c;
    client_open(&c, &server, false);
    CFArrayRef identity = tls_pki_client_identity(&pki);
    ck_assert_int_eq(SSLSetCertificate(c.ctx, identity), errSecSuccess);
    expect_connected(&c, kTLSProtocol12);
    SSLClientCertificateState cert_state;
    ck_assert_int_eq(SSLGetClientCertificateState(c.ctx, &cert_state), errSecSuccess);
    ck_assert_int_eq(cert_state, kSSLClientCertSent);
    char *page = fetch_status_page(&c);
    ck_assert_ptr_nonnull(strstr(page, "200 ok"));
    free(page);
    client_close(&c);

    /* Breaking on the request: the names asked for, then the identity. */
    client_open(&c, &server, true);
    ck_assert_int_eq(SSLSetSessionOption(c.ctx, kSSLSessionOptionBreakOnCertRequested, true),
                     errSecSuccess);
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSSLClientCertRequested);
    ck_assert_int_eq(SSLGetClientCertificateState(c.ctx, &cert_state), errSecSuccess);
    ck_assert_int_eq(cert_state, kSSLClientCertRequested);
    CFArrayRef names = NULL;
    ck_assert_int_eq(SSLCopyDistinguishedNames(c.ctx, &names), errSecSuccess);
    ck_assert_ptr_nonnull(names);
    ck_assert_int_eq(CFArrayGetCount(names), 1);
    unsigned char *subject = NULL;
    int subject_len = i2d_X509_NAME(X509_get_subject_name(pki.root), &subject);
    CFDataRef asked = CFArrayGetValueAtIndex(names, 0);
    ck_assert_int_eq(CFDataGetLength(asked), subject_len);
    ck_assert_int_eq(memcmp(CFDataGetBytePtr(asked), subject, (size_t)subject_len), 0);
    OPENSSL_free(subject);
    CFRelease(names);
    ck_assert_int_eq(SSLSetCertificate(c.ctx, identity), errSecSuccess);
    expect_connected(&c, kTLSProtocol12);
    client_close(&c);

    /* Without one: the server refuses. */
    client_open(&c, &server, false);
    OSStatus status = handshake_until_done(c.ctx, c.conn.fd);
    ck_assert_int_eq(status, errSSLPeerHandshakeFail);
    ck_assert_int_eq(SSLGetClientCertificateState(c.ctx, &cert_state), errSecSuccess);
    ck_assert_int_eq(cert_state, kSSLClientCertRequested);
    client_close(&c);
    CFRelease(identity);
    s_server_stop(&server);
}
END_TEST

static CFArrayRef string_array(const char *a, const char *b)
{
    CFStringRef items[2] = {CFStringCreateWithCString(NULL, a, kCFStringEncodingASCII),
                            b ? CFStringCreateWithCString(NULL, b, kCFStringEncodingASCII) : NULL};
    CFArrayRef array = CFArrayCreate(NULL, (const void **)items, b ? 2 : 1, &kCFTypeArrayCallBacks);
    CFRelease(items[0]);
    if (items[1] != NULL)
        CFRelease(items[1]);
    return array;
}

START_TEST(alpn_negotiated_with_s_server)
{
    const char *args[] = {"-cert",       pki.server_pem,
                          "-key",        pki.server_key_pem,
                          "-cert_chain", pki.chain_pem,
                          "-alpn",       "http/1.1,h2",
                          "-www",        NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    CFArrayRef offer = string_array("h2", "http/1.1");
    ck_assert_int_eq(SSLSetALPNProtocols(c.ctx, offer), errSecSuccess);
    CFRelease(offer);
    CFArrayRef chosen = NULL;
    ck_assert_int_eq(SSLCopyALPNProtocols(c.ctx, &chosen), errSecParam); /* not yet */
    ck_assert_ptr_null(chosen);
    expect_connected(&c, kTLSProtocol13);
    ck_assert_int_eq(SSLCopyALPNProtocols(c.ctx, &chosen), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(chosen), 1);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(chosen, 0), CFSTR("http/1.1")));
    CFRelease(chosen);
    client_close(&c);

    /* No ALPN offered: nothing to copy. */
    client_open(&c, &server, false);
    expect_connected(&c, kTLSProtocol13);
    ck_assert_int_eq(SSLCopyALPNProtocols(c.ctx, &chosen), errSecParam);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

static bool connect_and_check_resumed(const struct s_server *server, const char *peer_id,
                                      SSLProtocol version)
{
    struct client c;
    client_open(&c, server, false);
    if (peer_id != NULL)
        ck_assert_int_eq(SSLSetPeerID(c.ctx, peer_id, strlen(peer_id)), errSecSuccess);
    expect_connected(&c, version);
    /* TLS 1.3 tickets arrive after the handshake: read the page to get them. */
    char *page = fetch_status_page(&c);
    free(page);
    Boolean resumed = false;
    unsigned char id[64];
    size_t id_len = sizeof(id);
    ck_assert_int_eq(SSLGetResumableSessionInfo(c.ctx, &resumed, id, &id_len), errSecSuccess);
    client_close(&c);
    return resumed;
}

START_TEST(resumption_by_peer_id)
{
    const char *versions[] = {"-tls1_2", "-tls1_3"};
    const char *args[] = {versions[_i],  "-cert",       pki.server_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem, "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);
    char peer_id[64];
    snprintf(peer_id, sizeof(peer_id), "127.0.0.1:%d", server.port);
    SSLProtocol version = _i == 0 ? kTLSProtocol12 : kTLSProtocol13;
    ck_assert(!connect_and_check_resumed(&server, peer_id, version));
    ck_assert(connect_and_check_resumed(&server, peer_id, version));
    /* Without a peer ID there is no resumption (§14). */
    ck_assert(!connect_and_check_resumed(&server, NULL, version));
    s_server_stop(&server);
}
END_TEST

START_TEST(enabled_ciphers_are_offered_in_order)
{
    const char *args[] = {"-tls1_2",     "-cert",       pki.server_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem, "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    SSLCipherSuite wanted[] = {0xFFFF, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
                               TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384};
    ck_assert_int_eq(SSLSetEnabledCiphers(c.ctx, wanted, 3), errSecSuccess);
    size_t n = 0;
    ck_assert_int_eq(SSLGetNumberEnabledCiphers(c.ctx, &n), errSecSuccess);
    ck_assert_uint_eq(n, 2); /* the unknown value was dropped */
    expect_connected(&c, kTLSProtocol12);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(c.ctx, &suite), errSecSuccess);
    ck_assert_uint_eq(suite, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

START_TEST(version_ranges_against_s_server)
{
    const char *args[] = {"-tls1_3",     "-cert",       pki.server_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem, "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;

    /* kSSLProtocol3 as a minimum is accepted and never negotiated. */
    client_open(&c, &server, false);
    ck_assert_int_eq(SSLSetProtocolVersionMin(c.ctx, kSSLProtocol3), errSecSuccess);
    expect_connected(&c, kTLSProtocol13);
    client_close(&c);

    /* TLS 1.2 at most against a 1.3-only server: the server says protocol_version. */
    client_open(&c, &server, false);
    ck_assert_int_eq(SSLSetProtocolVersionMax(c.ctx, kTLSProtocol12), errSecSuccess);
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSSLPeerProtocolVersion);
    client_close(&c);

    /* SSL 3 only: nothing OpenSSL can speak, a configuration error. */
    client_open(&c, &server, false);
    ck_assert_int_eq(SSLSetProtocolVersionMax(c.ctx, kSSLProtocol3), errSecSuccess);
    ck_assert_int_eq(SSLSetProtocolVersionMin(c.ctx, kSSLProtocol3), errSecSuccess);
    ck_assert_int_eq(SSLHandshake(c.ctx), errSSLBadConfiguration);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

START_TEST(old_versions_only_when_asked_for)
{
    const char *args[] = {
        "-tls1_1", "-cipher",          "DEFAULT@SECLEVEL=0", "-cert",       pki.server_pem,
        "-key",    pki.server_key_pem, "-cert_chain",        pki.chain_pem, "-www",
        NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSSLPeerProtocolVersion);
    client_close(&c);
    client_open(&c, &server, false);
    ck_assert_int_eq(SSLSetProtocolVersionMin(c.ctx, kTLSProtocol1), errSecSuccess);
    expect_connected(&c, kTLSProtocol11);
    char *page = fetch_status_page(&c);
    ck_assert_ptr_nonnull(strstr(page, "TLSv1.1"));
    free(page);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

START_TEST(pre_shared_key_without_certificates)
{
    const char *args[] = {
        "-tls1_2",       "-nocert",  "-psk",    "000102030405060708090a0b0c0d0e0f",
        "-psk_identity", "sectrans", "-cipher", "PSK-AES128-GCM-SHA256",
        "-www",          NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    const unsigned char secret[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    ck_assert_int_eq(SSLSetPSKSharedSecret(c.ctx, secret, sizeof(secret)), errSecSuccess);
    ck_assert_int_eq(SSLSetPSKIdentity(c.ctx, "sectrans", 8), errSecSuccess);
    SSLCipherSuite psk[] = {TLS_PSK_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(c.ctx, psk, 1), errSecSuccess);
    expect_connected(&c, kTLSProtocol12);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(c.ctx, &suite), errSecSuccess);
    ck_assert_uint_eq(suite, TLS_PSK_WITH_AES_128_GCM_SHA256);
    /* No certificate, so no trust (behaviour.md §9). */
    SecTrustRef trust = (SecTrustRef)1;
    ck_assert_int_eq(SSLCopyPeerTrust(c.ctx, &trust), errSecSuccess);
    ck_assert_ptr_null(trust);
    char *page = fetch_status_page(&c);
    ck_assert_ptr_nonnull(strstr(page, "200 ok"));
    free(page);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

/* TLS 1.2 renegotiates; TLS 1.3 updates its keys instead. Data flows after either. */
START_TEST(rehandshake_then_fetch)
{
    const char *versions[] = {"-tls1_2", "-tls1_3"};
    const char *args[] = {
        versions[_i],       "-client_renegotiation", "-cert",       pki.server_pem, "-key",
        pki.server_key_pem, "-cert_chain",           pki.chain_pem, "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct client c;
    client_open(&c, &server, false);
    expect_connected(&c, _i == 0 ? kTLSProtocol12 : kTLSProtocol13);
    ck_assert_int_eq(SSLReHandshake(c.ctx), errSecSuccess);
    SSLSessionState state;
    SSLGetSessionState(c.ctx, &state);
    ck_assert_int_eq(state, kSSLHandshake);
    ck_assert_int_eq(SSLReHandshake(c.ctx), errSecBadReq); /* already pending */
    ck_assert_int_eq(handshake_until_done(c.ctx, c.conn.fd), errSecSuccess);
    SSLGetSessionState(c.ctx, &state);
    ck_assert_int_eq(state, kSSLConnected);
    char *page = fetch_status_page(&c);
    ck_assert_ptr_nonnull(strstr(page, "200 ok"));
    free(page);
    client_close(&c);
    s_server_stop(&server);
}
END_TEST

static Suite *client_openssl_suite(void)
{
    Suite *s = suite_create("client_openssl");
    TCase *tc = tcase_create("s_server");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, fetch_from_s_server, 0, sizeof(servers) / sizeof(servers[0]));
    tcase_add_loop_test(tc, bad_server_certificates_are_refused, 0, 3);
    tcase_add_loop_test(tc, relaxed_trust_accepts_untrusted_server, 0, 3);
    tcase_add_test(tc, roots_only_excludes_other_anchors);
    tcase_add_test(tc, client_certificate_required);
    tcase_add_test(tc, alpn_negotiated_with_s_server);
    tcase_add_loop_test(tc, resumption_by_peer_id, 0, 2);
    tcase_add_test(tc, enabled_ciphers_are_offered_in_order);
    tcase_add_test(tc, version_ranges_against_s_server);
    tcase_add_test(tc, old_versions_only_when_asked_for);
    tcase_add_test(tc, pre_shared_key_without_certificates);
    tcase_add_loop_test(tc, rehandshake_then_fetch, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(client_openssl_suite());
}
