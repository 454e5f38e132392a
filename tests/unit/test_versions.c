/*
 * Protocol versions (semantics.md §11 and README "Differences"): the min/max
 * calls, the four legacy calls, and the negotiated version, table-driven.
 */
#include "st_test.h"

static SSLProtocol get_min(SSLContextRef ctx)
{
    SSLProtocol p = (SSLProtocol)-7;
    ck_assert_int_eq(SSLGetProtocolVersionMin(ctx, &p), errSecSuccess);
    return p;
}

static SSLProtocol get_max(SSLContextRef ctx)
{
    SSLProtocol p = (SSLProtocol)-7;
    ck_assert_int_eq(SSLGetProtocolVersionMax(ctx, &p), errSecSuccess);
    return p;
}

START_TEST(defaults)
{
    static const struct {
        SSLProtocolSide side;
        SSLConnectionType type;
        SSLProtocol min, max;
    } cases[] = {
        {kSSLClientSide, kSSLStreamType, kTLSProtocol12, kTLSProtocol13},
        {kSSLServerSide, kSSLStreamType, kTLSProtocol12, kTLSProtocol13},
        {kSSLClientSide, kSSLDatagramType, kDTLSProtocol12, kDTLSProtocol12},
        {kSSLServerSide, kSSLDatagramType, kDTLSProtocol12, kDTLSProtocol12},
    };
    SSLContextRef ctx = st_test_context(cases[_i].side, cases[_i].type);
    ck_assert_int_eq(get_min(ctx), cases[_i].min);
    ck_assert_int_eq(get_max(ctx), cases[_i].max);
    SSLProtocol negotiated = kSSLProtocolAll;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &negotiated), errSecSuccess);
    ck_assert_int_eq(negotiated, kSSLProtocolUnknown);
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersionMin(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersionMax(ctx, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

/* Which values SSLSetProtocolVersionMin/Max accept, per connection type. */
static const struct {
    int value;
    bool stream_ok, datagram_ok;
} settable[] = {
    {kSSLProtocol3, true, false},
    {kTLSProtocol1, true, false},
    {kTLSProtocol11, true, false},
    {kTLSProtocol12, true, false},
    {kTLSProtocol13, true, false},
    {kDTLSProtocol1, false, true},
    {kDTLSProtocol12, false, true},
    {kSSLProtocolUnknown, false, false},
    {kSSLProtocol2, false, false},
    {kSSLProtocol3Only, false, false},
    {kTLSProtocol1Only, false, false},
    {kSSLProtocolAll, false, false},
    {kTLSProtocolMaxSupported, false, false},
    {77, false, false},
    {-1, false, false},
};

START_TEST(min_max_accept_exactly_the_versions_of_their_kind)
{
    for (int datagram = 0; datagram < 2; datagram++) {
        SSLContextRef ctx =
            st_test_context(kSSLClientSide, datagram ? kSSLDatagramType : kSSLStreamType);
        bool ok = datagram ? settable[_i].datagram_ok : settable[_i].stream_ok;
        SSLProtocol min_before = get_min(ctx), max_before = get_max(ctx);
        OSStatus expected = ok ? errSecSuccess : errSSLIllegalParam;
        ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, (SSLProtocol)settable[_i].value), expected);
        if (ok) {
            ck_assert_int_eq(get_min(ctx), settable[_i].value);
        } else {
            ck_assert_int_eq(get_min(ctx), min_before);
            ck_assert_int_eq(get_max(ctx), max_before);
        }
        ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, (SSLProtocol)settable[_i].value), expected);
        if (ok)
            ck_assert_int_eq(get_max(ctx), settable[_i].value);
        CFRelease(ctx);
    }
    ck_assert_int_eq(SSLSetProtocolVersionMin(NULL, kTLSProtocol12), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersionMax(NULL, kTLSProtocol12), errSecParam);
}
END_TEST

START_TEST(min_and_max_push_each_other)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol1), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol1); /* lowered with it */
    ck_assert_int_eq(get_max(ctx), kTLSProtocol1);
    ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kTLSProtocol13), errSecSuccess);
    ck_assert_int_eq(get_max(ctx), kTLSProtocol13); /* raised with it */
    ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kSSLProtocol3), errSecSuccess);
    ck_assert_int_eq(get_max(ctx), kTLSProtocol13); /* untouched */
    CFRelease(ctx);

    ctx = st_test_context(kSSLServerSide, kSSLDatagramType);
    ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kDTLSProtocol1), errSecSuccess);
    ck_assert_int_eq(get_max(ctx), kDTLSProtocol12);
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kDTLSProtocol1), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kDTLSProtocol1);
    CFRelease(ctx);
}
END_TEST

/* No active-session check on min/max, as in 10.15. */
START_TEST(min_max_allowed_during_a_session)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kTLSProtocol13), errSecSuccess);
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol13), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

/* SSLSetProtocolVersion's ranges, read back through min/max and SSLGetProtocolVersion. */
static const struct {
    int set;
    OSStatus set_status;
    SSLProtocol min, max;
    SSLProtocol get;
    OSStatus get_status;
} legacy[] = {
    {kSSLProtocol3, errSecSuccess, kSSLProtocol3, kSSLProtocol3, kSSLProtocol3, errSecSuccess},
    {kSSLProtocol3Only, errSecSuccess, kSSLProtocol3, kSSLProtocol3, kSSLProtocol3, errSecSuccess},
    {kTLSProtocol1, errSecSuccess, kSSLProtocol3, kTLSProtocol1, kTLSProtocol1, errSecSuccess},
    {kTLSProtocol1Only, errSecSuccess, kTLSProtocol1, kTLSProtocol1, kTLSProtocol1Only,
     errSecParam},
    {kTLSProtocol11, errSecSuccess, kSSLProtocol3, kTLSProtocol11, kTLSProtocol11, errSecSuccess},
    {kTLSProtocol12, errSecSuccess, kSSLProtocol3, kTLSProtocol12, kSSLProtocolAll, errSecSuccess},
    {kSSLProtocolAll, errSecSuccess, kSSLProtocol3, kTLSProtocol13, kSSLProtocolAll, errSecSuccess},
    {kSSLProtocolUnknown, errSecSuccess, kSSLProtocol3, kTLSProtocol13, kSSLProtocolAll,
     errSecSuccess},
    {kTLSProtocol13, errSecParam, kTLSProtocol12, kTLSProtocol13, -1, errSecParam},
    {kSSLProtocol2, errSecParam, kTLSProtocol12, kTLSProtocol13, -1, errSecParam},
    {kDTLSProtocol1, errSecParam, kTLSProtocol12, kTLSProtocol13, -1, errSecParam},
    {42, errSecParam, kTLSProtocol12, kTLSProtocol13, -1, errSecParam},
};

START_TEST(legacy_set_and_get_protocol_version)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, (SSLProtocol)legacy[_i].set),
                     legacy[_i].set_status);
    ck_assert_int_eq(get_min(ctx), legacy[_i].min);
    ck_assert_int_eq(get_max(ctx), legacy[_i].max);
    SSLProtocol got = (SSLProtocol)-1;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), legacy[_i].get_status);
    ck_assert_int_eq(got, legacy[_i].get);
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(legacy_calls_refuse_datagram_and_active_contexts)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLDatagramType);
    Boolean on = 9;
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol12), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol12, true), errSecBadReq);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol12, &on), errSecBadReq);
    SSLProtocol got;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), errSecParam); /* no datagram check */
    CFRelease(ctx);

    ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol12), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol12, false), errSecBadReq);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol12);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol12, &on), errSecSuccess);
    ck_assert_int_eq(on, true);
    st_test_force_state(ctx, ST_STATE_CLOSED);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol12), errSecSuccess);
    CFRelease(ctx);
}
END_TEST

static bool enabled(SSLContextRef ctx, SSLProtocol p)
{
    Boolean on = 9;
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, p, &on), errSecSuccess);
    ck_assert(on == 0 || on == 1);
    return on;
}

START_TEST(legacy_enable_and_disable)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    /* Default [TLS 1.2, TLS 1.3]. */
    ck_assert(!enabled(ctx, kSSLProtocol2));
    ck_assert(!enabled(ctx, kTLSProtocol11));
    ck_assert(enabled(ctx, kTLSProtocol12));
    ck_assert(enabled(ctx, kTLSProtocol13));
    ck_assert(!enabled(ctx, kSSLProtocolAll));
    Boolean on;
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kDTLSProtocol1, &on), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, (SSLProtocol)3, &on), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol12, NULL), errSecParam);

    /* Enabling TLS 1.0 extends the contiguous range down to it. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol1, true), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol1);
    ck_assert(enabled(ctx, kTLSProtocol11));

    /* Disabling one inside raises the minimum past it. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol11, false), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol12);
    ck_assert(!enabled(ctx, kTLSProtocol1));

    /* Disabling the highest lowers the maximum (10.15 kept it: deliberate fix). */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol13, false), errSecSuccess);
    ck_assert_int_eq(get_max(ctx), kTLSProtocol12);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol12);

    /* Disabling one that is not enabled changes nothing. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocol3, false), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol12);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocol2, false), errSecSuccess);

    /* Disabling the last one leaves nothing. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol12, false), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kSSLProtocolUnknown);
    ck_assert_int_eq(get_max(ctx), kSSLProtocolUnknown);
    ck_assert(!enabled(ctx, kTLSProtocol12));

    /* From nothing, enabling one version enables exactly it. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol11, true), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol11);
    ck_assert_int_eq(get_max(ctx), kTLSProtocol11);

    /* All on, all off. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, true), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kSSLProtocol3);
    ck_assert_int_eq(get_max(ctx), kTLSProtocol13);
    ck_assert(enabled(ctx, kSSLProtocolAll));
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, false), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kSSLProtocolUnknown);
    ck_assert(!enabled(ctx, kSSLProtocol3));

    /* Out of range. */
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocol2, true), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kDTLSProtocol1, true), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kDTLSProtocol1, false), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, (SSLProtocol)1000, true), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(NULL, kTLSProtocol12, true), errSecParam);

    /* After all were disabled, min/max can set a range again. */
    ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, kTLSProtocol12), errSecSuccess);
    ck_assert_int_eq(get_min(ctx), kTLSProtocol12);
    CFRelease(ctx);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("protocol_versions");
    TCase *tc = tcase_create("versions");
    tcase_add_loop_test(tc, defaults, 0, 4);
    tcase_add_loop_test(tc, min_max_accept_exactly_the_versions_of_their_kind, 0, COUNT(settable));
    tcase_add_test(tc, min_and_max_push_each_other);
    tcase_add_test(tc, min_max_allowed_during_a_session);
    tcase_add_loop_test(tc, legacy_set_and_get_protocol_version, 0, COUNT(legacy));
    tcase_add_test(tc, legacy_calls_refuse_datagram_and_active_contexts);
    tcase_add_test(tc, legacy_enable_and_disable);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
