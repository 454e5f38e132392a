/*
 * Table-driven sweep over every entry point of st_api.def, called through
 * libffi with the types of st-abicheck's signature table: a NULL, forged, released or wrong-kind
 * context gets exactly the status its guards promise, and hostile arguments
 * (NULL pointers, huge lengths, out-of-range enums) never crash.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "abicheck.h"
#include "st_test.h"

/* How an argument is filled in a sweep. */
enum fill { FILL_ZERO, FILL_HOSTILE };

/*
 * The types come from st-abicheck's signature table, read once, and calls
 * go through its libffi caller: one description of the ABI for the checker
 * and this test, and a row missing from it fails here.
 */
static struct abi_table abi_types;

static void load_abi_types(void)
{
    ck_assert_msg(abi_table_load(ABI_TABLE_SOURCE, &abi_types), "cannot read %s", ABI_TABLE_SOURCE);
}

static void free_abi_types(void)
{
    abi_table_free(&abi_types);
}

/* The table's typed signature of entry point `e`; fails the test when it has none. */
static const struct abi_function *signature_of(const struct st_api_entry *e)
{
    const struct abi_function *f = abi_table_function(&abi_types, e->name);
    ck_assert_msg(f != NULL, "%s: not in the signature table", e->name);
    ck_assert_msg(f->typed, "%s: type %s unknown to the signature table", e->name, f->untyped);
    return f;
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
    const struct abi_function *f = signature_of(e);
    void (*fn)(void) = entry_functions[e - st_api_table];
    ck_assert_ptr_nonnull(fn);
    union abi_value args[ABI_MAX_PARAMS], ret;
    memset(args, 0, sizeof(args));
    for (unsigned i = 0; i < f->nparams; i++) {
        enum abi_prim prim = f->params[i].prim;
        if (i == 0 && prim == ABI_POINTER)
            args[i].p = (void *)(uintptr_t)context;
        else if (fill == FILL_HOSTILE && prim == ABI_UINT64)
            args[i].u = UINT64_MAX;
        else if (fill == FILL_HOSTILE && prim == ABI_UINT32)
            args[i].u = UINT32_MAX;
        else if (fill == FILL_HOSTILE && prim == ABI_SINT32)
            args[i].i = INT32_MIN;
        else if (fill == FILL_HOSTILE && prim == ABI_UINT8)
            args[i].u = 0xFF;
    }
    ck_assert_msg(abi_call(f, (void *)fn, args, &ret), "%s: not callable", e->name);
    return (OSStatus)ret.i;
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
        (void)signature_of(e); /* in the signature table, every type known */
    }
    ck_assert_int_eq(public_count, 72);
}
END_TEST

static Suite *entry_guard_suite(void)
{
    Suite *s = suite_create("entry_guards");
    TCase *tc = tcase_create("guards");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, load_abi_types, free_abi_types);
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
