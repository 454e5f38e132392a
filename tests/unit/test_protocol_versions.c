/*
 * Protocol version configuration against behaviour.md §11 as amended by the
 * README's differences (TLS 1.3 and DTLS 1.2 supported, default ranges
 * TLS 1.2-1.3 and DTLS 1.2, "all" = SSL 3.0-TLS 1.3, disabling the top version
 * lowers the maximum): the min/max calls, the four legacy calls, their state
 * and kind checks, and the negotiated version before any handshake.
 */
#include <stdint.h>

#include "st_test.h"

/* A value no getter may legitimately produce, to see whether it wrote at all. */
#define UNSET ((SSLProtocol)-77)
#define NONE  kSSLProtocolUnknown

/* Reads the range back and compares both ends; `where` names the caller's case. */
static void check_range(SSLContextRef ctx, SSLProtocol min, SSLProtocol max, const char *where,
                        int line)
{
    SSLProtocol got_min = UNSET;
    SSLProtocol got_max = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersionMin(ctx, &got_min), errSecSuccess);
    ck_assert_int_eq(SSLGetProtocolVersionMax(ctx, &got_max), errSecSuccess);
    ck_assert_msg(got_min == min && got_max == max,
                  "%s (line %d): range [%d, %d], expected [%d, %d]", where, line, (int)got_min,
                  (int)got_max, (int)min, (int)max);
}
#define CHECK_RANGE(ctx, min, max, where) check_range((ctx), (min), (max), (where), __LINE__)

static SSLContextRef new_stream(void)
{
    return st_test_context(kSSLClientSide, kSSLStreamType);
}

/* ---- defaults ---------------------------------------------------------------------------- */

static const struct {
    SSLProtocolSide side;
    SSLConnectionType type;
    SSLProtocol min, max;
} default_ranges[] = {
    {kSSLClientSide, kSSLStreamType, kTLSProtocol12, kTLSProtocol13},
    {kSSLServerSide, kSSLStreamType, kTLSProtocol12, kTLSProtocol13},
    {kSSLClientSide, kSSLDatagramType, kDTLSProtocol12, kDTLSProtocol12},
    {kSSLServerSide, kSSLDatagramType, kDTLSProtocol12, kDTLSProtocol12},
};

START_TEST(default_range_per_kind)
{
    SSLContextRef ctx = st_test_context(default_ranges[_i].side, default_ranges[_i].type);
    CHECK_RANGE(ctx, default_ranges[_i].min, default_ranges[_i].max, "fresh context");
    CFRelease(ctx);
}
END_TEST

START_TEST(legacy_constructors_use_the_same_defaults)
{
    SSLContextRef ctx = NULL;
    ck_assert_int_eq(SSLNewContext(true, &ctx), errSecSuccess);
    ck_assert_ptr_nonnull(ctx);
    CHECK_RANGE(ctx, kTLSProtocol12, kTLSProtocol13, "SSLNewContext(server)");
    ck_assert_int_eq(SSLDisposeContext(ctx), errSecSuccess);

    ctx = NULL;
    ck_assert_int_eq(SSLNewContext(false, &ctx), errSecSuccess);
    ck_assert_ptr_nonnull(ctx);
    CHECK_RANGE(ctx, kTLSProtocol12, kTLSProtocol13, "SSLNewContext(client)");
    ck_assert_int_eq(SSLDisposeContext(ctx), errSecSuccess);

    ctx = NULL;
    ck_assert_int_eq(SSLNewDatagramContext(false, &ctx), errSecSuccess);
    ck_assert_ptr_nonnull(ctx);
    CHECK_RANGE(ctx, kDTLSProtocol12, kDTLSProtocol12, "SSLNewDatagramContext");
    ck_assert_int_eq(SSLDisposeContext(ctx), errSecSuccess);
}
END_TEST

START_TEST(negotiated_version_is_unknown_before_a_handshake)
{
    SSLContextRef ctx = st_test_context(default_ranges[_i].side, default_ranges[_i].type);
    SSLProtocol p = UNSET;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &p), errSecSuccess);
    ck_assert_int_eq(p, kSSLProtocolUnknown);
    /* Configuring the range negotiates nothing. */
    SSLProtocol top = default_ranges[_i].max;
    ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, top), errSecSuccess);
    p = UNSET;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &p), errSecSuccess);
    ck_assert_int_eq(p, kSSLProtocolUnknown);
    CFRelease(ctx);
}
END_TEST

/* ---- SSLSetProtocolVersionMin / Max: every value on a fresh context ------------------------ */

struct outcome {
    OSStatus status;
    SSLProtocol min, max; /* the range afterwards */
};

/* A refused value leaves the default range alone. */
/* clang-format off */
#define STREAM_REFUSED   {errSSLIllegalParam, kTLSProtocol12, kTLSProtocol13}
#define DATAGRAM_REFUSED {errSSLIllegalParam, kDTLSProtocol12, kDTLSProtocol12}
/* clang-format on */

static const struct {
    SSLProtocol value;
    struct outcome stream_min, stream_max, datagram_min, datagram_max;
} min_max_values[] = {
    {kSSLProtocolUnknown, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {kSSLProtocol2, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {kSSLProtocol3,
     {errSecSuccess, kSSLProtocol3, kTLSProtocol13},
     {errSecSuccess, kSSLProtocol3, kSSLProtocol3},
     DATAGRAM_REFUSED,
     DATAGRAM_REFUSED},
    {kSSLProtocol3Only, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {kTLSProtocol1,
     {errSecSuccess, kTLSProtocol1, kTLSProtocol13},
     {errSecSuccess, kTLSProtocol1, kTLSProtocol1},
     DATAGRAM_REFUSED,
     DATAGRAM_REFUSED},
    {kTLSProtocol1Only, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {kSSLProtocolAll, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {kTLSProtocol11,
     {errSecSuccess, kTLSProtocol11, kTLSProtocol13},
     {errSecSuccess, kTLSProtocol11, kTLSProtocol11},
     DATAGRAM_REFUSED,
     DATAGRAM_REFUSED},
    {kTLSProtocol12,
     {errSecSuccess, kTLSProtocol12, kTLSProtocol13},
     {errSecSuccess, kTLSProtocol12, kTLSProtocol12},
     DATAGRAM_REFUSED,
     DATAGRAM_REFUSED},
    {kDTLSProtocol1,
     STREAM_REFUSED,
     STREAM_REFUSED,
     {errSecSuccess, kDTLSProtocol1, kDTLSProtocol12},
     {errSecSuccess, kDTLSProtocol1, kDTLSProtocol1}},
    {kTLSProtocol13,
     {errSecSuccess, kTLSProtocol13, kTLSProtocol13},
     {errSecSuccess, kTLSProtocol12, kTLSProtocol13},
     DATAGRAM_REFUSED,
     DATAGRAM_REFUSED},
    {kDTLSProtocol12,
     STREAM_REFUSED,
     STREAM_REFUSED,
     {errSecSuccess, kDTLSProtocol12, kDTLSProtocol12},
     {errSecSuccess, kDTLSProtocol12, kDTLSProtocol12}},
    {kTLSProtocolMaxSupported, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {(SSLProtocol)77, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
    {(SSLProtocol)-1, STREAM_REFUSED, STREAM_REFUSED, DATAGRAM_REFUSED, DATAGRAM_REFUSED},
};
#define MIN_MAX_VALUES ((int)(sizeof(min_max_values) / sizeof(min_max_values[0])))

static void check_one_setter(SSLProtocolSide side, SSLConnectionType type, bool set_max,
                             const struct outcome *want, SSLProtocol value)
{
    SSLContextRef ctx = st_test_context(side, type);
    OSStatus got =
        set_max ? SSLSetProtocolVersionMax(ctx, value) : SSLSetProtocolVersionMin(ctx, value);
    ck_assert_msg(got == want->status, "%s(%d) on a %s %s context: %d, expected %d",
                  set_max ? "SSLSetProtocolVersionMax" : "SSLSetProtocolVersionMin", (int)value,
                  side == kSSLServerSide ? "server" : "client",
                  type == kSSLDatagramType ? "datagram" : "stream", (int)got, (int)want->status);
    CHECK_RANGE(ctx, want->min, want->max, set_max ? "after SetMax" : "after SetMin");
    CFRelease(ctx);
}

START_TEST(min_max_accept_only_their_family)
{
    static const SSLProtocolSide sides[] = {kSSLClientSide, kSSLServerSide};
    for (size_t s = 0; s < 2; s++) {
        SSLProtocol v = min_max_values[_i].value;
        check_one_setter(sides[s], kSSLStreamType, false, &min_max_values[_i].stream_min, v);
        check_one_setter(sides[s], kSSLStreamType, true, &min_max_values[_i].stream_max, v);
        check_one_setter(sides[s], kSSLDatagramType, false, &min_max_values[_i].datagram_min, v);
        check_one_setter(sides[s], kSSLDatagramType, true, &min_max_values[_i].datagram_max, v);
    }
}
END_TEST

/* ---- scripted sequences: min/max interplay and the legacy calls --------------------------- */

enum op_kind { OP_END, OP_MIN, OP_MAX, OP_ENABLE, OP_DISABLE, OP_SET };

struct op {
    enum op_kind kind;
    SSLProtocol value;
    OSStatus status;
    SSLProtocol min, max; /* the range after the step */
};

#define MAX_OPS 9

struct script {
    const char *name;
    SSLConnectionType type;
    struct op ops[MAX_OPS];
};

static OSStatus apply(SSLContextRef ctx, enum op_kind kind, SSLProtocol value)
{
    switch (kind) {
    case OP_MIN: return SSLSetProtocolVersionMin(ctx, value);
    case OP_MAX: return SSLSetProtocolVersionMax(ctx, value);
    case OP_ENABLE: return SSLSetProtocolVersionEnabled(ctx, value, true);
    case OP_DISABLE: return SSLSetProtocolVersionEnabled(ctx, value, false);
    case OP_SET: return SSLSetProtocolVersion(ctx, value);
    case OP_END: break;
    }
    ck_abort_msg("bad op %d", (int)kind);
    return errSecParam;
}

static void run_script(const struct script *sc)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, sc->type);
    for (int i = 0; i < MAX_OPS && sc->ops[i].kind != OP_END; i++) {
        const struct op *op = &sc->ops[i];
        OSStatus got = apply(ctx, op->kind, op->value);
        ck_assert_msg(got == op->status, "%s, step %d (value %d): %d, expected %d", sc->name, i,
                      (int)op->value, (int)got, (int)op->status);
        SSLProtocol got_min = UNSET, got_max = UNSET;
        ck_assert_int_eq(SSLGetProtocolVersionMin(ctx, &got_min), errSecSuccess);
        ck_assert_int_eq(SSLGetProtocolVersionMax(ctx, &got_max), errSecSuccess);
        ck_assert_msg(got_min == op->min && got_max == op->max,
                      "%s, step %d: range [%d, %d], expected [%d, %d]", sc->name, i, (int)got_min,
                      (int)got_max, (int)op->min, (int)op->max);
    }
    CFRelease(ctx);
}

#define OK      errSecSuccess
#define ILLEGAL errSSLIllegalParam
#define PARAM   errSecParam

static const struct script min_max_scripts[] = {
    {"min above max raises max",
     kSSLStreamType,
     {{OP_MAX, kTLSProtocol1, OK, kTLSProtocol1, kTLSProtocol1},
      {OP_MIN, kTLSProtocol12, OK, kTLSProtocol12, kTLSProtocol12},
      {OP_MIN, kTLSProtocol13, OK, kTLSProtocol13, kTLSProtocol13}}},
    {"max below min lowers min",
     kSSLStreamType,
     {{OP_MIN, kTLSProtocol13, OK, kTLSProtocol13, kTLSProtocol13},
      {OP_MAX, kTLSProtocol11, OK, kTLSProtocol11, kTLSProtocol11},
      {OP_MAX, kSSLProtocol3, OK, kSSLProtocol3, kSSLProtocol3}}},
    {"moves inside the range keep the other end",
     kSSLStreamType,
     {{OP_MIN, kSSLProtocol3, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_MAX, kTLSProtocol11, OK, kSSLProtocol3, kTLSProtocol11},
      {OP_MIN, kTLSProtocol1, OK, kTLSProtocol1, kTLSProtocol11},
      {OP_MAX, kTLSProtocol13, OK, kTLSProtocol1, kTLSProtocol13},
      {OP_MIN, kTLSProtocol13, OK, kTLSProtocol13, kTLSProtocol13}}},
    {"refused values leave a custom range alone",
     kSSLStreamType,
     {{OP_MIN, kTLSProtocol1, OK, kTLSProtocol1, kTLSProtocol13},
      {OP_MAX, kTLSProtocol11, OK, kTLSProtocol1, kTLSProtocol11},
      {OP_MIN, kSSLProtocolAll, ILLEGAL, kTLSProtocol1, kTLSProtocol11},
      {OP_MAX, kTLSProtocolMaxSupported, ILLEGAL, kTLSProtocol1, kTLSProtocol11},
      {OP_MIN, kDTLSProtocol1, ILLEGAL, kTLSProtocol1, kTLSProtocol11},
      {OP_MAX, kDTLSProtocol12, ILLEGAL, kTLSProtocol1, kTLSProtocol11},
      {OP_MIN, kSSLProtocol2, ILLEGAL, kTLSProtocol1, kTLSProtocol11},
      {OP_MAX, kSSLProtocolUnknown, ILLEGAL, kTLSProtocol1, kTLSProtocol11}}},
    {"datagram: min above max raises max",
     kSSLDatagramType,
     {{OP_MAX, kDTLSProtocol1, OK, kDTLSProtocol1, kDTLSProtocol1},
      {OP_MIN, kDTLSProtocol12, OK, kDTLSProtocol12, kDTLSProtocol12}}},
    {"datagram: widen, then refused values",
     kSSLDatagramType,
     {{OP_MIN, kDTLSProtocol1, OK, kDTLSProtocol1, kDTLSProtocol12},
      {OP_MAX, kTLSProtocol12, ILLEGAL, kDTLSProtocol1, kDTLSProtocol12},
      {OP_MIN, kTLSProtocol13, ILLEGAL, kDTLSProtocol1, kDTLSProtocol12},
      {OP_MAX, kSSLProtocolAll, ILLEGAL, kDTLSProtocol1, kDTLSProtocol12},
      {OP_MAX, kDTLSProtocol1, OK, kDTLSProtocol1, kDTLSProtocol1},
      {OP_MAX, kDTLSProtocol12, OK, kDTLSProtocol1, kDTLSProtocol12}}},
};
#define MIN_MAX_SCRIPTS ((int)(sizeof(min_max_scripts) / sizeof(min_max_scripts[0])))

START_TEST(min_max_sequences)
{
    run_script(&min_max_scripts[_i]);
}
END_TEST

/* SSLSetProtocolVersionEnabled, alone and mixed with the other setters (stream contexts). */
static const struct script enabled_scripts[] = {
    {"enable all",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13}}},
    {"disable all", kSSLStreamType, {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE}}},
    {"disable all, then all again",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE}}},
    {"enable one from nothing",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_ENABLE, kTLSProtocol11, OK, kTLSProtocol11, kTLSProtocol11}}},
    {"enabling extends the range upwards and downwards",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_ENABLE, kTLSProtocol1, OK, kTLSProtocol1, kTLSProtocol1},
      {OP_ENABLE, kTLSProtocol12, OK, kTLSProtocol1, kTLSProtocol12},
      {OP_ENABLE, kTLSProtocol11, OK, kTLSProtocol1, kTLSProtocol12},
      {OP_ENABLE, kSSLProtocol3, OK, kSSLProtocol3, kTLSProtocol12},
      {OP_ENABLE, kTLSProtocol13, OK, kSSLProtocol3, kTLSProtocol13}}},
    {"enable from the top down",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_ENABLE, kTLSProtocol13, OK, kTLSProtocol13, kTLSProtocol13},
      {OP_ENABLE, kSSLProtocol3, OK, kSSLProtocol3, kTLSProtocol13}}},
    {"enable below the default minimum",
     kSSLStreamType,
     {{OP_ENABLE, kTLSProtocol1, OK, kTLSProtocol1, kTLSProtocol13},
      {OP_ENABLE, kSSLProtocol3, OK, kSSLProtocol3, kTLSProtocol13}}},
    {"enable above a lowered maximum",
     kSSLStreamType,
     {{OP_MAX, kTLSProtocol12, OK, kTLSProtocol12, kTLSProtocol12},
      {OP_ENABLE, kTLSProtocol13, OK, kTLSProtocol12, kTLSProtocol13}}},
    {"enable what is already enabled",
     kSSLStreamType,
     {{OP_ENABLE, kTLSProtocol12, OK, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kTLSProtocol13, OK, kTLSProtocol12, kTLSProtocol13}}},
    {"enable outside SSL 3.0-TLS 1.3",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocol2, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kSSLProtocolUnknown, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kSSLProtocol3Only, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kTLSProtocol1Only, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kDTLSProtocol1, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kDTLSProtocol12, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, kTLSProtocolMaxSupported, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, (SSLProtocol)77, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_ENABLE, (SSLProtocol)-1, PARAM, kTLSProtocol12, kTLSProtocol13}}},
    {"enable outside the range with nothing enabled",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_ENABLE, kSSLProtocol2, PARAM, NONE, NONE},
      {OP_ENABLE, kDTLSProtocol12, PARAM, NONE, NONE}}},
    {"disable the highest lowers the maximum",
     kSSLStreamType,
     {{OP_DISABLE, kTLSProtocol13, OK, kTLSProtocol12, kTLSProtocol12}}},
    {"disable the highest twice from all",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol13, OK, kSSLProtocol3, kTLSProtocol12},
      {OP_DISABLE, kTLSProtocol12, OK, kSSLProtocol3, kTLSProtocol11}}},
    {"disable the lowest raises the minimum",
     kSSLStreamType,
     {{OP_DISABLE, kTLSProtocol12, OK, kTLSProtocol13, kTLSProtocol13}}},
    {"disable the bottom of all",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_DISABLE, kSSLProtocol3, OK, kTLSProtocol1, kTLSProtocol13}}},
    {"disable inside the range raises the minimum past it",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol1, OK, kTLSProtocol11, kTLSProtocol13}}},
    {"disable the middle of all",
     kSSLStreamType,
     {{OP_ENABLE, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol11, OK, kTLSProtocol12, kTLSProtocol13}}},
    {"disable what is not enabled",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocol2, OK, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kSSLProtocol3, OK, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol1, OK, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol11, OK, kTLSProtocol12, kTLSProtocol13}}},
    {"disable above a lowered maximum",
     kSSLStreamType,
     {{OP_SET, kTLSProtocol11, OK, kSSLProtocol3, kTLSProtocol11},
      {OP_DISABLE, kTLSProtocol13, OK, kSSLProtocol3, kTLSProtocol11},
      {OP_DISABLE, kTLSProtocol12, OK, kSSLProtocol3, kTLSProtocol11}}},
    {"disable outside SSL 2.0-TLS 1.3",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolUnknown, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kSSLProtocol3Only, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol1Only, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kDTLSProtocol1, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kDTLSProtocol12, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocolMaxSupported, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, (SSLProtocol)77, PARAM, kTLSProtocol12, kTLSProtocol13},
      {OP_DISABLE, (SSLProtocol)-1, PARAM, kTLSProtocol12, kTLSProtocol13}}},
    {"disable down to nothing from the top",
     kSSLStreamType,
     {{OP_DISABLE, kTLSProtocol13, OK, kTLSProtocol12, kTLSProtocol12},
      {OP_DISABLE, kTLSProtocol12, OK, NONE, NONE}}},
    {"disable down to nothing from the bottom",
     kSSLStreamType,
     {{OP_DISABLE, kTLSProtocol12, OK, kTLSProtocol13, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol13, OK, NONE, NONE}}},
    {"disable the only version",
     kSSLStreamType,
     {{OP_SET, kTLSProtocol1Only, OK, kTLSProtocol1, kTLSProtocol1},
      {OP_DISABLE, kTLSProtocol1, OK, NONE, NONE}}},
    {"disable with nothing enabled",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_DISABLE, kTLSProtocol12, OK, NONE, NONE},
      {OP_DISABLE, kSSLProtocol2, OK, NONE, NONE},
      {OP_DISABLE, kDTLSProtocol1, PARAM, NONE, NONE}}},
    {"min/max after disabling all",
     kSSLStreamType,
     {{OP_DISABLE, kSSLProtocolAll, OK, NONE, NONE},
      {OP_MIN, kTLSProtocol12, OK, kTLSProtocol12, kTLSProtocol12},
      {OP_MAX, kTLSProtocol13, OK, kTLSProtocol12, kTLSProtocol13}}},
    {"legacy and min/max mixed",
     kSSLStreamType,
     {{OP_SET, kTLSProtocol1Only, OK, kTLSProtocol1, kTLSProtocol1},
      {OP_ENABLE, kTLSProtocol12, OK, kTLSProtocol1, kTLSProtocol12},
      {OP_DISABLE, kTLSProtocol1, OK, kTLSProtocol11, kTLSProtocol12},
      {OP_MAX, kTLSProtocol13, OK, kTLSProtocol11, kTLSProtocol13},
      {OP_DISABLE, kTLSProtocol13, OK, kTLSProtocol11, kTLSProtocol12},
      {OP_SET, kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13}}},
};
#define ENABLED_SCRIPTS ((int)(sizeof(enabled_scripts) / sizeof(enabled_scripts[0])))

START_TEST(protocol_version_enabled_sequences)
{
    run_script(&enabled_scripts[_i]);
}
END_TEST

/* ---- SSLSetProtocolVersion and SSLGetProtocolVersion --------------------------------------- */

static const struct {
    SSLProtocol value;
    OSStatus status;
    SSLProtocol min, max;  /* the range afterwards */
    OSStatus get_status;   /* SSLGetProtocolVersion afterwards */
    SSLProtocol get_value; /* UNSET: not written */
} set_version_cases[] = {
    {kSSLProtocol3, OK, kSSLProtocol3, kSSLProtocol3, OK, kSSLProtocol3},
    {kSSLProtocol3Only, OK, kSSLProtocol3, kSSLProtocol3, OK, kSSLProtocol3},
    {kTLSProtocol1, OK, kSSLProtocol3, kTLSProtocol1, OK, kTLSProtocol1},
    {kTLSProtocol1Only, OK, kTLSProtocol1, kTLSProtocol1, PARAM, kTLSProtocol1Only},
    {kTLSProtocol11, OK, kSSLProtocol3, kTLSProtocol11, OK, kTLSProtocol11},
    {kTLSProtocol12, OK, kSSLProtocol3, kTLSProtocol12, OK, kSSLProtocolAll},
    {kSSLProtocolAll, OK, kSSLProtocol3, kTLSProtocol13, OK, kSSLProtocolAll},
    {kSSLProtocolUnknown, OK, kSSLProtocol3, kTLSProtocol13, OK, kSSLProtocolAll},
    /* Refused: the default range [TLS 1.2, TLS 1.3] stays, and it has no legacy name. */
    {kSSLProtocol2, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {kTLSProtocol13, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {kDTLSProtocol1, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {kDTLSProtocol12, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {kTLSProtocolMaxSupported, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {(SSLProtocol)77, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {(SSLProtocol)-1, PARAM, kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
};
#define SET_VERSION_CASES ((int)(sizeof(set_version_cases) / sizeof(set_version_cases[0])))

START_TEST(set_protocol_version_maps_to_ranges)
{
    SSLContextRef ctx = new_stream();
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, set_version_cases[_i].value),
                     set_version_cases[_i].status);
    CHECK_RANGE(ctx, set_version_cases[_i].min, set_version_cases[_i].max, "SSLSetProtocolVersion");
    SSLProtocol got = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), set_version_cases[_i].get_status);
    ck_assert_int_eq(got, set_version_cases[_i].get_value);
    CFRelease(ctx);
}
END_TEST

/* A refused SSLSetProtocolVersion also leaves a non-default range alone. */
START_TEST(set_protocol_version_refusal_keeps_custom_range)
{
    SSLContextRef ctx = new_stream();
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol11), errSecSuccess);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol13), errSecParam);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kSSLProtocol2), errSecParam);
    CHECK_RANGE(ctx, kSSLProtocol3, kTLSProtocol11, "after refusals");
    CFRelease(ctx);
}
END_TEST

/* Ranges built with min/max, and what the legacy getter calls them. */
static const struct {
    SSLProtocol min, max; /* NONE, NONE: everything disabled */
    OSStatus status;
    SSLProtocol value; /* UNSET: not written */
} get_version_cases[] = {
    {kSSLProtocol3, kTLSProtocol13, OK, kSSLProtocolAll},
    {kSSLProtocol3, kTLSProtocol12, OK, kSSLProtocolAll},
    {kSSLProtocol3, kTLSProtocol11, OK, kTLSProtocol11},
    {kSSLProtocol3, kTLSProtocol1, OK, kTLSProtocol1},
    {kSSLProtocol3, kSSLProtocol3, OK, kSSLProtocol3},
    {kTLSProtocol1, kTLSProtocol1, PARAM, kTLSProtocol1Only},
    {kTLSProtocol12, kTLSProtocol13, PARAM, UNSET},
    {kTLSProtocol1, kTLSProtocol13, PARAM, UNSET},
    {kTLSProtocol1, kTLSProtocol12, PARAM, UNSET},
    {kTLSProtocol1, kTLSProtocol11, PARAM, UNSET},
    {kTLSProtocol11, kTLSProtocol11, PARAM, UNSET},
    {kTLSProtocol12, kTLSProtocol12, PARAM, UNSET},
    {kTLSProtocol13, kTLSProtocol13, PARAM, UNSET},
    {NONE, NONE, PARAM, UNSET},
};
#define GET_VERSION_CASES ((int)(sizeof(get_version_cases) / sizeof(get_version_cases[0])))

/* Puts a stream context into [min, max] through the public setters and checks it took. */
static void set_range(SSLContextRef ctx, SSLProtocol min, SSLProtocol max)
{
    if (min == NONE) {
        ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, false), errSecSuccess);
    } else {
        ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, kSSLProtocol3), errSecSuccess);
        ck_assert_int_eq(SSLSetProtocolVersionMax(ctx, max), errSecSuccess);
        ck_assert_int_eq(SSLSetProtocolVersionMin(ctx, min), errSecSuccess);
    }
    CHECK_RANGE(ctx, min, max, "set_range");
}

START_TEST(get_protocol_version_names_ranges)
{
    SSLContextRef ctx = new_stream();
    set_range(ctx, get_version_cases[_i].min, get_version_cases[_i].max);
    SSLProtocol got = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), get_version_cases[_i].status);
    ck_assert_int_eq(got, get_version_cases[_i].value);
    CFRelease(ctx);
}
END_TEST

START_TEST(get_protocol_version_on_fresh_contexts)
{
    /* The default stream range [TLS 1.2, TLS 1.3] has no legacy name. */
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    SSLProtocol got = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), errSecParam);
    ck_assert_int_eq(got, UNSET);
    CFRelease(ctx);

    /* No datagram check: a DTLS range simply has no legacy name either. */
    ctx = st_test_context(kSSLClientSide, kSSLDatagramType);
    got = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &got), errSecParam);
    ck_assert_int_eq(got, UNSET);
    CFRelease(ctx);
}
END_TEST

/* ---- SSLGetProtocolVersionEnabled ----------------------------------------------------------- */

static const SSLProtocol queried[] = {kSSLProtocol2,  kSSLProtocol3,  kTLSProtocol1,
                                      kTLSProtocol11, kTLSProtocol12, kTLSProtocol13,
                                      kSSLProtocolAll};
#define QUERIED ((int)(sizeof(queried) / sizeof(queried[0])))

static const struct {
    SSLProtocol min, max; /* NONE, NONE: everything disabled; 0, 0 in `fresh`: the defaults */
    bool fresh;
    Boolean answers[QUERIED]; /* in the order of `queried` */
} enabled_cases[] = {
    {0, 0, true, {0, 0, 0, 0, 1, 1, 0}},
    {kSSLProtocol3, kTLSProtocol13, false, {0, 1, 1, 1, 1, 1, 1}},
    {kSSLProtocol3, kTLSProtocol12, false, {0, 1, 1, 1, 1, 0, 0}},
    {kTLSProtocol1, kTLSProtocol13, false, {0, 0, 1, 1, 1, 1, 0}},
    {kTLSProtocol1, kTLSProtocol11, false, {0, 0, 1, 1, 0, 0, 0}},
    {kSSLProtocol3, kSSLProtocol3, false, {0, 1, 0, 0, 0, 0, 0}},
    {kTLSProtocol13, kTLSProtocol13, false, {0, 0, 0, 0, 0, 1, 0}},
    {NONE, NONE, false, {0, 0, 0, 0, 0, 0, 0}},
};
#define ENABLED_CASES ((int)(sizeof(enabled_cases) / sizeof(enabled_cases[0])))

START_TEST(get_protocol_version_enabled_answers)
{
    SSLContextRef ctx = new_stream();
    if (!enabled_cases[_i].fresh)
        set_range(ctx, enabled_cases[_i].min, enabled_cases[_i].max);
    for (int q = 0; q < QUERIED; q++) {
        Boolean on = 0x5a;
        ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, queried[q], &on), errSecSuccess);
        ck_assert_msg(on == enabled_cases[_i].answers[q], "protocol %d: enabled = %d, expected %d",
                      (int)queried[q], (int)on, (int)enabled_cases[_i].answers[q]);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(get_protocol_version_enabled_after_enable_all)
{
    /* The legacy "all" switch turns on exactly SSL 3.0-TLS 1.3: SSL 2.0 stays off. */
    SSLContextRef ctx = new_stream();
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, true), errSecSuccess);
    for (int q = 0; q < QUERIED; q++) {
        Boolean on = 0x5a;
        ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, queried[q], &on), errSecSuccess);
        ck_assert_int_eq(on, (queried[q] == kSSLProtocol2 ? 0 : 1));
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(get_protocol_version_enabled_refuses_other_values)
{
    static const SSLProtocol refused[] = {
        kSSLProtocolUnknown, kSSLProtocol3Only,        kTLSProtocol1Only, kDTLSProtocol1,
        kDTLSProtocol12,     kTLSProtocolMaxSupported, (SSLProtocol)77,   (SSLProtocol)-1,
    };
    SSLContextRef ctx = new_stream();
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        Boolean on = 0x5a;
        ck_assert_msg(SSLGetProtocolVersionEnabled(ctx, refused[i], &on) == errSecParam,
                      "protocol %d was answered", (int)refused[i]);
    }
    CFRelease(ctx);
}
END_TEST

/* ---- kinds and states ----------------------------------------------------------------------- */

START_TEST(legacy_calls_refuse_datagram_contexts)
{
    static const SSLProtocolSide sides[] = {kSSLClientSide, kSSLServerSide};
    SSLContextRef ctx = st_test_context(sides[_i], kSSLDatagramType);
    Boolean on = 0x5a;
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, true), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, false), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kTLSProtocol12, true), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kDTLSProtocol1, true), errSecBadReq);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol12, &on), errSecBadReq);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kSSLProtocolAll, &on), errSecBadReq);
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kDTLSProtocol12, &on), errSecBadReq);
    ck_assert_int_eq(on, 0x5a);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol12), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kSSLProtocolAll), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kDTLSProtocol1), errSecBadReq);
    CHECK_RANGE(ctx, kDTLSProtocol12, kDTLSProtocol12, "after refused legacy calls");
    CFRelease(ctx);
}
END_TEST

/* A setter call, what it makes of a default stream range, and whether it has an active check. */
static const struct {
    const char *name;
    enum op_kind kind;
    SSLProtocol value;
    SSLProtocol min, max;
    bool checks_active;
} state_setters[] = {
    {"SSLSetProtocolVersionEnabled(all, true)", OP_ENABLE, kSSLProtocolAll, kSSLProtocol3,
     kTLSProtocol13, true},
    {"SSLSetProtocolVersionEnabled(all, false)", OP_DISABLE, kSSLProtocolAll, NONE, NONE, true},
    {"SSLSetProtocolVersionEnabled(TLS 1.3, false)", OP_DISABLE, kTLSProtocol13, kTLSProtocol12,
     kTLSProtocol12, true},
    {"SSLSetProtocolVersion(TLS 1.0)", OP_SET, kTLSProtocol1, kSSLProtocol3, kTLSProtocol1, true},
    {"SSLSetProtocolVersionMin(TLS 1.0)", OP_MIN, kTLSProtocol1, kTLSProtocol1, kTLSProtocol13,
     false},
    {"SSLSetProtocolVersionMax(TLS 1.2)", OP_MAX, kTLSProtocol12, kTLSProtocol12, kTLSProtocol12,
     false},
};
#define STATE_SETTERS ((int)(sizeof(state_setters) / sizeof(state_setters[0])))

static const struct {
    enum st_state state;
    bool active;
} states[] = {
    {ST_STATE_HANDSHAKE, true},     {ST_STATE_CONNECTED, true},    {ST_STATE_CLOSED, false},
    {ST_STATE_ERROR_CLOSED, false}, {ST_STATE_OUT_OF_BAND, false},
};
#define STATES ((int)(sizeof(states) / sizeof(states[0])))

START_TEST(setters_in_each_state)
{
    int si = _i / STATES;
    int st = _i % STATES;
    SSLContextRef ctx = new_stream();
    st_test_force_state(ctx, states[st].state);
    OSStatus got = apply(ctx, state_setters[si].kind, state_setters[si].value);
    bool refused = states[st].active && state_setters[si].checks_active;
    ck_assert_msg(got == (refused ? errSecBadReq : errSecSuccess), "%s in state %d: %d",
                  state_setters[si].name, (int)states[st].state, (int)got);
    if (refused)
        CHECK_RANGE(ctx, kTLSProtocol12, kTLSProtocol13, state_setters[si].name);
    else
        CHECK_RANGE(ctx, state_setters[si].min, state_setters[si].max, state_setters[si].name);
    CFRelease(ctx);
}
END_TEST

/* The getters have no state check. */
START_TEST(getters_answer_in_every_state)
{
    SSLContextRef ctx = new_stream();
    st_test_force_state(ctx, states[_i].state);
    CHECK_RANGE(ctx, kTLSProtocol12, kTLSProtocol13, "forced state");
    Boolean on = 0x5a;
    ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol13, &on), errSecSuccess);
    ck_assert_int_eq(on, 1);
    SSLProtocol p = UNSET;
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, &p), errSecParam);
    ck_assert_int_eq(p, UNSET);
    p = UNSET;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &p), errSecSuccess);
    ck_assert_int_eq(p, kSSLProtocolUnknown);
    CFRelease(ctx);
}
END_TEST

/* The same context refuses while connected and accepts once closed. */
START_TEST(legacy_setters_work_again_after_close)
{
    SSLContextRef ctx = new_stream();
    st_test_force_state(ctx, ST_STATE_CONNECTED);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol11), errSecBadReq);
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, true), errSecBadReq);
    CHECK_RANGE(ctx, kTLSProtocol12, kTLSProtocol13, "connected");
    st_test_force_state(ctx, ST_STATE_CLOSED);
    ck_assert_int_eq(SSLSetProtocolVersion(ctx, kTLSProtocol11), errSecSuccess);
    CHECK_RANGE(ctx, kSSLProtocol3, kTLSProtocol11, "closed");
    ck_assert_int_eq(SSLSetProtocolVersionEnabled(ctx, kSSLProtocolAll, true), errSecSuccess);
    CHECK_RANGE(ctx, kSSLProtocol3, kTLSProtocol13, "closed");
    CFRelease(ctx);
}
END_TEST

/* ---- bad contexts and NULL out-parameters --------------------------------------------------- */

/* Every protocol call with context `ref`; each must answer errSecParam and write nothing. */
static void check_refused_context(SSLContextRef ref, const char *what)
{
    SSLProtocol p = UNSET;
    Boolean on = 0x5a;
    ck_assert_msg(SSLSetProtocolVersionMin(ref, kTLSProtocol12) == errSecParam, "%s", what);
    ck_assert_msg(SSLSetProtocolVersionMax(ref, kTLSProtocol12) == errSecParam, "%s", what);
    ck_assert_msg(SSLGetProtocolVersionMin(ref, &p) == errSecParam, "%s", what);
    ck_assert_msg(SSLGetProtocolVersionMax(ref, &p) == errSecParam, "%s", what);
    ck_assert_msg(SSLSetProtocolVersionEnabled(ref, kTLSProtocol12, true) == errSecParam, "%s",
                  what);
    ck_assert_msg(SSLGetProtocolVersionEnabled(ref, kTLSProtocol12, &on) == errSecParam, "%s",
                  what);
    ck_assert_msg(SSLSetProtocolVersion(ref, kTLSProtocol12) == errSecParam, "%s", what);
    ck_assert_msg(SSLGetProtocolVersion(ref, &p) == errSecParam, "%s", what);
    ck_assert_msg(SSLGetNegotiatedProtocolVersion(ref, &p) == errSecParam, "%s", what);
    ck_assert_int_eq(p, UNSET);
    ck_assert_int_eq(on, 0x5a);
}

START_TEST(null_context_is_refused)
{
    check_refused_context(NULL, "NULL");
}
END_TEST

START_TEST(released_context_is_refused)
{
    SSLContextRef ctx = new_stream();
    CFRelease(ctx);
    check_refused_context(ctx, "released");
}
END_TEST

START_TEST(forged_context_is_refused)
{
    long not_a_context[16] = {0};
    check_refused_context((SSLContextRef)(void *)not_a_context, "stack block");
    check_refused_context((SSLContextRef)(uintptr_t)1, "1");
}
END_TEST

START_TEST(null_out_parameters_are_refused)
{
    SSLContextRef ctx = st_test_context(default_ranges[_i].side, default_ranges[_i].type);
    ck_assert_int_eq(SSLGetProtocolVersionMin(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersionMax(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetProtocolVersion(ctx, NULL), errSecParam);
    if (default_ranges[_i].type == kSSLStreamType)
        ck_assert_int_eq(SSLGetProtocolVersionEnabled(ctx, kTLSProtocol12, NULL), errSecParam);
    CFRelease(ctx);
}
END_TEST

static Suite *protocol_versions_suite(void)
{
    Suite *s = suite_create("protocol_versions");

    TCase *tc = tcase_create("min_max");
    tcase_add_loop_test(tc, default_range_per_kind, 0, 4);
    tcase_add_test(tc, legacy_constructors_use_the_same_defaults);
    tcase_add_loop_test(tc, negotiated_version_is_unknown_before_a_handshake, 0, 4);
    tcase_add_loop_test(tc, min_max_accept_only_their_family, 0, MIN_MAX_VALUES);
    tcase_add_loop_test(tc, min_max_sequences, 0, MIN_MAX_SCRIPTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("legacy");
    tcase_add_loop_test(tc, protocol_version_enabled_sequences, 0, ENABLED_SCRIPTS);
    tcase_add_loop_test(tc, set_protocol_version_maps_to_ranges, 0, SET_VERSION_CASES);
    tcase_add_test(tc, set_protocol_version_refusal_keeps_custom_range);
    tcase_add_loop_test(tc, get_protocol_version_names_ranges, 0, GET_VERSION_CASES);
    tcase_add_test(tc, get_protocol_version_on_fresh_contexts);
    tcase_add_loop_test(tc, get_protocol_version_enabled_answers, 0, ENABLED_CASES);
    tcase_add_test(tc, get_protocol_version_enabled_after_enable_all);
    tcase_add_test(tc, get_protocol_version_enabled_refuses_other_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("kinds_and_states");
    tcase_add_loop_test(tc, legacy_calls_refuse_datagram_contexts, 0, 2);
    tcase_add_loop_test(tc, setters_in_each_state, 0, STATE_SETTERS * STATES);
    tcase_add_loop_test(tc, getters_answer_in_every_state, 0, STATES);
    tcase_add_test(tc, legacy_setters_work_again_after_close);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad_arguments");
    tcase_add_test(tc, null_context_is_refused);
    tcase_add_test(tc, released_context_is_refused);
    tcase_add_test(tc, forged_context_is_refused);
    tcase_add_loop_test(tc, null_out_parameters_are_refused, 0, 4);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return st_test_run(protocol_versions_suite());
}
