/*
 * Per-context configuration that needs no TLS engine, checked against
 * behaviour.md §1-3, §8-10, §13, §14, §16 and the README's differences:
 * session options, the verification switches, I/O callbacks and connection,
 * peer domain name and SNI, peer ID, client authentication, the DTLS knobs and
 * the SPI setters, each with its defaults, exact read-back, refused values and
 * its behaviour in every session state.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "st_test.h"

/* Session states a setter can meet, and whether the session counts as active there. */
static const struct {
    enum st_state state;
    bool active;
} states[] = {
    {ST_STATE_IDLE, false},   {ST_STATE_HANDSHAKE, true},     {ST_STATE_CONNECTED, true},
    {ST_STATE_CLOSED, false}, {ST_STATE_ERROR_CLOSED, false}, {ST_STATE_OUT_OF_BAND, false},
};
#define STATES ((int)(sizeof(states) / sizeof(states[0])))

static SSLContextRef new_client(void)
{
    return st_test_context(kSSLClientSide, kSSLStreamType);
}

static SSLContextRef new_datagram(void)
{
    return st_test_context(kSSLClientSide, kSSLDatagramType);
}

static struct st_context *internal(SSLContextRef ref)
{
    struct st_context *ctx = st_context_table_find(ref);
    ck_assert_ptr_nonnull(ctx);
    return ctx;
}

/* ---- session options ------------------------------------------------------------------------ */

#define UNTOUCHED 0x5a

static Boolean get_option(SSLContextRef ctx, SSLSessionOption option)
{
    Boolean value = UNTOUCHED;
    OSStatus status = SSLGetSessionOption(ctx, option, &value);
    ck_assert_msg(status == errSecSuccess, "SSLGetSessionOption(%d): %d", (int)option, (int)status);
    return value;
}

static Boolean cert_verify(SSLContextRef ctx)
{
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLGetEnableCertVerify(ctx, &value), errSecSuccess);
    return value;
}

/* The options the getter answers for, with their defaults. */
static const struct {
    SSLSessionOption option;
    Boolean fresh;
} readable_options[] = {
    {kSSLSessionOptionBreakOnServerAuth, 0},  {kSSLSessionOptionBreakOnCertRequested, 0},
    {kSSLSessionOptionBreakOnClientAuth, 0},  {kSSLSessionOptionFalseStart, 0},
    {kSSLSessionOptionSendOneByteRecord, 1},  {kSSLSessionOptionAllowServerIdentityChange, 0},
    {kSSLSessionOptionBreakOnClientHello, 0},
};
#define READABLE_OPTIONS ((int)(sizeof(readable_options) / sizeof(readable_options[0])))

/* Options the setter knows but the getter does not (10.15 has no case for them). */
static const SSLSessionOption write_only_options[] = {
    kSSLSessionOptionFallback,
    kSSLSessionOptionAllowRenegotiation,
    kSSLSessionOptionEnableSessionTickets,
};

static const SSLSessionOption unknown_options[] = {
    (SSLSessionOption)10,      (SSLSessionOption)11,      (SSLSessionOption)-1,
    (SSLSessionOption)INT_MIN, (SSLSessionOption)INT_MAX,
};

START_TEST(option_defaults)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    for (int i = 0; i < READABLE_OPTIONS; i++)
        ck_assert_msg(get_option(ctx, readable_options[i].option) == readable_options[i].fresh,
                      "option %d", (int)readable_options[i].option);
    ck_assert_int_eq(cert_verify(ctx), 1);
    CFRelease(ctx);
}
END_TEST

START_TEST(option_getter_refuses_write_only_and_unknown_options)
{
    SSLContextRef ctx = new_client();
    for (size_t i = 0; i < sizeof(write_only_options) / sizeof(write_only_options[0]); i++) {
        Boolean value = UNTOUCHED;
        ck_assert_int_eq(SSLGetSessionOption(ctx, write_only_options[i], &value), errSecParam);
        /* Even once set, they cannot be read. */
        ck_assert_int_eq(SSLSetSessionOption(ctx, write_only_options[i], true), errSecSuccess);
        ck_assert_int_eq(SSLGetSessionOption(ctx, write_only_options[i], &value), errSecParam);
    }
    for (size_t i = 0; i < sizeof(unknown_options) / sizeof(unknown_options[0]); i++) {
        Boolean value = UNTOUCHED;
        ck_assert_int_eq(SSLGetSessionOption(ctx, unknown_options[i], &value), errSecParam);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(option_setter_refuses_unknown_options)
{
    SSLContextRef ctx = new_client();
    for (size_t i = 0; i < sizeof(unknown_options) / sizeof(unknown_options[0]); i++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, unknown_options[i], true), errSecParam);
        ck_assert_int_eq(SSLSetSessionOption(ctx, unknown_options[i], false), errSecParam);
    }
    /* Nothing readable moved. */
    for (int i = 0; i < READABLE_OPTIONS; i++)
        ck_assert_int_eq(get_option(ctx, readable_options[i].option), readable_options[i].fresh);
    ck_assert_int_eq(cert_verify(ctx), 1);
    CFRelease(ctx);
}
END_TEST

/* Options 0-4 and 7 hand back the very byte they were given. */
static const SSLSessionOption raw_options[] = {
    kSSLSessionOptionBreakOnServerAuth, kSSLSessionOptionBreakOnCertRequested,
    kSSLSessionOptionBreakOnClientAuth, kSSLSessionOptionFalseStart,
    kSSLSessionOptionSendOneByteRecord, kSSLSessionOptionBreakOnClientHello,
};
#define RAW_OPTIONS ((int)(sizeof(raw_options) / sizeof(raw_options[0])))

START_TEST(option_bytes_are_kept_raw)
{
    static const Boolean bytes[] = {1, 2, 0, 0xff, 0x80, 1, 0};
    SSLContextRef ctx = new_client();
    for (size_t b = 0; b < sizeof(bytes); b++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, raw_options[_i], bytes[b]), errSecSuccess);
        ck_assert_int_eq(get_option(ctx, raw_options[_i]), bytes[b]);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(server_identity_change_reads_back_as_bool)
{
    static const struct {
        Boolean set, read;
    } cases[] = {{2, 1}, {0, 0}, {1, 1}, {0xff, 1}, {0, 0}};
    SSLContextRef ctx = new_client();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_int_eq(
            SSLSetSessionOption(ctx, kSSLSessionOptionAllowServerIdentityChange, cases[i].set),
            errSecSuccess);
        ck_assert_int_eq(get_option(ctx, kSSLSessionOptionAllowServerIdentityChange),
                         cases[i].read);
    }
    CFRelease(ctx);
}
END_TEST

/* Options are independent: setting one leaves the others at their defaults. */
START_TEST(options_are_independent)
{
    SSLContextRef ctx = new_client();
    SSLSessionOption target = readable_options[_i].option;
    Boolean flipped = readable_options[_i].fresh ? 0 : 1;
    ck_assert_int_eq(SSLSetSessionOption(ctx, target, flipped), errSecSuccess);
    for (int i = 0; i < READABLE_OPTIONS; i++) {
        Boolean want = i == _i ? flipped : readable_options[i].fresh;
        ck_assert_msg(get_option(ctx, readable_options[i].option) == want,
                      "option %d after setting %d", (int)readable_options[i].option, (int)target);
    }
    CFRelease(ctx);
}
END_TEST

/* The two Break*Auth options turn the built-in verification to !value; no other option does. */
START_TEST(break_on_auth_options_switch_verification)
{
    static const SSLSessionOption breaks[] = {kSSLSessionOptionBreakOnServerAuth,
                                              kSSLSessionOptionBreakOnClientAuth};
    SSLContextRef ctx = st_test_context(_i == 0 ? kSSLClientSide : kSSLServerSide, kSSLStreamType);
    SSLSessionOption option = breaks[_i];
    ck_assert_int_eq(SSLSetSessionOption(ctx, option, true), errSecSuccess);
    ck_assert_int_eq(cert_verify(ctx), 0);
    ck_assert_int_eq(SSLSetSessionOption(ctx, option, false), errSecSuccess);
    ck_assert_int_eq(cert_verify(ctx), 1);
    ck_assert_int_eq(SSLSetSessionOption(ctx, option, 2), errSecSuccess);
    ck_assert_int_eq(cert_verify(ctx), 0);
    /* The explicit switch wins afterwards, and the option keeps its own byte. */
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, true), errSecSuccess);
    ck_assert_int_eq(cert_verify(ctx), 1);
    ck_assert_int_eq(get_option(ctx, option), 2);
    /* Clearing the option turns verification on again even if it was switched off. */
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, false), errSecSuccess);
    ck_assert_int_eq(SSLSetSessionOption(ctx, option, false), errSecSuccess);
    ck_assert_int_eq(cert_verify(ctx), 1);
    CFRelease(ctx);
}
END_TEST

START_TEST(other_options_leave_verification_alone)
{
    static const SSLSessionOption others[] = {
        kSSLSessionOptionBreakOnCertRequested,
        kSSLSessionOptionFalseStart,
        kSSLSessionOptionSendOneByteRecord,
        kSSLSessionOptionAllowServerIdentityChange,
        kSSLSessionOptionFallback,
        kSSLSessionOptionBreakOnClientHello,
        kSSLSessionOptionAllowRenegotiation,
        kSSLSessionOptionEnableSessionTickets,
    };
    SSLContextRef ctx = new_client();
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, others[i], true), errSecSuccess);
        ck_assert_msg(cert_verify(ctx) == 1, "option %d changed verification", (int)others[i]);
    }
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, false), errSecSuccess);
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        ck_assert_int_eq(SSLSetSessionOption(ctx, others[i], false), errSecSuccess);
        ck_assert_msg(cert_verify(ctx) == 0, "option %d changed verification", (int)others[i]);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(option_calls_refuse_null_arguments)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLGetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, NULL),
                     errSecParam);
    ck_assert_int_eq(SSLGetSessionOption(ctx, kSSLSessionOptionSendOneByteRecord, NULL),
                     errSecParam);
    CFRelease(ctx);
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLSetSessionOption(NULL, kSSLSessionOptionFalseStart, true), errSecParam);
    ck_assert_int_eq(SSLGetSessionOption(NULL, kSSLSessionOptionFalseStart, &value), errSecParam);
    ck_assert_int_eq(value, UNTOUCHED);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(NULL, true), errSecParam);
}
END_TEST

START_TEST(session_tickets_switch)
{
    SSLContextRef ctx = new_client();
    /* The same switch as option 9, which the getter cannot read. */
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 0);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(ctx, true), errSecSuccess);
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 1);
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLGetSessionOption(ctx, kSSLSessionOptionEnableSessionTickets, &value),
                     errSecParam);
    ck_assert_int_eq(SSLSetSessionTicketsEnabled(ctx, false), errSecSuccess);
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 0);
    ck_assert_int_eq(SSLSetSessionOption(ctx, kSSLSessionOptionEnableSessionTickets, true),
                     errSecSuccess);
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 1);
    CFRelease(ctx);
}
END_TEST

/* ---- verification switches ------------------------------------------------------------------ */

START_TEST(verification_switch_defaults)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLGetEnableCertVerify(ctx, &value), errSecSuccess);
    ck_assert_int_eq(value, 1);
    value = UNTOUCHED;
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &value), errSecSuccess);
    ck_assert_int_eq(value, 0);
    value = UNTOUCHED;
    ck_assert_int_eq(SSLGetRsaBlinding(ctx, &value), errSecSuccess);
    ck_assert_int_eq(value, 1);
    CFRelease(ctx);
}
END_TEST

typedef OSStatus (*bool_setter)(SSLContextRef, Boolean);
typedef OSStatus (*bool_getter)(SSLContextRef, Boolean *);

static const struct {
    const char *name;
    bool_setter set;
    bool_getter get;
} switches[] = {
    {"EnableCertVerify", SSLSetEnableCertVerify, SSLGetEnableCertVerify},
    {"AllowsAnyRoot", SSLSetAllowsAnyRoot, SSLGetAllowsAnyRoot},
    {"RsaBlinding", SSLSetRsaBlinding, SSLGetRsaBlinding},
};
#define SWITCHES ((int)(sizeof(switches) / sizeof(switches[0])))

START_TEST(verification_switches_read_back)
{
    SSLContextRef ctx = new_client();
    static const Boolean values[] = {0, 1, 0, 1, 1, 0};
    for (size_t i = 0; i < sizeof(values); i++) {
        ck_assert_int_eq(switches[_i].set(ctx, values[i]), errSecSuccess);
        Boolean got = UNTOUCHED;
        ck_assert_int_eq(switches[_i].get(ctx, &got), errSecSuccess);
        ck_assert_msg(got == values[i], "%s: set %d, read %d", switches[_i].name, (int)values[i],
                      (int)got);
    }
    ck_assert_int_eq(switches[_i].get(ctx, NULL), errSecParam);
    ck_assert_int_eq(switches[_i].set(NULL, true), errSecParam);
    Boolean got = UNTOUCHED;
    ck_assert_int_eq(switches[_i].get(NULL, &got), errSecParam);
    ck_assert_int_eq(got, UNTOUCHED);
    CFRelease(ctx);
}
END_TEST

START_TEST(allows_expired_calls_are_inert)
{
    SSLContextRef ctx = new_client();
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLContextRef refs[] = {ctx, NULL, released, (SSLContextRef)(uintptr_t)1};
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        ck_assert_int_eq(SSLSetAllowsExpiredCerts(refs[i], true), errSecSuccess);
        ck_assert_int_eq(SSLSetAllowsExpiredCerts(refs[i], false), errSecSuccess);
        ck_assert_int_eq(SSLSetAllowsExpiredRoots(refs[i], true), errSecSuccess);
        ck_assert_int_eq(SSLSetAllowsExpiredRoots(refs[i], false), errSecSuccess);
        Boolean value = UNTOUCHED;
        ck_assert_int_eq(SSLGetAllowsExpiredCerts(refs[i], &value), errSecUnimplemented);
        ck_assert_int_eq(SSLGetAllowsExpiredRoots(refs[i], &value), errSecUnimplemented);
        ck_assert_int_eq(SSLGetAllowsExpiredCerts(refs[i], NULL), errSecUnimplemented);
        ck_assert_int_eq(SSLGetAllowsExpiredRoots(refs[i], NULL), errSecUnimplemented);
    }
    /* They change nothing a getter can see. */
    ck_assert_int_eq(cert_verify(ctx), 1);
    Boolean any = UNTOUCHED;
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &any), errSecSuccess);
    ck_assert_int_eq(any, 0);
    CFRelease(ctx);
}
END_TEST

/* ---- I/O callbacks and the connection ref --------------------------------------------------- */

static OSStatus read_cb(SSLConnectionRef c, void *data, size_t *len)
{
    (void)c, (void)data, (void)len;
    return errSSLWouldBlock;
}

static OSStatus write_cb(SSLConnectionRef c, const void *data, size_t *len)
{
    (void)c, (void)data, (void)len;
    return errSSLWouldBlock;
}

static OSStatus other_read_cb(SSLConnectionRef c, void *data, size_t *len)
{
    (void)c, (void)data, (void)len;
    return errSSLClosedGraceful;
}

static OSStatus other_write_cb(SSLConnectionRef c, const void *data, size_t *len)
{
    (void)c, (void)data, (void)len;
    return errSSLClosedGraceful;
}

START_TEST(connection_defaults_to_null)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    SSLConnectionRef conn = (SSLConnectionRef)(uintptr_t)0x1234;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_null(conn);
    CFRelease(ctx);
}
END_TEST

START_TEST(connection_round_trips_bit_for_bit)
{
    int on_stack = 0;
    const SSLConnectionRef values[] = {
        (SSLConnectionRef)(uintptr_t)1,
        (SSLConnectionRef)UINTPTR_MAX,
        (SSLConnectionRef)&on_stack,
        (SSLConnectionRef)(uintptr_t)0x8000000000000001u,
        NULL,
        (SSLConnectionRef)(uintptr_t)3,
    };
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        ck_assert_int_eq(SSLSetConnection(ctx, values[i]), errSecSuccess);
        SSLConnectionRef got = (SSLConnectionRef)(uintptr_t)0x77;
        ck_assert_int_eq(SSLGetConnection(ctx, &got), errSecSuccess);
        ck_assert_msg((uintptr_t)got == (uintptr_t)values[i], "stored %p, read %p", values[i], got);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(connection_calls_refuse_bad_arguments)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLGetConnection(ctx, NULL), errSecParam);
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLConnectionRef conn = (SSLConnectionRef)(uintptr_t)0x77;
    ck_assert_int_eq(SSLSetConnection(NULL, (SSLConnectionRef)(uintptr_t)1), errSecParam);
    ck_assert_int_eq(SSLGetConnection(NULL, &conn), errSecParam);
    ck_assert_int_eq(SSLSetConnection(released, (SSLConnectionRef)(uintptr_t)1), errSecParam);
    ck_assert_int_eq(SSLGetConnection(released, &conn), errSecParam);
    ck_assert_ptr_eq(conn, (SSLConnectionRef)(uintptr_t)0x77);
    ck_assert_int_eq(SSLSetIOFuncs(NULL, read_cb, write_cb), errSecParam);
    ck_assert_int_eq(SSLSetIOFuncs(released, read_cb, write_cb), errSecParam);
    CFRelease(ctx);
}
END_TEST

START_TEST(io_funcs_are_stored)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    ck_assert_ptr_null(internal(ctx)->read_func);
    ck_assert_ptr_null(internal(ctx)->write_func);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_cb, write_cb), errSecSuccess);
    ck_assert_ptr_eq(internal(ctx)->read_func, read_cb);
    ck_assert_ptr_eq(internal(ctx)->write_func, write_cb);
    /* NULL callbacks are accepted without complaint. */
    ck_assert_int_eq(SSLSetIOFuncs(ctx, NULL, write_cb), errSecSuccess);
    ck_assert_ptr_null(internal(ctx)->read_func);
    ck_assert_ptr_eq(internal(ctx)->write_func, write_cb);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, NULL, NULL), errSecSuccess);
    ck_assert_ptr_null(internal(ctx)->read_func);
    ck_assert_ptr_null(internal(ctx)->write_func);
    CFRelease(ctx);
}
END_TEST

/* ---- peer domain name ----------------------------------------------------------------------- */

static size_t name_length(SSLContextRef ctx)
{
    size_t len = 0x5a5a;
    ck_assert_int_eq(SSLGetPeerDomainNameLength(ctx, &len), errSecSuccess);
    return len;
}

/* Reads the name into a buffer of `room` bytes and checks it, and that nothing past it moved. */
static void check_name(SSLContextRef ctx, const char *want, size_t want_len, size_t room)
{
    char buf[128];
    ck_assert_uint_le(room, sizeof(buf) - 1);
    memset(buf, '#', sizeof(buf));
    size_t len = room;
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, &len), errSecSuccess);
    ck_assert_uint_eq(len, want_len);
    ck_assert_int_eq(memcmp(buf, want, want_len), 0);
    /* No NUL terminator is written: everything after the name is as it was. */
    for (size_t i = want_len; i < sizeof(buf); i++)
        ck_assert_msg(buf[i] == '#', "byte %zu after a %zu-byte name was written", i, want_len);
}

START_TEST(peer_name_fresh_is_empty)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    ck_assert_uint_eq(name_length(ctx), 0);
    check_name(ctx, "", 0, 16);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_round_trip)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "www.example.com", 15), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 15);
    check_name(ctx, "www.example.com", 15, 15); /* exact fit */
    check_name(ctx, "www.example.com", 15, 16);
    check_name(ctx, "www.example.com", 15, 100);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_buffer_too_small)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "host.example", 12), errSecSuccess);
    char buf[16];
    size_t len = 11;
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, &len), errSSLBufferOverflow);
    len = 0;
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, buf, &len), errSSLBufferOverflow);
    /* The name is intact afterwards. */
    check_name(ctx, "host.example", 12, 12);
    CFRelease(ctx);
}
END_TEST

/* What SSLSetPeerDomainName(name, len) stores. */
static const struct {
    const char *name;
    size_t len;
    const char *stored;
    size_t stored_len;
} name_cases[] = {
    {"example.org", 11, "example.org", 11},
    {"example.org", 12, "example.org", 11}, /* the trailing NUL counted in len is dropped */
    {"exam\0ple.org", 12, "exam", 4},       /* nothing after an embedded NUL survives */
    {"example.org", 7, "example", 7},       /* only len bytes are taken */
    {"a", 1, "a", 1},
    {"\0abc", 4, "", 0}, /* a name starting with NUL is empty */
    {"xyz", 0, "", 0},   /* zero length clears */
    {NULL, 0, "", 0},    /* (NULL, 0) clears */
};
#define NAME_CASES ((int)(sizeof(name_cases) / sizeof(name_cases[0])))

START_TEST(peer_name_storage_rules)
{
    SSLContextRef ctx = new_client();
    /* Start from some other name so that clearing is visible. */
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "previous.example.net", 20), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, name_cases[_i].name, name_cases[_i].len),
                     errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), name_cases[_i].stored_len);
    check_name(ctx, name_cases[_i].stored, name_cases[_i].stored_len, 64);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_is_copied_and_replaced)
{
    SSLContextRef ctx = new_client();
    char mine[] = "first.example";
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, mine, strlen(mine)), errSecSuccess);
    memset(mine, 'z', strlen(mine));
    check_name(ctx, "first.example", 13, 64);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "second.example.org", 18), errSecSuccess);
    check_name(ctx, "second.example.org", 18, 64);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "s", 1), errSecSuccess);
    check_name(ctx, "s", 1, 64);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_null_with_length_is_refused)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "kept.example", 12), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, 5), errSecParam);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, 1), errSecParam);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, SIZE_MAX), errSecParam);
    check_name(ctx, "kept.example", 12, 64);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_ignored_by_servers)
{
    SSLContextRef ctx =
        st_test_context(kSSLServerSide, _i == 0 ? kSSLStreamType : kSSLDatagramType);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "server.example", 14), errSecSuccess);
    ck_assert_uint_eq(name_length(ctx), 0);
    check_name(ctx, "", 0, 64);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_name_calls_refuse_bad_arguments)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLGetPeerDomainNameLength(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetPeerDomainName(ctx, (char[8]){0}, NULL), errSecParam);
    ck_assert_int_eq(SSLCopyRequestedPeerNameLength(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLCopyRequestedPeerName(ctx, (char[8]){0}, NULL), errSecParam);
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLContextRef bad[] = {NULL, released};
    for (size_t i = 0; i < 2; i++) {
        char buf[8];
        size_t len = sizeof(buf);
        ck_assert_int_eq(SSLSetPeerDomainName(bad[i], "a.example", 9), errSecParam);
        ck_assert_int_eq(SSLGetPeerDomainNameLength(bad[i], &len), errSecParam);
        ck_assert_int_eq(SSLGetPeerDomainName(bad[i], buf, &len), errSecParam);
        ck_assert_int_eq(SSLCopyRequestedPeerNameLength(bad[i], &len), errSecParam);
        ck_assert_int_eq(SSLCopyRequestedPeerName(bad[i], buf, &len), errSecParam);
        ck_assert_uint_eq(len, sizeof(buf));
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(requested_peer_name_fresh_is_empty)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    size_t len = 99;
    ck_assert_int_eq(SSLCopyRequestedPeerNameLength(ctx, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    char buf[16];
    memset(buf, '#', sizeof(buf));
    len = sizeof(buf);
    ck_assert_int_eq(SSLCopyRequestedPeerName(ctx, buf, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    for (size_t i = 0; i < sizeof(buf); i++)
        ck_assert_int_eq(buf[i], '#');
    CFRelease(ctx);
}
END_TEST

/* ---- peer ID -------------------------------------------------------------------------------- */

static void check_peer_id(SSLContextRef ctx, const void *want, size_t want_len)
{
    const void *id = (const void *)(uintptr_t)0x77;
    size_t len = 0x5a5a;
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, &len), errSecSuccess);
    ck_assert_uint_eq(len, want_len);
    if (want == NULL) {
        ck_assert_ptr_null(id);
    } else {
        ck_assert_ptr_nonnull(id);
        ck_assert_int_eq(memcmp(id, want, want_len), 0);
    }
}

START_TEST(peer_id_fresh_is_unset)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    check_peer_id(ctx, NULL, 0);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_id_is_copied)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    unsigned char mine[] = {'p', 'e', 'e', 'r', 0, 1, 2, 0xff};
    ck_assert_int_eq(SSLSetPeerID(ctx, mine, sizeof(mine)), errSecSuccess);
    const void *first = NULL;
    size_t len = 0;
    ck_assert_int_eq(SSLGetPeerID(ctx, &first, &len), errSecSuccess);
    ck_assert_ptr_ne(first, mine); /* the context's own copy */
    memset(mine, 0, sizeof(mine));
    check_peer_id(ctx, (const unsigned char[]){'p', 'e', 'e', 'r', 0, 1, 2, 0xff}, 8);
    /* +0: the same copy every time until it is replaced. */
    const void *second = NULL;
    ck_assert_int_eq(SSLGetPeerID(ctx, &second, &len), errSecSuccess);
    ck_assert_ptr_eq(first, second);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_id_is_replaced)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetPeerID(ctx, "host:443", 8), errSecSuccess);
    check_peer_id(ctx, "host:443", 8);
    ck_assert_int_eq(SSLSetPeerID(ctx, "other-host.example:8443", 23), errSecSuccess);
    check_peer_id(ctx, "other-host.example:8443", 23);
    ck_assert_int_eq(SSLSetPeerID(ctx, "x", 1), errSecSuccess);
    check_peer_id(ctx, "x", 1);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_id_refuses_empty_ids)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetPeerID(ctx, NULL, 4), errSecParam);
    ck_assert_int_eq(SSLSetPeerID(ctx, "abcd", 0), errSecParam);
    ck_assert_int_eq(SSLSetPeerID(ctx, NULL, 0), errSecParam);
    check_peer_id(ctx, NULL, 0);
    /* A refused call does not clear what was set. */
    ck_assert_int_eq(SSLSetPeerID(ctx, "kept", 4), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerID(ctx, NULL, 4), errSecParam);
    ck_assert_int_eq(SSLSetPeerID(ctx, "gone", 0), errSecParam);
    check_peer_id(ctx, "kept", 4);
    CFRelease(ctx);
}
END_TEST

START_TEST(peer_id_calls_refuse_bad_arguments)
{
    SSLContextRef ctx = new_client();
    const void *id = NULL;
    size_t len = 0;
    ck_assert_int_eq(SSLGetPeerID(ctx, NULL, &len), errSecParam);
    ck_assert_int_eq(SSLGetPeerID(ctx, &id, NULL), errSecParam);
    ck_assert_int_eq(SSLGetPeerID(ctx, NULL, NULL), errSecParam);
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLContextRef bad[] = {NULL, released};
    for (size_t i = 0; i < 2; i++) {
        id = (const void *)(uintptr_t)0x77;
        len = 0x5a5a;
        ck_assert_int_eq(SSLSetPeerID(bad[i], "id", 2), errSecParam);
        ck_assert_int_eq(SSLGetPeerID(bad[i], &id, &len), errSecParam);
        ck_assert_ptr_eq(id, (const void *)(uintptr_t)0x77);
        ck_assert_uint_eq(len, 0x5a5a);
    }
    CFRelease(ctx);
}
END_TEST

/* Mid-handshake, a peer ID may be set only while a client certificate request is pending. */
START_TEST(peer_id_while_certificate_requested)
{
    static const struct {
        SSLClientCertificateState cert_state;
        OSStatus expected;
    } cases[] = {
        {kSSLClientCertNone, errSecBadReq},
        {kSSLClientCertRequested, errSecSuccess},
        {kSSLClientCertSent, errSecBadReq},
        {kSSLClientCertRejected, errSecBadReq},
    };
    static const enum st_state active[] = {ST_STATE_HANDSHAKE, ST_STATE_CONNECTED};
    for (size_t a = 0; a < 2; a++) {
        SSLContextRef ctx = new_client();
        ck_assert_int_eq(SSLSetPeerID(ctx, "before", 6), errSecSuccess);
        st_test_force_state(ctx, active[a]);
        internal(ctx)->session.client_cert_state = cases[_i].cert_state;
        ck_assert_int_eq(SSLSetPeerID(ctx, "during", 6), cases[_i].expected);
        check_peer_id(ctx, cases[_i].expected == errSecSuccess ? "during" : "before", 6);
        CFRelease(ctx);
    }
}
END_TEST

/* ---- client authentication ------------------------------------------------------------------ */

static SSLAuthenticate client_auth(SSLContextRef ctx)
{
    SSLAuthenticate auth = (SSLAuthenticate)77;
    ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, &auth), errSecSuccess);
    return auth;
}

START_TEST(client_auth_defaults)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    ck_assert_int_eq(client_auth(ctx), kNeverAuthenticate);
    SSLClientCertificateState state = (SSLClientCertificateState)77;
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLClientCertNone);
    CFRelease(ctx);
}
END_TEST

START_TEST(client_auth_accepts_the_three_values)
{
    static const SSLAuthenticate values[] = {kAlwaysAuthenticate, kTryAuthenticate,
                                             kNeverAuthenticate, kTryAuthenticate,
                                             kAlwaysAuthenticate};
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, values[i]), errSecSuccess);
        ck_assert_int_eq(client_auth(ctx), values[i]);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(client_auth_refuses_other_values)
{
    static const SSLAuthenticate refused[] = {
        (SSLAuthenticate)3,       (SSLAuthenticate)4,       (SSLAuthenticate)-1,
        (SSLAuthenticate)INT_MIN, (SSLAuthenticate)INT_MAX, (SSLAuthenticate)100,
    };
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, kTryAuthenticate), errSecSuccess);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        ck_assert_msg(SSLSetClientSideAuthenticate(ctx, refused[i]) == errSecParam,
                      "value %d accepted", (int)refused[i]);
        ck_assert_int_eq(client_auth(ctx), kTryAuthenticate);
    }
    CFRelease(ctx);
}
END_TEST

START_TEST(client_auth_calls_refuse_bad_arguments)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLGetClientSideAuthenticate(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, NULL), errSecParam);
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLContextRef bad[] = {NULL, released};
    for (size_t i = 0; i < 2; i++) {
        SSLAuthenticate auth = (SSLAuthenticate)77;
        SSLClientCertificateState state = (SSLClientCertificateState)77;
        ck_assert_int_eq(SSLSetClientSideAuthenticate(bad[i], kAlwaysAuthenticate), errSecParam);
        ck_assert_int_eq(SSLGetClientSideAuthenticate(bad[i], &auth), errSecParam);
        ck_assert_int_eq(SSLGetClientCertificateState(bad[i], &state), errSecParam);
        ck_assert_int_eq(auth, 77);
        ck_assert_int_eq(state, 77);
    }
    CFRelease(ctx);
}
END_TEST

/* ---- DTLS ----------------------------------------------------------------------------------- */

static size_t record_size(SSLContextRef ctx)
{
    size_t size = 0x5a5a;
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, &size), errSecSuccess);
    return size;
}

static size_t write_size(SSLContextRef ctx)
{
    size_t size = 0x5a5a;
    ck_assert_int_eq(SSLGetDatagramWriteSize(ctx, &size), errSecSuccess);
    return size;
}

START_TEST(dtls_defaults)
{
    SSLContextRef ctx =
        st_test_context(_i == 0 ? kSSLClientSide : kSSLServerSide, kSSLDatagramType);
    ck_assert_uint_eq(record_size(ctx), 1400);
    ck_assert_uint_eq(write_size(ctx), 1327);
    ck_assert_uint_eq(internal(ctx)->dtls_cookie_len, 0);
    CFRelease(ctx);
}
END_TEST

/* Record sizes and the plaintext a datagram of that size carries. */
static const struct {
    size_t size;
    OSStatus status;
    size_t write; /* SSLGetDatagramWriteSize afterwards; for refusals the previous 1000 -> 927 */
} record_sizes[] = {
    {1400, errSecSuccess, 1327},  {256, errSecSuccess, 191},
    {257, errSecSuccess, 191},    {272, errSecSuccess, 207},
    {1001, errSecSuccess, 927},   {1500, errSecSuccess, 1423},
    {9000, errSecSuccess, 8927},  {65535, errSecSuccess, 65471},
    {255, errSecParam, 927},      {64, errSecParam, 927},
    {0, errSecParam, 927},        {65536, errSecParam, 927},
    {SIZE_MAX, errSecParam, 927}, {(size_t)UINT32_MAX + 1400, errSecParam, 927},
};
#define RECORD_SIZES ((int)(sizeof(record_sizes) / sizeof(record_sizes[0])))

START_TEST(dtls_record_size)
{
    SSLContextRef ctx = new_datagram();
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(ctx, 1000), errSecSuccess);
    ck_assert_uint_eq(record_size(ctx), 1000);
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(ctx, record_sizes[_i].size),
                     record_sizes[_i].status);
    size_t want = record_sizes[_i].status == errSecSuccess ? record_sizes[_i].size : 1000;
    ck_assert_uint_eq(record_size(ctx), want);
    ck_assert_uint_eq(write_size(ctx), record_sizes[_i].write);
    CFRelease(ctx);
}
END_TEST

static void check_cookie(SSLContextRef ctx, const void *want, size_t want_len)
{
    const struct st_context *c = internal(ctx);
    ck_assert_uint_eq(c->dtls_cookie_len, want_len);
    if (want_len > 0)
        ck_assert_int_eq(memcmp(c->dtls_cookie, want, want_len), 0);
}

START_TEST(dtls_cookie)
{
    unsigned char cookie[40];
    for (size_t i = 0; i < sizeof(cookie); i++)
        cookie[i] = (unsigned char)(0xa0 + i);
    unsigned char expect[40];
    memcpy(expect, cookie, sizeof(expect));

    SSLContextRef ctx = new_datagram();
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, cookie, 32), errSecSuccess);
    memset(cookie, 0, sizeof(cookie)); /* the context kept its own copy */
    check_cookie(ctx, expect, 32);

    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, expect, 33), errSecParam);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, expect, SIZE_MAX), errSecParam);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 1), errSecParam);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 32), errSecParam);
    check_cookie(ctx, expect, 32);

    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, expect + 3, 5), errSecSuccess);
    check_cookie(ctx, expect + 3, 5);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, expect, 1), errSecSuccess);
    check_cookie(ctx, expect, 1);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 0), errSecSuccess);
    check_cookie(ctx, NULL, 0);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, expect, 0), errSecSuccess);
    check_cookie(ctx, NULL, 0);
    CFRelease(ctx);
}
END_TEST

START_TEST(dtls_calls_refuse_stream_contexts)
{
    SSLContextRef ctx = st_test_context(_i == 0 ? kSSLClientSide : kSSLServerSide, kSSLStreamType);
    size_t size = 0x5a5a;
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, "cookie", 6), errSecParam);
    ck_assert_int_eq(SSLSetDatagramHelloCookie(ctx, NULL, 0), errSecParam);
    ck_assert_int_eq(SSLSetMaxDatagramRecordSize(ctx, 1400), errSecParam);
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, &size), errSecParam);
    ck_assert_int_eq(SSLGetDatagramWriteSize(ctx, &size), errSecParam);
    ck_assert_uint_eq(size, 0x5a5a);
    CFRelease(ctx);
}
END_TEST

START_TEST(dtls_calls_refuse_bad_arguments)
{
    SSLContextRef ctx = new_datagram();
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetDatagramWriteSize(ctx, NULL), errSecParam);
    SSLContextRef released = new_datagram();
    CFRelease(released);
    SSLContextRef bad[] = {NULL, released};
    for (size_t i = 0; i < 2; i++) {
        size_t size = 0x5a5a;
        ck_assert_int_eq(SSLSetDatagramHelloCookie(bad[i], "c", 1), errSecParam);
        ck_assert_int_eq(SSLSetMaxDatagramRecordSize(bad[i], 1400), errSecParam);
        ck_assert_int_eq(SSLGetMaxDatagramRecordSize(bad[i], &size), errSecParam);
        ck_assert_int_eq(SSLGetDatagramWriteSize(bad[i], &size), errSecParam);
        ck_assert_uint_eq(size, 0x5a5a);
    }
    CFRelease(ctx);
}
END_TEST

/* ---- SPI setters ---------------------------------------------------------------------------- */

START_TEST(spi_setters_store_their_values)
{
    SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
    static const uint32_t timeouts[] = {3600, 0, UINT32_MAX, 1};
    for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
        ck_assert_int_eq(SSLSetSessionCacheTimeout(ctx, timeouts[i]), errSecSuccess);
        ck_assert_uint_eq(internal(ctx)->session_cache_timeout, timeouts[i]);
    }
    static const unsigned bits[] = {2048, 1024, 0, UINT_MAX, 4096};
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        ck_assert_int_eq(SSLSetMinimumDHGroupSize(ctx, bits[i]), errSecSuccess);
        ck_assert_uint_eq(internal(ctx)->min_dh_group_bits, bits[i]);
    }
    ck_assert_int_eq(SSLSetDHEEnabled(ctx, false), errSecSuccess);
    ck_assert(!internal(ctx)->dhe_enabled);
    ck_assert_int_eq(SSLSetDHEEnabled(ctx, true), errSecSuccess);
    ck_assert(internal(ctx)->dhe_enabled);
    ck_assert_int_eq(SSLSetDHEEnabled(ctx, false), errSecSuccess);
    ck_assert(!internal(ctx)->dhe_enabled);
    CFRelease(ctx);
}
END_TEST

START_TEST(spi_setters_refuse_bad_contexts)
{
    SSLContextRef released = new_client();
    CFRelease(released);
    SSLContextRef bad[] = {NULL, released};
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(SSLSetSessionCacheTimeout(bad[i], 60), errSecParam);
        ck_assert_int_eq(SSLSetMinimumDHGroupSize(bad[i], 2048), errSecParam);
        ck_assert_int_eq(SSLSetDHEEnabled(bad[i], true), errSecParam);
    }
}
END_TEST

/* ---- every setter in every session state ---------------------------------------------------- */

/*
 * A setter under test: `apply` makes one change from a fresh context's
 * settings, `unchanged` checks the fresh settings are still there and
 * `changed` that the change took. `active_check` says whether the setter
 * refuses a handshake in progress or done with errSecBadReq.
 */
struct state_case {
    const char *name;
    SSLProtocolSide side;
    SSLConnectionType type;
    bool active_check;
    OSStatus (*apply)(SSLContextRef);
    void (*unchanged)(SSLContextRef);
    void (*changed)(SSLContextRef);
};

static OSStatus apply_option(SSLContextRef ctx)
{
    return SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, 2);
}
static void option_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(get_option(ctx, kSSLSessionOptionBreakOnServerAuth), 0);
    ck_assert_int_eq(cert_verify(ctx), 1);
}
static void option_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(get_option(ctx, kSSLSessionOptionBreakOnServerAuth), 2);
    ck_assert_int_eq(cert_verify(ctx), 0);
}

static OSStatus apply_verify(SSLContextRef ctx)
{
    return SSLSetEnableCertVerify(ctx, false);
}
static void verify_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(cert_verify(ctx), 1);
}
static void verify_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(cert_verify(ctx), 0);
}

static OSStatus apply_peer_name(SSLContextRef ctx)
{
    return SSLSetPeerDomainName(ctx, "state.example", 13);
}
static void peer_name_unchanged(SSLContextRef ctx)
{
    ck_assert_uint_eq(name_length(ctx), 0);
}
static void peer_name_changed(SSLContextRef ctx)
{
    check_name(ctx, "state.example", 13, 13);
}

static OSStatus apply_peer_id(SSLContextRef ctx)
{
    return SSLSetPeerID(ctx, "state-id", 8);
}
static void peer_id_unchanged(SSLContextRef ctx)
{
    check_peer_id(ctx, NULL, 0);
}
static void peer_id_changed(SSLContextRef ctx)
{
    check_peer_id(ctx, "state-id", 8);
}

static int connection_marker;
static OSStatus apply_connection(SSLContextRef ctx)
{
    return SSLSetConnection(ctx, &connection_marker);
}
static void connection_unchanged(SSLContextRef ctx)
{
    SSLConnectionRef conn = &connection_marker;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_null(conn);
}
static void connection_changed(SSLContextRef ctx)
{
    SSLConnectionRef conn = NULL;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_eq(conn, &connection_marker);
}

static OSStatus apply_io_funcs(SSLContextRef ctx)
{
    return SSLSetIOFuncs(ctx, other_read_cb, other_write_cb);
}
static void io_funcs_unchanged(SSLContextRef ctx)
{
    ck_assert_ptr_null(internal(ctx)->read_func);
    ck_assert_ptr_null(internal(ctx)->write_func);
}
static void io_funcs_changed(SSLContextRef ctx)
{
    ck_assert_ptr_eq(internal(ctx)->read_func, other_read_cb);
    ck_assert_ptr_eq(internal(ctx)->write_func, other_write_cb);
}

static OSStatus apply_client_auth(SSLContextRef ctx)
{
    return SSLSetClientSideAuthenticate(ctx, kAlwaysAuthenticate);
}
static void client_auth_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(client_auth(ctx), kNeverAuthenticate);
}
static void client_auth_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(client_auth(ctx), kAlwaysAuthenticate);
}

static OSStatus apply_cookie(SSLContextRef ctx)
{
    return SSLSetDatagramHelloCookie(ctx, "state-cookie", 12);
}
static void cookie_unchanged(SSLContextRef ctx)
{
    check_cookie(ctx, NULL, 0);
}
static void cookie_changed(SSLContextRef ctx)
{
    check_cookie(ctx, "state-cookie", 12);
}

static OSStatus apply_tickets(SSLContextRef ctx)
{
    return SSLSetSessionTicketsEnabled(ctx, true);
}
static void tickets_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 0);
}
static void tickets_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(internal(ctx)->session_options[kSSLSessionOptionEnableSessionTickets], 1);
}

static OSStatus apply_any_root(SSLContextRef ctx)
{
    return SSLSetAllowsAnyRoot(ctx, true);
}
static Boolean any_root(SSLContextRef ctx)
{
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &value), errSecSuccess);
    return value;
}
static void any_root_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(any_root(ctx), 0);
}
static void any_root_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(any_root(ctx), 1);
}

static OSStatus apply_blinding(SSLContextRef ctx)
{
    return SSLSetRsaBlinding(ctx, false);
}
static Boolean blinding(SSLContextRef ctx)
{
    Boolean value = UNTOUCHED;
    ck_assert_int_eq(SSLGetRsaBlinding(ctx, &value), errSecSuccess);
    return value;
}
static void blinding_unchanged(SSLContextRef ctx)
{
    ck_assert_int_eq(blinding(ctx), 1);
}
static void blinding_changed(SSLContextRef ctx)
{
    ck_assert_int_eq(blinding(ctx), 0);
}

static OSStatus apply_record_size(SSLContextRef ctx)
{
    return SSLSetMaxDatagramRecordSize(ctx, 1001);
}
static void record_size_unchanged(SSLContextRef ctx)
{
    ck_assert_uint_eq(record_size(ctx), 1400);
}
static void record_size_changed(SSLContextRef ctx)
{
    ck_assert_uint_eq(record_size(ctx), 1001);
    ck_assert_uint_eq(write_size(ctx), 927);
}

static OSStatus apply_cache_timeout(SSLContextRef ctx)
{
    return SSLSetSessionCacheTimeout(ctx, 1234);
}
static void cache_timeout_unchanged(SSLContextRef ctx)
{
    ck_assert_uint_ne(internal(ctx)->session_cache_timeout, 1234);
}
static void cache_timeout_changed(SSLContextRef ctx)
{
    ck_assert_uint_eq(internal(ctx)->session_cache_timeout, 1234);
}

static const struct state_case state_cases[] = {
    {"SSLSetSessionOption", kSSLClientSide, kSSLStreamType, true, apply_option, option_unchanged,
     option_changed},
    {"SSLSetEnableCertVerify", kSSLClientSide, kSSLStreamType, true, apply_verify, verify_unchanged,
     verify_changed},
    {"SSLSetPeerDomainName", kSSLClientSide, kSSLStreamType, true, apply_peer_name,
     peer_name_unchanged, peer_name_changed},
    {"SSLSetPeerID", kSSLClientSide, kSSLStreamType, true, apply_peer_id, peer_id_unchanged,
     peer_id_changed},
    {"SSLSetPeerID (server)", kSSLServerSide, kSSLStreamType, true, apply_peer_id,
     peer_id_unchanged, peer_id_changed},
    {"SSLSetConnection", kSSLClientSide, kSSLStreamType, true, apply_connection,
     connection_unchanged, connection_changed},
    {"SSLSetConnection (datagram)", kSSLServerSide, kSSLDatagramType, true, apply_connection,
     connection_unchanged, connection_changed},
    {"SSLSetIOFuncs", kSSLServerSide, kSSLStreamType, true, apply_io_funcs, io_funcs_unchanged,
     io_funcs_changed},
    {"SSLSetClientSideAuthenticate", kSSLServerSide, kSSLStreamType, true, apply_client_auth,
     client_auth_unchanged, client_auth_changed},
    {"SSLSetDatagramHelloCookie", kSSLClientSide, kSSLDatagramType, true, apply_cookie,
     cookie_unchanged, cookie_changed},
    /* Setters without an active-session check. */
    {"SSLSetSessionTicketsEnabled", kSSLClientSide, kSSLStreamType, false, apply_tickets,
     tickets_unchanged, tickets_changed},
    {"SSLSetAllowsAnyRoot", kSSLClientSide, kSSLStreamType, false, apply_any_root,
     any_root_unchanged, any_root_changed},
    {"SSLSetRsaBlinding", kSSLServerSide, kSSLStreamType, false, apply_blinding, blinding_unchanged,
     blinding_changed},
    {"SSLSetMaxDatagramRecordSize", kSSLClientSide, kSSLDatagramType, false, apply_record_size,
     record_size_unchanged, record_size_changed},
    {"SSLSetSessionCacheTimeout", kSSLClientSide, kSSLStreamType, false, apply_cache_timeout,
     cache_timeout_unchanged, cache_timeout_changed},
};
#define STATE_CASES ((int)(sizeof(state_cases) / sizeof(state_cases[0])))

START_TEST(setters_in_each_state)
{
    const struct state_case *c = &state_cases[_i / STATES];
    int s = _i % STATES;
    SSLContextRef ctx = st_test_context(c->side, c->type);
    c->unchanged(ctx);
    st_test_force_state(ctx, states[s].state);
    OSStatus got = c->apply(ctx);
    bool refused = c->active_check && states[s].active;
    ck_assert_msg(got == (refused ? errSecBadReq : errSecSuccess), "%s in state %d: %d", c->name,
                  (int)states[s].state, (int)got);
    if (refused)
        c->unchanged(ctx);
    else
        c->changed(ctx);
    CFRelease(ctx);
}
END_TEST

/* One context refused while active takes the same call once the session has ended. */
START_TEST(setters_work_again_after_the_session)
{
    static const enum st_state ends[] = {ST_STATE_CLOSED, ST_STATE_ERROR_CLOSED};
    for (size_t e = 0; e < 2; e++) {
        const struct state_case *c = &state_cases[_i];
        SSLContextRef ctx = st_test_context(c->side, c->type);
        st_test_force_state(ctx, ST_STATE_HANDSHAKE);
        ck_assert_int_eq(c->apply(ctx), c->active_check ? errSecBadReq : errSecSuccess);
        if (c->active_check) {
            c->unchanged(ctx);
            st_test_force_state(ctx, ST_STATE_CONNECTED);
            ck_assert_int_eq(c->apply(ctx), errSecBadReq);
            c->unchanged(ctx);
        }
        st_test_force_state(ctx, ends[e]);
        ck_assert_int_eq(c->apply(ctx), errSecSuccess);
        c->changed(ctx);
        CFRelease(ctx);
    }
}
END_TEST

/* A setter's refusal in an active state also keeps a non-default value, not just the default. */
START_TEST(refusal_keeps_a_configured_value)
{
    SSLContextRef ctx = new_client();
    ck_assert_int_eq(SSLSetConnection(ctx, (SSLConnectionRef)(uintptr_t)0xabc), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "first.example", 13), errSecSuccess);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, read_cb, write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, kTryAuthenticate), errSecSuccess);
    ck_assert_int_eq(SSLSetSessionOption(ctx, kSSLSessionOptionFalseStart, 3), errSecSuccess);
    st_test_force_state(ctx, ST_STATE_CONNECTED);

    ck_assert_int_eq(SSLSetConnection(ctx, NULL), errSecBadReq);
    SSLConnectionRef conn = NULL;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_eq(conn, (SSLConnectionRef)(uintptr_t)0xabc);

    ck_assert_int_eq(SSLSetPeerDomainName(ctx, NULL, 0), errSecBadReq);
    check_name(ctx, "first.example", 13, 64);

    ck_assert_int_eq(SSLSetIOFuncs(ctx, NULL, NULL), errSecBadReq);
    ck_assert_ptr_eq(internal(ctx)->read_func, read_cb);
    ck_assert_ptr_eq(internal(ctx)->write_func, write_cb);

    ck_assert_int_eq(SSLSetClientSideAuthenticate(ctx, kNeverAuthenticate), errSecBadReq);
    ck_assert_int_eq(client_auth(ctx), kTryAuthenticate);

    ck_assert_int_eq(SSLSetSessionOption(ctx, kSSLSessionOptionFalseStart, 0), errSecBadReq);
    ck_assert_int_eq(get_option(ctx, kSSLSessionOptionFalseStart), 3);
    CFRelease(ctx);
}
END_TEST

/* Getters have no state check. */
START_TEST(getters_answer_in_every_state)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLDatagramType);
    st_test_force_state(ctx, states[_i].state);
    ck_assert_int_eq(get_option(ctx, kSSLSessionOptionSendOneByteRecord), 1);
    ck_assert_int_eq(cert_verify(ctx), 1);
    ck_assert_int_eq(any_root(ctx), 0);
    ck_assert_int_eq(blinding(ctx), 1);
    ck_assert_uint_eq(name_length(ctx), 0);
    check_peer_id(ctx, NULL, 0);
    ck_assert_int_eq(client_auth(ctx), kNeverAuthenticate);
    SSLClientCertificateState cs = (SSLClientCertificateState)77;
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, &cs), errSecSuccess);
    ck_assert_int_eq(cs, kSSLClientCertNone);
    SSLConnectionRef conn = &connection_marker;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_null(conn);
    ck_assert_uint_eq(record_size(ctx), 1400);
    ck_assert_uint_eq(write_size(ctx), 1327);
    size_t len = 99;
    ck_assert_int_eq(SSLCopyRequestedPeerNameLength(ctx, &len), errSecSuccess);
    ck_assert_uint_eq(len, 0);
    CFRelease(ctx);
}
END_TEST

static Suite *context_config_suite(void)
{
    Suite *s = suite_create("context_config");

    TCase *tc = tcase_create("options");
    tcase_add_loop_test(tc, option_defaults, 0, ST_TEST_KINDS);
    tcase_add_test(tc, option_getter_refuses_write_only_and_unknown_options);
    tcase_add_test(tc, option_setter_refuses_unknown_options);
    tcase_add_loop_test(tc, option_bytes_are_kept_raw, 0, RAW_OPTIONS);
    tcase_add_test(tc, server_identity_change_reads_back_as_bool);
    tcase_add_loop_test(tc, options_are_independent, 0, READABLE_OPTIONS);
    tcase_add_loop_test(tc, break_on_auth_options_switch_verification, 0, 2);
    tcase_add_test(tc, other_options_leave_verification_alone);
    tcase_add_test(tc, option_calls_refuse_null_arguments);
    tcase_add_test(tc, session_tickets_switch);
    suite_add_tcase(s, tc);

    tc = tcase_create("verification");
    tcase_add_loop_test(tc, verification_switch_defaults, 0, ST_TEST_KINDS);
    tcase_add_loop_test(tc, verification_switches_read_back, 0, SWITCHES);
    tcase_add_test(tc, allows_expired_calls_are_inert);
    suite_add_tcase(s, tc);

    tc = tcase_create("io");
    tcase_add_loop_test(tc, connection_defaults_to_null, 0, ST_TEST_KINDS);
    tcase_add_loop_test(tc, connection_round_trips_bit_for_bit, 0, ST_TEST_KINDS);
    tcase_add_test(tc, connection_calls_refuse_bad_arguments);
    tcase_add_loop_test(tc, io_funcs_are_stored, 0, ST_TEST_KINDS);
    suite_add_tcase(s, tc);

    tc = tcase_create("peer_name");
    tcase_add_loop_test(tc, peer_name_fresh_is_empty, 0, ST_TEST_KINDS);
    tcase_add_test(tc, peer_name_round_trip);
    tcase_add_test(tc, peer_name_buffer_too_small);
    tcase_add_loop_test(tc, peer_name_storage_rules, 0, NAME_CASES);
    tcase_add_test(tc, peer_name_is_copied_and_replaced);
    tcase_add_test(tc, peer_name_null_with_length_is_refused);
    tcase_add_loop_test(tc, peer_name_ignored_by_servers, 0, 2);
    tcase_add_test(tc, peer_name_calls_refuse_bad_arguments);
    tcase_add_loop_test(tc, requested_peer_name_fresh_is_empty, 0, ST_TEST_KINDS);
    suite_add_tcase(s, tc);

    tc = tcase_create("peer_id");
    tcase_add_loop_test(tc, peer_id_fresh_is_unset, 0, ST_TEST_KINDS);
    tcase_add_loop_test(tc, peer_id_is_copied, 0, ST_TEST_KINDS);
    tcase_add_test(tc, peer_id_is_replaced);
    tcase_add_test(tc, peer_id_refuses_empty_ids);
    tcase_add_test(tc, peer_id_calls_refuse_bad_arguments);
    tcase_add_loop_test(tc, peer_id_while_certificate_requested, 0, 4);
    suite_add_tcase(s, tc);

    tc = tcase_create("client_auth");
    tcase_add_loop_test(tc, client_auth_defaults, 0, ST_TEST_KINDS);
    tcase_add_loop_test(tc, client_auth_accepts_the_three_values, 0, ST_TEST_KINDS);
    tcase_add_test(tc, client_auth_refuses_other_values);
    tcase_add_test(tc, client_auth_calls_refuse_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("dtls");
    tcase_add_loop_test(tc, dtls_defaults, 0, 2);
    tcase_add_loop_test(tc, dtls_record_size, 0, RECORD_SIZES);
    tcase_add_test(tc, dtls_cookie);
    tcase_add_loop_test(tc, dtls_calls_refuse_stream_contexts, 0, 2);
    tcase_add_test(tc, dtls_calls_refuse_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("spi");
    tcase_add_loop_test(tc, spi_setters_store_their_values, 0, ST_TEST_KINDS);
    tcase_add_test(tc, spi_setters_refuse_bad_contexts);
    suite_add_tcase(s, tc);

    tc = tcase_create("states");
    tcase_add_loop_test(tc, setters_in_each_state, 0, STATE_CASES * STATES);
    tcase_add_loop_test(tc, setters_work_again_after_the_session, 0, STATE_CASES);
    tcase_add_test(tc, refusal_keeps_a_configured_value);
    tcase_add_loop_test(tc, getters_answer_in_every_state, 0, STATES);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return st_test_run(context_config_suite());
}
