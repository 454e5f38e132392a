/*
 * Session states and the calls that gate on them (behaviour.md §1, §4-§7):
 * SSLGetSessionState, SSLClose, SSLSetError, and the state checks of
 * SSLHandshake, SSLRead, SSLWrite, SSLReHandshake, SSLGetNegotiatedCipher
 * and SSLGetBufferedReadSize. The TLS engine itself is the client TLS
 * issue's; here every path that does not need it is exact.
 */
#include <string.h>

#include "st_test.h"

static OSStatus read_nothing(SSLConnectionRef c, void *data, size_t *len)
{
    (void)c, (void)data;
    *len = 0;
    return errSSLWouldBlock;
}

static OSStatus write_nothing(SSLConnectionRef c, const void *data, size_t *len)
{
    (void)c, (void)data;
    *len = 0;
    return errSSLWouldBlock;
}

static SSLSessionState state_of(SSLContextRef ctx)
{
    SSLSessionState s = (SSLSessionState)99;
    ck_assert_int_eq(SSLGetSessionState(ctx, &s), errSecSuccess);
    return s;
}

/* Every internal state and what SSLGetSessionState reports for it. */
static const struct {
    enum st_state internal;
    SSLSessionState reported;
} state_map[] = {
    {ST_STATE_IDLE, kSSLIdle},
    {ST_STATE_HANDSHAKE, kSSLHandshake},
    {ST_STATE_CONNECTED, kSSLConnected},
    {ST_STATE_CLOSED, kSSLClosed},
    {ST_STATE_ERROR_CLOSED, kSSLAborted},
    {ST_STATE_OUT_OF_BAND, kSSLAborted},
};

START_TEST(session_state_mapping)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    st_test_force_state(ctx, state_map[_i].internal);
    ck_assert_int_eq(state_of(ctx), state_map[_i].reported);
    ck_assert_int_eq(SSLGetSessionState(ctx, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(close_an_idle_context)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    ck_assert_int_eq(state_of(ctx), kSSLIdle);
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess);
    ck_assert_int_eq(state_of(ctx), kSSLClosed);
    ck_assert_int_eq(SSLClose(ctx), errSecSuccess); /* again: nothing left to flush */
    ck_assert_int_eq(state_of(ctx), kSSLClosed);
    /* A closed context is not active: setters work again (behaviour.md §1). */
    ck_assert_int_eq(SSLSetConnection(ctx, (SSLConnectionRef)5), errSecSuccess);
    ck_assert_int_eq(SSLClose(NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(set_error_aborts)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetError(ctx, errSecCertificateExpired), errSecSuccess);
    ck_assert_int_eq(state_of(ctx), kSSLAborted);
    ck_assert_int_eq(st_context_table_find(ctx)->out_of_band_status, errSecCertificateExpired);
    /* Any status is accepted, even success. */
    ck_assert_int_eq(SSLSetError(ctx, 0), errSecSuccess);
    ck_assert_int_eq(SSLSetError(NULL, errSecParam), errSecParam);
    char buf[4];
    size_t n = 7;
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &n), errSSLClosedAbort);
    ck_assert_uint_eq(n, 0);
    n = 7;
    ck_assert_int_eq(SSLWrite(ctx, "x", 1, &n), errSSLClosedAbort);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(SSLReHandshake(ctx), errSSLClosedAbort);
    /* Setters are allowed again in this state. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "a.test", 6), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

START_TEST(closed_contexts_answer_io_with_closed_codes)
{
    static const struct {
        enum st_state state;
        OSStatus status;
    } closed[] = {
        {ST_STATE_CLOSED, errSSLClosedGraceful},
        {ST_STATE_ERROR_CLOSED, errSSLClosedAbort},
    };
    for (size_t i = 0; i < 2; i++) {
        SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
        ck_assert_int_eq(SSLSetIOFuncs(ctx, read_nothing, write_nothing), errSecSuccess);
        st_test_force_state(ctx, closed[i].state);
        char buf[8];
        size_t n = 3;
        ck_assert_int_eq(SSLHandshake(ctx), closed[i].status);
        ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &n), closed[i].status);
        ck_assert_uint_eq(n, 0);
        n = 3;
        ck_assert_int_eq(SSLWrite(ctx, buf, sizeof(buf), &n), closed[i].status);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(SSLReHandshake(ctx), closed[i].status);
        CFRelease(ctx);
    }
}
END_TEST

START_TEST(io_without_callbacks_is_a_bad_request)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    char buf[8];
    size_t n = 3;
    ck_assert_int_eq(SSLHandshake(ctx), errSecBadReq);
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), &n), errSecBadReq);
    ck_assert_uint_eq(n, 0);
    /* Only one of the two callbacks is not enough. */
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_nothing, NULL), errSecSuccess);
    ck_assert_int_eq(SSLHandshake(ctx), errSecBadReq);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, NULL, write_nothing), errSecSuccess);
    ck_assert_int_eq(SSLHandshake(ctx), errSecBadReq);
    CFRelease(ctx);
}
END_TEST

START_TEST(read_argument_checks)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    char buf[8];
    size_t n = 3;
    /* A NULL buffer is refused even for length 0; so is a NULL count. */
    ck_assert_int_eq(SSLRead(ctx, NULL, 0, &n), errSecParam);
    ck_assert_int_eq(SSLRead(ctx, buf, sizeof(buf), NULL), errSecParam);
    ck_assert_int_eq(SSLRead(NULL, buf, sizeof(buf), &n), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(write_argument_and_state_checks)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_nothing, write_nothing), errSecSuccess);
    size_t n = 3;
    ck_assert_int_eq(SSLWrite(ctx, "x", 1, NULL), errSecParam);
    ck_assert_int_eq(SSLWrite(ctx, NULL, 1, &n), errSecParam);
    ck_assert_uint_eq(n, 0);
    /* Idle: the handshake was never started (behaviour.md §6). */
    n = 3;
    ck_assert_int_eq(SSLWrite(ctx, "x", 1, &n), errSecBadReq);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(SSLWrite(ctx, NULL, 0, &n), errSecBadReq);
    CFRelease(ctx);
}
END_TEST

START_TEST(rehandshake_during_handshake_is_a_bad_request)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_nothing, write_nothing), errSecSuccess);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLReHandshake(ctx), errSecBadReq);
    CFRelease(ctx);
}
END_TEST

/* Only an active session has a cipher; after close it fails too (behaviour.md §11). */
START_TEST(negotiated_cipher_needs_an_active_session)
{
    static const enum st_state inactive[] = {ST_STATE_IDLE, ST_STATE_CLOSED, ST_STATE_ERROR_CLOSED,
                                             ST_STATE_OUT_OF_BAND};
    for (size_t i = 0; i < sizeof(inactive) / sizeof(inactive[0]); i++) {
        SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
        st_test_force_state(ctx, inactive[i]);
        SSLCipherSuite suite = 0xFFFF;
        ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecBadReq);
        ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, NULL), errSecParam);
        CFRelease(ctx);
    }
}
END_TEST

START_TEST(buffered_read_size_is_zero_without_data)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    size_t n = 99;
    ck_assert_int_eq(SSLGetBufferedReadSize(ctx, &n), errSecSuccess);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(SSLGetBufferedReadSize(ctx, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("session_state");
    TCase *tc = tcase_create("state");
    tcase_add_loop_test(tc, session_state_mapping, 0, sizeof(state_map) / sizeof(state_map[0]));
    tcase_add_test(tc, close_an_idle_context);
    tcase_add_test(tc, set_error_aborts);
    tcase_add_test(tc, closed_contexts_answer_io_with_closed_codes);
    tcase_add_test(tc, io_without_callbacks_is_a_bad_request);
    tcase_add_test(tc, read_argument_checks);
    tcase_add_test(tc, write_argument_and_state_checks);
    tcase_add_test(tc, rehandshake_during_handshake_is_a_bad_request);
    tcase_add_test(tc, negotiated_cipher_needs_an_active_session);
    tcase_add_test(tc, buffered_read_size_is_zero_without_data);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
