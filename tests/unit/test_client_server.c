/*
 * Our client against our server in one process, over a non-blocking socket
 * pair: both sides' handshakes, every break point from both sides, client
 * authentication and its states, SNI, ALPN, resumption, renegotiation,
 * OCSP stapling and Diffie-Hellman parameters (behaviour.md §4, §7-§15).
 */
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
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

/* The server trusts the root too, for the client-certificate tests. */
static void pair_open(struct socket_pair *p, bool server_certificate)
{
    socket_pair_open_pki(p, &pki,
                         SOCKET_PAIR_SERVER_TRUSTS_ROOTS |
                             (server_certificate ? 0 : SOCKET_PAIR_NO_SERVER_IDENTITY));
}

START_TEST(handshake_and_data_both_ways)
{
    static const SSLProtocol versions[] = {kTLSProtocol13, kTLSProtocol12};
    struct socket_pair p;
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLProtocol v;
    SSLGetNegotiatedProtocolVersion(p.server, &v);
    ck_assert_int_eq(v, versions[_i]);
    SSLCipherSuite a = 0, b = 1;
    SSLGetNegotiatedCipher(p.client, &a);
    SSLGetNegotiatedCipher(p.server, &b);
    ck_assert_uint_eq(a, b);
    exchange_text(p.client, p.server, "ping from the client");
    exchange_text(p.server, p.client, "pong from the server");
    SecTrustRef trust = (SecTrustRef)1;
    ck_assert_int_eq(SSLCopyPeerTrust(p.server, &trust), errSecSuccess);
    ck_assert_ptr_null(trust); /* no client certificate */
    SSLClientCertificateState state;
    SSLGetClientCertificateState(p.server, &state);
    ck_assert_int_eq(state, kSSLClientCertNone);
    /* The client closes; the server sees close_notify. */
    ck_assert_int_eq(SSLClose(p.client), errSecSuccess);
    char buf[8];
    size_t n;
    OSStatus r;
    do
        r = SSLRead(p.server, buf, sizeof(buf), &n);
    while (r == errSSLWouldBlock);
    ck_assert_int_eq(r, errSSLClosedGraceful);
    socket_pair_close(&p);
}
END_TEST

START_TEST(ecdsa_server)
{
    struct socket_pair p;
    pair_open(&p, false);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.ec_server, pki.ec_key);
    ck_assert_int_eq(SSLSetCertificate(p.server, identity), errSecSuccess);
    CFRelease(identity);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLCipherSuite suite = 0;
    SSLGetNegotiatedCipher(p.client, &suite);
    ck_assert(suite == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ||
              suite == TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ||
              suite == TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
    socket_pair_close(&p);
}
END_TEST

START_TEST(server_without_certificate)
{
    struct socket_pair p;
    pair_open(&p, false);
    OSStatus c, s;
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(s, errSSLBadConfiguration);
    ck_assert_int_eq(c, errSSLPeerHandshakeFail);
    socket_pair_close(&p);
}
END_TEST

START_TEST(set_certificate_rejects_bad_arrays)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetCertificate(ctx, empty), errSSLBadCert);
    SecCertificateRef cert = factory_sec_cert(pki.server);
    CFArrayRef only_cert = CFArrayCreate(NULL, (const void **)&cert, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetCertificate(ctx, only_cert), errSecParam);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
    const void *mixed[] = {CFArrayGetValueAtIndex(identity, 0), empty};
    CFArrayRef bad_tail = CFArrayCreate(NULL, mixed, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetCertificate(ctx, bad_tail), errSecParam);
    ck_assert_int_eq(SSLSetCertificate(ctx, (CFArrayRef)cert), errSecParam);
    ck_assert_int_eq(SSLSetCertificate(ctx, identity), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(identity), 2); /* retained, not copied */
    ck_assert_int_eq(SSLSetCertificate(ctx, NULL), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(identity), 1);
    ck_assert_int_eq(SSLSetCertificate(NULL, identity), errSecParam);
    CFRelease(bad_tail);
    CFRelease(identity);
    CFRelease(only_cert);
    CFRelease(cert);
    CFRelease(empty);
    CFRelease(ctx);
}
END_TEST

static void give_client_identity(SSLContextRef client)
{
    CFArrayRef identity = tls_pki_client_identity(&pki);
    ck_assert_int_eq(SSLSetCertificate(client, identity), errSecSuccess);
    CFRelease(identity);
}

START_TEST(client_authentication_modes)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    SSLProtocol version = versions[_i];
    SSLClientCertificateState state;
    struct socket_pair p;

    /* Always, with a certificate: both sides say it was sent. */
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, version);
    ck_assert_int_eq(SSLSetClientSideAuthenticate(p.server, kAlwaysAuthenticate), errSecSuccess);
    give_client_identity(p.client);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLGetClientCertificateState(p.client, &state);
    ck_assert_int_eq(state, kSSLClientCertSent);
    SSLGetClientCertificateState(p.server, &state);
    ck_assert_int_eq(state, kSSLClientCertSent);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(p.server, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    ck_assert_int_eq(SecTrustGetCertificateCount(trust), 2);
    CFRelease(trust);
    CFArrayRef names = NULL;
    socket_pair_close(&p);

    /* Always, without one: the server refuses. */
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, version);
    SSLSetClientSideAuthenticate(p.server, kAlwaysAuthenticate);
    OSStatus c, s;
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(s, errSSLXCertChainInvalid);
    if (c == errSecSuccess) {
        /* TLS 1.3: the client has finished first; the server's alert comes with the data. */
        char buf[8];
        size_t n;
        do
            c = SSLRead(p.client, buf, sizeof(buf), &n);
        while (c == errSSLWouldBlock);
    }
    ck_assert(c != errSecSuccess && c != errSSLWouldBlock);
    SSLGetClientCertificateState(p.client, &state);
    ck_assert_int_eq(state, kSSLClientCertRequested);
    socket_pair_close(&p);

    /* Try, without one: fine, and the state says requested. */
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, version);
    SSLSetClientSideAuthenticate(p.server, kTryAuthenticate);
    SecCertificateRef root = factory_sec_cert(pki.root);
    ck_assert_int_eq(SSLSetCertificateAuthorities(p.server, root, true), errSecSuccess);
    ck_assert_int_eq(SSLSetCertificateAuthorities(p.client, root, true), errSecParam);
    CFRelease(root);
    ck_assert_int_eq(SSLSetSessionOption(p.client, kSSLSessionOptionBreakOnCertRequested, true),
                     errSecSuccess);
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(c, errSSLClientCertRequested);
    ck_assert_int_eq(SSLCopyDistinguishedNames(p.client, &names), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(names), 1);
    CFRelease(names);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLGetClientCertificateState(p.server, &state);
    ck_assert_int_eq(state, kSSLClientCertRequested);
    socket_pair_close(&p);

    /* A certificate the server cannot trust is fatal even with Try. */
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, version);
    SSLSetClientSideAuthenticate(p.server, kTryAuthenticate);
    SecCertificateRef other = factory_sec_cert(pki.other_root);
    CFArrayRef others = CFArrayCreate(NULL, (const void **)&other, 1, &kCFTypeArrayCallBacks);
    SSLSetTrustedRoots(p.server, others, true);
    CFRelease(others);
    CFRelease(other);
    give_client_identity(p.client);
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(s, errSSLXCertChainInvalid);
    SSLGetClientCertificateState(p.server, &state);
    ck_assert_int_eq(state, kSSLClientCertRejected);
    socket_pair_close(&p);
}
END_TEST

/* Every break point, from both sides, in one handshake. */
START_TEST(all_break_points)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    struct socket_pair p;
    pair_open(&p, false); /* the server picks its certificate after the ClientHello */
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    SSLSetClientSideAuthenticate(p.server, kAlwaysAuthenticate);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientHello, true);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientAuth, true);
    SSLSetSessionOption(p.client, kSSLSessionOptionBreakOnServerAuth, true);
    SSLSetSessionOption(p.client, kSSLSessionOptionBreakOnCertRequested, true);
    CFArrayRef offer = CFArrayCreate(NULL, (const void *[]){CFSTR("h2"), CFSTR("http/1.1")}, 2,
                                     &kCFTypeArrayCallBacks);
    SSLSetALPNProtocols(p.client, offer);
    CFRelease(offer);

    bool saw_hello = false, saw_server_auth = false, saw_cert_request = false,
         saw_client_auth = false;
    OSStatus c = errSSLWouldBlock, s = errSSLWouldBlock;
    for (int round = 0; round < 8 && !(c == errSecSuccess && s == errSecSuccess); round++) {
        socket_pair_handshake(&p, &c, &s);
        if (s == errSSLClientHelloReceived) {
            saw_hello = true;
            size_t len = 0;
            ck_assert_int_eq(SSLCopyRequestedPeerNameLength(p.server, &len), errSecSuccess);
            ck_assert_uint_eq(len, sizeof("localhost"));
            char name[32];
            ck_assert_int_eq(SSLCopyRequestedPeerName(p.server, name, &len), errSecSuccess);
            ck_assert_str_eq(name, "localhost");
            CFArrayRef offered = NULL;
            ck_assert_int_eq(SSLCopyALPNProtocols(p.server, &offered), errSecSuccess);
            ck_assert_int_eq(CFArrayGetCount(offered), 2);
            CFRelease(offered);
            CFArrayRef chosen =
                CFArrayCreate(NULL, (const void *[]){CFSTR("http/1.1")}, 1, &kCFTypeArrayCallBacks);
            SSLSetALPNProtocols(p.server, chosen);
            CFRelease(chosen);
            CFArrayRef identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
            ck_assert_int_eq(SSLSetCertificate(p.server, identity), errSecSuccess);
            CFRelease(identity);
        }
        if (c == errSSLPeerAuthCompleted) {
            saw_server_auth = true;
            SecTrustRef trust = NULL;
            SSLCopyPeerTrust(p.client, &trust);
            CFArrayRef roots = tls_pki_roots(&pki);
            SecTrustSetAnchorCertificates(trust, roots);
            CFRelease(roots);
            ck_assert(SecTrustEvaluateWithError(trust, NULL));
            CFRelease(trust);
        }
        if (c == errSSLClientCertRequested) {
            saw_cert_request = true;
            give_client_identity(p.client);
        }
        if (s == errSSLClientAuthCompleted) {
            saw_client_auth = true;
            SecTrustRef trust = NULL;
            ck_assert_int_eq(SSLCopyPeerTrust(p.server, &trust), errSecSuccess);
            ck_assert_ptr_nonnull(trust);
            CFArrayRef roots = tls_pki_roots(&pki);
            SecTrustSetAnchorCertificates(trust, roots);
            CFRelease(roots);
            ck_assert(SecTrustEvaluateWithError(trust, NULL));
            CFRelease(trust);
        }
        SSLSessionState state;
        SSLGetSessionState(p.server, &state);
        ck_assert(state == kSSLHandshake || state == kSSLConnected);
    }
    ck_assert_int_eq(c, errSecSuccess);
    ck_assert_int_eq(s, errSecSuccess);
    ck_assert(saw_hello && saw_server_auth && saw_cert_request && saw_client_auth);
    CFArrayRef chosen = NULL;
    ck_assert_int_eq(SSLCopyALPNProtocols(p.client, &chosen), errSecSuccess);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(chosen, 0), CFSTR("http/1.1")));
    CFRelease(chosen);
    exchange_text(p.client, p.server, "after every break");
    socket_pair_close(&p);
}
END_TEST

static bool resumed_after(const char *client_id, const char *server_id, SSLProtocol version)
{
    bool resumed = false;
    for (int i = 0; i < 2; i++) {
        struct socket_pair p;
        pair_open(&p, true);
        SSLSetProtocolVersionMax(p.client, version);
        if (client_id != NULL)
            SSLSetPeerID(p.client, client_id, strlen(client_id));
        if (server_id != NULL)
            SSLSetPeerID(p.server, server_id, strlen(server_id));
        /* TLS 1.3 resumes only from a ticket, and tickets are off by default. */
        SSLSetSessionTicketsEnabled(p.server, version == kTLSProtocol13);
        socket_pair_expect(&p, errSecSuccess, errSecSuccess);
        /* TLS 1.3 tickets follow the handshake; a round of data carries them. */
        exchange_text(p.server, p.client, "ticket carrier");
        Boolean was = false;
        unsigned char sid[64];
        size_t len = sizeof(sid);
        ck_assert_int_eq(SSLGetResumableSessionInfo(p.client, &was, sid, &len), errSecSuccess);
        resumed = was;
        socket_pair_close(&p);
    }
    return resumed;
}

START_TEST(server_resumption_needs_peer_ids)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    char client_id[32], server_id[32];
    snprintf(client_id, sizeof(client_id), "server-%d", _i);
    snprintf(server_id, sizeof(server_id), "listener-%d", _i);
    ck_assert(resumed_after(client_id, server_id, versions[_i]));
    snprintf(client_id, sizeof(client_id), "noserver-%d", _i);
    ck_assert(!resumed_after(client_id, NULL, versions[_i]));
}
END_TEST

START_TEST(renegotiation_from_either_side)
{
    struct socket_pair p;
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    /* Client-initiated, refused: the server did not allow it. */
    ck_assert_int_eq(SSLReHandshake(p.client), errSecSuccess);
    OSStatus c = errSSLWouldBlock;
    for (int i = 0; i < 2000 && c == errSSLWouldBlock; i++) {
        c = SSLHandshake(p.client);
        char buf[8];
        size_t n;
        (void)SSLRead(p.server, buf, sizeof(buf), &n);
    }
    ck_assert_int_eq(c, errSSLPeerNoRenegotiation);
    socket_pair_close(&p);

    /* Allowed: both sides end up connected again and data flows. */
    pair_open(&p, true);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    SSLSetSessionOption(p.server, kSSLSessionOptionAllowRenegotiation, true);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    ck_assert_int_eq(SSLReHandshake(p.client), errSecSuccess);
    c = errSSLWouldBlock;
    for (int i = 0; i < 2000 && c == errSSLWouldBlock; i++) {
        c = SSLHandshake(p.client);
        char buf[8];
        size_t n;
        (void)SSLRead(p.server, buf, sizeof(buf), &n);
    }
    ck_assert_int_eq(c, errSecSuccess);
    exchange_text(p.client, p.server, "after the client's renegotiation");

    /* Server-initiated: a HelloRequest the client answers while reading. */
    ck_assert_int_eq(SSLReHandshake(p.server), errSecSuccess);
    OSStatus s = errSSLWouldBlock;
    for (int i = 0; i < 2000 && s == errSSLWouldBlock; i++) {
        s = SSLHandshake(p.server);
        char buf[8];
        size_t n;
        (void)SSLRead(p.client, buf, sizeof(buf), &n);
    }
    ck_assert_int_eq(s, errSecSuccess);
    exchange_text(p.server, p.client, "after the server's renegotiation");
    socket_pair_close(&p);
}
END_TEST

/* A raw OpenSSL client asks for OCSP status; our server staples the bytes it was given. */
START_TEST(ocsp_stapling)
{
    struct socket_pair p;
    pair_open(&p, true);
    static const UInt8 response[] = {0x30, 0x03, 0x0a, 0x01, 0x00};
    CFDataRef ocsp = CFDataCreate(NULL, response, sizeof(response));
    ck_assert_int_eq(SSLSetOCSPResponse(p.server, ocsp), errSecSuccess);
    ck_assert_int_eq(SSLSetOCSPResponse(p.server, NULL), errSecParam);
    CFRelease(ocsp);
    SSL_CTX *raw_ctx = SSL_CTX_new(TLS_client_method());
    SSL *raw = SSL_new(raw_ctx);
    SSL_set_fd(raw, p.client_conn.fd);
    SSL_set_tlsext_status_type(raw, TLSEXT_STATUSTYPE_ocsp);
    SSL_set_connect_state(raw);
    int done = 0;
    for (int i = 0; i < 5000 && done != 1; i++) {
        done = SSL_do_handshake(raw);
        (void)SSLHandshake(p.server);
    }
    ck_assert_int_eq(done, 1);
    const unsigned char *stapled = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(raw, &stapled);
    ck_assert_int_eq(len, sizeof(response));
    ck_assert_int_eq(memcmp(stapled, response, sizeof(response)), 0);
    SSL_free(raw);
    SSL_CTX_free(raw_ctx);
    socket_pair_close(&p);
}
END_TEST

/* DER PKCS#3 parameters of the ffdhe2048 group. */
static CFDataRef ffdhe2048_params(void)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    EVP_PKEY *params = NULL;
    ck_assert(EVP_PKEY_paramgen_init(pctx) == 1);
    OSSL_PARAM set[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"ffdhe2048", 0),
        OSSL_PARAM_construct_end()};
    ck_assert(EVP_PKEY_CTX_set_params(pctx, set) == 1);
    ck_assert(EVP_PKEY_paramgen(pctx, &params) == 1);
    unsigned char *der = NULL;
    int len = i2d_KeyParams(params, &der);
    ck_assert_int_gt(len, 0);
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    EVP_PKEY_free(params);
    EVP_PKEY_CTX_free(pctx);
    return data;
}

START_TEST(diffie_hellman_parameters)
{
    struct socket_pair p;
    pair_open(&p, true);
    CFDataRef dh = ffdhe2048_params();
    ck_assert_int_eq(SSLSetDiffieHellmanParams(p.server, "junk", 4), errSecParam);
    ck_assert_int_eq(
        SSLSetDiffieHellmanParams(p.server, CFDataGetBytePtr(dh), (size_t)CFDataGetLength(dh)),
        errSecSuccess);
    const void *back = NULL;
    size_t back_len = 0;
    ck_assert_int_eq(SSLGetDiffieHellmanParams(p.server, &back, &back_len), errSecSuccess);
    ck_assert_uint_eq(back_len, (size_t)CFDataGetLength(dh));
    ck_assert_int_eq(memcmp(back, CFDataGetBytePtr(dh), back_len), 0);
    CFRelease(dh);
    SSLCipherSuite dhe[] = {TLS_DHE_RSA_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(p.client, dhe, 1), errSecSuccess);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLCipherSuite suite = 0;
    SSLGetNegotiatedCipher(p.server, &suite);
    ck_assert_uint_eq(suite, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
    exchange_text(p.client, p.server, "over DHE");
    socket_pair_close(&p);
}
END_TEST

/* The server's acceptable-CA list: prepended DER names, certificates, and what the client sees. */
START_TEST(distinguished_names)
{
    struct socket_pair p;
    pair_open(&p, true);
    unsigned char *root_dn = NULL, *other_dn = NULL;
    int root_len = i2d_X509_NAME(X509_get_subject_name(pki.root), &root_dn);
    int other_len = i2d_X509_NAME(X509_get_subject_name(pki.other_root), &other_dn);
    ck_assert_int_eq(SSLAddDistinguishedName(p.server, "\x30\x03junk", 5), errSecParam);
    ck_assert_int_eq(SSLAddDistinguishedName(p.server, NULL, 3), errSecParam);
    ck_assert_int_eq(SSLAddDistinguishedName(p.server, root_dn, (size_t)root_len), errSecSuccess);
    ck_assert_int_eq(SSLAddDistinguishedName(p.server, other_dn, (size_t)other_len), errSecSuccess);
    CFArrayRef names = NULL;
    ck_assert_int_eq(SSLCopyDistinguishedNames(p.server, &names), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(names), 2);
    /* Prepended: the last one added comes first. */
    CFDataRef first = CFArrayGetValueAtIndex(names, 0);
    ck_assert_int_eq(CFDataGetLength(first), other_len);
    ck_assert_int_eq(memcmp(CFDataGetBytePtr(first), other_dn, (size_t)other_len), 0);
    CFRelease(names);
    CFArrayRef certs = (CFArrayRef)1;
    ck_assert_int_eq(SSLCopyCertificateAuthorities(p.server, &certs), errSecSuccess);
    ck_assert_ptr_null(certs); /* names alone are not certificates */

    SSLSetClientSideAuthenticate(p.server, kTryAuthenticate);
    SSLSetSessionOption(p.client, kSSLSessionOptionBreakOnCertRequested, true);
    OSStatus c, s;
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(c, errSSLClientCertRequested);
    ck_assert_int_eq(SSLCopyDistinguishedNames(p.client, &names), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(names), 2);
    CFRelease(names);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    /* Setters refuse an active session; certificate authorities refuse clients too. */
    ck_assert_int_eq(SSLAddDistinguishedName(p.server, root_dn, (size_t)root_len), errSecBadReq);
    SecCertificateRef root = factory_sec_cert(pki.root);
    ck_assert_int_eq(SSLSetCertificateAuthorities(p.server, root, false), errSecParam);
    CFRelease(root);
    OPENSSL_free(root_dn);
    OPENSSL_free(other_dn);
    socket_pair_close(&p);

    SSLContextRef server = st_test_context(kSSLServerSide, kSSLStreamType);
    SecCertificateRef a = factory_sec_cert(pki.root), b = factory_sec_cert(pki.other_root);
    const void *both[] = {a, b};
    CFArrayRef list = CFArrayCreate(NULL, both, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetCertificateAuthorities(server, list, true), errSecSuccess);
    ck_assert_int_eq(SSLSetCertificateAuthorities(server, a, false), errSecSuccess);
    ck_assert_int_eq(SSLCopyCertificateAuthorities(server, &certs), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(certs), 3);
    CFRelease(certs);
    ck_assert_int_eq(SSLSetCertificateAuthorities(server, list, true), errSecSuccess);
    ck_assert_int_eq(SSLCopyCertificateAuthorities(server, &certs), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(certs), 2);
    CFRelease(certs);
    ck_assert_int_eq(SSLSetCertificateAuthorities(server, CFSTR("x"), true), errSecParam);
    CFRelease(list);
    CFRelease(a);
    CFRelease(b);
    CFRelease(server);
}
END_TEST

static Suite *client_server_suite(void)
{
    Suite *s = suite_create("client_server");
    TCase *tc = tcase_create("in process");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, handshake_and_data_both_ways, 0, 2);
    tcase_add_test(tc, ecdsa_server);
    tcase_add_test(tc, server_without_certificate);
    tcase_add_test(tc, set_certificate_rejects_bad_arrays);
    tcase_add_loop_test(tc, client_authentication_modes, 0, 2);
    tcase_add_loop_test(tc, all_break_points, 0, 2);
    tcase_add_loop_test(tc, server_resumption_needs_peer_ids, 0, 2);
    tcase_add_test(tc, renegotiation_from_either_side);
    tcase_add_test(tc, ocsp_stapling);
    tcase_add_test(tc, diffie_hellman_parameters);
    tcase_add_test(tc, distinguished_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(client_server_suite());
}
