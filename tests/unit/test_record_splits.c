/*
 * Our client against our server in-process, with every TLS record split at
 * every byte offset and errSSLWouldBlock between the two pieces, in both
 * directions, TLS 1.2 and 1.3: handshake, data both ways and close must come
 * out the same as without splitting (behaviour.md §3, the I/O callback rules).
 * test_client_engine.c covers our client against OpenSSL's server with fixed
 * chunk sizes; this covers our server too, and every split point of every record.
 */
#include <stdint.h>
#include <string.h>

#include "mem_pipe.h"
#include "st_test.h"
#include "tls_peer.h"

static struct tls_pki pki;
static CFArrayRef identity, roots;
static struct mem_pair pair; /* 512 KiB of pipes: not on the stack */
static char message[700];    /* longer than one read buffer: several pieces per record */

static void setup(void)
{
    tls_pki_create(&pki);
    identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
    roots = tls_pki_roots(&pki);
    for (size_t i = 0; i < sizeof(message); i++)
        message[i] = (char)('a' + i % 26);
}

static void teardown(void)
{
    CFRelease(identity);
    CFRelease(roots);
    tls_pki_destroy(&pki);
}

/* One whole connection with records split at `split_at`; returns the longest record seen. */
static size_t connection_with_splits(SSLProtocol version, size_t split_at)
{
    ck_assert_int_eq(mem_pair_open(&pair, identity, roots, version, split_at), errSecSuccess);
    OSStatus client, server;
    mem_pair_handshake(&pair, &client, &server);
    ck_assert_msg(client == errSecSuccess && server == errSecSuccess,
                  "split at %zu: client %d, server %d", split_at, (int)client, (int)server);
    SSLProtocol negotiated = kSSLProtocolUnknown;
    SSLGetNegotiatedProtocolVersion(pair.server, &negotiated);
    ck_assert_int_eq(negotiated, version);
    ck_assert_int_eq(mem_pair_send(&pair, true, message, sizeof(message)), errSecSuccess);
    ck_assert_int_eq(mem_pair_send(&pair, false, message, sizeof(message)), errSecSuccess);
    /* both directions really were split: the handshake alone has records of 50+ bytes */
    if (split_at < 50) {
        ck_assert_uint_gt(pair.to_client.splits, 2);
        ck_assert_uint_gt(pair.to_server.splits, 1);
    }
    size_t longest = pair.to_client.longest_record > pair.to_server.longest_record
                         ? pair.to_client.longest_record
                         : pair.to_server.longest_record;
    ck_assert_int_eq(mem_pair_close(&pair), errSecSuccess);
    return longest;
}

static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};

START_TEST(some_split_points)
{
    static const size_t offsets[] = {1, 2, 3, 4, 5, 6, 7, 50, 300};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
        connection_with_splits(versions[_i], offsets[i]);
}
END_TEST

START_TEST(every_split_point)
{
    size_t longest = connection_with_splits(versions[_i], SIZE_MAX);
    ck_assert_uint_gt(longest, 700);
    for (size_t k = 1; k < longest; k++)
        connection_with_splits(versions[_i], k);
}
END_TEST

static Suite *record_splits_suite(void)
{
    Suite *s = suite_create("record_splits");
    TCase *quick = tcase_create("quick");
    tcase_add_unchecked_fixture(quick, setup, teardown);
    tcase_add_loop_test(quick, some_split_points, 0, 2);
    suite_add_tcase(s, quick);
    /* A full connection per offset: minutes under valgrind, seconds natively and under ASan. */
    TCase *every = tcase_create("every");
    tcase_set_tags(every, "slow");
    tcase_set_timeout(every, 600);
    tcase_add_unchecked_fixture(every, setup, teardown);
    tcase_add_loop_test(every, every_split_point, 0, 2);
    suite_add_tcase(s, every);
    return s;
}

int main(void)
{
    return st_test_run(record_splits_suite());
}
