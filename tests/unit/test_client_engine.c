/*
 * Our client against an in-process OpenSSL server over byte queues: the
 * callback rules at every byte boundary, SSLRead's one-record rule and
 * leftovers, SSLWrite's all-or-nothing, close_notify, EOF and callback
 * errors, the alert table, and the server-auth break (behaviour.md §3-§12).
 */
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

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

static void peer_with_server_cert(struct mem_peer *peer, X509 *cert, int version)
{
    mem_peer_init(peer, cert, pki.server_key, version);
    ck_assert(SSL_CTX_add1_chain_cert(peer->ssl_ctx, pki.intermediate));
    /* the SSL object was made before the chain was added */
    ck_assert(SSL_add1_chain_cert(peer->ssl, pki.intermediate));
}

/* Drains what the client sent into `out`. */
static size_t server_read_all(struct mem_peer *peer, unsigned char *out, size_t cap)
{
    size_t got = 0, n = 0;
    while (got < cap && SSL_read_ex(peer->ssl, out + got, cap - got, &n) == 1)
        got += n;
    return got;
}

static void fill_pattern(unsigned char *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)((i * 2654435761u + seed) >> 13);
}

enum { BULK = 1 << 20, BLOCK = 16384 };

/* 1 MiB each way through callbacks limited to `chunk` bytes and starved every other call. */
static void bulk_transfer(size_t chunk, int version)
{
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.server, version);
    peer.chunk = chunk;
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSecSuccess);
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLConnected);

    unsigned char *sent = malloc(BULK), *received = malloc(BULK);
    fill_pattern(sent, BULK, (unsigned)chunk);
    size_t at_server = 0;
    for (size_t off = 0; off < BULK; off += BLOCK) {
        size_t processed = 0;
        OSStatus status = SSLWrite(ctx, sent + off, BLOCK, &processed);
        /* All or nothing: the block is taken even when the flush would block. */
        ck_assert_int_eq(processed, BLOCK);
        while (status == errSSLWouldBlock) {
            at_server += server_read_all(&peer, received + at_server, BULK - at_server);
            status = SSLWrite(ctx, NULL, 0, &processed);
        }
        ck_assert_int_eq(status, errSecSuccess);
    }
    while (at_server < BULK) {
        size_t before = at_server;
        at_server += server_read_all(&peer, received + at_server, BULK - at_server);
        ck_assert_uint_gt(at_server, before);
    }
    ck_assert_int_eq(memcmp(sent, received, BULK), 0);

    fill_pattern(sent, BULK, 77);
    size_t written = 0;
    ck_assert_int_eq(SSL_write_ex(peer.ssl, sent, BULK, &written), 1);
    memset(received, 0, BULK);
    size_t got = 0;
    for (long spins = 0; got < BULK; spins++) {
        ck_assert_int_lt(spins, 50L * BULK);
        size_t processed = 0;
        OSStatus status = SSLRead(ctx, received + got, BULK - got, &processed);
        ck_assert(status == errSecSuccess || status == errSSLWouldBlock);
        ck_assert_uint_le(processed, 16384);
        got += processed;
    }
    ck_assert_int_eq(memcmp(sent, received, BULK), 0);
    free(sent);
    free(received);
    CFRelease(ctx);
    mem_peer_free(&peer);
}

START_TEST(every_byte_boundary_tls13)
{
    static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 13, 64, 1000, 5000};
    bulk_transfer(chunks[_i], TLS1_3_VERSION);
}
END_TEST

/* A coarse pass, cheap enough for valgrind, which skips the "slow" cases. */
START_TEST(large_chunks)
{
    static const size_t chunks[] = {0, 5000};
    bulk_transfer(chunks[_i], _i == 0 ? TLS1_3_VERSION : TLS1_2_VERSION);
}
END_TEST

START_TEST(every_byte_boundary_tls12)
{
    static const size_t chunks[] = {0, 1, 4, 6, 11, 333};
    bulk_transfer(chunks[_i], TLS1_2_VERSION);
}
END_TEST

static SSLContextRef connected_client(struct mem_peer *peer, int version)
{
    peer_with_server_cert(peer, pki.server, version);
    SSLContextRef ctx = mem_peer_client(peer, &pki);
    ck_assert_int_eq(mem_peer_handshake(ctx, peer), errSecSuccess);
    return ctx;
}

START_TEST(read_returns_one_record_and_keeps_leftovers)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_3_VERSION);
    unsigned char rec[100], buf[1000];
    fill_pattern(rec, sizeof(rec), 1);
    size_t n;
    ck_assert_int_eq(SSL_write_ex(peer.ssl, rec, 100, &n), 1);
    ck_assert_int_eq(SSL_write_ex(peer.ssl, rec, 100, &n), 1);
    size_t processed = 0;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSecSuccess);
    ck_assert_uint_eq(processed, 100); /* one record, not both */
    ck_assert_int_eq(SSLRead(ctx, buf, 10, &processed), errSecSuccess);
    ck_assert_uint_eq(processed, 10);
    size_t buffered = 0;
    ck_assert_int_eq(SSLGetBufferedReadSize(ctx, &buffered), errSecSuccess);
    ck_assert_uint_eq(buffered, 90);
    /* Leftovers first; the next record would block, and says so with the data. */
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLWouldBlock);
    ck_assert_uint_eq(processed, 90);
    ck_assert_int_eq(memcmp(buf, rec + 10, 90), 0);
    ck_assert_int_eq(SSLGetBufferedReadSize(ctx, &buffered), errSecSuccess);
    ck_assert_uint_eq(buffered, 0);
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLWouldBlock);
    ck_assert_uint_eq(processed, 0);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(close_notify_both_ways)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_2_VERSION);
    (void)SSL_shutdown(peer.ssl);
    unsigned char buf[64];
    size_t processed = 99;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLClosedGraceful);
    ck_assert_uint_eq(processed, 0);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLClosed);
    /* Our answer reached the server. */
    ck_assert_int_eq(SSL_read(peer.ssl, buf, sizeof(buf)), 0);
    ck_assert_int_eq(SSL_get_error(peer.ssl, 0), SSL_ERROR_ZERO_RETURN);
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLClosedGraceful);
    ck_assert_int_eq(SSLWrite(ctx, buf, 1, &processed), errSSLClosedGraceful);
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(ssl_close_sends_close_notify)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_3_VERSION);
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess);
    unsigned char buf[16];
    ck_assert_int_eq(SSL_read(peer.ssl, buf, sizeof(buf)), 0);
    ck_assert_int_eq(SSL_get_error(peer.ssl, 0), SSL_ERROR_ZERO_RETURN);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLClosed);
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess); /* again: nothing left to send */
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(eof_between_records_is_closed_abort)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_3_VERSION);
    peer.read_error = errSSLClosedGraceful; /* what a socket callback says at EOF */
    peer.read_error_after = 0;
    unsigned char buf[64];
    size_t processed;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLClosedAbort);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLAborted);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(error_inside_a_record_passes_through)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_3_VERSION);
    unsigned char rec[100], buf[200];
    size_t n;
    ck_assert_int_eq(SSL_write_ex(peer.ssl, rec, sizeof(rec), &n), 1);
    peer.read_error = errSecIO;
    peer.read_error_after = 12; /* the header and part of the body */
    size_t processed;
    OSStatus status;
    do
        status = SSLRead(ctx, buf, sizeof(buf), &processed);
    while (status == errSSLWouldBlock);
    ck_assert_int_eq(status, errSecIO);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* Alerts from the peer, by code, as behaviour.md §12 maps them. */
static const struct {
    int alert;
    OSStatus status;
} alert_table[] = {
    {10, errSSLPeerUnexpectedMsg},
    {20, errSSLPeerBadRecordMac},
    {21, errSSLPeerDecryptionFail},
    {22, errSSLPeerRecordOverflow},
    {30, errSSLPeerDecompressFail},
    {40, errSSLPeerHandshakeFail},
    {42, errSSLPeerBadCert},
    {43, errSSLPeerUnsupportedCert},
    {44, errSSLPeerCertRevoked},
    {45, errSSLPeerCertExpired},
    {46, errSSLPeerCertUnknown},
    {47, errSSLIllegalParam},
    {48, errSSLPeerUnknownCA},
    {49, errSSLPeerAccessDenied},
    {50, errSSLPeerDecodeError},
    {51, errSSLPeerDecryptError},
    {60, errSSLPeerExportRestriction},
    {70, errSSLPeerProtocolVersion},
    {71, errSSLPeerInsufficientSecurity},
    {80, errSSLPeerInternalError},
    {90, errSSLPeerUserCancelled},
    {100, errSSLPeerNoRenegotiation},
    {86, errSSLFatalAlert},
    {110, errSSLFatalAlert},
    {120, errSSLFatalAlert},
};

START_TEST(received_alerts_map_to_errors)
{
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.server, 0);
    peer.no_pump = true;
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    ck_assert_int_eq(SSLHandshake(ctx), errSSLWouldBlock); /* ClientHello out */
    unsigned char record[] = {21, 3, 3, 0, 2, 2, (unsigned char)alert_table[_i].alert};
    BIO_write(peer.from_server, record, sizeof(record));
    OSStatus status;
    do
        status = SSLHandshake(ctx);
    while (status == errSSLWouldBlock);
    ck_assert_msg(status == alert_table[_i].status, "alert %d gave %d, expected %d",
                  alert_table[_i].alert, (int)status, (int)alert_table[_i].status);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLAborted);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* The alert the server received, from its error queue. */
static int server_alert_received(struct mem_peer *peer)
{
    for (int i = 0; i < 10 && !SSL_is_init_finished(peer->ssl); i++)
        if (SSL_do_handshake(peer->ssl) <= 0 && ERR_peek_error() != 0)
            break;
    unsigned long err = ERR_get_error();
    ERR_clear_error();
    int reason = ERR_GET_REASON(err);
    return reason >= SSL_AD_REASON_OFFSET ? reason - SSL_AD_REASON_OFFSET : -1;
}

START_TEST(untrusted_server_is_rejected_with_certificate_unknown)
{
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.untrusted, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLXCertChainInvalid);
    ck_assert_int_eq(server_alert_received(&peer), SSL_AD_CERTIFICATE_UNKNOWN);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    CFRelease(trust);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(break_on_server_auth_then_resume)
{
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.untrusted, TLS1_3_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    ck_assert_int_eq(SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true),
                     errSecSuccess);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLPeerAuthCompleted);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLHandshake);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    /* The app judges: with the other root as anchor the chain is good. */
    SecCertificateRef other = factory_sec_cert(pki.other_root);
    CFArrayRef anchors = CFArrayCreate(NULL, (const void **)&other, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
    ck_assert(SecTrustEvaluateWithError(trust, NULL));
    CFRelease(anchors);
    CFRelease(other);
    CFRelease(trust);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSecSuccess);
    SSLProtocol version;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &version), errSecSuccess);
    ck_assert_int_eq(version, kTLSProtocol13);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(break_on_server_auth_then_reject)
{
    static const struct {
        OSStatus status;
        int alert;
    } cases[] = {{errSecCertificateExpired, SSL_AD_CERTIFICATE_EXPIRED},
                 {errSecCertificateRevoked, SSL_AD_CERTIFICATE_REVOKED}};
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.server, TLS1_2_VERSION);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    ck_assert_int_eq(mem_peer_handshake(ctx, &peer), errSSLPeerAuthCompleted);
    ck_assert_int_eq(SSLSetError(ctx, cases[_i].status), errSecSuccess);
    /* The app's status comes back and the context is aborted (README: Differences). */
    ck_assert_int_eq(SSLHandshake(ctx), cases[_i].status);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLAborted);
    ck_assert_int_eq(server_alert_received(&peer), cases[_i].alert);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(write_needs_a_started_handshake_read_starts_one)
{
    struct mem_peer peer;
    peer_with_server_cert(&peer, pki.server, 0);
    SSLContextRef ctx = mem_peer_client(&peer, &pki);
    size_t processed;
    unsigned char buf[8];
    ck_assert_int_eq(SSLWrite(ctx, "x", 1, &processed), errSecBadReq);
    OSStatus status;
    int spins = 0;
    do {
        status = SSLRead(ctx, buf, sizeof(buf), &processed);
        mem_peer_pump(&peer);
    } while (status == errSSLWouldBlock && ++spins < 1000);
    ck_assert_int_eq(status, errSSLWouldBlock); /* handshake done, no data yet */
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLConnected);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

START_TEST(negotiated_values_and_buffered_size)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, TLS1_2_VERSION);
    SSLProtocol version;
    SSLGetNegotiatedProtocolVersion(ctx, &version);
    ck_assert_int_eq(version, kTLSProtocol12);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecSuccess);
    ck_assert_uint_eq(suite, SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(peer.ssl)));
    CFArrayRef certs = NULL;
    ck_assert_int_eq(SSLCopyPeerCertificates(ctx, &certs), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(certs), 3); /* leaf, intermediate, root */
    CFRelease(certs);
    SSLClose(ctx);
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecBadReq);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

/* Record-layer failures the client detects: a damaged record, an oversized one. */
START_TEST(damaged_and_oversized_records)
{
    struct mem_peer peer;
    SSLContextRef ctx = connected_client(&peer, _i == 0 ? TLS1_2_VERSION : TLS1_3_VERSION);
    unsigned char rec[100], buf[200];
    size_t n;
    ck_assert_int_eq(SSL_write_ex(peer.ssl, rec, sizeof(rec), &n), 1);
    unsigned char wire[8192]; /* everything pending: TLS 1.3 tickets, then our record */
    int len = BIO_read(peer.from_server, wire, sizeof(wire));
    ck_assert_int_gt(len, 5);
    ck_assert_int_eq(BIO_pending(peer.from_server), 0);
    wire[len - 1] ^= 0x01; /* one bit of the tag or MAC */
    BIO_write(peer.from_server, wire, len);
    size_t processed;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLBadRecordMac);
    SSLSessionState state;
    SSLGetSessionState(ctx, &state);
    ck_assert_int_eq(state, kSSLAborted);
    CFRelease(ctx);
    mem_peer_free(&peer);

    ctx = connected_client(&peer, TLS1_2_VERSION);
    static const unsigned char huge[] = {23, 3, 3, 0x48, 0x01}; /* 18433 bytes announced */
    BIO_write(peer.from_server, huge, sizeof(huge));
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLRecordOverflow);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

static Suite *client_engine_suite(void)
{
    Suite *s = suite_create("client_engine");
    TCase *bulk = tcase_create("byte boundaries");
    tcase_add_unchecked_fixture(bulk, setup, teardown);
    tcase_set_timeout(bulk, 600);
    tcase_set_tags(bulk, "slow");
    tcase_add_loop_test(bulk, every_byte_boundary_tls13, 0, 10);
    tcase_add_loop_test(bulk, every_byte_boundary_tls12, 0, 6);
    suite_add_tcase(s, bulk);
    TCase *tc = tcase_create("memory peer");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, large_chunks, 0, 2);
    tcase_add_test(tc, read_returns_one_record_and_keeps_leftovers);
    tcase_add_test(tc, close_notify_both_ways);
    tcase_add_test(tc, ssl_close_sends_close_notify);
    tcase_add_test(tc, eof_between_records_is_closed_abort);
    tcase_add_test(tc, error_inside_a_record_passes_through);
    tcase_add_loop_test(tc, received_alerts_map_to_errors, 0,
                        sizeof(alert_table) / sizeof(alert_table[0]));
    tcase_add_test(tc, untrusted_server_is_rejected_with_certificate_unknown);
    tcase_add_test(tc, break_on_server_auth_then_resume);
    tcase_add_loop_test(tc, break_on_server_auth_then_reject, 0, 2);
    tcase_add_test(tc, write_needs_a_started_handshake_read_starts_one);
    tcase_add_test(tc, negotiated_values_and_buffered_size);
    tcase_add_loop_test(tc, damaged_and_oversized_records, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(client_engine_suite());
}
