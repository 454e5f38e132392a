/*
 * The CoreFoundation containers: CFData, CFArray, CFDictionary, CFNumber,
 * CFBoolean and CFError, through the public API. Element callbacks are
 * honoured (retain counts checked), bad input returns NULL or does nothing,
 * and nothing leaks (AddressSanitizer and valgrind run this suite).
 */
#include <CoreFoundation/CoreFoundation.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) ((CFIndex)(sizeof(a) / sizeof((a)[0])))

static char description_buf[512];

/* The description of `cf` as C text (valid until the next call). */
static const char *describe(CFTypeRef cf)
{
    CFStringRef d = CFCopyDescription(cf);
    ck_assert_ptr_nonnull(d);
    ck_assert(
        CFStringGetCString(d, description_buf, sizeof(description_buf), kCFStringEncodingUTF8));
    CFRelease(d);
    return description_buf;
}

START_TEST(data_create_copy_compare)
{
    const UInt8 bytes[] = {0, 1, 2, 0xff};
    CFDataRef d = CFDataCreate(kCFAllocatorDefault, bytes, sizeof(bytes));
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(CFGetTypeID(d), CFDataGetTypeID());
    ck_assert_int_eq(CFDataGetLength(d), 4);
    ck_assert_mem_eq(CFDataGetBytePtr(d), bytes, 4);
    ck_assert_ptr_ne(CFDataGetBytePtr(d), bytes); /* a copy */

    CFDataRef same = CFDataCreate(NULL, bytes, sizeof(bytes));
    CFDataRef other = CFDataCreate(NULL, bytes, 3);
    ck_assert(CFEqual(d, same));
    ck_assert_uint_eq(CFHash(d), CFHash(same));
    ck_assert(!CFEqual(d, other));

    UInt8 out[2] = {9, 9};
    CFDataGetBytes(d, CFRangeMake(2, 2), out);
    ck_assert_int_eq(out[0], 2);
    ck_assert_int_eq(out[1], 0xff);
    CFDataGetBytes(d, CFRangeMake(3, 2), out); /* out of range: untouched */
    ck_assert_int_eq(out[0], 2);

    /* An immutable copy of an immutable object is the object. */
    CFDataRef copy = CFDataCreateCopy(NULL, d);
    ck_assert_ptr_eq(copy, d);
    ck_assert_int_eq(CFGetRetainCount(d), 2);
    CFRelease(copy);

    ck_assert(strstr(describe(d), "length = 4, bytes = 0x000102ff") != NULL);

    CFDataRef empty = CFDataCreate(NULL, NULL, 0);
    ck_assert_int_eq(CFDataGetLength(empty), 0);
    ck_assert_ptr_nonnull(CFDataGetBytePtr(empty));
    ck_assert_ptr_null(CFDataCreate(NULL, NULL, 3));
    ck_assert_ptr_null(CFDataCreate(NULL, bytes, -1));
    ck_assert_int_eq(CFDataGetLength(NULL), 0);
    ck_assert_ptr_null(CFDataGetBytePtr(NULL));
    ck_assert_ptr_null(CFDataGetBytePtr((CFDataRef)CFSTR("not data")));
    CFRelease(empty);
    CFRelease(other);
    CFRelease(same);
    CFRelease(d);
}
END_TEST

START_TEST(mutable_data)
{
    CFMutableDataRef m = CFDataCreateMutable(NULL, 0);
    for (int i = 0; i < 1000; i++) {
        UInt8 b = (UInt8)i;
        CFDataAppendBytes(m, &b, 1);
    }
    ck_assert_int_eq(CFDataGetLength(m), 1000);
    ck_assert_int_eq(CFDataGetBytePtr(m)[999], (UInt8)999);
    CFDataSetLength(m, 10);
    CFDataSetLength(m, 20); /* grows with zeros */
    ck_assert_int_eq(CFDataGetBytePtr(m)[15], 0);
    ck_assert_int_eq(CFDataGetBytePtr(m)[9], 9);
    CFDataGetMutableBytePtr(m)[0] = 0x42;
    ck_assert_int_eq(CFDataGetBytePtr(m)[0], 0x42);

    /* A copy is independent of its source. */
    CFDataRef frozen = CFDataCreateCopy(NULL, m);
    CFDataGetMutableBytePtr(m)[0] = 0x43;
    ck_assert_int_eq(CFDataGetBytePtr(frozen)[0], 0x42);

    /* Capacity is a limit. */
    CFMutableDataRef small = CFDataCreateMutable(NULL, 4);
    CFDataAppendBytes(small, (const UInt8 *)"abcdef", 6);
    ck_assert_int_eq(CFDataGetLength(small), 0);
    CFDataAppendBytes(small, (const UInt8 *)"abcd", 4);
    ck_assert_int_eq(CFDataGetLength(small), 4);

    /* An immutable object refuses mutation quietly. */
    CFDataAppendBytes((CFMutableDataRef)frozen, (const UInt8 *)"x", 1);
    ck_assert_int_eq(CFDataGetLength(frozen), 20);
    ck_assert_ptr_null(CFDataGetMutableBytePtr((CFMutableDataRef)frozen));
    ck_assert_ptr_null(CFDataCreateMutableCopy(NULL, 5, frozen)); /* below its length */

    CFRelease(small);
    CFRelease(frozen);
    CFRelease(m);
}
END_TEST

START_TEST(array_of_cf_objects_retains_them)
{
    CFStringRef a = CFStringCreateWithCString(NULL, "a", kCFStringEncodingUTF8);
    CFStringRef b = CFStringCreateWithCString(NULL, "b", kCFStringEncodingUTF8);
    const void *values[] = {a, b, a};
    CFArrayRef arr = CFArrayCreate(NULL, values, COUNT(values), &kCFTypeArrayCallBacks);
    ck_assert_ptr_nonnull(arr);
    ck_assert_uint_eq(CFGetTypeID(arr), CFArrayGetTypeID());
    ck_assert_int_eq(CFArrayGetCount(arr), 3);
    ck_assert_int_eq(CFGetRetainCount(a), 3);
    ck_assert_int_eq(CFGetRetainCount(b), 2);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(arr, 1), b);
    ck_assert_ptr_null(CFArrayGetValueAtIndex(arr, 3));
    ck_assert_ptr_null(CFArrayGetValueAtIndex(arr, -1));

    /* Equality through the callbacks: an equal string that is another object is found. */
    CFStringRef b2 = CFStringCreateWithCString(NULL, "b", kCFStringEncodingUTF8);
    ck_assert_int_eq(CFArrayGetFirstIndexOfValue(arr, CFRangeMake(0, 3), b2), 1);
    ck_assert(CFArrayContainsValue(arr, CFRangeMake(0, 3), b2));
    ck_assert(!CFArrayContainsValue(arr, CFRangeMake(2, 1), b2));
    ck_assert_int_eq(CFArrayGetFirstIndexOfValue(arr, CFRangeMake(2, 5), b2), kCFNotFound);

    const void *got[3] = {NULL, NULL, NULL};
    CFArrayGetValues(arr, CFRangeMake(1, 2), got);
    ck_assert_ptr_eq(got[0], b);
    ck_assert_ptr_eq(got[1], a);

    const char *text = describe(arr);
    ck_assert(strstr(text, "count = 3") != NULL);
    ck_assert(strstr(text, "1 : b") != NULL);

    CFRelease(arr);
    ck_assert_int_eq(CFGetRetainCount(a), 1);
    ck_assert_int_eq(CFGetRetainCount(b), 1);
    CFRelease(b2);
    CFRelease(a);
    CFRelease(b);
}
END_TEST

/* Callbacks that count, to check the array calls them exactly once per element. */
static int retains, releases;

static const void *counting_retain(CFAllocatorRef allocator, const void *value)
{
    (void)allocator;
    retains++;
    return value;
}

static void counting_release(CFAllocatorRef allocator, const void *value)
{
    (void)allocator;
    (void)value;
    releases++;
}

START_TEST(mutable_array_honours_callbacks)
{
    retains = releases = 0;
    CFArrayCallBacks cb = {0, counting_retain, counting_release, NULL, NULL};
    CFMutableArrayRef m = CFArrayCreateMutable(NULL, 0, &cb);
    static const int items[5] = {0, 1, 2, 3, 4};
    for (int i = 0; i < 5; i++)
        CFArrayAppendValue(m, &items[i]);
    ck_assert_int_eq(retains, 5);
    CFArrayInsertValueAtIndex(m, 0, &items[4]);
    CFArraySetValueAtIndex(m, 1, &items[3]); /* replaces items[0]: one retain, one release */
    ck_assert_int_eq(retains, 7);
    ck_assert_int_eq(releases, 1);
    CFArrayRemoveValueAtIndex(m, 5);
    ck_assert_int_eq(releases, 2);
    ck_assert_int_eq(CFArrayGetCount(m), 5);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(m, 0), &items[4]);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(m, 1), &items[3]);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(m, 4), &items[3]);
    /* Without an equal callback, identity decides. */
    ck_assert_int_eq(CFArrayGetFirstIndexOfValue(m, CFRangeMake(0, 5), &items[1]), 2);

    /* Appending an array to itself doubles it. */
    CFArrayAppendArray(m, m, CFRangeMake(0, CFArrayGetCount(m)));
    ck_assert_int_eq(CFArrayGetCount(m), 10);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(m, 5), &items[4]);

    /* Out of range and immutable targets are refused without a change. */
    CFArrayInsertValueAtIndex(m, 11, &items[0]);
    CFArrayRemoveValueAtIndex(m, 10);
    CFArraySetValueAtIndex(m, -1, &items[0]);
    ck_assert_int_eq(CFArrayGetCount(m), 10);
    CFArrayRef frozen = CFArrayCreateCopy(NULL, m);
    CFArrayAppendValue((CFMutableArrayRef)frozen, &items[0]);
    ck_assert_int_eq(CFArrayGetCount(frozen), 10);

    int before = releases;
    CFArrayRemoveAllValues(m);
    ck_assert_int_eq(CFArrayGetCount(m), 0);
    ck_assert_int_eq(releases, before + 10);
    CFRelease(m);
    CFRelease(frozen);
    ck_assert_int_eq(retains, releases);
}
END_TEST

START_TEST(array_bad_input)
{
    static const int x = 1;
    const void *values[] = {&x};
    ck_assert_ptr_null(CFArrayCreate(NULL, NULL, 1, NULL));
    ck_assert_ptr_null(CFArrayCreate(NULL, values, -1, NULL));
    CFArrayCallBacks future = {1, NULL, NULL, NULL, NULL};
    ck_assert_ptr_null(CFArrayCreate(NULL, values, 1, &future));
    ck_assert_int_eq(CFArrayGetCount(NULL), 0);
    ck_assert_int_eq(CFArrayGetCount((CFArrayRef)CFSTR("x")), 0);
    CFArrayAppendValue(NULL, &x);

    CFMutableArrayRef capped = CFArrayCreateMutable(NULL, 2, NULL);
    for (int i = 0; i < 3; i++)
        CFArrayAppendValue(capped, &x);
    ck_assert_int_eq(CFArrayGetCount(capped), 2);
    CFRelease(capped);

    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(CFArrayGetCount(empty), 0);
    CFArrayRef empty2 = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert(CFEqual(empty, empty2));
    CFRelease(empty);
    CFRelease(empty2);
}
END_TEST

START_TEST(dictionary_of_cf_objects)
{
    CFStringRef k1 = CFSTR("one"), k2 = CFSTR("two");
    CFNumberRef v1 = CFNumberCreate(NULL, kCFNumberIntType, &(int){1});
    CFStringRef v2 = CFStringCreateWithCString(NULL, "zwei", kCFStringEncodingUTF8);
    const void *keys[] = {k1, k2};
    const void *values[] = {v1, v2};
    CFDictionaryRef d = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                           &kCFTypeDictionaryValueCallBacks);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(CFGetTypeID(d), CFDictionaryGetTypeID());
    ck_assert_int_eq(CFDictionaryGetCount(d), 2);
    ck_assert_int_eq(CFGetRetainCount(v2), 2);

    /* Lookup by equal content, not identity. */
    CFStringRef probe = CFStringCreateWithCString(NULL, "two", kCFStringEncodingUTF8);
    ck_assert_ptr_eq(CFDictionaryGetValue(d, probe), v2);
    ck_assert(CFDictionaryContainsKey(d, probe));
    ck_assert_ptr_null(CFDictionaryGetValue(d, CFSTR("three")));
    const void *out = (void *)1;
    ck_assert(!CFDictionaryGetValueIfPresent(d, CFSTR("three"), &out));
    ck_assert_ptr_eq(out, (void *)1);

    const void *ks[2], *vs[2];
    CFDictionaryGetKeysAndValues(d, ks, vs);
    ck_assert((ks[0] == k1 && vs[0] == v1 && ks[1] == k2) || (ks[0] == k2 && vs[1] == v1));

    const char *text = describe(d);
    ck_assert(strstr(text, "two : zwei") != NULL);

    CFDictionaryRef same = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                              &kCFTypeDictionaryValueCallBacks);
    ck_assert(CFEqual(d, same));
    CFRelease(same);
    CFRelease(probe);
    CFRelease(d);
    ck_assert_int_eq(CFGetRetainCount(v2), 1);
    CFRelease(v1);
    CFRelease(v2);
}
END_TEST

START_TEST(mutable_dictionary)
{
    CFMutableDictionaryRef m = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                         &kCFTypeDictionaryValueCallBacks);
    enum { N = 2000 };
    CFNumberRef nums[N];
    for (int i = 0; i < N; i++) {
        nums[i] = CFNumberCreate(NULL, kCFNumberIntType, &i);
        CFDictionarySetValue(m, nums[i], nums[i]);
    }
    ck_assert_int_eq(CFDictionaryGetCount(m), N);
    /* Remove every third: the rest stay reachable (backward-shift deletion). */
    for (int i = 0; i < N; i += 3)
        CFDictionaryRemoveValue(m, nums[i]);
    for (int i = 0; i < N; i++) {
        long probe = i; /* another type with the same value is an equal key */
        CFNumberRef key = CFNumberCreate(NULL, kCFNumberLongType, &probe);
        ck_assert_ptr_eq(CFDictionaryGetValue(m, key), i % 3 ? nums[i] : NULL);
        CFRelease(key);
    }
    /* Add does not replace; Set does; Replace only replaces. */
    CFDictionaryAddValue(m, nums[1], nums[2]);
    ck_assert_ptr_eq(CFDictionaryGetValue(m, nums[1]), nums[1]);
    CFDictionarySetValue(m, nums[1], nums[2]);
    ck_assert_ptr_eq(CFDictionaryGetValue(m, nums[1]), nums[2]);
    CFDictionaryReplaceValue(m, nums[0], nums[2]);
    ck_assert(!CFDictionaryContainsKey(m, nums[0]));

    CFDictionaryRef frozen = CFDictionaryCreateCopy(NULL, m);
    CFDictionarySetValue((CFMutableDictionaryRef)frozen, nums[0], nums[0]);
    ck_assert(!CFDictionaryContainsKey(frozen, nums[0]));
    ck_assert(CFEqual(frozen, m));

    CFDictionaryRemoveAllValues(m);
    ck_assert_int_eq(CFDictionaryGetCount(m), 0);
    /* Only `frozen` holds them now: key and value of their own entry, nums[1]'s value is nums[2].
     */
    for (int i = 0; i < N; i++) {
        CFIndex expected = i % 3 == 0 ? 1 : i == 1 ? 2 : i == 2 ? 4 : 3;
        ck_assert_int_eq(CFGetRetainCount(nums[i]), expected);
    }
    CFRelease(frozen);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(CFGetRetainCount(nums[i]), 1);
        CFRelease(nums[i]);
    }
    CFRelease(m);
}
END_TEST

START_TEST(dictionary_bad_input)
{
    ck_assert_ptr_null(CFDictionaryCreate(NULL, NULL, NULL, 1, NULL, NULL));
    ck_assert_ptr_null(CFDictionaryGetValue(NULL, CFSTR("x")));
    ck_assert_int_eq(CFDictionaryGetCount(NULL), 0);
    CFDictionarySetValue(NULL, CFSTR("x"), CFSTR("y"));
    /* Raw pointer keys without callbacks: identity. */
    static const int a = 1, b = 1;
    CFMutableDictionaryRef raw = CFDictionaryCreateMutable(NULL, 0, NULL, NULL);
    CFDictionarySetValue(raw, &a, &b);
    ck_assert_ptr_eq(CFDictionaryGetValue(raw, &a), &b);
    ck_assert_ptr_null(CFDictionaryGetValue(raw, &b));
    CFRelease(raw);
    CFDictionaryRef empty = CFDictionaryCreate(NULL, NULL, NULL, 0, NULL, NULL);
    ck_assert_int_eq(CFDictionaryGetCount(empty), 0);
    CFRelease(empty);
}
END_TEST

/* Every number type round-trips, and narrowing reports loss. */
START_TEST(numbers)
{
    int64_t big = INT64_C(1) << 40;
    CFNumberRef n = CFNumberCreate(NULL, kCFNumberSInt64Type, &big);
    ck_assert_uint_eq(CFGetTypeID(n), CFNumberGetTypeID());
    ck_assert_int_eq(CFNumberGetType(n), kCFNumberSInt64Type);
    int32_t small = 7;
    ck_assert(!CFNumberGetValue(n, kCFNumberSInt32Type, &small)); /* does not fit */
    int64_t back = 0;
    ck_assert(CFNumberGetValue(n, kCFNumberSInt64Type, &back));
    ck_assert(back == big);
    double d = 0;
    ck_assert(CFNumberGetValue(n, kCFNumberDoubleType, &d));
    ck_assert(d == 1099511627776.0);

    double half = 2.5;
    CFNumberRef f = CFNumberCreate(NULL, kCFNumberDoubleType, &half);
    int i = 0;
    ck_assert(!CFNumberGetValue(f, kCFNumberIntType, &i));
    ck_assert_int_eq(i, 2);
    float fl = 0;
    ck_assert(CFNumberGetValue(f, kCFNumberFloatType, &fl));
    ck_assert(fl == 2.5f);

    int two = 2;
    double two_d = 2.0;
    CFNumberRef ni = CFNumberCreate(NULL, kCFNumberIntType, &two);
    CFNumberRef nd = CFNumberCreate(NULL, kCFNumberDoubleType, &two_d);
    ck_assert(CFEqual(ni, nd));
    ck_assert_uint_eq(CFHash(ni), CFHash(nd));
    ck_assert(!CFEqual(ni, f));
    ck_assert(strstr(describe(ni), "[2]") != NULL);

    ck_assert_ptr_null(CFNumberCreate(NULL, (CFNumberType)99, &two));
    ck_assert_ptr_null(CFNumberCreate(NULL, kCFNumberIntType, NULL));
    ck_assert(!CFNumberGetValue(ni, (CFNumberType)0, &i));
    ck_assert(!CFNumberGetValue(NULL, kCFNumberIntType, &i));
    CFRelease(n);
    CFRelease(f);
    CFRelease(ni);
    CFRelease(nd);
}
END_TEST

START_TEST(booleans)
{
    ck_assert(CFBooleanGetValue(kCFBooleanTrue));
    ck_assert(!CFBooleanGetValue(kCFBooleanFalse));
    ck_assert_uint_eq(CFGetTypeID(kCFBooleanTrue), CFBooleanGetTypeID());
    ck_assert(!CFEqual(kCFBooleanTrue, kCFBooleanFalse));
    CFIndex count = CFGetRetainCount(kCFBooleanTrue);
    CFRetain(kCFBooleanTrue);
    CFRelease(kCFBooleanTrue);
    CFRelease(kCFBooleanTrue); /* immortal: never freed */
    ck_assert_int_eq(CFGetRetainCount(kCFBooleanTrue), count);
    ck_assert(!CFBooleanGetValue(NULL));
    ck_assert(!CFBooleanGetValue((CFBooleanRef)CFSTR("true")));
    ck_assert(strstr(describe(kCFBooleanFalse), "false") != NULL);
}
END_TEST

START_TEST(errors)
{
    CFErrorRef e = CFErrorCreate(NULL, kCFErrorDomainOSStatus, -9807, NULL);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(CFGetTypeID(e), CFErrorGetTypeID());
    ck_assert(CFEqual(CFErrorGetDomain(e), CFSTR("NSOSStatusErrorDomain")));
    ck_assert_int_eq(CFErrorGetCode(e), -9807);
    CFDictionaryRef info = CFErrorCopyUserInfo(e);
    ck_assert_int_eq(CFDictionaryGetCount(info), 0);
    CFRelease(info);
    ck_assert(strstr(describe(e), "NSOSStatusErrorDomain error -9807") != NULL);

    const void *keys[] = {kCFErrorDescriptionKey};
    const void *values[] = {CFSTR("certificate not trusted")};
    info = CFDictionaryCreate(NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
    CFErrorRef with_text = CFErrorCreate(NULL, kCFErrorDomainOSStatus, -67843, info);
    CFStringRef text = CFErrorCopyDescription(with_text);
    ck_assert(CFEqual(text, CFSTR("certificate not trusted")));
    CFRelease(text);
    ck_assert(!CFEqual(e, with_text));

    ck_assert_ptr_null(CFErrorCreate(NULL, NULL, 1, NULL));
    ck_assert_ptr_null(CFErrorCreate(NULL, kCFErrorDomainPOSIX, 1, (CFDictionaryRef)e));
    ck_assert_ptr_null(CFErrorGetDomain(NULL));
    ck_assert_int_eq(CFErrorGetCode(NULL), 0);
    CFRelease(with_text);
    CFRelease(info);
    CFRelease(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_collections");
    TCase *tc = tcase_create("collections");
    tcase_add_test(tc, data_create_copy_compare);
    tcase_add_test(tc, mutable_data);
    tcase_add_test(tc, array_of_cf_objects_retains_them);
    tcase_add_test(tc, mutable_array_honours_callbacks);
    tcase_add_test(tc, array_bad_input);
    tcase_add_test(tc, dictionary_of_cf_objects);
    tcase_add_test(tc, mutable_dictionary);
    tcase_add_test(tc, dictionary_bad_input);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, booleans);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
