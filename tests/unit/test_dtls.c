/*
 * DTLS 1.0 and 1.2, our client against our server: over UDP on 127.0.0.1,
 * with a HelloVerifyRequest cookie, and over callbacks that drop and
 * reorder datagrams, where repeated SSLHandshake calls retransmit
 * (behaviour.md §16).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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

/* One datagram per call, as an app's recv/send callbacks do. */
static OSStatus udp_read(SSLConnectionRef connection, void *data, size_t *length)
{
    const struct socket_conn *conn = connection;
    ssize_t n = recv(conn->fd, data, *length, 0);
    if (n >= 0) {
        *length = (size_t)n;
        return errSecSuccess;
    }
    *length = 0;
    return errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
}

static OSStatus udp_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    const struct socket_conn *conn = connection;
    ssize_t n = send(conn->fd, data, *length, 0);
    if (n >= 0) {
        *length = (size_t)n;
        return errSecSuccess;
    }
    *length = 0;
    return errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
}

/* Two UDP sockets on 127.0.0.1, each connected to the other. */
static void udp_pair(int fds[2])
{
    struct sockaddr_in addr[2];
    for (int i = 0; i < 2; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        ck_assert(fds[i] >= 0);
        memset(&addr[i], 0, sizeof(addr[i]));
        addr[i].sin_family = AF_INET;
        addr[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr[i]);
        ck_assert(bind(fds[i], (struct sockaddr *)&addr[i], sizeof(addr[i])) == 0);
        ck_assert(getsockname(fds[i], (struct sockaddr *)&addr[i], &len) == 0);
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    ck_assert(connect(fds[0], (struct sockaddr *)&addr[1], sizeof(addr[1])) == 0);
    ck_assert(connect(fds[1], (struct sockaddr *)&addr[0], sizeof(addr[0])) == 0);
}

static void configure(SSLContextRef client, SSLContextRef server, SSLProtocol version)
{
    ck_assert_int_eq(SSLSetPeerDomainName(client, "localhost", 9), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(&pki);
    SSLSetTrustedRoots(client, roots, true);
    CFRelease(roots);
    CFArrayRef identity = tls_pki_server_identity(&pki, pki.ec_server, pki.ec_key);
    ck_assert_int_eq(SSLSetCertificate(server, identity), errSecSuccess);
    CFRelease(identity);
    for (int i = 0; i < 2; i++) {
        SSLContextRef ctx = i == 0 ? client : server;
        ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, version), errSecSuccess);
        ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, version), errSecSuccess);
    }
}

/* Drives both handshakes; would-block means "call again", which also retransmits. */
static void handshake_both(SSLContextRef client, SSLContextRef server, int seconds)
{
    OSStatus c = errSSLWouldBlock, s = errSSLWouldBlock;
    time_t deadline = time(NULL) + seconds;
    while ((c == errSSLWouldBlock || s == errSSLWouldBlock) && time(NULL) <= deadline) {
        if (c == errSSLWouldBlock)
            c = SSLHandshake(client);
        if (s == errSSLWouldBlock)
            s = SSLHandshake(server);
        struct timespec nap = {0, 2000000};
        nanosleep(&nap, NULL);
    }
    ck_assert_msg(c == errSecSuccess && s == errSecSuccess, "client %d, server %d", (int)c, (int)s);
}

static void exchange(SSLContextRef from, SSLContextRef to, const char *text)
{
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(from, text, strlen(text), &processed), errSecSuccess);
    char buf[256];
    OSStatus r = errSSLWouldBlock;
    size_t n = 0;
    for (int i = 0; i < 5000 && r == errSSLWouldBlock; i++)
        r = SSLRead(to, buf, sizeof(buf), &n);
    ck_assert_int_eq(r, errSecSuccess);
    ck_assert_uint_eq(n, strlen(text));
    ck_assert_int_eq(memcmp(buf, text, n), 0);
}

START_TEST(dtls_over_udp)
{
    static const SSLProtocol versions[] = {kDTLSProtocol12, kDTLSProtocol1};
    int fds[2];
    udp_pair(fds);
    struct socket_conn cc = {fds[0]}, sc = {fds[1]};
    SSLContextRef client = st_test_context(kSSLClientSide, kSSLDatagramType);
    SSLContextRef server = st_test_context(kSSLServerSide, kSSLDatagramType);
    SSLSetIOFuncs(client, udp_read, udp_write);
    SSLSetIOFuncs(server, udp_read, udp_write);
    SSLSetConnection(client, &cc);
    SSLSetConnection(server, &sc);
    configure(client, server, versions[_i]);
    /* With a cookie the server first answers HelloVerifyRequest. */
    ck_assert_int_eq(SSLSetDatagramHelloCookie(server, "sectrans-cookie", 15), errSecSuccess);
    handshake_both(client, server, 10);
    SSLProtocol v;
    SSLGetNegotiatedProtocolVersion(client, &v);
    ck_assert_int_eq(v, versions[_i]);
    exchange(client, server, "datagram from the client");
    exchange(server, client, "datagram from the server");
    size_t write_size = 0;
    ck_assert_int_eq(SSLGetDatagramWriteSize(client, &write_size), errSecSuccess);
    ck_assert_uint_gt(write_size, 1000);
    ck_assert_uint_lt(write_size, 1400);
    SSLClose(client);
    char buf[16];
    size_t n;
    OSStatus r = errSSLWouldBlock;
    for (int i = 0; i < 5000 && r == errSSLWouldBlock; i++)
        r = SSLRead(server, buf, sizeof(buf), &n);
    ck_assert_int_eq(r, errSSLClosedGraceful);
    CFRelease(client);
    CFRelease(server);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/* A datagram link in memory that loses and reorders what it is given. */
enum { LINK_SLOTS = 64, LINK_MTU = 2048 };

struct link {
    unsigned char data[LINK_SLOTS][LINK_MTU];
    size_t len[LINK_SLOTS];
    size_t head, count;
    unsigned sent;
    unsigned drop_mask; /* bit k set: datagram number k is lost */
    bool swap_pairs;    /* deliver datagrams 2k+1 before 2k */
};

struct endpoint {
    struct link *in, *out;
};

static OSStatus link_read(SSLConnectionRef connection, void *data, size_t *length)
{
    struct endpoint *e = (struct endpoint *)connection;
    struct link *l = e->in;
    if (l->count == 0) {
        *length = 0;
        return errSSLWouldBlock;
    }
    size_t slot = l->head;
    size_t n = l->len[slot] < *length ? l->len[slot] : *length;
    memcpy(data, l->data[slot], n);
    l->head = (l->head + 1) % LINK_SLOTS;
    l->count--;
    *length = n;
    return errSecSuccess;
}

static OSStatus link_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    struct endpoint *e = (struct endpoint *)connection;
    struct link *l = e->out;
    unsigned number = l->sent++;
    if (number < 32 && (l->drop_mask & (1u << number)))
        return errSecSuccess; /* lost on the way */
    if (l->count == LINK_SLOTS || *length > LINK_MTU)
        return errSecSuccess; /* a full queue drops too */
    size_t slot = (l->head + l->count) % LINK_SLOTS;
    memcpy(l->data[slot], data, *length);
    l->len[slot] = *length;
    l->count++;
    /* Reordering: every second datagram overtakes the one before it. */
    if (l->swap_pairs && number % 2 == 1 && l->count >= 2) {
        size_t prev = (slot + LINK_SLOTS - 1) % LINK_SLOTS;
        unsigned char tmp[LINK_MTU];
        size_t tmp_len = l->len[prev];
        memcpy(tmp, l->data[prev], tmp_len);
        memcpy(l->data[prev], l->data[slot], l->len[slot]);
        l->len[prev] = l->len[slot];
        memcpy(l->data[slot], tmp, tmp_len);
        l->len[slot] = tmp_len;
    }
    return errSecSuccess;
}

static const struct {
    unsigned client_drops, server_drops;
    bool swap;
} lossy_cases[] = {
    {0x1, 0x0, false}, /* the ClientHello is lost */
    {0x0, 0x1, false}, /* the server's first datagram is lost */
    {0x0, 0x0, true},  /* everything arrives, pairs swapped */
    {0x2, 0x4, true},  /* losses and reordering together */
};

START_TEST(dtls_over_lossy_reordering_link)
{
    static struct link to_server, to_client;
    memset(&to_server, 0, sizeof(to_server));
    memset(&to_client, 0, sizeof(to_client));
    to_server.drop_mask = lossy_cases[_i].client_drops;
    to_client.drop_mask = lossy_cases[_i].server_drops;
    to_server.swap_pairs = to_client.swap_pairs = lossy_cases[_i].swap;
    struct endpoint client_end = {&to_client, &to_server}, server_end = {&to_server, &to_client};
    SSLContextRef client = st_test_context(kSSLClientSide, kSSLDatagramType);
    SSLContextRef server = st_test_context(kSSLServerSide, kSSLDatagramType);
    SSLSetIOFuncs(client, link_read, link_write);
    SSLSetIOFuncs(server, link_read, link_write);
    SSLSetConnection(client, &client_end);
    SSLSetConnection(server, &server_end);
    /* Small records, so the certificate flight spans several datagrams. */
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(client, 512), errSecSuccess);
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(server, 512), errSecSuccess);
    configure(client, server, kDTLSProtocol12);
    handshake_both(client, server, 20);
    exchange(client, server, "through a lossy link");
    CFRelease(client);
    CFRelease(server);
}
END_TEST

START_TEST(dtls_retransmits_when_its_timer_runs_out)
{
    static struct link nowhere, silence;
    memset(&nowhere, 0, sizeof(nowhere));
    memset(&silence, 0, sizeof(silence));
    nowhere.drop_mask = 0xFFFFFFFFu;
    struct endpoint end = {&silence, &nowhere};
    SSLContextRef client = st_test_context(kSSLClientSide, kSSLDatagramType);
    SSLSetIOFuncs(client, link_read, link_write);
    SSLSetConnection(client, &end);
    ck_assert_int_eq(SSLHandshake(client), errSSLWouldBlock);
    ck_assert_uint_eq(nowhere.sent, 1);
    /* Nothing more goes out before the retransmission timer (1 s) runs out. */
    ck_assert_int_eq(SSLHandshake(client), errSSLWouldBlock);
    ck_assert_uint_eq(nowhere.sent, 1);
    sleep(2);
    ck_assert_int_eq(SSLHandshake(client), errSSLWouldBlock);
    ck_assert_uint_ge(nowhere.sent, 2);
    CFRelease(client);
}
END_TEST

static Suite *dtls_suite(void)
{
    Suite *s = suite_create("dtls");
    TCase *tc = tcase_create("dtls");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, dtls_over_udp, 0, 2);
    tcase_add_loop_test(tc, dtls_over_lossy_reordering_link, 0,
                        sizeof(lossy_cases) / sizeof(lossy_cases[0]));
    tcase_add_test(tc, dtls_retransmits_when_its_timer_runs_out);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(dtls_suite());
}
