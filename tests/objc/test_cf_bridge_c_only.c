/*
 * The bridge stays out of a C-only process: no Objective-C runtime is
 * loaded, so the bridge never activates and every object's first word (its
 * isa under a runtime) stays NULL, the static constants' too: the C path
 * pays one load and test, nothing more.
 */
#include <Security/Security.h>
#include <dlfcn.h>

#include "cf_string.h"
#include "st_test.h"

static const void *isa_of(CFTypeRef cf)
{
    return ((const struct cf_object *)cf)->isa;
}

START_TEST(no_runtime_no_bridge)
{
    ck_assert_ptr_null(dlsym(RTLD_DEFAULT, "objc_getClass"));
    CFStringRef s = CFStringCreateWithCString(NULL, "plain", kCFStringEncodingUTF8);
    ck_assert(!cf_bridge_active());
    ck_assert_ptr_null(isa_of(s));
    ck_assert_ptr_null(cf_bridge_class_for(CFStringGetTypeID()));
    ck_assert_ptr_null(isa_of(kCFBooleanTrue));
    ck_assert_ptr_null(isa_of(CFSTR("constant")));
    ck_assert_ptr_null(isa_of(kSecImportExportPassphrase));
    /* cf_own is the identity on our objects. */
    ck_assert_ptr_eq(cf_own(s), s);
    ck_assert_int_eq(CFGetRetainCount(s), 1);
    CFRelease(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_bridge_c_only");
    TCase *tc = tcase_create("c_only");
    tcase_add_test(tc, no_runtime_no_bridge);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
