/*
 * Context lifecycle: the constructors, the SSLContext CF class (type ID,
 * retain counts, equality, hash, description), disposal, and the handle
 * table's view of all of it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cf_string.h"
#include "st_test.h"

START_TEST(create_gives_one_reference_in_the_table)
{
    size_t before = st_context_table_count();
    SSLContextRef ctx = SSLCreateContext(kCFAllocatorDefault, kSSLClientSide, kSSLStreamType);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(CFGetRetainCount(ctx), 1);
    ck_assert_uint_eq(st_context_table_count(), before + 1);
    ck_assert_ptr_eq(st_context_table_find(ctx), (void *)ctx);
    CFRelease(ctx);
    ck_assert_uint_eq(st_context_table_count(), before);
    ck_assert_ptr_null(st_context_table_find(ctx));
}
END_TEST

START_TEST(type_id_is_stable_and_distinct)
{
    CFTypeID id = SSLContextGetTypeID();
    ck_assert_uint_ne(id, 0);
    ck_assert_uint_eq(SSLContextGetTypeID(), id);
    ck_assert_uint_ne(id, CFStringGetTypeID());
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLDatagramType);
    ck_assert_uint_eq(CFGetTypeID(ctx), id);
    CFStringRef name = CFCopyTypeIDDescription(id);
    ck_assert_str_eq(cf_string_utf8(name), "SSLContext");
    CFRelease(name);
    CFRelease(ctx);
}
END_TEST

/* Side and type: only kSSLServerSide is a server, only kSSLDatagramType is DTLS (Apple). */
static const struct {
    int side, type;
    bool server, datagram;
} kinds[] = {
    {kSSLServerSide, kSSLStreamType, true, false},
    {kSSLClientSide, kSSLStreamType, false, false},
    {kSSLServerSide, kSSLDatagramType, true, true},
    {kSSLClientSide, kSSLDatagramType, false, true},
    {7, 7, false, false},
    {-1, -1, false, false},
};

START_TEST(side_and_type_are_not_range_checked)
{
    SSLContextRef ref =
        SSLCreateContext(NULL, (SSLProtocolSide)kinds[_i].side, (SSLConnectionType)kinds[_i].type);
    ck_assert_ptr_nonnull(ref);
    struct st_context *ctx = st_context_table_find(ref);
    ck_assert_int_eq(ctx->server, kinds[_i].server);
    ck_assert_int_eq(ctx->datagram, kinds[_i].datagram);
    SSLSessionState state = kSSLAborted;
    ck_assert_int_eq(SSLGetSessionState(ref, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLIdle);
    CFRelease(ref);
}
END_TEST

START_TEST(retain_and_release_follow_cf_rules)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_ptr_eq(CFRetain(ctx), (void *)ctx);
    ck_assert_int_eq(CFGetRetainCount(ctx), 2);
    CFRelease(ctx);
    ck_assert_ptr_nonnull(st_context_table_find(ctx)); /* one reference left */
    ck_assert_int_eq(CFGetRetainCount(ctx), 1);
    CFRelease(ctx);
    ck_assert_ptr_null(st_context_table_find(ctx));
}
END_TEST

START_TEST(new_context_and_dispose)
{
    SSLContextRef ctx = NULL;
    ck_assert_int_eq(SSLNewContext(true, &ctx), errSecSuccess);
    ck_assert_ptr_nonnull(ctx);
    ck_assert(st_context_table_find(ctx)->server);
    ck_assert(!st_context_table_find(ctx)->datagram);
    ck_assert_int_eq(SSLDisposeContext(ctx), errSecSuccess);
    ck_assert_ptr_null(st_context_table_find(ctx));
    /* A second dispose of the same pointer is refused, not a double free. */
    ck_assert_int_eq(SSLDisposeContext(ctx), errSecParam);
    ck_assert_int_eq(SSLDisposeContext(NULL), errSecParam);
    ck_assert_int_eq(SSLNewContext(false, NULL), errSecParam);

    /* Any non-zero Boolean byte means server. */
    ck_assert_int_eq(SSLNewContext(2, &ctx), errSecSuccess);
    ck_assert(st_context_table_find(ctx)->server);
    CFRelease(ctx);
}
END_TEST

START_TEST(new_datagram_context)
{
    SSLContextRef ctx = NULL;
    ck_assert_int_eq(SSLNewDatagramContext(false, &ctx), errSecSuccess);
    ck_assert(!st_context_table_find(ctx)->server);
    ck_assert(st_context_table_find(ctx)->datagram);
    size_t mtu = 0;
    ck_assert_int_eq(SSLGetMaxDatagramRecordSize(ctx, &mtu), errSecSuccess);
    ck_assert_uint_eq(mtu, 1400);
    CFRelease(ctx);
    ck_assert_int_eq(SSLNewDatagramContext(true, NULL), errSecParam);
}
END_TEST

START_TEST(equality_hash_description)
{
    SSLContextRef a = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLContextRef b = st_test_context(kSSLServerSide, kSSLDatagramType);
    ck_assert(CFEqual(a, a));
    ck_assert(!CFEqual(a, b));
    ck_assert_uint_eq(CFHash(a), (CFHashCode)(uintptr_t)a);

    char expected[128];
    CFStringRef d = CFCopyDescription(a);
    snprintf(expected, sizeof(expected), "<SSLContext(%p) { client, stream, idle }>", (void *)a);
    ck_assert_str_eq(cf_string_utf8(d), expected);
    CFRelease(d);

    SSLClose(b);
    d = CFCopyDescription(b);
    snprintf(expected, sizeof(expected), "<SSLContext(%p) { server, datagram, closed }>",
             (void *)b);
    ck_assert_str_eq(cf_string_utf8(d), expected);
    CFRelease(d);
    CFRelease(a);
    CFRelease(b);
}
END_TEST

/* Fresh contexts carry the defaults of behaviour.md §2 and docs/design.md. */
START_TEST(defaults)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    Boolean b = 9;
    ck_assert_int_eq(SSLGetEnableCertVerify(ctx, &b), errSecSuccess);
    ck_assert_int_eq(b, true);
    ck_assert_int_eq(SSLGetRsaBlinding(ctx, &b), errSecSuccess);
    ck_assert_int_eq(b, true);
    ck_assert_int_eq(SSLGetAllowsAnyRoot(ctx, &b), errSecSuccess);
    ck_assert_int_eq(b, false);
    ck_assert_int_eq(SSLGetSessionOption(ctx, kSSLSessionOptionSendOneByteRecord, &b),
                     errSecSuccess);
    ck_assert_int_eq(b, true);
    SSLConnectionRef conn = (SSLConnectionRef)1;
    ck_assert_int_eq(SSLGetConnection(ctx, &conn), errSecSuccess);
    ck_assert_ptr_null(conn);
    SSLClientCertificateState cs = kSSLClientCertRejected;
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, &cs), errSecSuccess);
    ck_assert_int_eq(cs, kSSLClientCertNone);
    SSLProtocol p = kSSLProtocolAll;
    ck_assert_int_eq(SSLGetNegotiatedProtocolVersion(ctx, &p), errSecSuccess);
    ck_assert_int_eq(p, kSSLProtocolUnknown);
    CFRelease(ctx);
}
END_TEST

/* Many live contexts, released in another order than created. */
START_TEST(many_contexts)
{
    enum { N = 20000 };
    size_t before = st_context_table_count();
    SSLContextRef *all = malloc(N * sizeof(*all));
    ck_assert_ptr_nonnull(all);
    for (size_t i = 0; i < N; i++) {
        all[i] = st_test_context(kSSLClientSide, kSSLStreamType);
        ck_assert_int_eq(SSLSetConnection(all[i], (SSLConnectionRef)(uintptr_t)(i + 1)), 0);
    }
    ck_assert_uint_eq(st_context_table_count(), before + N);
    for (size_t i = 0; i < N; i += 3)
        CFRelease(all[i]);
    for (size_t i = 0; i < N; i++) {
        SSLConnectionRef c = NULL;
        OSStatus s = SSLGetConnection(all[i], &c);
        if (i % 3 == 0) {
            ck_assert_int_eq(s, errSecParam);
        } else {
            ck_assert_int_eq(s, errSecSuccess);
            ck_assert_ptr_eq(c, (void *)(uintptr_t)(i + 1));
        }
    }
    for (size_t i = 0; i < N; i++)
        if (i % 3 != 0)
            CFRelease(all[i]);
    ck_assert_uint_eq(st_context_table_count(), before);
    free(all);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("context_lifecycle");
    TCase *tc = tcase_create("lifecycle");
    tcase_add_test(tc, create_gives_one_reference_in_the_table);
    tcase_add_test(tc, type_id_is_stable_and_distinct);
    tcase_add_loop_test(tc, side_and_type_are_not_range_checked, 0,
                        sizeof(kinds) / sizeof(kinds[0]));
    tcase_add_test(tc, retain_and_release_follow_cf_rules);
    tcase_add_test(tc, new_context_and_dispose);
    tcase_add_test(tc, new_datagram_context);
    tcase_add_test(tc, equality_hash_description);
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, many_contexts);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
