/*
 * Table-driven sweep over every entry point of st_api.def, called through
 * libffi from its signature string: a NULL, forged, released or wrong-kind
 * context gets exactly the status its guards promise, and hostile arguments
 * (NULL pointers, huge lengths, out-of-range enums) never crash.
 */
#include <ffi.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "st_test.h"

#define MAX_ARGS 8

/* How an argument is filled in a sweep. */
enum fill { FILL_ZERO, FILL_HOSTILE };

struct signature {
    ffi_cif cif;
    ffi_type *ret;
    ffi_type *args[MAX_ARGS];
    unsigned nargs;
};

/* The C types of the table, by name; a type missing here fails the test. */
static ffi_type *ffi_type_of(const char *type)
{
    static const struct {
        const char *name;
        ffi_type *ffi;
    } scalars[] = {
        {"OSStatus", &ffi_type_sint32},         {"SSLProtocol", &ffi_type_sint32},
        {"SSLSessionOption", &ffi_type_sint32}, {"SSLAuthenticate", &ffi_type_sint32},
        {"SSLProtocolSide", &ffi_type_sint32},  {"SSLConnectionType", &ffi_type_sint32},
        {"Boolean", &ffi_type_uint8},           {"bool", &ffi_type_uint8},
        {"size_t", &ffi_type_uint64},           {"uint32_t", &ffi_type_uint32},
        {"unsigned", &ffi_type_uint32},         {"CFTypeID", &ffi_type_uint64},
        {"SSLContextRef", &ffi_type_pointer},   {"SSLConnectionRef", &ffi_type_pointer},
        {"SSLReadFunc", &ffi_type_pointer},     {"SSLWriteFunc", &ffi_type_pointer},
        {"CFAllocatorRef", &ffi_type_pointer},  {"CFArrayRef", &ffi_type_pointer},
        {"CFStringRef", &ffi_type_pointer},     {"CFDataRef", &ffi_type_pointer},
        {"CFTypeRef", &ffi_type_pointer},       {"SecTrustRef", &ffi_type_pointer},
    };
    if (strchr(type, '*') != NULL)
        return &ffi_type_pointer;
    for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
        if (strcmp(scalars[i].name, type) == 0)
            return scalars[i].ffi;
    return NULL;
}

/* "const SSLCipherSuite *ciphers" -> "const SSLCipherSuite *"; trims the name. */
static void param_type(const char *param, size_t len, char *out, size_t out_size)
{
    while (len > 0 && param[0] == ' ')
        param++, len--;
    size_t end = len;
    while (end > 0 && param[end - 1] == ' ')
        end--;
    size_t name_start = end;
    while (name_start > 0 && (param[name_start - 1] == '_' ||
                              (param[name_start - 1] >= 'a' && param[name_start - 1] <= 'z') ||
                              (param[name_start - 1] >= 'A' && param[name_start - 1] <= 'Z') ||
                              (param[name_start - 1] >= '0' && param[name_start - 1] <= '9')))
        name_start--;
    /* "void" alone has no name; a lone word is a type. */
    if (name_start == 0)
        name_start = end;
    while (name_start > 0 && param[name_start - 1] == ' ')
        name_start--;
    size_t n = name_start < out_size - 1 ? name_start : out_size - 1;
    memcpy(out, param, n);
    out[n] = '\0';
}

static void signature_of(const struct st_api_entry *e, struct signature *sig)
{
    memset(sig, 0, sizeof(*sig));
    sig->ret = ffi_type_of(e->return_type);
    ck_assert_msg(sig->ret != NULL, "%s: return type %s unknown", e->name, e->return_type);

    const char *p = e->params + 1; /* past "(" */
    const char *close = strrchr(e->params, ')');
    ck_assert_ptr_nonnull(close);
    while (p < close) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *stop = comma != NULL ? comma : close;
        char type[64];
        param_type(p, (size_t)(stop - p), type, sizeof(type));
        if (strcmp(type, "void") != 0) {
            ck_assert_uint_lt(sig->nargs, MAX_ARGS);
            sig->args[sig->nargs] = ffi_type_of(type);
            ck_assert_msg(sig->args[sig->nargs] != NULL, "%s: parameter type '%s' unknown", e->name,
                          type);
            sig->nargs++;
        }
        p = stop + 1;
    }
    ck_assert_int_eq(ffi_prep_cif(&sig->cif, FFI_DEFAULT_ABI, sig->nargs, sig->ret, sig->args),
                     FFI_OK);
}

/* The functions themselves, in table order. */
static void (*const entry_functions[ST_FUNCTION_COUNT])(void) = {
#define ST_FN(name, vis, ret, params, guards) [ST_ID_##name] = (void (*)(void))name,
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
};

/* Calls entry point `e` with `context` first and every other argument filled per `fill`. */
static OSStatus call_entry(const struct st_api_entry *e, const void *context, enum fill fill)
{
    struct signature sig;
    signature_of(e, &sig);
    void (*fn)(void) = entry_functions[e - st_api_table];
    ck_assert_ptr_nonnull(fn);

    union {
        uint64_t u64;
        uint32_t u32;
        int32_t s32;
        uint8_t u8;
        const void *ptr;
    } values[MAX_ARGS];
    void *argv[MAX_ARGS];
    for (unsigned i = 0; i < sig.nargs; i++) {
        memset(&values[i], 0, sizeof(values[i]));
        ffi_type *t = sig.args[i];
        if (i == 0 && t == &ffi_type_pointer)
            values[i].ptr = context;
        else if (fill == FILL_HOSTILE && t == &ffi_type_uint64)
            values[i].u64 = SIZE_MAX;
        else if (fill == FILL_HOSTILE && t == &ffi_type_uint32)
            values[i].u32 = UINT32_MAX;
        else if (fill == FILL_HOSTILE && t == &ffi_type_sint32)
            values[i].s32 = INT32_MIN;
        else if (fill == FILL_HOSTILE && t == &ffi_type_uint8)
            values[i].u8 = 0xFF;
        argv[i] = &values[i];
    }
    ffi_arg result = 0;
    ffi_call(&sig.cif, fn, &result, argv);
    return (OSStatus)(int32_t)result;
}

static bool takes_context(const struct st_api_entry *e)
{
    return e->guards != ST_NO_CONTEXT;
}

/* What a call with an unusable context pointer must answer. */
static OSStatus expected_for_bad_context(const struct st_api_entry *e)
{
    if (e->guards & ST_NOOP_SUCCESS)
        return errSecSuccess;
    if (e->guards & ST_NOOP_UNIMPLEMENTED)
        return errSecUnimplemented;
    return errSecParam;
}

static void check_bad_context(const void *context, const char *what)
{
    for (int i = 0; i < ST_FUNCTION_COUNT; i++) {
        const struct st_api_entry *e = &st_api_table[i];
        if (!takes_context(e))
            continue;
        for (enum fill fill = FILL_ZERO; fill <= FILL_HOSTILE; fill++) {
            OSStatus got = call_entry(e, context, fill);
            ck_assert_msg(got == expected_for_bad_context(e), "%s(%s): %d, expected %d", e->name,
                          what, (int)got, (int)expected_for_bad_context(e));
        }
    }
}

START_TEST(null_context_is_refused)
{
    check_bad_context(NULL, "NULL");
}
END_TEST

START_TEST(released_context_is_refused)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    CFRelease(ctx);
    /* Never dereferenced: AddressSanitizer would report a use after free. */
    check_bad_context(ctx, "released");
}
END_TEST

START_TEST(forged_context_is_refused)
{
    /* Things that are not contexts: a stack address, a heap block, a CF string, a small int. */
    int on_stack = 0;
    char *heap = calloc(1, 4096);
    ck_assert_ptr_nonnull(heap);
    CFStringRef string = CFSTR("not a context");
    check_bad_context(&on_stack, "stack");
    check_bad_context(heap, "heap");
    check_bad_context(string, "CFString");
    check_bad_context((const void *)(uintptr_t)1, "1");
    check_bad_context((const void *)UINTPTR_MAX, "UINTPTR_MAX");
    free(heap);
}
END_TEST

/* Results a call with a valid context and hostile other arguments may give. */
static bool acceptable_status(OSStatus s)
{
    return s == errSecSuccess || s == errSecParam || s == errSecBadReq ||
           s == errSecUnimplemented || s == errSSLIllegalParam || s == errSSLClosedGraceful;
}

START_TEST(hostile_arguments_never_crash)
{
    for (int i = 0; i < ST_FUNCTION_COUNT; i++) {
        const struct st_api_entry *e = &st_api_table[i];
        if (!takes_context(e) || strcmp(e->name, "SSLDisposeContext") == 0)
            continue;
        for (enum fill fill = FILL_ZERO; fill <= FILL_HOSTILE; fill++) {
            SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, st_test_kinds[_i].type);
            OSStatus got = call_entry(e, ctx, fill);
            ck_assert_msg(acceptable_status(got), "%s: unexpected %d", e->name, (int)got);
            CFRelease(ctx);
        }
    }
}
END_TEST

/* Every ST_INACTIVE entry point refuses a running or finished handshake with errSecBadReq. */
START_TEST(inactive_guard_refuses_active_sessions)
{
    static const enum st_state active[] = {ST_STATE_HANDSHAKE, ST_STATE_CONNECTED};
    for (size_t s = 0; s < 2; s++) {
        for (int i = 0; i < ST_FUNCTION_COUNT; i++) {
            const struct st_api_entry *e = &st_api_table[i];
            if (!(e->guards & ST_INACTIVE))
                continue;
            /* A context of the kind the other guards accept. */
            SSLConnectionType type = (e->guards & ST_DTLS_ONLY) ? kSSLDatagramType : kSSLStreamType;
            SSLContextRef ctx = st_test_context(st_test_kinds[_i].side, type);
            st_test_force_state(ctx, active[s]);
            ck_assert_msg(call_entry(e, ctx, FILL_ZERO) == errSecBadReq, "%s", e->name);
            CFRelease(ctx);
        }
    }
}
END_TEST

/* The kind guards: DTLS-only calls refuse stream contexts, stream-only ones datagram contexts. */
static const struct {
    unsigned guard;
    SSLConnectionType wrong_type;
    OSStatus expected;
    int functions; /* how many rows carry the guard */
} kind_guards[] = {
    {ST_DTLS_ONLY, kSSLStreamType, errSecParam, 4},
    {ST_STREAM_ONLY, kSSLDatagramType, errSecBadReq, 3},
};

START_TEST(kind_guards_refuse_the_other_kind)
{
    int checked = 0;
    for (int i = 0; i < ST_FUNCTION_COUNT; i++) {
        const struct st_api_entry *e = &st_api_table[i];
        if (!(e->guards & kind_guards[_i].guard))
            continue;
        SSLContextRef ctx = st_test_context(kSSLClientSide, kind_guards[_i].wrong_type);
        ck_assert_msg(call_entry(e, ctx, FILL_ZERO) == kind_guards[_i].expected, "%s", e->name);
        CFRelease(ctx);
        checked++;
    }
    ck_assert_int_eq(checked, kind_guards[_i].functions);
}
END_TEST

/* The table itself: 72 public functions plus the SPI, names unique, every type known. */
START_TEST(table_is_complete)
{
    int public_count = 0;
    for (int i = 0; i < ST_FUNCTION_COUNT; i++) {
        const struct st_api_entry *e = &st_api_table[i];
        ck_assert_ptr_nonnull(e->name);
        if (e->visibility == ST_PUBLIC)
            public_count++;
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(st_api_table[j].name, e->name);
        struct signature sig;
        signature_of(e, &sig); /* every type of the table is known */
    }
    ck_assert_int_eq(public_count, 72);
}
END_TEST

static Suite *entry_guard_suite(void)
{
    Suite *s = suite_create("entry_guards");
    TCase *tc = tcase_create("guards");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, table_is_complete);
    tcase_add_test(tc, null_context_is_refused);
    tcase_add_test(tc, released_context_is_refused);
    tcase_add_test(tc, forged_context_is_refused);
    tcase_add_loop_test(tc, hostile_arguments_never_crash, 0, ST_TEST_KINDS);
    tcase_add_loop_test(tc, inactive_guard_refuses_active_sessions, 0, 2);
    tcase_add_loop_test(tc, kind_guards_refuse_the_other_kind, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(entry_guard_suite());
}
