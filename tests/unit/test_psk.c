/*
 * Pre-shared keys between our own client and server in one process, over a
 * non-blocking socket pair: a client that sets a secret but no identity
 * (SSLSetPSKIdentity never called) sends an empty identity and connects.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "st_test.h"
#include "tls_peer.h"

static const unsigned char secret[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

struct psk_pair {
    SSLContextRef client, server;
    struct socket_conn client_conn, server_conn;
};

/* One side: socket callbacks, TLS 1.2, the PSK suite only and the shared secret. */
static SSLContextRef psk_side(SSLProtocolSide side, struct socket_conn *conn)
{
    SSLContextRef ctx = st_test_context(side, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, socket_read_cb, socket_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, conn), errSecSuccess);
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol12), errSecSuccess);
    SSLCipherSuite psk[] = {TLS_PSK_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, psk, 1), errSecSuccess);
    ck_assert_int_eq(SSLSetPSKSharedSecret(ctx, secret, sizeof(secret)), errSecSuccess);
    return ctx;
}

static void psk_pair_open(struct psk_pair *p)
{
    int fds[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    for (int i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    p->client_conn.fd = fds[0];
    p->server_conn.fd = fds[1];
    p->client = psk_side(kSSLClientSide, &p->client_conn);
    p->server = psk_side(kSSLServerSide, &p->server_conn);
}

static void psk_pair_close(struct psk_pair *p)
{
    SSLClose(p->client);
    SSLClose(p->server);
    CFRelease(p->client);
    CFRelease(p->server);
    close(p->client_conn.fd);
    close(p->server_conn.fd);
}

/* Steps both handshakes in turn until neither would block (bounded). */
static void psk_pair_handshake(struct psk_pair *p, OSStatus *client, OSStatus *server)
{
    *client = *server = errSSLWouldBlock;
    for (int i = 0; i < 1000 && (*client == errSSLWouldBlock || *server == errSSLWouldBlock); i++) {
        if (*client == errSSLWouldBlock)
            *client = SSLHandshake(p->client);
        if (*server == errSSLWouldBlock)
            *server = SSLHandshake(p->server);
    }
}

static void expect_psk_connected(struct psk_pair *p)
{
    OSStatus client, server;
    psk_pair_handshake(p, &client, &server);
    ck_assert_int_eq(client, errSecSuccess);
    ck_assert_int_eq(server, errSecSuccess);
    SSLCipherSuite suite = 0;
    ck_assert_int_eq(SSLGetNegotiatedCipher(p->client, &suite), errSecSuccess);
    ck_assert_uint_eq(suite, TLS_PSK_WITH_AES_128_GCM_SHA256);
    const char message[] = "psk";
    size_t moved = 0;
    ck_assert_int_eq(SSLWrite(p->client, message, sizeof(message), &moved), errSecSuccess);
    ck_assert_uint_eq(moved, sizeof(message));
    char got[sizeof(message)] = {0};
    ck_assert_int_eq(SSLRead(p->server, got, sizeof(got), &moved), errSecSuccess);
    ck_assert_uint_eq(moved, sizeof(message));
    ck_assert_str_eq(got, message);
}

START_TEST(client_without_identity_connects)
{
    struct psk_pair p;
    psk_pair_open(&p);
    expect_psk_connected(&p);
    psk_pair_close(&p);
}
END_TEST

START_TEST(client_with_identity_connects)
{
    struct psk_pair p;
    psk_pair_open(&p);
    ck_assert_int_eq(SSLSetPSKIdentity(p.client, "sectrans", 8), errSecSuccess);
    expect_psk_connected(&p);
    psk_pair_close(&p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("psk");
    TCase *tc = tcase_create("psk");
    tcase_add_test(tc, client_without_identity_connects);
    tcase_add_test(tc, client_with_identity_connects);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
