/*
 * The configuration calls that need no TLS engine, with exact results for
 * good, NULL, wrong-state and hostile arguments: session options, the I/O
 * callbacks and connection ref, peer domain name and SNI, peer ID, client
 * authentication, DTLS cookie and record size, the verification switches,
 * and the SPI knobs (semantics.md §3, §8-§10, §13, §14, §16).
 */
#include <stdint.h>
#include <string.h>

#include "st_test.h"

static Boolean option(SSLContextRef ctx, SSLSessionOption o)
{
    Boolean v = 0x5a;
    ck_assert_int_eq(SSLGetSessionOption(ctx, o, &v), errSecSuccess);
    return v;
}

/* Options the getter answers for, with their defaults. */
static const struct {
    SSLSessionOption option;
    Boolean fresh;
    bool raw; /* the getter returns the byte as given */
} readable[] = {
    {kSSLSessionOptionBreakOnServerAuth, false, true},
    {kSSLSessionOptionBreakOnCertRequested, false, true},
    {kSSLSessionOptionBreakOnClientAuth, false, true},
    {kSSLSessionOptionFalseStart, false, true},
    {kSSLSessionOptionSendOneByteRecord, true, true},
    {kSSLSessionOptionAllowServerIdentityChange, false, false},
    {kSSLSessionOptionBreakOnClientHello, false, true},
};

START_TEST(readable_options)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLSessionOption o = readable[_i].option;
    ck_assert_int_eq(option(ctx, o), readable[_i].fresh);
    ck_assert_int_eq(SSLSetSessionOption(ctx, o, 2), errSecSuccess);
    ck_assert_int_eq(option(ctx, o), readable[_i].raw ? 2 : 1);
    ck_assert_int_eq(SSLSetSessionOption(ctx, o, false), errSecSuccess);
    ck_assert_int_eq(option(ctx, o), 0);
    ck_assert_int_eq(SSLGetSessionOption(ctx, o, NULL), errSecParam);

    /* Not while a session is active; the value stays. */
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetSessionOption(ctx, o, true), errSecBadReq);
    ck_assert_int_eq(option(ctx, o), 0);
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetSessionOption(ctx, o, true), errSecBadReq);
    st_test_force_state(ctx, ST_STATE_ERROR_CLOSED);
    ck_assert_int_eq(SSLSetSessionOption(ctx, o, true), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

START_TEST(write_only_and_unknown_options)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    Boolean v = 7;
    /* Fallback, AllowRenegotiation, EnableSessionTickets: settable, not readable (10.15). */
    static const SSLSessionOption write_only[] = {kSSLSessionOptionFallback,
                                                  kSSLSessionOptionAllowRenegotiation,
                                                  kSSLSessionOptionEnableSessionTickets};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, write_only[i], true), errSecSuccess);
        ck_assert_int_eq(SSLGetSessionOption(ctx, write_only[i], &v), errSecParam);
        ck_assert_int_eq(v, 7);
    }
    ck_assert_int_eq(st_context_table_find(ctx)->session_options[9], true);
    static const int unknown[] = {10, 11, -1, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, (SSLSessionOption)unknown[i], true), errSecParam);
        ck_assert_int_eq(SSLGetSessionOption(ctx, (SSLSessionOption)unknown[i], &v), errSecParam);
    }
    ck_assert_int_eq(SSLSetSessionOption(NULL, kSSLSessionOptionFalseStart, true), errSecParam);
    ck_assert_int_eq(SSLGetSessionOption(NULL, kSSLSessionOptionFalseStart, &v), errSecParam);

    /* SSLSetSessionTicketsEnabled is the same switch, with no active check. */
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(ctx, false), errSecSuccess);
    ck_assert_int_eq(st_context_table_find(ctx)->session_options[9], false);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(NULL, true), errSecParam);
    CFRelease(ctx);
}
END_TEST

static Boolean verify(SSLContextRef ctx)
{
    Boolean v = 0x5a;
    ck_assert_int_eq(SSLGetEnableCertVerify(ctx, &v), errSecSuccess);
    return v;
}

/* Breaking on the peer's certificate turns the built-in evaluation off (§8). */
START_TEST(break_options_switch_verification)
{
    static const SSLSessionOption breaks[] = {kSSLSessionOptionBreakOnServerAuth,
                                              kSSLSessionOptionBreakOnClientAuth};
    for (size_t i = 0; i < 2; i++) {
        SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
        ck_assert_int_eq(verify(ctx), true);
        ck_assert_int_eq(SSLSetSessionOption(ctx, breaks[i], true), errSecSuccess);
        ck_assert_int_eq(verify(ctx), false);
        ck_assert_int_eq(SSLSetSessionOption(ctx, breaks[i], false), errSecSuccess);
        ck_assert_int_eq(verify(ctx), true);
        /* Other options leave it alone. */
        ck_assert_int_eq(SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnClientHello, true),
                         errSecSuccess);
        ck_assert_int_eq(verify(ctx), true);
        CFRelease(ctx);
    }
}
END_TEST

START_TEST(verification_switches)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    Boolean v = 0x5a;
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, false), errSecSuccess);
    ck_assert_int_eq(verify(ctx), false);
    ck_assert_int_eq(SSLGetEnableCertVerify(ctx, NULL), errSecParam);

    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &v), errSecSuccess);
    ck_assert_int_eq(v, false);
    ck_assert_int_eq(SSLSetAllowsAnyRoot(ctx, true), errSecSuccess);
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &v), errSecSuccess);
    ck_assert_int_eq(v, true);
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, NULL), errSecParam);

    ck_assert_int_eq(SSLSetRsaBlinding(ctx, false), errSecSuccess);
    ck_assert_int_eq(SSLGetRsaBlinding(ctx, &v), errSecSuccess);
    ck_assert_int_eq(v, false);
    ck_assert_int_eq(SSLGetRsaBlinding(ctx, NULL), errSecParam);

    /* 10.15 ignores the expired-certificate switches: 0 even for NULL, -4 from the getters. */
    ck_assert_int_eq(SSLSetAllowsExpiredCerts(ctx, true), errSecSuccess);
    ck_assert_int_eq(SSLSetAllowsExpiredRoots(NULL, true), errSecSuccess);
    v = 0x5a;
    ck_assert_int_eq(SSLGetAllowsExpiredCerts(ctx, &v), errSecUnimplemented);
    ck_assert_int_eq(SSLGetAllowsExpiredRoots(ctx, &v), errSecUnimplemented);
    ck_assert_int_eq(v, 0x5a);

    /* Only SSLSetEnableCertVerify checks for an active session. */
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, true), errSecBadReq);
    ck_assert_int_eq(verify(ctx), false);
    ck_assert_int_eq(SSLSetAllowsAnyRoot(ctx, false), errSecSuccess);
    ck_assert_int_eq(SSLSetRsaBlinding(ctx, true), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

static OSStatus read_cb(SSLConnectionRef c, void *d, size_t *n)
{
    (void)c, (void)d, (void)n;
    return errSSLWouldBlock;
}

static OSStatus write_cb(SSLConnectionRef c, const void *d, size_t *n)
{
    (void)c, (void)d, (void)n;
    return errSSLWouldBlock;
}

/* The connection ref comes back bit for bit, whatever it is. */
START_TEST(connection_ref_round_trips)
{
    int on_stack;
    const SSLConnectionRef refs[] = {NULL, (SSLConnectionRef)1, (SSLConnectionRef)UINTPTR_MAX,
                                     (SSLConnectionRef)&on_stack,
                                     (SSLConnectionRef)(uintptr_t)0x8000000000000001u};
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        SSLConnectionRef got = (SSLConnectionRef)0x77;
        ck_assert_int_eq(SSLSetConnection(ctx, refs[i]), errSecSuccess);
        ck_assert_int_eq(SSLGetConnection(ctx, &got), errSecSuccess);
        ck_assert_ptr_eq(got, refs[i]);
    }
    ck_assert_int_eq(SSLGetConnection(ctx, NULL), errSecParam);
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetConnection(ctx, (SSLConnectionRef)5), errSecBadReq);
    SSLConnectionRef got = NULL;
    ck_assert_int_eq(SSLGetConnection(ctx, &got), errSecSuccess);
    ck_assert_ptr_eq(got, refs[4]);
    CFRelease(ctx);
}
END_TEST

START_TEST(io_funcs)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_cb, write_cb), errSecSuccess);
    struct st_context *c = st_context_table_find(ctx);
    ck_assert(c->read_func == read_cb && c->write_func == write_cb);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, NULL, NULL), errSecSuccess); /* accepted, as in 10.15 */
    ck_assert(c->read_func == NULL && c->write_func == NULL);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_cb, write_cb), errSecBadReq);
    ck_assert(c->read_func == NULL);
    ck_assert_int_eq(SSLSetIOFuncs(NULL, read_cb, write_cb), errSecParam);
    CFRelease(ctx);
}
END_TEST

static size_t name_length(SSLContextRef ctx)
{
    size_t n = 999;
    ck_assert_int_eq(SSLGetPeerDomainNameLength(ctx, &n), errSecSuccess);
    return n;
}

START_TEST(peer_domain_name)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_uint_eq(name_length(ctx), 0);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "host.example", 12), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 12);

    /* Copied out without a NUL; the byte after stays as it was. */
    char buf[32];
    memset(buf, '#', sizeof(buf));
    size_t len = sizeof(buf);
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, &len), errSecSuccess);
    ck_assert_uint_eq(len, 12);
    ck_assert_mem_eq(buf, "host.example", 12);
    ck_assert_int_eq(buf[12], '#');

    len = 11;
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, &len), errSSLBufferOverflow);
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, NULL), errSecParam);
    ck_assert_int_eq(SSLGetPeerDomainNameLength(ctx, NULL), errSecParam);

    /* A trailing NUL counted in the length is dropped; so is anything after an inner NUL. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "a.test", 7), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 6);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "ab\0cd", 5), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 2);
    /* The length bounds the copy: no NUL needed. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "xyz-not-terminated", 3), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 3);

    /* (NULL, 0) clears; NULL with a length is refused. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, 0), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 0);
    len = 0;
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, NULL, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, 4), errSecParam);

    /* Not during a session. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "keep", 4), errSecSuccess);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "other", 5), errSecBadReq);
    ck_assert_uint_eq(name_length(ctx), 4);
    ck_assert_int_eq(SSLSetPeerDomainName(NULL, "x", 1), errSecParam);
    CFRelease(ctx);

    /* Servers ignore the call and report success. */
    ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "server.test", 11), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 0);
    CFRelease(ctx);
}
END_TEST

START_TEST(requested_peer_name_before_any_client_hello)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    size_t len = 99;
    ck_assert_int_eq(SSLCopyRequestedPeerNameLength(ctx, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    char buf[8];
    len = sizeof(buf);
    ck_assert_int_eq(SSLCopyRequestedPeerName(ctx, buf, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(SSLCopyRequestedPeerNameLength(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLCopyRequestedPeerName(ctx, buf, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_id)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    const void *id = (const void *)1;
    size_t len = 99;
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, &len), errSecSuccess);
    ck_assert_ptr_null(id);
    ck_assert_uint_eq(len, 0);

    char mine[] = "peer:443";
    ck_assert_int_eq(SSLSetPeerID(ctx, mine, 8), errSecSuccess);
    mine[0] = 'X'; /* the context kept its own copy */
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, &len), errSecSuccess);
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(id, "peer:443", 8);
    ck_assert_ptr_ne(id, mine);

    ck_assert_int_eq(SSLSetPeerID(ctx, "other", 5), errSecSuccess);
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, &len), errSecSuccess);
    ck_assert_uint_eq(len, 5);
    ck_assert_mem_eq(id, "other", 5);

    ck_assert_int_eq(SSLSetPeerID(ctx, NULL, 3), errSecParam);
    ck_assert_int_eq(SSLSetPeerID(ctx, "x", 0), errSecParam);
    ck_assert_int_eq(SSLGetPeerID(ctx, NULL, &len), errSecParam);
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, NULL), errSecParam);

    /* During a session only while a client certificate request waits for the app. */
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetPeerID(ctx, "late", 4), errSecBadReq);
    st_context_table_find(ctx)->client_cert_state = kSSLClientCertRequested;
    ck_assert_int_eq(SSLSetPeerID(ctx, "late", 4), errSecSuccess);
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, &len), errSecSuccess);
    ck_assert_mem_eq(id, "late", 4);
    ck_assert_int_eq(SSLSetPeerID(NULL, "x", 1), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(client_side_authenticate)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    SSLAuthenticate auth = (SSLAuthenticate)-1;
    ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, &auth), errSecSuccess);
    ck_assert_int_eq(auth, kNeverAuthenticate);
    static const SSLAuthenticate good[] = {kAlwaysAuthenticate, kTryAuthenticate,
                                           kNeverAuthenticate};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, good[i]), errSecSuccess);
        ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, &auth), errSecSuccess);
        ck_assert_int_eq(auth, good[i]);
    }
    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, (SSLAuthenticate)3), errSecParam);
    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, (SSLAuthenticate)-1), errSecParam);
    ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, NULL), errSecParam);
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, kAlwaysAuthenticate), errSecBadReq);
    ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, &auth), errSecSuccess);
    ck_assert_int_eq(auth, kNeverAuthenticate);

    SSLClientCertificateState state = kSSLClientCertRejected;
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLClientCertNone);
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(dtls_cookie)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLDatagramType);
    uint8_t cookie[33];
    memset(cookie, 0xab, sizeof(cookie));
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, cookie, 32), errSecSuccess);
    struct st_context *c = st_context_table_find(ctx);
    ck_assert_uint_eq(c->dtls_cookie_len, 32);
    ck_assert_mem_eq(c->dtls_cookie, cookie, 32);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, cookie, 33), errSecParam);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 1), errSecParam);
    ck_assert_uint_eq(c->dtls_cookie_len, 32);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 0), errSecSuccess);
    ck_assert_uint_eq(c->dtls_cookie_len, 0);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, cookie, 4), errSecBadReq);
    CFRelease(ctx);
}
END_TEST

/* Record sizes and the largest write each allows: ((mtu - 13) & ~15) - 16 - 1 - 32. */
static const struct {
    size_t mtu;
    OSStatus status;
    size_t write_size;
} mtus[] = {
    {1400, errSecSuccess, 1327},   {256, errSecSuccess, 191},  {1000, errSecSuccess, 927},
    {65535, errSecSuccess, 65471}, {255, errSecParam, 1327},   {64, errSecParam, 1327},
    {0, errSecParam, 1327},        {65536, errSecParam, 1327}, {SIZE_MAX, errSecParam, 1327},
};

START_TEST(dtls_record_size)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLDatagramType);
    size_t got = 0, write_size = 0;
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(ctx, mtus[_i].mtu), mtus[_i].status);
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, &got), errSecSuccess);
    ck_assert_uint_eq(got, mtus[_i].status == errSecSuccess ? mtus[_i].mtu : 1400);
    ck_assert_int_eq(SSLGetDatagramWriteSize(ctx, &write_size), errSecSuccess);
    ck_assert_uint_eq(write_size, mtus[_i].write_size);
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetDatagramWriteSize(ctx, NULL), errSecParam);
    /* No active-session check on the record size. */
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(ctx, 1400), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

START_TEST(spi_knobs)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    struct st_context *c = st_context_table_find(ctx);
    ck_assert_int_eq(SSLSetSessionCacheTimeout(ctx, 600), errSecSuccess);
    ck_assert_uint_eq(c->session_cache_timeout, 600);
    ck_assert_int_eq(SSLSetMinimumDHGroupSize(ctx, 2048), errSecSuccess);
    ck_assert_uint_eq(c->min_dh_group_bits, 2048);
    ck_assert(c->dhe_enabled);
    ck_assert_int_eq(SSLSetDHEEnabled(ctx, false), errSecSuccess);
    ck_assert(!c->dhe_enabled);
    ck_assert_int_eq(SSLSetSessionCacheTimeout(NULL, 1), errSecParam);
    ck_assert_int_eq(SSLSetMinimumDHGroupSize(NULL, 1), errSecParam);
    ck_assert_int_eq(SSLSetDHEEnabled(NULL, true), errSecParam);
    CFRelease(ctx);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("context_config");
    TCase *tc = tcase_create("config");
    tcase_add_loop_test(tc, readable_options, 0, COUNT(readable));
    tcase_add_test(tc, write_only_and_unknown_options);
    tcase_add_test(tc, break_options_switch_verification);
    tcase_add_test(tc, verification_switches);
    tcase_add_test(tc, connection_ref_round_trips);
    tcase_add_test(tc, io_funcs);
    tcase_add_test(tc, peer_domain_name);
    tcase_add_test(tc, requested_peer_name_before_any_client_hello);
    tcase_add_test(tc, peer_id);
    tcase_add_test(tc, client_side_authenticate);
    tcase_add_test(tc, dtls_cookie);
    tcase_add_loop_test(tc, dtls_record_size, 0, COUNT(mtus));
    tcase_add_test(tc, spi_knobs);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
