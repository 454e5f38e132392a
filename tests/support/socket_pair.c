/* Our client against our server over a socket pair; see socket_pair.h. */
#include "socket_pair.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handshake_loop.h"
#include "st_test.h"

static SSLContextRef socket_side(SSLProtocolSide side, struct socket_conn *conn)
{
    SSLContextRef ctx = st_test_context(side, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, socket_read_cb, socket_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, conn), errSecSuccess);
    return ctx;
}

void socket_pair_open(struct socket_pair *p)
{
    int fds[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    for (int i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    p->client_conn.fd = fds[0];
    p->server_conn.fd = fds[1];
    p->client = socket_side(kSSLClientSide, &p->client_conn);
    p->server = socket_side(kSSLServerSide, &p->server_conn);
}

void socket_pair_open_pki(struct socket_pair *p, const struct tls_pki *pki, unsigned options)
{
    socket_pair_open(p);
    ck_assert_int_eq(SSLSetPeerDomainName(p->client, "localhost", 9), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(pki);
    ck_assert_int_eq(SSLSetTrustedRoots(p->client, roots, true), errSecSuccess);
    if (options & SOCKET_PAIR_SERVER_TRUSTS_ROOTS)
        ck_assert_int_eq(SSLSetTrustedRoots(p->server, roots, true), errSecSuccess);
    CFRelease(roots);
    if (!(options & SOCKET_PAIR_NO_SERVER_IDENTITY)) {
        CFArrayRef identity = tls_pki_server_identity(pki, pki->server, pki->server_key);
        ck_assert_int_eq(SSLSetCertificate(p->server, identity), errSecSuccess);
        CFRelease(identity);
    }
}

void socket_pair_close(struct socket_pair *p)
{
    SSLClose(p->client);
    SSLClose(p->server);
    socket_pair_free(p);
}

void socket_pair_free(struct socket_pair *p)
{
    CFRelease(p->client);
    CFRelease(p->server);
    close(p->client_conn.fd);
    close(p->server_conn.fd);
}

void socket_pair_handshake(struct socket_pair *p, OSStatus *client, OSStatus *server)
{
    run_both_handshakes(p->client, p->server, client, server, 20000, 200);
}

void socket_pair_expect(struct socket_pair *p, OSStatus client, OSStatus server)
{
    OSStatus c, s;
    socket_pair_handshake(p, &c, &s);
    ck_assert_msg(c == client && s == server, "client %d (want %d), server %d (want %d)", (int)c,
                  (int)client, (int)s, (int)server);
}

void exchange_text(SSLContextRef from, SSLContextRef to, const char *text)
{
    size_t len = strlen(text), processed = 0;
    OSStatus status = SSLWrite(from, text, len, &processed);
    ck_assert(status == errSecSuccess || status == errSSLWouldBlock);
    ck_assert_uint_eq(processed, len);
    char buf[256];
    size_t got = 0;
    for (int i = 0; got < len && i < 10000; i++) {
        if (status == errSSLWouldBlock)
            status = SSLWrite(from, NULL, 0, &processed);
        size_t n = 0;
        OSStatus r = SSLRead(to, buf + got, sizeof(buf) - got, &n);
        ck_assert_msg(r == errSecSuccess || r == errSSLWouldBlock, "read %d", (int)r);
        got += n;
    }
    ck_assert_uint_eq(got, len);
    ck_assert_int_eq(memcmp(buf, text, len), 0);
}
