/*
 * The CF object runtime (registration, reference counts, finalizers, the
 * generic functions) and CFString (encodings, lengths, CFSTR constants).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cf_string.h"
#include "st_test.h"

/* A test class whose finalizer counts its calls. */
struct probe {
    struct cf_object base;
    int key;
};

static int finalized;

static void probe_finalize(CFTypeRef cf)
{
    (void)cf;
    finalized++;
}

static bool probe_equal(CFTypeRef a, CFTypeRef b)
{
    return ((const struct probe *)a)->key == ((const struct probe *)b)->key;
}

static CFHashCode probe_hash(CFTypeRef cf)
{
    return (CFHashCode)((const struct probe *)cf)->key * 31;
}

static const struct cf_class probe_class = {
    .name = "Probe",
    .finalize = probe_finalize,
    .equal = probe_equal,
    .hash = probe_hash,
};
static const struct cf_class bare_class = {.name = "Bare"};

static _Atomic CFTypeID probe_type, bare_type;

static struct probe *probe_new(int key)
{
    struct probe *p = cf_object_create(cf_type_id_for(&probe_type, &probe_class), sizeof(*p));
    ck_assert_ptr_nonnull(p);
    p->key = key;
    return p;
}

START_TEST(registration)
{
    CFTypeID id = cf_type_id_for(&probe_type, &probe_class);
    ck_assert_uint_ge(id, CF_TYPE_ID_FIRST_DYNAMIC);
    ck_assert_uint_eq(cf_type_id_for(&probe_type, &probe_class), id);
    CFTypeID bare = cf_type_id_for(&bare_type, &bare_class);
    ck_assert_uint_ne(bare, id);
    ck_assert_uint_ne(id, CFStringGetTypeID());
    CFStringRef name = CFCopyTypeIDDescription(id);
    ck_assert_str_eq(cf_string_utf8(name), "Probe");
    CFRelease(name);
    ck_assert_ptr_null(CFCopyTypeIDDescription(0));
    ck_assert_ptr_null(CFCopyTypeIDDescription(100000));
    /* Objects of an unregistered type cannot be made. */
    ck_assert_ptr_null(cf_object_create(127, sizeof(struct probe)));
    ck_assert_ptr_null(cf_object_create(id, 1));
}
END_TEST

START_TEST(finalizer_runs_once_at_the_last_release)
{
    finalized = 0;
    struct probe *p = probe_new(1);
    ck_assert_int_eq(CFGetRetainCount(p), 1);
    ck_assert_uint_eq(CFGetTypeID(p), cf_type_id_for(&probe_type, &probe_class));
    ck_assert_ptr_eq(CFRetain(p), p);
    ck_assert_ptr_eq(CFRetain(p), p);
    ck_assert_int_eq(CFGetRetainCount(p), 3);
    CFRelease(p);
    CFRelease(p);
    ck_assert_int_eq(finalized, 0);
    ck_assert_int_eq(CFGetRetainCount(p), 1);
    CFRelease(p);
    ck_assert_int_eq(finalized, 1);
}
END_TEST

START_TEST(null_is_harmless)
{
    ck_assert_ptr_null(CFRetain(NULL));
    CFRelease(NULL);
    ck_assert_int_eq(CFGetRetainCount(NULL), 0);
    ck_assert_uint_eq(CFGetTypeID(NULL), 0);
    ck_assert(!CFEqual(NULL, NULL));
    ck_assert(!CFEqual(CFSTR("x"), NULL));
    ck_assert(!CFEqual(NULL, CFSTR("x")));
    ck_assert_uint_eq(CFHash(NULL), 0);
    ck_assert_ptr_null(CFCopyDescription(NULL));
}
END_TEST

START_TEST(equal_hash_description_dispatch)
{
    finalized = 0;
    struct probe *a = probe_new(5), *b = probe_new(5), *c = probe_new(6);
    ck_assert(CFEqual(a, a));
    ck_assert(CFEqual(a, b)); /* the class's hook */
    ck_assert(!CFEqual(a, c));
    ck_assert(!CFEqual(a, CFSTR("5"))); /* different types */
    ck_assert_uint_eq(CFHash(a), 5 * 31);

    /* No hooks: identity, address hash, generic description. */
    CFTypeID bare = cf_type_id_for(&bare_type, &bare_class);
    struct cf_object *x = cf_object_create(bare, sizeof(*x));
    struct cf_object *y = cf_object_create(bare, sizeof(*y));
    ck_assert(!CFEqual(x, y));
    ck_assert_uint_eq(CFHash(x), (CFHashCode)(uintptr_t)x);
    char expected[64];
    snprintf(expected, sizeof(expected), "<Bare %p>", (void *)x);
    CFStringRef d = CFCopyDescription(x);
    ck_assert_str_eq(cf_string_utf8(d), expected);
    CFRelease(d);
    CFRelease(x);
    CFRelease(y);
    CFRelease(a);
    CFRelease(b);
    CFRelease(c);
    ck_assert_int_eq(finalized, 3);
}
END_TEST

enum { ROUNDS = 100000 };

static void *retain_release_many(void *arg)
{
    for (int i = 0; i < ROUNDS; i++)
        CFRetain(arg);
    for (int i = 0; i < ROUNDS; i++)
        CFRelease(arg);
    return NULL;
}

START_TEST(counts_are_atomic)
{
    finalized = 0;
    struct probe *p = probe_new(9);
    pthread_t t1, t2;
    ck_assert_int_eq(pthread_create(&t1, NULL, retain_release_many, p), 0);
    ck_assert_int_eq(pthread_create(&t2, NULL, retain_release_many, p), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    ck_assert_int_eq(CFGetRetainCount(p), 1);
    ck_assert_int_eq(finalized, 0);
    CFRelease(p);
    ck_assert_int_eq(finalized, 1);
}
END_TEST

START_TEST(constants_are_immortal)
{
    CFStringRef s = CFSTR("immortal");
    CFIndex count = CFGetRetainCount(s);
    ck_assert_int_ge(count, CF_RETAIN_IMMORTAL);
    for (int i = 0; i < 10; i++)
        CFRelease(s);
    CFRetain(s);
    ck_assert_int_eq(CFGetRetainCount(s), count);
    ck_assert_str_eq(cf_string_utf8(s), "immortal");
    ck_assert_ptr_null(kCFAllocatorDefault);
}
END_TEST

static CFStringRef make(const char *text, CFStringEncoding enc)
{
    return CFStringCreateWithCString(kCFAllocatorDefault, text, enc);
}

START_TEST(string_encodings_and_lengths)
{
    CFStringRef ascii = make("hello", kCFStringEncodingASCII);
    CFStringRef e_acute = make("caf\xc3\xa9", kCFStringEncodingUTF8);
    CFStringRef latin = make("caf\xe9", kCFStringEncodingISOLatin1);
    CFStringRef emoji = make("\xf0\x9f\x98\x80", kCFStringEncodingUTF8);
    ck_assert_int_eq(CFStringGetLength(ascii), 5);
    ck_assert_int_eq(CFStringGetLength(e_acute), 4);
    ck_assert_int_eq(CFStringGetLength(emoji), 2); /* a surrogate pair */
    ck_assert(CFEqual(e_acute, latin));
    ck_assert_uint_eq(CFHash(e_acute), CFHash(latin));

    char buf[16];
    ck_assert(CFStringGetCString(latin, buf, sizeof(buf), kCFStringEncodingUTF8));
    ck_assert_str_eq(buf, "caf\xc3\xa9");
    ck_assert(CFStringGetCString(e_acute, buf, sizeof(buf), kCFStringEncodingISOLatin1));
    ck_assert_str_eq(buf, "caf\xe9");
    ck_assert(!CFStringGetCString(e_acute, buf, sizeof(buf), kCFStringEncodingASCII));
    ck_assert(!CFStringGetCString(emoji, buf, sizeof(buf), kCFStringEncodingISOLatin1));
    CFStringRef euro = make("\xe2\x82\xac", kCFStringEncodingUTF8);
    ck_assert(!CFStringGetCString(euro, buf, sizeof(buf), kCFStringEncodingISOLatin1));

    ck_assert_str_eq(CFStringGetCStringPtr(e_acute, kCFStringEncodingUTF8), "caf\xc3\xa9");
    ck_assert_ptr_null(CFStringGetCStringPtr(e_acute, kCFStringEncodingASCII));
    ck_assert_str_eq(CFStringGetCStringPtr(ascii, kCFStringEncodingASCII), "hello");

    /* Refusals. */
    ck_assert_ptr_null(make("caf\xc3\xa9", kCFStringEncodingASCII));
    ck_assert_ptr_null(make("\xc0\xaf", kCFStringEncodingUTF8));         /* overlong */
    ck_assert_ptr_null(make("\x80", kCFStringEncodingUTF8));             /* lone continuation */
    ck_assert_ptr_null(make("\xed\xa0\x80", kCFStringEncodingUTF8));     /* surrogate */
    ck_assert_ptr_null(make("\xe2\x82", kCFStringEncodingUTF8));         /* truncated */
    ck_assert_ptr_null(make("\xf4\x90\x80\x80", kCFStringEncodingUTF8)); /* > U+10FFFF */
    ck_assert_ptr_null(make(NULL, kCFStringEncodingUTF8));
    ck_assert_ptr_null(make("x", kCFStringEncodingUTF16)); /* not supported for C strings */
    CFRelease(ascii);
    CFRelease(e_acute);
    CFRelease(latin);
    CFRelease(emoji);
    CFRelease(euro);
}
END_TEST

START_TEST(get_cstring_buffer_rules)
{
    CFStringRef s = make("abc", kCFStringEncodingUTF8);
    char buf[4] = "zzz";
    ck_assert(CFStringGetCString(s, buf, 4, kCFStringEncodingUTF8)); /* exact fit with NUL */
    ck_assert_str_eq(buf, "abc");
    ck_assert(!CFStringGetCString(s, buf, 3, kCFStringEncodingUTF8));
    ck_assert(!CFStringGetCString(s, NULL, 4, kCFStringEncodingUTF8));
    ck_assert(!CFStringGetCString(s, buf, 0, kCFStringEncodingUTF8));
    ck_assert(!CFStringGetCString(s, buf, -1, kCFStringEncodingUTF8));
    CFDataRef not_string = CFDataCreate(NULL, (const UInt8 *)"abc", 3);
    ck_assert(!CFStringGetCString((CFStringRef)not_string, buf, 4, kCFStringEncodingUTF8));
    ck_assert_int_eq(CFStringGetLength((CFStringRef)not_string), 0);
    ck_assert_ptr_null(CFStringGetCStringPtr((CFStringRef)not_string, kCFStringEncodingUTF8));
    CFRelease(not_string);
    CFRelease(s);
}
END_TEST

START_TEST(create_with_bytes)
{
    CFStringRef s =
        CFStringCreateWithBytes(NULL, (const UInt8 *)"abcdef", 3, kCFStringEncodingASCII, false);
    ck_assert_str_eq(cf_string_utf8(s), "abc");
    CFRelease(s);
    s = CFStringCreateWithBytes(NULL, NULL, 0, kCFStringEncodingUTF8, false);
    ck_assert_int_eq(CFStringGetLength(s), 0);
    CFRelease(s);
    ck_assert_ptr_null(CFStringCreateWithBytes(NULL, NULL, 2, kCFStringEncodingUTF8, false));
    ck_assert_ptr_null(
        CFStringCreateWithBytes(NULL, (const UInt8 *)"a", -1, kCFStringEncodingUTF8, false));
    ck_assert_ptr_null(
        CFStringCreateWithBytes(NULL, (const UInt8 *)"a\0b", 3, kCFStringEncodingUTF8, false));
    /* A byte order mark is skipped only in an external representation. */
    const UInt8 bom[] = {0xef, 0xbb, 0xbf, 'h', 'i'};
    s = CFStringCreateWithBytes(NULL, bom, 5, kCFStringEncodingUTF8, true);
    ck_assert_str_eq(cf_string_utf8(s), "hi");
    CFRelease(s);
    s = CFStringCreateWithBytes(NULL, bom, 5, kCFStringEncodingUTF8, false);
    ck_assert_int_eq(CFStringGetLength(s), 3);
    CFRelease(s);
}
END_TEST

START_TEST(string_equality_and_description)
{
    CFStringRef a = make("same", kCFStringEncodingUTF8);
    CFStringRef b =
        CFStringCreateWithBytes(NULL, (const UInt8 *)"same", 4, kCFStringEncodingUTF8, false);
    CFStringRef c = make("other", kCFStringEncodingUTF8);
    ck_assert(CFEqual(a, b));
    ck_assert(CFEqual(a, CFSTR("same")));
    ck_assert_uint_eq(CFHash(a), CFHash(b));
    ck_assert(!CFEqual(a, c));
    CFStringRef d = CFCopyDescription(a);
    ck_assert(CFEqual(d, a));
    CFRelease(d);
    CFStringRef f = cf_string_create_format("%d-%s", 7, "x");
    ck_assert_str_eq(cf_string_utf8(f), "7-x");
    CFRelease(f);
    CFRelease(a);
    CFRelease(b);
    CFRelease(c);
}
END_TEST

START_TEST(cfstr_is_one_object_per_text)
{
    ck_assert_ptr_eq(CFSTR("shared text"), CFSTR("shared text"));
    ck_assert_ptr_ne(CFSTR("text one"), CFSTR("text two"));
    ck_assert_uint_eq(CFGetTypeID(CFSTR("x")), CFStringGetTypeID());
    char runtime[16];
    snprintf(runtime, sizeof(runtime), "shared %s", "text");
    ck_assert_ptr_eq(__CFStringMakeConstantString(runtime), CFSTR("shared text"));
    /* A Latin-1 literal from an old source file: converted, and still one object. */
    CFStringRef latin = __CFStringMakeConstantString("caf\xe9");
    ck_assert_str_eq(cf_string_utf8(latin), "caf\xc3\xa9");
    ck_assert_ptr_eq(__CFStringMakeConstantString("caf\xe9"), latin);
    ck_assert_ptr_null(__CFStringMakeConstantString(NULL));
}
END_TEST

enum { INTERN_THREADS = 4, INTERN_TEXTS = 2000 };
static CFStringRef interned[INTERN_THREADS][INTERN_TEXTS];

static void *intern_many(void *arg)
{
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < INTERN_TEXTS; i++) {
        char text[32];
        int k = t % 2 ? INTERN_TEXTS - 1 - i : i; /* half the threads go backwards */
        snprintf(text, sizeof(text), "interned-%d", k);
        interned[t][k] = __CFStringMakeConstantString(text);
    }
    return NULL;
}

START_TEST(cfstr_interning_is_thread_safe)
{
    pthread_t threads[INTERN_THREADS];
    for (int t = 0; t < INTERN_THREADS; t++)
        ck_assert_int_eq(pthread_create(&threads[t], NULL, intern_many, (void *)(intptr_t)t), 0);
    for (int t = 0; t < INTERN_THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int i = 0; i < INTERN_TEXTS; i++) {
        ck_assert_ptr_nonnull(interned[0][i]);
        for (int t = 1; t < INTERN_THREADS; t++)
            ck_assert_ptr_eq(interned[t][i], interned[0][i]);
    }
    ck_assert_ptr_ne(interned[0][0], interned[0][1]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_objects");
    TCase *runtime = tcase_create("runtime");
    tcase_add_test(runtime, registration);
    tcase_add_test(runtime, finalizer_runs_once_at_the_last_release);
    tcase_add_test(runtime, null_is_harmless);
    tcase_add_test(runtime, equal_hash_description_dispatch);
    tcase_add_test(runtime, counts_are_atomic);
    tcase_add_test(runtime, constants_are_immortal);
    suite_add_tcase(s, runtime);
    TCase *strings = tcase_create("strings");
    tcase_add_test(strings, string_encodings_and_lengths);
    tcase_add_test(strings, get_cstring_buffer_rules);
    tcase_add_test(strings, create_with_bytes);
    tcase_add_test(strings, string_equality_and_description);
    tcase_add_test(strings, cfstr_is_one_object_per_text);
    tcase_add_test(strings, cfstr_interning_is_thread_safe);
    suite_add_tcase(s, strings);
    return st_test_run(s);
}
