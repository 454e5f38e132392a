/*
 * The record layer as 10.15 runs it: a would-block from a callback ends the
 * call at once, short records and unwritable alerts report what 10.15
 * reports, record splitting follows kSSLSessionOptionSendOneByteRecord, a
 * DTLS read returns one record, and SSLRead sends what SSLWrite left
 * behind first (behaviour.md §3, §5-§8, §12, §16).
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

/* How the test's callbacks behave, on top of the memory peer. */
enum read_mode { READ_PEER, READ_GARBAGE };
enum write_mode { WRITE_PEER, WRITE_TRICKLE, WRITE_BLOCKED, WRITE_FAILS };

enum { TRICKLE = 3 };

struct conn {
    struct mem_peer peer; /* first: the memory peer's callbacks take a conn as their peer */
    enum read_mode read_mode;
    enum write_mode write_mode;
    size_t garbage_per_read;
    unsigned reads, writes;
};

/* READ_GARBAGE: up to garbage_per_read bytes that are no TLS record, and would-block. */
static OSStatus conn_read(SSLConnectionRef connection, void *data, size_t *length)
{
    struct conn *c = (struct conn *)connection;
    c->reads++;
    if (c->read_mode == READ_PEER)
        return mem_peer_read_cb(connection, data, length);
    size_t n = *length < c->garbage_per_read ? *length : c->garbage_per_read;
    memset(data, 0xEE, n);
    *length = n;
    return errSSLWouldBlock;
}

static OSStatus conn_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    struct conn *c = (struct conn *)connection;
    c->writes++;
    switch (c->write_mode) {
    case WRITE_PEER: break;
    case WRITE_TRICKLE:
        if (*length > TRICKLE)
            *length = TRICKLE;
        (void)BIO_write(c->peer.to_server, data, (int)*length);
        return errSSLWouldBlock;
    case WRITE_BLOCKED: *length = 0; return errSSLWouldBlock;
    case WRITE_FAILS: *length = 0; return errSecIO;
    }
    return mem_peer_write_cb(connection, data, length);
}

/* A client for the memory peer, trusting the test root, expecting "localhost". */
static SSLContextRef client_for(struct conn *c, int version)
{
    memset(c, 0, sizeof(*c));
    mem_peer_init(&c->peer, pki.server, pki.server_key, version);
    ck_assert(SSL_add1_chain_cert(c->peer.ssl, pki.intermediate));
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, conn_read, conn_write), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, c), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "localhost", 9), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(&pki);
    ck_assert_int_eq(SSLSetTrustedRoots(ctx, roots, true), errSecSuccess);
    CFRelease(roots);
    return ctx;
}

static SSLContextRef connected_client(struct conn *c, int version)
{
    SSLContextRef ctx = client_for(c, version);
    ck_assert_int_eq(mem_peer_handshake(ctx, &c->peer), errSecSuccess);
    return ctx;
}

static void finish(SSLContextRef ctx, struct conn *c)
{
    CFRelease(ctx);
    mem_peer_free(&c->peer);
}

static SSLSessionState state_of(SSLContextRef ctx)
{
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(ctx, &state), errSecSuccess);
    return state;
}

/* Item: a would-block read ends SSLHandshake at once, a full header included (§3, §4). */
START_TEST(handshake_returns_at_the_first_read_would_block)
{
    static const size_t garbage[] = {3, 5, 64};
    struct conn c;
    SSLContextRef ctx = client_for(&c, 0);
    c.peer.no_pump = true;
    c.read_mode = READ_GARBAGE;
    c.garbage_per_read = garbage[_i];
    ck_assert_int_eq(SSLHandshake(ctx), errSSLWouldBlock);
    ck_assert_uint_eq(c.reads, 1);
    ck_assert_int_eq(state_of(ctx), kSSLHandshake);
    finish(ctx, &c);
}
END_TEST

START_TEST(read_returns_at_the_first_would_block)
{
    struct conn c;
    SSLContextRef ctx = connected_client(&c, TLS1_2_VERSION);
    c.read_mode = READ_GARBAGE;
    c.garbage_per_read = _i == 0 ? 2 : 5;
    c.reads = 0;
    unsigned char buf[64];
    size_t processed = 99;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLWouldBlock);
    ck_assert_uint_eq(processed, 0);
    ck_assert_uint_eq(c.reads, 1);
    ck_assert_int_eq(state_of(ctx), kSSLConnected);
    finish(ctx, &c);
}
END_TEST

/* Drains what the client sent to the server into `out`. */
static size_t server_read_all(struct conn *c, unsigned char *out, size_t cap)
{
    size_t got = 0, n = 0;
    while (got < cap && SSL_read_ex(c->peer.ssl, out + got, cap - got, &n) == 1)
        got += n;
    return got;
}

/* A partial write that would block ends SSLWrite, which still took everything (§3, §6). */
START_TEST(write_returns_at_the_first_would_block)
{
    struct conn c;
    SSLContextRef ctx = connected_client(&c, TLS1_3_VERSION);
    unsigned char data[100], got[100];
    memset(data, 'w', sizeof(data));
    c.write_mode = WRITE_TRICKLE;
    c.writes = 0;
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(ctx, data, sizeof(data), &processed), errSSLWouldBlock);
    ck_assert_uint_eq(processed, sizeof(data));
    ck_assert_uint_eq(c.writes, 1);
    /* Each flush moves one trickle, until the record is out. */
    ck_assert_int_eq(SSLWrite(ctx, NULL, 0, &processed), errSSLWouldBlock);
    ck_assert_uint_eq(c.writes, 2);
    c.write_mode = WRITE_PEER;
    ck_assert_int_eq(SSLWrite(ctx, NULL, 0, &processed), errSecSuccess);
    ck_assert_uint_eq(server_read_all(&c, got, sizeof(got)), sizeof(data));
    ck_assert_int_eq(memcmp(got, data, sizeof(data)), 0);
    finish(ctx, &c);
}
END_TEST

START_TEST(close_returns_at_the_first_would_block)
{
    struct conn c;
    SSLContextRef ctx = connected_client(&c, TLS1_2_VERSION);
    c.write_mode = WRITE_TRICKLE;
    c.writes = 0;
    ck_assert_int_eq(SSLClose(ctx), errSSLWouldBlock);
    ck_assert_uint_eq(c.writes, 1);
    c.write_mode = WRITE_PEER;
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess);
    unsigned char buf[8];
    ck_assert_int_eq(SSL_read(c.peer.ssl, buf, sizeof(buf)), 0);
    ck_assert_int_eq(SSL_get_error(c.peer.ssl, 0), SSL_ERROR_ZERO_RETURN);
    finish(ctx, &c);
}
END_TEST

/* A client whose server picks AES128-SHA (CBC, HMAC-SHA1); TLS 1.0 needs security level 0. */
static SSLContextRef cbc_client(struct conn *c, int version)
{
    SSLContextRef ctx = client_for(c, version);
    SSL_set_security_level(c->peer.ssl, 0);
    ck_assert(SSL_set_cipher_list(c->peer.ssl, "AES128-SHA:@SECLEVEL=0"));
    if (version == TLS1_VERSION) {
        ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kTLSProtocol1), errSecSuccess);
        ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol1), errSecSuccess);
    }
    return ctx;
}

/*
 * A record shorter than its cipher's overhead (AEAD nonce and tag, or MAC,
 * padding byte and explicit IV): 10.15 says errSSLClosedAbort on purpose
 * (SSLRecordInternal.c, SSLRecordReadInternal's underflow check). A record
 * long enough that fails its MAC stays errSSLBadRecordMac.
 */
START_TEST(record_too_short_for_its_cipher_is_closed_abort)
{
    static const struct {
        int version;
        bool cbc;
        size_t body;
        OSStatus status;
    } cases[] = {
        {TLS1_2_VERSION, false, 0, errSSLClosedAbort}, /* AES-GCM: 8 + 16 */
        {TLS1_2_VERSION, false, 20, errSSLClosedAbort},
        {TLS1_3_VERSION, false, 10, errSSLClosedAbort}, /* the tag alone is 16 */
        {TLS1_VERSION, true, 16, errSSLClosedAbort},    /* 20 + 1 */
        {TLS1_2_VERSION, true, 32, errSSLClosedAbort},  /* 20 + 1 + 16 */
        {TLS1_2_VERSION, true, 48, errSSLBadRecordMac},
    };
    struct conn c;
    SSLContextRef ctx =
        cases[_i].cbc ? cbc_client(&c, cases[_i].version) : client_for(&c, cases[_i].version);
    ck_assert_int_eq(mem_peer_handshake(ctx, &c.peer), errSecSuccess);
    unsigned char version_minor = cases[_i].version == TLS1_VERSION ? 1 : 3;
    unsigned char record[5 + 64] = {23, 3, version_minor, 0, (unsigned char)cases[_i].body};
    memset(record + 5, 0x5A, sizeof(record) - 5);
    BIO_write(c.peer.from_server, record, (int)(5 + cases[_i].body));
    unsigned char buf[64];
    size_t processed;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), cases[_i].status);
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
    finish(ctx, &c);
}
END_TEST

/* The bad_record_mac alert cannot go out: the MAC failure is still what SSLRead reports. */
START_TEST(unwritable_alert_keeps_the_tls_error)
{
    struct conn c;
    SSLContextRef ctx = connected_client(&c, TLS1_2_VERSION);
    unsigned char rec[100], buf[200];
    memset(rec, 'r', sizeof(rec));
    size_t n;
    ck_assert_int_eq(SSL_write_ex(c.peer.ssl, rec, sizeof(rec), &n), 1);
    unsigned char wire[512];
    int len = BIO_read(c.peer.from_server, wire, sizeof(wire));
    ck_assert_int_gt(len, 5);
    wire[len - 1] ^= 0x01;
    BIO_write(c.peer.from_server, wire, len);
    c.write_mode = WRITE_FAILS;
    c.writes = 0;
    size_t processed;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSSLBadRecordMac);
    ck_assert_uint_ge(c.writes, 1); /* the alert was tried */
    finish(ctx, &c);
}
END_TEST

/* The same in a handshake: an unexpected message, whose alert cannot go out. */
START_TEST(unwritable_handshake_alert_keeps_the_tls_error)
{
    struct conn c;
    SSLContextRef ctx = client_for(&c, 0);
    c.peer.no_pump = true;
    ck_assert_int_eq(SSLHandshake(ctx), errSSLWouldBlock); /* ClientHello out */
    /* A Finished message where the ServerHello belongs. */
    static const unsigned char record[] = {22, 3, 3, 0, 16, 20, 0, 0,  12, 1, 2,
                                           3,  4, 5, 6, 7,  8,  9, 10, 11, 12};
    BIO_write(c.peer.from_server, record, sizeof(record));
    c.write_mode = WRITE_FAILS;
    c.writes = 0;
    ck_assert_int_eq(SSLHandshake(ctx), errSSLProtocol);
    ck_assert_uint_ge(c.writes, 1);
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
    finish(ctx, &c);
}
END_TEST

/* Application-data records in `wire`, by body length; returns how many. */
static size_t app_data_records(const unsigned char *wire, size_t len, size_t *bodies, size_t max)
{
    size_t count = 0;
    for (size_t at = 0; at + 5 <= len;) {
        size_t body = (size_t)wire[at + 3] << 8 | wire[at + 4];
        if (wire[at] == 23 && count < max)
            bodies[count++] = body;
        at += 5 + body;
    }
    return count;
}

/*
 * TLS 1.0 with a CBC suite: OpenSSL's empty record before each write (the
 * countermeasure standing for 10.15's 1/n-1 split) unless the app turned
 * kSSLSessionOptionSendOneByteRecord off (behaviour.md §8).
 */
START_TEST(send_one_byte_record_option_controls_splitting)
{
    static const struct {
        bool set;
        Boolean value;
        size_t records;
    } cases[] = {{false, false, 2}, {true, true, 2}, {true, false, 1}};
    struct conn c;
    SSLContextRef ctx = cbc_client(&c, TLS1_VERSION);
    if (cases[_i].set)
        ck_assert_int_eq(
            SSLSetSessionOption(ctx, kSSLSessionOptionSendOneByteRecord, cases[_i].value),
            errSecSuccess);
    ck_assert_int_eq(mem_peer_handshake(ctx, &c.peer), errSecSuccess);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecSuccess);
    ck_assert_uint_eq(suite, TLS_RSA_WITH_AES_128_CBC_SHA);
    ck_assert_int_eq(BIO_pending(c.peer.to_server), 0);

    unsigned char data[100], wire[1024], got[100];
    memset(data, 's', sizeof(data));
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(ctx, data, sizeof(data), &processed), errSecSuccess);
    int len = BIO_read(c.peer.to_server, wire, sizeof(wire));
    ck_assert_int_gt(len, 0);
    size_t bodies[4];
    size_t records = app_data_records(wire, (size_t)len, bodies, 4);
    ck_assert_uint_eq(records, cases[_i].records);
    if (records == 2)
        ck_assert_uint_eq(bodies[0], 16 + 20); /* no data: one block of padding, the MAC after */
    BIO_write(c.peer.to_server, wire, len);
    ck_assert_uint_eq(server_read_all(&c, got, sizeof(got)), sizeof(data));
    ck_assert_int_eq(memcmp(got, data, sizeof(data)), 0);
    finish(ctx, &c);
}
END_TEST

/*
 * SSLWrite left a record unsent; the peer asks for a key update. SSLRead
 * sends the record first, as 10.15's SSLRead services its write queue
 * before reading, so the answering KeyUpdate can follow it (§5).
 */
START_TEST(read_sends_the_pending_write_first)
{
    struct conn c;
    SSLContextRef ctx = connected_client(&c, TLS1_3_VERSION);
    unsigned char data[100], got[100], buf[64];
    memset(data, 'p', sizeof(data));
    c.write_mode = WRITE_BLOCKED;
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(ctx, data, sizeof(data), &processed), errSSLWouldBlock);
    ck_assert_uint_eq(processed, sizeof(data));

    static const char reply[] = "after the key update";
    size_t n;
    mem_peer_pump(&c.peer); /* the server takes our Finished */
    ck_assert(SSL_key_update(c.peer.ssl, SSL_KEY_UPDATE_REQUESTED));
    ck_assert_int_eq(SSL_write_ex(c.peer.ssl, reply, strlen(reply), &n), 1);
    /* Case 1: the record still cannot go; SSLRead reads all the same, as 10.15 does. */
    if (_i == 0)
        c.write_mode = WRITE_PEER;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSecSuccess);
    ck_assert_uint_eq(processed, strlen(reply));
    if (_i == 1) {
        ck_assert_int_eq(BIO_pending(c.peer.to_server), 0);
        c.write_mode = WRITE_PEER;
        ck_assert_int_eq(SSLWrite(ctx, NULL, 0, &processed), errSecSuccess);
    }
    ck_assert_int_eq(memcmp(buf, reply, processed), 0);
    ck_assert_int_eq(state_of(ctx), kSSLConnected);

    ck_assert_uint_eq(server_read_all(&c, got, sizeof(got)), sizeof(data));
    ck_assert_int_eq(memcmp(got, data, sizeof(data)), 0);
    /* Both sides use their new keys. */
    ck_assert_int_eq(SSLWrite(ctx, "more", 4, &processed), errSecSuccess);
    ck_assert_uint_eq(server_read_all(&c, got, sizeof(got)), 4);
    ck_assert_int_eq(SSL_write_ex(c.peer.ssl, "ok", 2, &n), 1);
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &processed), errSecSuccess);
    ck_assert_uint_eq(processed, 2);
    finish(ctx, &c);
}
END_TEST

/* A datagram link in memory whose queue the test may rearrange. */
enum { DGRAM_SLOTS = 32, DGRAM_MAX = 2048 };

struct dgram_queue {
    unsigned char data[DGRAM_SLOTS][DGRAM_MAX];
    size_t len[DGRAM_SLOTS];
    size_t count;
};

struct dgram_end {
    struct dgram_queue *in, *out;
};

static OSStatus dgram_read(SSLConnectionRef connection, void *data, size_t *length)
{
    struct dgram_queue *q = ((const struct dgram_end *)connection)->in;
    if (q->count == 0) {
        *length = 0;
        return errSSLWouldBlock;
    }
    size_t n = q->len[0] < *length ? q->len[0] : *length;
    memcpy(data, q->data[0], n);
    memmove(q->data[0], q->data[1], (q->count - 1) * sizeof(q->data[0]));
    memmove(&q->len[0], &q->len[1], (q->count - 1) * sizeof(q->len[0]));
    q->count--;
    *length = n;
    return errSecSuccess;
}

static OSStatus dgram_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    struct dgram_queue *q = ((const struct dgram_end *)connection)->out;
    ck_assert_uint_lt(q->count, DGRAM_SLOTS);
    ck_assert_uint_le(*length, DGRAM_MAX);
    memcpy(q->data[q->count], data, *length);
    q->len[q->count++] = *length;
    return errSecSuccess;
}

enum { DTLS_HEADER = 13 };

/*
 * One datagram per record, the handshake records behind all the others
 * (OpenSSL sends ChangeCipherSpec and Finished in one datagram).
 */
static void dgram_handshake_last(struct dgram_queue *q)
{
    static struct dgram_queue sorted;
    sorted.count = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < q->count; i++)
            for (size_t at = 0; at + DTLS_HEADER <= q->len[i];) {
                const unsigned char *rec = q->data[i] + at;
                size_t len = DTLS_HEADER + ((size_t)rec[11] << 8 | rec[12]);
                if ((rec[0] == 22) == (pass == 1)) {
                    memcpy(sorted.data[sorted.count], rec, len);
                    sorted.len[sorted.count++] = len;
                }
                at += len;
            }
    memcpy(q, &sorted, sizeof(sorted));
}

/*
 * Two records the server sent right after its Finished overtake it; the
 * client keeps them until its handshake is done. Each SSLRead then returns
 * one of them: a datagram read never joins records (behaviour.md §5, §16).
 */
START_TEST(dtls_read_returns_one_record)
{
    static struct dgram_queue to_client, to_server;
    memset(&to_client, 0, sizeof(to_client));
    memset(&to_server, 0, sizeof(to_server));
    struct dgram_end client_end = {&to_client, &to_server}, server_end = {&to_server, &to_client};
    SSLContextRef client = st_test_context(kSSLClientSide, kSSLDatagramType);
    SSLContextRef server = st_test_context(kSSLServerSide, kSSLDatagramType);
    SSLSetIOFuncs(client, dgram_read, dgram_write);
    SSLSetIOFuncs(server, dgram_read, dgram_write);
    SSLSetConnection(client, &client_end);
    SSLSetConnection(server, &server_end);
    ck_assert_int_eq(SSLSetPeerDomainName(client, "localhost", 9), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(&pki);
    SSLSetTrustedRoots(client, roots, true);
    CFRelease(roots);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.ec_server, pki.ec_key);
    ck_assert_int_eq(SSLSetCertificate(server, identity), errSecSuccess);
    CFRelease(identity);

    OSStatus c = errSSLWouldBlock, s = errSSLWouldBlock;
    for (int i = 0; i < 100 && s == errSSLWouldBlock; i++) {
        c = SSLHandshake(client);
        s = SSLHandshake(server);
    }
    ck_assert_int_eq(s, errSecSuccess);
    ck_assert_int_eq(c, errSSLWouldBlock); /* the server's last flight is still on its way */
    static const char first[] = "the first record", second[] = "and the second";
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(server, first, strlen(first), &processed), errSecSuccess);
    ck_assert_int_eq(SSLWrite(server, second, strlen(second), &processed), errSecSuccess);
    dgram_handshake_last(&to_client);
    ck_assert_int_eq(to_client.data[to_client.count - 1][0], 22);
    for (int i = 0; i < 10 && c == errSSLWouldBlock; i++)
        c = SSLHandshake(client);
    ck_assert_int_eq(c, errSecSuccess);

    char buf[256];
    ck_assert_int_eq(SSLRead(client, buf, sizeof(buf), &processed), errSecSuccess);
    ck_assert_uint_eq(processed, strlen(first));
    ck_assert_int_eq(memcmp(buf, first, processed), 0);
    ck_assert_int_eq(SSLRead(client, buf, sizeof(buf), &processed), errSecSuccess);
    ck_assert_uint_eq(processed, strlen(second));
    ck_assert_int_eq(memcmp(buf, second, processed), 0);
    CFRelease(client);
    CFRelease(server);
}
END_TEST

static Suite *record_fidelity_suite(void)
{
    Suite *s = suite_create("record_fidelity");
    TCase *tc = tcase_create("memory peer");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, handshake_returns_at_the_first_read_would_block, 0, 3);
    tcase_add_loop_test(tc, read_returns_at_the_first_would_block, 0, 2);
    tcase_add_test(tc, write_returns_at_the_first_would_block);
    tcase_add_test(tc, close_returns_at_the_first_would_block);
    tcase_add_loop_test(tc, record_too_short_for_its_cipher_is_closed_abort, 0, 6);
    tcase_add_test(tc, unwritable_alert_keeps_the_tls_error);
    tcase_add_test(tc, unwritable_handshake_alert_keeps_the_tls_error);
    tcase_add_loop_test(tc, send_one_byte_record_option_controls_splitting, 0, 3);
    tcase_add_loop_test(tc, read_sends_the_pending_write_first, 0, 2);
    tcase_add_test(tc, dtls_read_returns_one_record);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(record_fidelity_suite());
}
