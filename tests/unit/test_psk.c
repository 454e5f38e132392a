/*
 * Pre-shared keys between our own client and server in one process, over a
 * non-blocking socket pair: a client that sets a secret but no identity
 * (SSLSetPSKIdentity never called) sends an empty identity and connects.
 */
#include "st_test.h"
#include "socket_pair.h"

static const unsigned char secret[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

/* One side: TLS 1.2, the PSK suite only and the shared secret. */
static void use_psk(SSLContextRef ctx)
{
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol12), errSecSuccess);
    SSLCipherSuite psk[] = {TLS_PSK_WITH_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, psk, 1), errSecSuccess);
    ck_assert_int_eq(SSLSetPSKSharedSecret(ctx, secret, sizeof(secret)), errSecSuccess);
}

static void psk_pair_open(struct socket_pair *p)
{
    socket_pair_open(p);
    use_psk(p->client);
    use_psk(p->server);
}

static void expect_psk_connected(struct socket_pair *p)
{
    OSStatus client, server;
    socket_pair_handshake(p, &client, &server);
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
    struct socket_pair p;
    psk_pair_open(&p);
    expect_psk_connected(&p);
    socket_pair_close(&p);
}
END_TEST

START_TEST(client_with_identity_connects)
{
    struct socket_pair p;
    psk_pair_open(&p);
    ck_assert_int_eq(SSLSetPSKIdentity(p.client, "sectrans", 8), errSecSuccess);
    expect_psk_connected(&p);
    socket_pair_close(&p);
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
