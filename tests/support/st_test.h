/*
 * Helpers shared by the internal unit tests: contexts in a chosen state,
 * and the Check boilerplate.
 */
#ifndef SECTRANS_ST_TEST_H
#define SECTRANS_ST_TEST_H

#include <check.h>
#include <stdlib.h>

#include "st_entry.h"

/* A new context; fails the test if creation fails. */
static inline SSLContextRef st_test_context(SSLProtocolSide side, SSLConnectionType type)
{
    SSLContextRef ctx = SSLCreateContext(kCFAllocatorDefault, side, type);
    ck_assert_ptr_nonnull(ctx);
    return ctx;
}

/* Every kind of context, for loop tests that run once per kind. */
static const struct {
    SSLProtocolSide side;
    SSLConnectionType type;
} st_test_kinds[] = {
    {kSSLClientSide, kSSLStreamType},
    {kSSLServerSide, kSSLStreamType},
    {kSSLClientSide, kSSLDatagramType},
    {kSSLServerSide, kSSLDatagramType},
};
#define ST_TEST_KINDS ((int)(sizeof(st_test_kinds) / sizeof(st_test_kinds[0])))

/*
 * Puts a context in a state the public API cannot reach before the TLS
 * engine exists (handshake running, connected), for wrong-state tests.
 */
static inline void st_test_force_state(SSLContextRef ref, enum st_state state)
{
    struct st_context *ctx = st_context_table_find(ref);
    ck_assert_ptr_nonnull(ctx);
    ctx->state = state;
}

/* Runs one suite; the exit status of main(). */
static inline int st_test_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
