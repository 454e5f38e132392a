/*
 * Cipher suites by IANA value and the named session configurations
 * (behaviour.md §11, docs/design.md: OpenSSL's suites, TLS 1.3 included).
 */
#include <stdlib.h>
#include <string.h>

#include "st_test.h"

static bool contains(const SSLCipherSuite *list, size_t n, SSLCipherSuite suite)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == suite)
            return true;
    return false;
}

START_TEST(supported_list_has_the_modern_suites)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    size_t n = 0;
    ck_assert_int_eq(SSLGetNumberSupportedCiphers(ctx, &n), errSecSuccess);
    ck_assert_uint_gt(n, 20);
    SSLCipherSuite *list = calloc(n, sizeof(*list));
    size_t small = n - 1;
    ck_assert_int_eq(SSLGetSupportedCiphers(ctx, list, &small), errSSLBufferOverflow);
    size_t cap = n;
    ck_assert_int_eq(SSLGetSupportedCiphers(ctx, list, &cap), errSecSuccess);
    ck_assert_uint_eq(cap, n);
    ck_assert(contains(list, n, TLS_AES_128_GCM_SHA256));
    ck_assert(contains(list, n, TLS_AES_256_GCM_SHA384));
    ck_assert(contains(list, n, TLS_CHACHA20_POLY1305_SHA256));
    ck_assert(contains(list, n, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    ck_assert(contains(list, n, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384));
    ck_assert(contains(list, n, TLS_RSA_WITH_AES_128_CBC_SHA));
    /* Never NULL encryption. */
    ck_assert(!contains(list, n, TLS_RSA_WITH_NULL_SHA256));
    ck_assert(!contains(list, n, SSL_NULL_WITH_NULL_NULL));
    free(list);
    CFRelease(ctx);
}
END_TEST

START_TEST(default_list_is_a_strong_subset)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    size_t n = 0;
    ck_assert_int_eq(SSLGetNumberEnabledCiphers(ctx, &n), errSecSuccess);
    ck_assert_uint_gt(n, 5);
    SSLCipherSuite *list = calloc(n, sizeof(*list));
    ck_assert_int_eq(SSLGetEnabledCiphers(ctx, list, &n), errSecSuccess);
    ck_assert(contains(list, n, TLS_AES_128_GCM_SHA256));
    ck_assert(!contains(list, n, TLS_DH_anon_WITH_AES_128_CBC_SHA));
    ck_assert(!contains(list, n, TLS_PSK_WITH_AES_128_CBC_SHA));
    free(list);
    /* DTLS has no TLS 1.3 suites. */
    SSLContextRef dtls = st_test_context(kSSLClientSide, kSSLDatagramType);
    ck_assert_int_eq(SSLGetNumberEnabledCiphers(dtls, &n), errSecSuccess);
    list = calloc(n, sizeof(*list));
    ck_assert_int_eq(SSLGetEnabledCiphers(dtls, list, &n), errSecSuccess);
    ck_assert(!contains(list, n, TLS_AES_128_GCM_SHA256));
    free(list);
    CFRelease(dtls);
    CFRelease(ctx);
}
END_TEST

START_TEST(set_enabled_keeps_order_drops_unknown)
{
    SSLContextRef ctx = st_test_context(kSSLServerSide, kSSLStreamType);
    SSLCipherSuite wanted[] = {0x1234, TLS_AES_256_GCM_SHA384,
                               TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0xFFFFFFFF,
                               TLS_AES_256_GCM_SHA384};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, wanted, 5), errSecSuccess);
    SSLCipherSuite got[8];
    size_t n = 8;
    ck_assert_int_eq(SSLGetEnabledCiphers(ctx, got, &n), errSecSuccess);
    ck_assert_uint_eq(n, 3); /* duplicates stay, as in Apple's list */
    ck_assert_uint_eq(got[0], TLS_AES_256_GCM_SHA384);
    ck_assert_uint_eq(got[1], TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    ck_assert_uint_eq(got[2], TLS_AES_256_GCM_SHA384);
    n = 2;
    ck_assert_int_eq(SSLGetEnabledCiphers(ctx, got, &n), errSSLBufferOverflow);
    CFRelease(ctx);
}
END_TEST

START_TEST(set_enabled_refuses_nothing_usable)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLCipherSuite bogus[] = {0x0000, 0xBEEF, TLS_RSA_WITH_NULL_SHA};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, bogus, 3), errSecParam);
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, bogus, 0), errSecParam);
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, NULL, 1), errSecParam);
    size_t n = 0;
    ck_assert_int_eq(SSLGetNumberEnabledCiphers(ctx, &n), errSecSuccess);
    ck_assert_uint_gt(n, 5); /* the defaults are untouched */
    /* TLS 1.3 suites mean nothing to a DTLS context. */
    SSLContextRef dtls = st_test_context(kSSLClientSide, kSSLDatagramType);
    SSLCipherSuite modern[] = {TLS_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(dtls, modern, 1), errSecParam);
    CFRelease(dtls);
    st_test_force_state(ctx, ST_STATE_HANDSHAKE);
    SSLCipherSuite one[] = {TLS_AES_128_GCM_SHA256};
    ck_assert_int_eq(SSLSetEnabledCiphers(ctx, one, 1), errSecBadReq);
    st_test_force_state(ctx, ST_STATE_IDLE);
    CFRelease(ctx);
}
END_TEST

START_TEST(negotiated_cipher_needs_an_active_session)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    SSLCipherSuite suite = 1;
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, &suite), errSecBadReq);
    ck_assert_int_eq(SSLGetNegotiatedCipher(ctx, NULL), errSecParam);
    ck_assert_int_eq(SSLGetNegotiatedCipher(NULL, &suite), errSecParam);
    CFRelease(ctx);
}
END_TEST

/* Every named configuration is known; each sets a usable list and range. */
START_TEST(session_configs)
{
    const CFStringRef names[] = {
        kSSLSessionConfig_default,
        kSSLSessionConfig_ATSv1,
        kSSLSessionConfig_ATSv1_noPFS,
        kSSLSessionConfig_standard,
        kSSLSessionConfig_RC4_fallback,
        kSSLSessionConfig_TLSv1_fallback,
        kSSLSessionConfig_TLSv1_RC4_fallback,
        kSSLSessionConfig_legacy,
        kSSLSessionConfig_legacy_DHE,
        kSSLSessionConfig_anonymous,
        kSSLSessionConfig_3DES_fallback,
        kSSLSessionConfig_TLSv1_3DES_fallback,
    };
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetSessionConfig(ctx, names[_i]), errSecSuccess);
    size_t n = 0;
    ck_assert_int_eq(SSLGetNumberEnabledCiphers(ctx, &n), errSecSuccess);
    ck_assert_uint_gt(n, 0);
    SSLCipherSuite *list = calloc(n, sizeof(*list));
    ck_assert_int_eq(SSLGetEnabledCiphers(ctx, list, &n), errSecSuccess);
    SSLProtocol min, max;
    SSLGetProtocolVersionMin(ctx, &min);
    SSLGetProtocolVersionMax(ctx, &max);
    if (names[_i] == kSSLSessionConfig_ATSv1) {
        ck_assert_int_eq(min, kTLSProtocol12);
        ck_assert(!contains(list, n, TLS_RSA_WITH_AES_128_GCM_SHA256)); /* PFS only */
        ck_assert(contains(list, n, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    } else if (names[_i] == kSSLSessionConfig_ATSv1_noPFS) {
        ck_assert(contains(list, n, TLS_RSA_WITH_AES_128_GCM_SHA256));
    } else if (names[_i] == kSSLSessionConfig_TLSv1_fallback) {
        ck_assert_int_eq(max, kTLSProtocol1);
    } else if (names[_i] == kSSLSessionConfig_anonymous) {
        ck_assert(contains(list, n, TLS_DH_anon_WITH_AES_128_CBC_SHA) ||
                  contains(list, n, TLS_ECDH_anon_WITH_AES_128_CBC_SHA));
        ck_assert(!contains(list, n, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    } else if (names[_i] == kSSLSessionConfig_3DES_fallback) {
        ck_assert(contains(list, n, TLS_AES_128_GCM_SHA256));
    }
    free(list);
    CFRelease(ctx);
}
END_TEST

START_TEST(session_config_by_content_and_unknown)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    CFStringRef same = CFStringCreateWithCString(NULL, "ATSv1", kCFStringEncodingUTF8);
    ck_assert_int_eq(SSLSetSessionConfig(ctx, same), errSecSuccess);
    CFRelease(same);
    ck_assert_int_eq(SSLSetSessionConfig(ctx, CFSTR("no such config")), errSecParam);
    ck_assert_int_eq(SSLSetSessionConfig(ctx, NULL), errSecParam);
    CFDataRef not_a_string = CFDataCreate(NULL, (const UInt8 *)"x", 1);
    ck_assert_int_eq(SSLSetSessionConfig(ctx, (CFStringRef)not_a_string), errSecParam);
    CFRelease(not_a_string);
    CFRelease(ctx);
}
END_TEST

static Suite *cipher_suites_suite(void)
{
    Suite *s = suite_create("cipher_suites");
    TCase *tc = tcase_create("ciphers");
    tcase_add_test(tc, supported_list_has_the_modern_suites);
    tcase_add_test(tc, default_list_is_a_strong_subset);
    tcase_add_test(tc, set_enabled_keeps_order_drops_unknown);
    tcase_add_test(tc, set_enabled_refuses_nothing_usable);
    tcase_add_test(tc, negotiated_cipher_needs_an_active_session);
    tcase_add_loop_test(tc, session_configs, 0, 12);
    tcase_add_test(tc, session_config_by_content_and_unknown);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return st_test_run(cipher_suites_suite());
}
