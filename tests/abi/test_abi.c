/*
 * The ABI test: the public headers against the project's own copy of the
 * spec. Every constant's value, every public type's size and alignment, the
 * struct layouts, every exported function's prototype (a wrong parameter
 * type fails the build of this file) and the exported data symbols.
 */
#include <CommonCrypto/CommonCrypto.h>
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecCertificatePriv.h>
#include <Security/SecIdentityPriv.h>
#include <Security/SecureTransportPriv.h>
#include <Security/Security.h>
#include <check.h>
#include <dlfcn.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* Prototypes: each table row must match its header declaration exactly. */
#define ST_FN(name, vis, ret, params, guards)                                                      \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), ret(*) params), #name);
#define ST_DATA(name, vis, type)                                                                   \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), type), #name);
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
#define CF_FN(name, ret, params)                                                                   \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), ret(*) params), #name);
#define CF_DATA(name, type)                                                                        \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), type), #name);
#include "cf_api.def"
#undef CF_FN
#undef CF_DATA
#define SEC_FN(name, ret, params)                                                                  \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), ret(*) params), #name);
#define SEC_DATA(name, type)                                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), type), #name);
#include "sec_api.def"
#undef SEC_FN
#undef SEC_DATA
#define CC_FN(name, ret, params)                                                                   \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), ret(*) params), #name);
#define CC_DATA(name, type)                                                                        \
    _Static_assert(__builtin_types_compatible_p(__typeof__(name), type), #name);
#include "cc_api.def"
#undef CC_FN
#undef CC_DATA

/* The classic traps: Boolean is one unsigned byte, OSStatus a signed 32-bit int. */
_Static_assert(__builtin_types_compatible_p(Boolean, unsigned char), "Boolean");
_Static_assert(__builtin_types_compatible_p(OSStatus, int32_t), "OSStatus");
_Static_assert(__builtin_types_compatible_p(SSLCipherSuite, uint32_t), "SSLCipherSuite");
_Static_assert(__builtin_types_compatible_p(CFErrorRef, struct __CFError *), "CFErrorRef");
_Static_assert(__builtin_types_compatible_p(SSLContextRef, struct SSLContext *), "SSLContextRef");

/* The numeric constants. */
static const struct {
    const char *name;
    long long header_value;
    long long spec_value;
} constants[] = {
#define ABI_CONST(name, value) {#name, (long long)(name), (long long)(value)},
#define ABI_STRING(name, text)
#define ABI_SEC_STRING(name, text)
#include "constants.def"
#undef ABI_CONST
#undef ABI_STRING
#undef ABI_SEC_STRING
};

START_TEST(constant_values)
{
    ck_assert_msg(constants[_i].header_value == constants[_i].spec_value, "%s = %lld, spec %lld",
                  constants[_i].name, constants[_i].header_value, constants[_i].spec_value);
}
END_TEST

static const struct {
    const char *name;
    size_t size, align, spec_size, spec_align;
} types[] = {
#define ABI_TYPE(type, size, align) {#type, sizeof(type), alignof(type), size, align},
#define ABI_FIELD(type, member, offset)
#include "types.def"
#undef ABI_TYPE
#undef ABI_FIELD
};

START_TEST(type_sizes)
{
    ck_assert_msg(types[_i].size == types[_i].spec_size, "sizeof(%s) = %zu, spec %zu",
                  types[_i].name, types[_i].size, types[_i].spec_size);
    ck_assert_msg(types[_i].align == types[_i].spec_align, "alignof(%s) = %zu, spec %zu",
                  types[_i].name, types[_i].align, types[_i].spec_align);
}
END_TEST

static const struct {
    const char *name;
    size_t offset, spec_offset;
} fields[] = {
#define ABI_TYPE(type, size, align)
#define ABI_FIELD(type, member, offset) {#type "." #member, offsetof(type, member), offset},
#include "types.def"
#undef ABI_TYPE
#undef ABI_FIELD
};

START_TEST(struct_layouts)
{
    ck_assert_msg(fields[_i].offset == fields[_i].spec_offset, "offsetof(%s) = %zu, spec %zu",
                  fields[_i].name, fields[_i].offset, fields[_i].spec_offset);
}
END_TEST

/* Enums are int-sized and signed, the trust and import ones unsigned. */
START_TEST(enum_signedness)
{
    ck_assert((SSLProtocol)-1 < 0);
    ck_assert((SSLSessionOption)-1 < 0);
    ck_assert((SecTrustResultType)-1 > 0);
    ck_assert((SecExternalFormat)-1 > 0);
    ck_assert((CFIndex)-1 < 0);
    ck_assert_uint_eq(sizeof(SSLCipherSuite[2]), 8); /* array stride of the cipher calls */
    ck_assert_int_eq(errSSLServerAuthCompleted, errSSLPeerAuthCompleted);
    ck_assert_int_eq(errSSLClientAuthCompleted, errSSLPeerAuthCompleted);
}
END_TEST

/*
 * The bit-31 constants are unsigned 32-bit enumerators, as in Apple's headers:
 * positive when compared, zero-extended when widened.
 */
START_TEST(bit31_constants_unsigned)
{
    ck_assert(kSecKeyUsageCritical > 0);
    ck_assert(CSSM_KEYUSE_ANY > 0);
    ck_assert(kSecTrustSettingsKeyUseAny > 0);
    ck_assert_uint_eq(sizeof(kSecKeyUsageCritical), 4);
    ck_assert_uint_eq(sizeof(CSSM_KEYUSE_ANY), 4);
    ck_assert_uint_eq(sizeof(kSecTrustSettingsKeyUseAny), 4);
    int64_t widened = kSecKeyUsageCritical;
    ck_assert_int_eq(widened, INT64_C(0x80000000));
    widened = CSSM_KEYUSE_ANY;
    ck_assert_int_eq(widened, INT64_C(0x80000000));
#ifdef kSecTrustSettingsKeyUseAny
    ck_abort_msg("kSecTrustSettingsKeyUseAny is a macro, Apple's is an enumerator");
#endif
}
END_TEST

/* Every exported function, through a pointer of the table's type and through dlsym. */
static const struct {
    const char *name;
    void (*fn)(void);
} functions[] = {
#define ST_FN(name, vis, ret, params, guards) {#name, (void (*)(void))(ret(*) params)name},
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
#define CF_FN(name, ret, params) {#name, (void (*)(void))(ret(*) params)name},
#define CF_DATA(name, type)
#include "cf_api.def"
#undef CF_FN
#undef CF_DATA
#define SEC_FN(name, ret, params) {#name, (void (*)(void))(ret(*) params)name},
#define SEC_DATA(name, type)
#include "sec_api.def"
#undef SEC_FN
#undef SEC_DATA
#define CC_FN(name, ret, params) {#name, (void (*)(void))(ret(*) params)name},
#define CC_DATA(name, type)
#include "cc_api.def"
#undef CC_FN
#undef CC_DATA
};

START_TEST(functions_resolve)
{
    ck_assert_ptr_nonnull(functions[_i].fn);
    void *sym = dlsym(RTLD_DEFAULT, functions[_i].name);
    ck_assert_msg(sym == (void *)functions[_i].fn, "%s: dlsym %p, linked %p", functions[_i].name,
                  sym, (void *)functions[_i].fn);
}
END_TEST

static const struct {
    const char *name;
    const CFStringRef *symbol;
    const char *text;
} strings[] = {
#define ABI_CONST(name, value)
#define ABI_STRING(name, text)     {#name, &name, text},
#define ABI_SEC_STRING(name, text) {#name, &name, text},
#include "constants.def"
#undef ABI_CONST
#undef ABI_STRING
#undef ABI_SEC_STRING
};

START_TEST(string_symbols)
{
    CFStringRef s = *strings[_i].symbol;
    char buf[64];
    ck_assert_msg(s != NULL, "%s is NULL", strings[_i].name);
    ck_assert_uint_eq(CFGetTypeID(s), CFStringGetTypeID());
    ck_assert(CFStringGetCString(s, buf, sizeof(buf), kCFStringEncodingUTF8));
    ck_assert_str_eq(buf, strings[_i].text);
    ck_assert(CFEqual(s, __CFStringMakeConstantString(strings[_i].text)));
}
END_TEST

START_TEST(allocator_and_platform_macros)
{
    ck_assert_ptr_null(kCFAllocatorDefault);
    ck_assert_int_eq(TARGET_OS_MAC, 1);
    ck_assert_int_eq(TARGET_OS_OSX, 1);
    ck_assert_int_eq(TARGET_OS_IPHONE, 0);
    ck_assert_int_eq(TARGET_OS_EMBEDDED, 0);
    ck_assert_int_eq(MAC_OS_X_VERSION_MIN_REQUIRED, 101500);
    ck_assert_int_eq(MAC_OS_X_VERSION_MAX_ALLOWED, 101500);
    ck_assert_int_eq(MAC_OS_X_VERSION_10_15, 101500);
    ck_assert_int_eq(noErr, 0);
    ck_assert_int_eq(paramErr, errSecParam);
    ck_assert_int_eq(ioErr, errSecIO);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("abi");
    tcase_add_loop_test(tc, constant_values, 0, COUNT(constants));
    tcase_add_loop_test(tc, type_sizes, 0, COUNT(types));
    tcase_add_loop_test(tc, struct_layouts, 0, COUNT(fields));
    tcase_add_test(tc, enum_signedness);
    tcase_add_test(tc, bit31_constants_unsigned);
    tcase_add_loop_test(tc, functions_resolve, 0, COUNT(functions));
    tcase_add_loop_test(tc, string_symbols, 0, COUNT(strings));
    tcase_add_test(tc, allocator_and_platform_macros);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    /* Thousands of tiny loop cases: no fork per case. */
    srunner_set_fork_status(runner, CK_NOFORK);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
