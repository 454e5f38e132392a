/*
 * Handshake configuration as 10.15 applies it: trusted leaves, the identity
 * array SSLSetCertificate takes in at the call, the session
 * cache's lifetime, server renegotiation and its ClientHello break,
 * Diffie-Hellman limits, ALPN without overlap, pre-shared keys with TLS 1.3,
 * legacy servers without renegotiation_info, tickets and False Start
 * (behaviour.md §4, §7-§9, §11, §14, §15). Our client against our server
 * in one process, or against a raw OpenSSL peer.
 */
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <string.h>
#include <unistd.h>

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

/* 1. NULL clears the trusted leaves and succeeds, as in 10.15. */
START_TEST(trusted_leaves_cleared_by_null)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    /* Anchors the server's chain does not lead to: only a trusted leaf lets it through. */
    SecCertificateRef other = factory_sec_cert(pki.other_root);
    CFArrayRef roots = CFArrayCreate(NULL, (const void **)&other, 1, &kCFTypeArrayCallBacks);
    SSLSetTrustedRoots(p.client, roots, true);
    CFRelease(roots);
    CFRelease(other);
    SecCertificateRef leaf = factory_sec_cert(pki.server);
    CFArrayRef leaves = CFArrayCreate(NULL, (const void **)&leaf, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetTrustedLeafCertificates(p.client, leaves), errSecSuccess);
    ck_assert_int_eq(SSLSetTrustedLeafCertificates(p.client, NULL), errSecSuccess);
    CFRelease(leaves);
    CFRelease(leaf);
    socket_pair_expect(&p, errSSLXCertChainInvalid, errSSLPeerCertUnknown);
    socket_pair_close(&p);
}
END_TEST

/*
 * SSLSetCertificate takes the chain in at the call (10.15's
 * parseIncomingCerts): emptying a mutable array afterwards, or putting
 * something that is no identity or another identity in it, changes nothing.
 */
START_TEST(certificate_array_taken_at_the_call)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, SOCKET_PAIR_NO_SERVER_IDENTITY);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
    CFMutableArrayRef mine = CFArrayCreateMutableCopy(NULL, 0, identity);
    CFRelease(identity);
    ck_assert_int_eq(SSLSetCertificate(p.server, mine), errSecSuccess);
    CFArrayRemoveAllValues(mine);
    if (_i == 0) {
        CFArrayAppendValue(mine, CFSTR("not an identity"));
        CFArrayAppendValue(mine, kCFBooleanTrue);
    } else {
        CFArrayRef other = tls_pki_server_identity(&pki, pki.ec_server, pki.ec_key);
        CFArrayAppendArray(mine, other, CFRangeMake(0, CFArrayGetCount(other)));
        CFRelease(other);
    }
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    ck_assert(tls_peer_leaf_is(p.client, pki.server));
    exchange_text(p.client, p.server, "the chain given at the call");
    socket_pair_close(&p);
    CFRelease(mine);
}
END_TEST

/* SSLSetCertificate: the caller's array gains one reference, mutable or not, and loses it when
 * replaced. */
START_TEST(certificate_array_retained_once)
{
    SSLContextRef ctx = SSLCreateContext(NULL, kSSLServerSide, kSSLStreamType);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
    CFArrayRef given = _i == 0 ? CFRetain(identity) : CFArrayCreateMutableCopy(NULL, 0, identity);
    CFRelease(identity);
    CFIndex before = CFGetRetainCount(given);
    ck_assert_int_eq(SSLSetCertificate(ctx, given), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(given), before + 1);
    ck_assert_int_eq(SSLSetCertificate(ctx, given), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(given), before + 1);
    ck_assert_int_eq(SSLSetCertificate(ctx, NULL), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(given), before);
    ck_assert_int_eq(SSLSetCertificate(ctx, given), errSecSuccess);
    CFRelease(ctx);
    ck_assert_int_eq(CFGetRetainCount(given), before);
    CFRelease(given);
}
END_TEST

static bool resumed(SSLContextRef ctx)
{
    Boolean was = false;
    unsigned char sid[64];
    size_t len = sizeof(sid);
    ck_assert_int_eq(SSLGetResumableSessionInfo(ctx, &was, sid, &len), errSecSuccess);
    return was;
}

/* One connection with peer IDs on both sides; true if it resumed a session. */
static bool connect_with_ids(const char *id, SSLProtocol version, uint32_t client_timeout)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, version);
    SSLSetPeerID(p.client, id, strlen(id));
    SSLSetPeerID(p.server, id, strlen(id));
    /* TLS 1.3 resumes only from a ticket the server sent. */
    SSLSetSessionTicketsEnabled(p.server, version == kTLSProtocol13);
    if (client_timeout > 0)
        ck_assert_int_eq(SSLSetSessionCacheTimeout(p.client, client_timeout), errSecSuccess);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    /* TLS 1.3 tickets follow the handshake; a round of data carries them. */
    exchange_text(p.server, p.client, "ticket carrier");
    bool was = resumed(p.client);
    socket_pair_close(&p);
    return was;
}

/* 2. A client's cached session lives SSLSetSessionCacheTimeout seconds, then misses. */
START_TEST(session_cache_timeout_expires_entries)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    char id[32];
    snprintf(id, sizeof(id), "expiring-%d", _i);
    ck_assert(!connect_with_ids(id, versions[_i], 1));
    sleep(2); /* past its one-second lifetime */
    ck_assert(!connect_with_ids(id, versions[_i], 600));
    /* The expired entry made way for the session of the full handshake. */
    ck_assert(connect_with_ids(id, versions[_i], 600));
}
END_TEST

/*
 * Drives `driver` with SSLHandshake while `other` reads, until the driver
 * stops would-blocking or a while after the reader got something other than
 * success or would-block (that status goes to `other_status`, else 0): the
 * reader stops there.
 */
static OSStatus drive_against_reader(SSLContextRef driver, SSLContextRef other,
                                     OSStatus *other_status)
{
    OSStatus status = errSSLWouldBlock;
    *other_status = errSecSuccess;
    for (int i = 0, idle = 0; i < 5000 && idle < 200 && status == errSSLWouldBlock; i++) {
        status = SSLHandshake(driver);
        char buf[8];
        size_t n = 0;
        if (*other_status != errSecSuccess) {
            idle++;
            continue;
        }
        OSStatus r = SSLRead(other, buf, sizeof(buf), &n);
        if (r != errSecSuccess && r != errSSLWouldBlock)
            *other_status = r;
    }
    return status;
}

/* 3. The server's SSLHandshake after SSLReHandshake lasts until the client's new handshake. */
START_TEST(server_renegotiation_waits_for_client)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientHello, true);
    OSStatus c, s;
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(s, errSSLClientHelloReceived);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    ck_assert_int_eq(SSLReHandshake(p.server), errSecSuccess);
    /* The HelloRequest is out, but the client has not answered yet. */
    ck_assert_int_eq(SSLHandshake(p.server), errSSLWouldBlock);
    SSLSessionState state;
    SSLGetSessionState(p.server, &state);
    ck_assert_int_eq(state, kSSLHandshake);
    /* The client's new ClientHello breaks the server's handshake, as the first one did. */
    OSStatus reader;
    ck_assert_int_eq(drive_against_reader(p.server, p.client, &reader), errSSLClientHelloReceived);
    ck_assert_int_eq(reader, errSecSuccess);
    ck_assert_int_eq(drive_against_reader(p.server, p.client, &reader), errSecSuccess);
    ck_assert_int_eq(reader, errSecSuccess);
    SSLGetSessionState(p.server, &state);
    ck_assert_int_eq(state, kSSLConnected);
    exchange_text(p.server, p.client, "after the server's renegotiation");
    exchange_text(p.client, p.server, "and back");
    socket_pair_close(&p);
}
END_TEST

/* 3. A client's renegotiation breaks the server's SSLRead at the new ClientHello. */
START_TEST(client_renegotiation_breaks_server_read)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    SSLSetSessionOption(p.server, kSSLSessionOptionAllowRenegotiation, true);
    SSLSetSessionOption(p.server, kSSLSessionOptionBreakOnClientHello, true);
    OSStatus c, s;
    socket_pair_handshake(&p, &c, &s);
    ck_assert_int_eq(s, errSSLClientHelloReceived);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    ck_assert_int_eq(SSLReHandshake(p.client), errSecSuccess);
    OSStatus reader;
    ck_assert_int_eq(drive_against_reader(p.client, p.server, &reader), errSSLWouldBlock);
    ck_assert_int_eq(reader, errSSLClientHelloReceived);
    /* The server is handshaking again; SSLHandshake takes it to the end. */
    SSLSessionState state;
    SSLGetSessionState(p.server, &state);
    ck_assert_int_eq(state, kSSLHandshake);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    exchange_text(p.client, p.server, "after the client's renegotiation");
    exchange_text(p.server, p.client, "and back");
    socket_pair_close(&p);
}
END_TEST

/* Parameters of a named finite-field group (no generation): DER PKCS#3, and PEM in `pem_path`. */
static CFDataRef dh_group_params(const char *group, const char *pem_path)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    EVP_PKEY *params = NULL;
    ck_assert(EVP_PKEY_paramgen_init(pctx) == 1);
    OSSL_PARAM set[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0),
        OSSL_PARAM_construct_end()};
    ck_assert(EVP_PKEY_CTX_set_params(pctx, set) == 1);
    ck_assert(EVP_PKEY_paramgen(pctx, &params) == 1);
    unsigned char *der = NULL;
    int len = i2d_KeyParams(params, &der);
    ck_assert_int_gt(len, 0);
    if (pem_path != NULL) {
        BIO *out = BIO_new_file(pem_path, "w");
        ck_assert_ptr_nonnull(out);
        ck_assert(PEM_write_bio_Parameters(out, params) == 1);
        BIO_free(out);
    }
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    EVP_PKEY_free(params);
    EVP_PKEY_CTX_free(pctx);
    return data;
}

static void set_server_dh(SSLContextRef server, const char *group)
{
    CFDataRef dh = dh_group_params(group, NULL);
    ck_assert_int_eq(
        SSLSetDiffieHellmanParams(server, CFDataGetBytePtr(dh), (size_t)CFDataGetLength(dh)),
        errSecSuccess);
    CFRelease(dh);
}

static void offer_only_dhe(SSLContextRef client)
{
    SSLCipherSuite dhe[] = {TLS_DHE_RSA_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(client, dhe, 1), errSecSuccess);
    SSLSetProtocolVersionMax(client, kTLSProtocol12);
}

static SSLCipherSuite negotiated_suite(SSLContextRef ctx)
{
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecSuccess);
    return suite;
}

/* 4. A 1024-bit group: DHE completes for a client whose minimum allows it, and only then. */
START_TEST(dhe_small_group_follows_client_minimum)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    set_server_dh(p.server, "dh_1024_160");
    offer_only_dhe(p.client);
    if (_i == 0) {
        ck_assert_int_eq(SSLSetMinimumDHGroupSize(p.client, 1024), errSecSuccess);
        socket_pair_expect(&p, errSecSuccess, errSecSuccess);
        ck_assert_uint_eq(negotiated_suite(p.client), TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
        exchange_text(p.client, p.server, "over a 1024-bit group");
    } else {
        /* No minimum set: the group is refused as OpenSSL's floor says. */
        socket_pair_expect(&p, errSSLWeakPeerEphemeralDHKey, errSSLPeerHandshakeFail);
    }
    socket_pair_close(&p);
}
END_TEST

/* 4. A client's minimum above the server's group: errSSLWeakPeerEphemeralDHKey. */
START_TEST(dhe_group_below_client_minimum)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    set_server_dh(p.server, "ffdhe2048");
    offer_only_dhe(p.client);
    ck_assert_int_eq(SSLSetMinimumDHGroupSize(p.client, 3072), errSecSuccess);
    socket_pair_expect(&p, errSSLWeakPeerEphemeralDHKey, errSSLPeerHandshakeFail);
    socket_pair_close(&p);
}
END_TEST

/* 4. A server's small DH parameters concern DHE suites only. */
START_TEST(small_dh_params_spare_other_suites)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    set_server_dh(p.server, "dh_1024_160");
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    SSLCipherSuite suite = negotiated_suite(p.server);
    if (versions[_i] == kTLSProtocol12)
        ck_assert_uint_eq(suite, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
    exchange_text(p.client, p.server, "no DHE here");
    socket_pair_close(&p);
}
END_TEST

/* 4. SSLSetDHEEnabled(false) takes the DHE suites out of the client's offer. */
START_TEST(dhe_disabled_leaves_the_offer)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLCipherSuite dhe[] = {TLS_DHE_RSA_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(p.server, dhe, 1), errSecSuccess);
    SSLSetProtocolVersionMax(p.server, kTLSProtocol12);
    if (_i == 0) {
        socket_pair_expect(&p, errSecSuccess, errSecSuccess);
        ck_assert_uint_eq(negotiated_suite(p.client), TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
    } else {
        ck_assert_int_eq(SSLSetDHEEnabled(p.client, false), errSecSuccess);
        socket_pair_expect(&p, errSSLPeerHandshakeFail, errSSLNegotiation);
    }
    socket_pair_close(&p);
}
END_TEST

/* 4. Against openssl s_server -dhparam (2048 bits): the client's minimum decides. */
START_TEST(dhe_minimum_against_s_server)
{
    char pem[160];
    snprintf(pem, sizeof(pem), "%s/dh2048.pem", pki.dir);
    CFDataRef unused = dh_group_params("ffdhe2048", pem);
    CFRelease(unused);
    const char *args[] = {"-cert",   pki.server_pem, "-key", pki.server_key_pem, "-dhparam", pem,
                          "-tls1_2", "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct socket_conn conn = {tls_connect_loopback(server.port, false)};
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLSetIOFuncs(ctx, socket_read_cb, socket_write_cb);
    SSLSetConnection(ctx, &conn);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    offer_only_dhe(ctx);
    ck_assert_int_eq(SSLSetMinimumDHGroupSize(ctx, _i == 0 ? 2048 : 4096), errSecSuccess);
    /* The certificate comes before the key exchange: past the break, the group is judged. */
    ck_assert_int_eq(handshake_until_done(ctx, conn.fd), errSSLPeerAuthCompleted);
    OSStatus status = handshake_until_done(ctx, conn.fd);
    if (_i == 0) {
        ck_assert_int_eq(status, errSecSuccess);
        ck_assert_uint_eq(negotiated_suite(ctx), TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
    } else {
        ck_assert_int_eq(status, errSSLWeakPeerEphemeralDHKey);
    }
    SSLClose(ctx);
    CFRelease(ctx);
    close(conn.fd);
    s_server_stop(&server);
    unlink(pem);
}
END_TEST

static void set_alpn(SSLContextRef ctx, CFStringRef protocol)
{
    CFArrayRef list = CFArrayCreate(NULL, (const void **)&protocol, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetALPNProtocols(ctx, list), errSecSuccess);
    CFRelease(list);
}

/* 5. No protocol in common: the server sends no_application_protocol (120), fatal. */
START_TEST(alpn_without_overlap_is_fatal)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    set_alpn(p.client, CFSTR("h2"));
    set_alpn(p.server, CFSTR("http/1.1"));
    /* Alert 120 is none of the listed ones: the client's catch-all for fatal alerts. */
    socket_pair_expect(&p, errSSLFatalAlert, errSSLNegotiation);
    socket_pair_close(&p);

    /* A client that offers nothing gets no protocol and no alert. */
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    set_alpn(p.server, CFSTR("http/1.1"));
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    CFArrayRef chosen = (CFArrayRef)1;
    ck_assert_int_eq(SSLCopyALPNProtocols(p.client, &chosen), errSecParam);
    ck_assert_ptr_null(chosen);
    socket_pair_close(&p);
}
END_TEST

static const unsigned char psk_secret[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

/* A pre-shared key and no identity, with TLS 1.3 suites still enabled (the default range). */
static void use_psk_without_identity(SSLContextRef ctx)
{
    ck_assert_int_eq(SSLSetPSKSharedSecret(ctx, psk_secret, sizeof(psk_secret)), errSecSuccess);
    SSLCipherSuite suites[] = {TLS_PSK_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, suites, 2), errSecSuccess);
}

/* 6. Client and server with a PSK and no identity, TLS 1.3 enabled: a TLS 1.2 PSK handshake. */
START_TEST(psk_without_identity_with_tls13_enabled)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    ck_assert_int_eq(SSLSetCertificate(p.server, NULL), errSecSuccess);
    use_psk_without_identity(p.client);
    use_psk_without_identity(p.server);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    ck_assert_uint_eq(negotiated_suite(p.client), TLS_PSK_WITH_AES_128_GCM_SHA256);
    SSLProtocol version = kSSLProtocolUnknown;
    SSLGetNegotiatedProtocolVersion(p.client, &version);
    ck_assert_int_eq(version, kTLSProtocol12);
    exchange_text(p.client, p.server, "keyed in advance");
    socket_pair_close(&p);
}
END_TEST

/* 6. The same client against openssl s_server -psk, which speaks TLS 1.3 too. */
START_TEST(psk_without_identity_against_s_server)
{
    const char *args[] = {
        "-nocert", "-psk", "000102030405060708090a0b0c0d0e0f", "-cipher", "PSK-AES128-GCM-SHA256",
        "-www",    NULL};
    struct s_server server;
    s_server_start(&server, args);
    struct socket_conn conn = {tls_connect_loopback(server.port, false)};
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLSetIOFuncs(ctx, socket_read_cb, socket_write_cb);
    SSLSetConnection(ctx, &conn);
    use_psk_without_identity(ctx);
    ck_assert_int_eq(handshake_until_done(ctx, conn.fd), errSecSuccess);
    ck_assert_uint_eq(negotiated_suite(ctx), TLS_PSK_WITH_AES_128_GCM_SHA256);
    SSLClose(ctx);
    CFRelease(ctx);
    close(conn.fd);
    s_server_stop(&server);
}
END_TEST

static int tickets_seen;

static int count_ticket(SSL *ssl, SSL_SESSION *session)
{
    (void)ssl;
    (void)session;
    tickets_seen++;
    return 0; /* not kept */
}

/* 8. A TLS 1.3 server with tickets off sends no NewSessionTicket; with them on, it does. */
START_TEST(tickets_off_sends_no_new_session_ticket)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetPeerID(p.server, "ticket-counter", 14);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(p.server, _i == 1), errSecSuccess);
    SSL_CTX *raw_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_session_cache_mode(raw_ctx, SSL_SESS_CACHE_CLIENT);
    SSL_CTX_sess_set_new_cb(raw_ctx, count_ticket);
    SSL *raw = SSL_new(raw_ctx);
    SSL_set_fd(raw, p.client_conn.fd);
    SSL_set_connect_state(raw);
    tickets_seen = 0;
    int done = 0;
    for (int i = 0; i < 5000 && done != 1; i++) {
        done = SSL_do_handshake(raw);
        (void)SSLHandshake(p.server);
    }
    ck_assert_int_eq(done, 1);
    ck_assert_int_eq(SSL_version(raw), TLS1_3_VERSION);
    /* Tickets follow the server's Finished; data behind them brings them in. */
    size_t processed = 0;
    OSStatus w = SSLWrite(p.server, "data", 4, &processed);
    char buf[8];
    int got = 0;
    for (int i = 0; i < 5000 && got <= 0; i++) {
        if (w == errSSLWouldBlock)
            w = SSLWrite(p.server, NULL, 0, &processed);
        got = SSL_read(raw, buf, sizeof(buf));
    }
    ck_assert_int_eq(got, 4);
    if (_i == 0)
        ck_assert_int_eq(tickets_seen, 0);
    else
        ck_assert_int_gt(tickets_seen, 0);
    SSL_free(raw);
    SSL_CTX_free(raw_ctx);
    socket_pair_close(&p);
}
END_TEST

/* 9. False Start is accepted and read back; the handshake is an ordinary one (README). */
START_TEST(false_start_accepted)
{
    static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, versions[_i]);
    ck_assert_int_eq(SSLSetSessionOption(p.client, kSSLSessionOptionFalseStart, true),
                     errSecSuccess);
    Boolean value = false;
    ck_assert_int_eq(SSLGetSessionOption(p.client, kSSLSessionOptionFalseStart, &value),
                     errSecSuccess);
    ck_assert(value);
    socket_pair_expect(&p, errSecSuccess, errSecSuccess);
    exchange_text(p.client, p.server, "not early");
    exchange_text(p.server, p.client, "and back");
    socket_pair_close(&p);
}
END_TEST

/*
 * A TLS 1.2 server of the RFC 5746 era that never heard of
 * renegotiation_info: it answers with a ServerHello without extensions.
 * OpenSSL servers always send the extension to a client that signals it, so
 * this one is written out by hand, for exactly one suite
 * (TLS_RSA_WITH_AES_128_GCM_SHA256), over the server's end of a pair.
 */
struct legacy_server {
    int fd;
    int step; /* 0: await ClientHello, 1: await the client's Finished, 2: done, 3: alert */
    unsigned char in[8192];
    size_t in_len;
    unsigned char transcript[8192];
    size_t transcript_len;
    unsigned char client_random[32], server_random[32];
    unsigned char master[48];
    unsigned char client_key[16], server_key[16], client_iv[4], server_iv[4];
    unsigned char kx[1024]; /* the ClientKeyExchange, until the Finished arrives */
    size_t kx_len;
};

static void transcript_add(struct legacy_server *ls, const unsigned char *msg, size_t len)
{
    ck_assert_uint_le(ls->transcript_len + len, sizeof(ls->transcript));
    memcpy(ls->transcript + ls->transcript_len, msg, len);
    ls->transcript_len += len;
}

static void put_record(struct legacy_server *ls, unsigned char type, const unsigned char *body,
                       size_t len)
{
    unsigned char header[5] = {type, 3, 3, (unsigned char)(len >> 8), (unsigned char)len};
    ck_assert_int_eq(write(ls->fd, header, 5), 5);
    ck_assert_int_eq(write(ls->fd, body, len), (ssize_t)len);
}

/* TLS 1.2's PRF (SHA-256): `out_len` bytes from secret, label and seed. */
static void tls12_prf(const unsigned char *secret, size_t secret_len, const char *label,
                      const unsigned char *seed_a, size_t a_len, const unsigned char *seed_b,
                      size_t b_len, unsigned char *out, size_t out_len)
{
    unsigned char seed[128];
    size_t label_len = strlen(label);
    memcpy(seed, label, label_len);
    memcpy(seed + label_len, seed_a, a_len);
    if (b_len > 0)
        memcpy(seed + label_len + a_len, seed_b, b_len);
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
    EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, secret_len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, label_len + a_len + b_len),
        OSSL_PARAM_construct_end()};
    ck_assert_int_eq(EVP_KDF_derive(kctx, out, out_len, params), 1);
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
}

/* AES-128-GCM of one record with sequence number 0 (the first after ChangeCipherSpec). */
static void gcm_record(bool encrypt, const unsigned char key[16], const unsigned char iv[4],
                       const unsigned char explicit_nonce[8], const unsigned char *in, size_t len,
                       unsigned char *out, unsigned char tag[16])
{
    unsigned char nonce[12], aad[13] = {0, 0, 0, 0, 0, 0, 0, 0, 22, 3, 3};
    memcpy(nonce, iv, 4);
    memcpy(nonce + 4, explicit_nonce, 8);
    aad[11] = (unsigned char)(len >> 8);
    aad[12] = (unsigned char)len;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0;
    ck_assert(EVP_CipherInit_ex(c, EVP_aes_128_gcm(), NULL, key, nonce, encrypt ? 1 : 0));
    ck_assert(EVP_CipherUpdate(c, NULL, &n, aad, sizeof(aad)));
    ck_assert(EVP_CipherUpdate(c, out, &n, in, (int)len));
    if (!encrypt)
        ck_assert(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag));
    ck_assert(EVP_CipherFinal_ex(c, out + n, &n) == 1);
    if (encrypt)
        ck_assert(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
    EVP_CIPHER_CTX_free(c);
}

/* ServerHello (no extensions at all), Certificate, ServerHelloDone. */
static void legacy_server_hello(struct legacy_server *ls, const unsigned char *hello, size_t len)
{
    ck_assert_uint_ge(len, 38);
    memcpy(ls->client_random, hello + 6, 32);
    transcript_add(ls, hello, len);
    ck_assert_int_eq(RAND_bytes(ls->server_random, 32), 1);
    unsigned char flight[4096];
    size_t n = 0;
    flight[n++] = 2; /* ServerHello */
    flight[n++] = 0;
    flight[n++] = 0;
    flight[n++] = 38;
    flight[n++] = 3;
    flight[n++] = 3;
    memcpy(flight + n, ls->server_random, 32);
    n += 32;
    flight[n++] = 0;    /* no session ID */
    flight[n++] = 0x00; /* TLS_RSA_WITH_AES_128_GCM_SHA256 */
    flight[n++] = 0x9c;
    flight[n++] = 0; /* no compression, and no extensions block */
    X509 *chain[] = {pki.server, pki.intermediate};
    unsigned char *der[2];
    int der_len[2];
    size_t certs_len = 0;
    for (int i = 0; i < 2; i++) {
        der[i] = NULL;
        der_len[i] = i2d_X509(chain[i], &der[i]);
        ck_assert_int_gt(der_len[i], 0);
        certs_len += 3 + (size_t)der_len[i];
    }
    size_t body = certs_len + 3;
    unsigned char head[7] = {11,
                             (unsigned char)(body >> 16),
                             (unsigned char)(body >> 8),
                             (unsigned char)body,
                             (unsigned char)(certs_len >> 16),
                             (unsigned char)(certs_len >> 8),
                             (unsigned char)certs_len};
    memcpy(flight + n, head, 7);
    n += 7;
    for (int i = 0; i < 2; i++) {
        size_t l = (size_t)der_len[i];
        flight[n++] = (unsigned char)(l >> 16);
        flight[n++] = (unsigned char)(l >> 8);
        flight[n++] = (unsigned char)l;
        memcpy(flight + n, der[i], l);
        n += l;
        OPENSSL_free(der[i]);
    }
    static const unsigned char done[] = {14, 0, 0, 0};
    memcpy(flight + n, done, sizeof(done));
    n += sizeof(done);
    transcript_add(ls, flight, n);
    put_record(ls, 22, flight, n);
}

/* The client's key exchange, ChangeCipherSpec and Finished; ours in return. */
static void legacy_server_finish(struct legacy_server *ls, const unsigned char *kx, size_t kx_len,
                                 const unsigned char *finished_record, size_t finished_len)
{
    ck_assert_uint_ge(kx_len, 6);
    size_t enc_len = (size_t)kx[4] << 8 | kx[5];
    unsigned char premaster[512];
    size_t pm_len = sizeof(premaster);
    EVP_PKEY_CTX *dec = EVP_PKEY_CTX_new(pki.server_key, NULL);
    ck_assert(EVP_PKEY_decrypt_init(dec) == 1);
    ck_assert(EVP_PKEY_CTX_set_rsa_padding(dec, RSA_PKCS1_PADDING) == 1);
    ck_assert(EVP_PKEY_decrypt(dec, premaster, &pm_len, kx + 6, enc_len) == 1);
    EVP_PKEY_CTX_free(dec);
    ck_assert_uint_eq(pm_len, 48);
    transcript_add(ls, kx, kx_len);
    tls12_prf(premaster, 48, "master secret", ls->client_random, 32, ls->server_random, 32,
              ls->master, 48);
    unsigned char block[40];
    tls12_prf(ls->master, 48, "key expansion", ls->server_random, 32, ls->client_random, 32, block,
              sizeof(block));
    memcpy(ls->client_key, block, 16);
    memcpy(ls->server_key, block + 16, 16);
    memcpy(ls->client_iv, block + 32, 4);
    memcpy(ls->server_iv, block + 36, 4);
    /* The client's Finished: explicit nonce, 16 bytes of message, tag. */
    ck_assert_uint_eq(finished_len, 8 + 16 + 16);
    unsigned char client_finished[16], tag[16];
    memcpy(tag, finished_record + 24, 16);
    gcm_record(false, ls->client_key, ls->client_iv, finished_record, finished_record + 8, 16,
               client_finished, tag);
    transcript_add(ls, client_finished, 16);
    unsigned char hash[32];
    SHA256(ls->transcript, ls->transcript_len, hash);
    unsigned char finished[16] = {20, 0, 0, 12};
    tls12_prf(ls->master, 48, "server finished", hash, 32, NULL, 0, finished + 4, 12);
    static const unsigned char ccs[] = {1};
    put_record(ls, 20, ccs, 1);
    unsigned char record[40] = {0};
    gcm_record(true, ls->server_key, ls->server_iv, record, finished, 16, record + 8, record + 24);
    put_record(ls, 22, record, sizeof(record));
}

/* Pops one whole record from the input; false until one has arrived. */
static bool legacy_take_record(struct legacy_server *ls, unsigned char *type, unsigned char *body,
                               size_t *len)
{
    ssize_t got = read(ls->fd, ls->in + ls->in_len, sizeof(ls->in) - ls->in_len);
    if (got > 0)
        ls->in_len += (size_t)got;
    if (ls->in_len < 5)
        return false;
    size_t rec_len = (size_t)ls->in[3] << 8 | ls->in[4];
    if (ls->in_len < 5 + rec_len)
        return false;
    *type = ls->in[0];
    memcpy(body, ls->in + 5, rec_len);
    *len = rec_len;
    memmove(ls->in, ls->in + 5 + rec_len, ls->in_len - 5 - rec_len);
    ls->in_len -= 5 + rec_len;
    return true;
}

/* One step of the legacy server: whatever the bytes that have arrived allow. */
static void legacy_server_run(struct legacy_server *ls)
{
    unsigned char type, body[16384];
    size_t len;
    while (ls->step < 2 && legacy_take_record(ls, &type, body, &len)) {
        if (ls->step == 0) {
            ck_assert_int_eq(type, 22);
            legacy_server_hello(ls, body, len);
            ls->step = 1;
        } else if (type == 22 && ls->kx_len == 0) {
            ck_assert_uint_le(len, sizeof(ls->kx));
            memcpy(ls->kx, body, len);
            ls->kx_len = len;
        } else if (type == 22) {
            legacy_server_finish(ls, ls->kx, ls->kx_len, body, len);
            ls->step = 2;
        } else if (type == 21) {
            ls->step = 3; /* the client gave up with an alert */
        } else {
            ck_assert_int_eq(type, 20); /* ChangeCipherSpec */
        }
    }
}

/* 7. A server without renegotiation_info: connected to, as coreTLS did, never renegotiated with. */
START_TEST(legacy_server_without_renegotiation_info)
{
    struct socket_pair p;
    socket_pair_open_pki(&p, &pki, 0);
    SSLSetProtocolVersionMax(p.client, kTLSProtocol12);
    SSLCipherSuite suite[] = {TLS_RSA_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(p.client, suite, 1), errSecSuccess);
    struct legacy_server ls;
    memset(&ls, 0, sizeof(ls));
    ls.fd = p.server_conn.fd;
    OSStatus status = errSSLWouldBlock;
    for (int i = 0; i < 5000 && status == errSSLWouldBlock; i++) {
        status = SSLHandshake(p.client);
        legacy_server_run(&ls);
    }
    ck_assert_int_eq(status, errSecSuccess); /* not refused with handshake_failure */
    ck_assert_int_eq(ls.step, 2);
    ck_assert_uint_eq(negotiated_suite(p.client), TLS_RSA_WITH_AES_128_GCM_SHA256);
    /* Renegotiating would be the attack RFC 5746 closes: refused, and the session stays. */
    ck_assert_int_eq(SSLReHandshake(p.client), errSSLIllegalParam);
    SSLSessionState state;
    SSLGetSessionState(p.client, &state);
    ck_assert_int_eq(state, kSSLConnected);
    socket_pair_close(&p);
}
END_TEST

static Suite *handshake_fidelity_suite(void)
{
    Suite *s = suite_create("handshake_fidelity");
    TCase *tc = tcase_create("in process");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, trusted_leaves_cleared_by_null);
    tcase_add_loop_test(tc, certificate_array_taken_at_the_call, 0, 2);
    tcase_add_loop_test(tc, certificate_array_retained_once, 0, 2);
    tcase_add_loop_test(tc, session_cache_timeout_expires_entries, 0, 2);
    tcase_add_test(tc, server_renegotiation_waits_for_client);
    tcase_add_test(tc, client_renegotiation_breaks_server_read);
    tcase_add_loop_test(tc, dhe_small_group_follows_client_minimum, 0, 2);
    tcase_add_test(tc, dhe_group_below_client_minimum);
    tcase_add_loop_test(tc, small_dh_params_spare_other_suites, 0, 2);
    tcase_add_loop_test(tc, dhe_disabled_leaves_the_offer, 0, 2);
    tcase_add_loop_test(tc, dhe_minimum_against_s_server, 0, 2);
    tcase_add_loop_test(tc, alpn_without_overlap_is_fatal, 0, 2);
    tcase_add_test(tc, psk_without_identity_with_tls13_enabled);
    tcase_add_test(tc, psk_without_identity_against_s_server);
    tcase_add_loop_test(tc, tickets_off_sends_no_new_session_ticket, 0, 2);
    tcase_add_test(tc, legacy_server_without_renegotiation_info);
    tcase_add_loop_test(tc, false_start_accepted, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(handshake_fidelity_suite());
}
