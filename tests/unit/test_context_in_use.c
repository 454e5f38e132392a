/*
 * A context released while a call on it is running: the app's read callback
 * disposes of its own context in the middle of SSLHandshake against
 * `openssl s_server`. The handshake finishes on a context that stays alive
 * until SSLHandshake returns; the final release runs then and the pointer is
 * refused afterwards. Under ASan and valgrind nothing is touched after it is
 * freed.
 */
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

enum release_kind { RELEASE_DISPOSE, RELEASE_CFRELEASE };

/* The connection ref: the socket and what the read callback does on its first call. */
struct releasing_conn {
    struct socket_conn socket; /* first: socket_read_cb reads it through the same pointer */
    SSLContextRef ctx;
    enum release_kind kind;
    bool released;
    OSStatus dispose_status;
    OSStatus state_status; /* SSLGetSessionState right after the release */
    SSLSessionState state;
};

static OSStatus releasing_read_cb(SSLConnectionRef connection, void *data, size_t *dataLength)
{
    struct releasing_conn *conn = (struct releasing_conn *)connection;
    if (!conn->released) {
        conn->released = true;
        if (conn->kind == RELEASE_DISPOSE)
            conn->dispose_status = SSLDisposeContext(conn->ctx);
        else
            CFRelease(conn->ctx);
        conn->state_status = SSLGetSessionState(conn->ctx, &conn->state);
    }
    return socket_read_cb(&conn->socket, data, dataLength);
}

static void start_server(struct s_server *server)
{
    const char *args[] = {"-cert",       pki.server_pem, "-key", pki.server_key_pem,
                          "-cert_chain", pki.chain_pem,  "-www", NULL};
    s_server_start(server, args);
}

/* A client over a blocking socket whose read callback releases it once. */
static void client_open(struct releasing_conn *conn, const struct s_server *server,
                        enum release_kind kind)
{
    memset(conn, 0, sizeof(*conn));
    conn->kind = kind;
    conn->dispose_status = -1;
    conn->socket.fd = tls_connect_loopback(server->port, false);
    conn->ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(conn->ctx, releasing_read_cb, socket_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(conn->ctx, conn), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(conn->ctx, "localhost", strlen("localhost")),
                     errSecSuccess);
    CFArrayRef roots = tls_pki_roots(&pki);
    ck_assert_int_eq(SSLSetTrustedRoots(conn->ctx, roots, true), errSecSuccess);
    CFRelease(roots);
}

/* The release took effect only when SSLHandshake returned. */
static void expect_released_after_call(const struct releasing_conn *conn, OSStatus handshake)
{
    ck_assert(conn->released);
    ck_assert_int_eq(conn->state_status, errSecSuccess); /* alive inside the call */
    ck_assert_int_eq(conn->state, kSSLHandshake);
    ck_assert_int_eq(handshake, errSecSuccess); /* and the handshake went on */
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(conn->ctx, &state), errSecParam);
    ck_assert_ptr_null(st_context_table_find(conn->ctx));
}

START_TEST(read_callback_disposes_its_context)
{
    size_t before = st_context_table_count();
    struct s_server server;
    start_server(&server);
    struct releasing_conn conn;
    client_open(&conn, &server, RELEASE_DISPOSE);
    OSStatus handshake = SSLHandshake(conn.ctx);
    ck_assert_int_eq(conn.dispose_status, errSecSuccess);
    expect_released_after_call(&conn, handshake);
    ck_assert_int_eq(SSLDisposeContext(conn.ctx), errSecParam); /* a second dispose is refused */
    ck_assert_uint_eq(st_context_table_count(), before);
    close(conn.socket.fd);
    s_server_stop(&server);
}
END_TEST

START_TEST(read_callback_cfreleases_its_context)
{
    size_t before = st_context_table_count();
    struct s_server server;
    start_server(&server);
    struct releasing_conn conn;
    client_open(&conn, &server, RELEASE_CFRELEASE);
    OSStatus handshake = SSLHandshake(conn.ctx);
    expect_released_after_call(&conn, handshake);
    ck_assert_uint_eq(st_context_table_count(), before);
    close(conn.socket.fd);
    s_server_stop(&server);
}
END_TEST

/* A context the app still retains outlives the dispose in its callback. */
START_TEST(retained_context_survives_dispose_in_callback)
{
    struct s_server server;
    start_server(&server);
    struct releasing_conn conn;
    client_open(&conn, &server, RELEASE_DISPOSE);
    CFRetain(conn.ctx);
    ck_assert_int_eq(SSLHandshake(conn.ctx), errSecSuccess);
    ck_assert_int_eq(conn.dispose_status, errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(conn.ctx), 1);
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(conn.ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLConnected);
    SSLClose(conn.ctx);
    CFRelease(conn.ctx);
    close(conn.socket.fd);
    s_server_stop(&server);
}
END_TEST

/* Refused calls and finished calls leave no reference behind. */
START_TEST(calls_leave_the_retain_count_alone)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLSessionState state;
    ck_assert_int_eq(SSLGetSessionState(ctx, &state), errSecSuccess);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, "c", 1), errSecParam); /* ST_DTLS_ONLY */
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "a", 1), errSecBadReq); /* ST_INACTIVE */
    st_test_force_state(ctx, ST_STATE_IDLE);
    ck_assert_int_eq(CFGetRetainCount(ctx), 1);
    SSLContextRef dtls = st_test_context(kSSLServerSide, kSSLDatagramType);
    ck_assert_int_eq(SSLSetProtocolVersion(dtls, kTLSProtocol12), errSecBadReq); /* stream only */
    ck_assert_int_eq(SSLSetEnableCertVerify(dtls, true), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(dtls), 1);
    ck_assert_int_eq(SSLDisposeContext(dtls), errSecSuccess);
    ck_assert_ptr_null(st_context_table_find(dtls));
    CFRelease(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("context_in_use");
    TCase *tc = tcase_create("in_use");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, read_callback_disposes_its_context);
    tcase_add_test(tc, read_callback_cfreleases_its_context);
    tcase_add_test(tc, retained_context_survives_dispose_in_callback);
    tcase_add_test(tc, calls_leave_the_retain_count_alone);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
