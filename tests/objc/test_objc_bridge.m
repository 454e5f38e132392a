/*
 * Toll-free bridging as a GNUstep port relies on it: each bridged type both
 * ways (a Foundation object where CF takes one; our CF object sent Foundation
 * messages), one retain count across both, Security objects in Foundation
 * collections, and SecPKCS12Import fed and read through Foundation.
 *
 * Built with gobjc against gnustep-base, manual reference counting and plain
 * casts (gcc has no ARC and no @[] / @{} literals).
 */
#import <Foundation/Foundation.h>
#include <Security/Security.h>
#include <check.h>
#include <openssl/pkcs12.h>
#include <stdlib.h>
#include <string.h>

#include "cert_factory.h"

static NSAutoreleasePool *pool;

static void setup(void)
{
    pool = [NSAutoreleasePool new];
}

static void teardown(void)
{
    [pool release];
}

/* ---- Foundation objects where CF takes its own --------------------- */

START_TEST(nsstring_as_cfstring)
{
    NSString *ns = [NSString stringWithUTF8String:"h\xc3\xa9llo"];
    CFStringRef cf = (CFStringRef)ns;
    ck_assert_uint_eq(CFGetTypeID(cf), CFStringGetTypeID());
    ck_assert_int_eq(CFStringGetLength(cf), 5);
    char buffer[16];
    ck_assert(CFStringGetCString(cf, buffer, sizeof(buffer), kCFStringEncodingUTF8));
    ck_assert_str_eq(buffer, "h\xc3\xa9llo");
    CFStringRef same = CFStringCreateWithCString(NULL, "h\xc3\xa9llo", kCFStringEncodingUTF8);
    ck_assert(CFEqual(cf, same));
    ck_assert(CFEqual(same, cf));
    ck_assert_uint_eq(CFHash(cf), CFHash(same));
    CFRelease(same);
    /* A constant string too. */
    ck_assert(CFEqual((CFStringRef) @"abc", CFSTR("abc")));
    ck_assert(!CFEqual((CFStringRef) @"abc", CFSTR("abd")));
}
END_TEST

START_TEST(nsdata_as_cfdata)
{
    NSData *ns = [NSData dataWithBytes:"\x01\x02\x03" length:3];
    CFDataRef cf = (CFDataRef)ns;
    ck_assert_uint_eq(CFGetTypeID(cf), CFDataGetTypeID());
    ck_assert_int_eq(CFDataGetLength(cf), 3);
    ck_assert_int_eq(memcmp(CFDataGetBytePtr(cf), "\x01\x02\x03", 3), 0);
    NSMutableData *mutable = [NSMutableData dataWithLength:2];
    ck_assert_int_eq(CFDataGetLength((CFDataRef) mutable), 2);
}
END_TEST

START_TEST(nsarray_as_cfarray)
{
    NSArray *ns = [NSArray arrayWithObjects:@"a", [NSNumber numberWithInt:7], nil];
    CFArrayRef cf = (CFArrayRef)ns;
    ck_assert_uint_eq(CFGetTypeID(cf), CFArrayGetTypeID());
    ck_assert_int_eq(CFArrayGetCount(cf), 2);
    /* +0 elements stay valid while the array does. */
    CFTypeRef first = CFArrayGetValueAtIndex(cf, 0);
    CFTypeRef second = CFArrayGetValueAtIndex(cf, 1);
    ck_assert_uint_eq(CFGetTypeID(first), CFStringGetTypeID());
    ck_assert(CFEqual(first, CFSTR("a")));
    int seven = 0;
    ck_assert(CFNumberGetValue(second, kCFNumberIntType, &seven));
    ck_assert_int_eq(seven, 7);
    ck_assert_ptr_null(CFArrayGetValueAtIndex(cf, 2));
    NSMutableArray *mutable = [NSMutableArray arrayWithObject:@"x"];
    ck_assert_int_eq(CFArrayGetCount((CFArrayRef) mutable), 1);
    [mutable addObject:@"y"];
    ck_assert_int_eq(CFArrayGetCount((CFArrayRef) mutable), 2);
}
END_TEST

START_TEST(nsdictionary_as_cfdictionary)
{
    NSDictionary *ns = [NSDictionary
        dictionaryWithObjectsAndKeys:@"v", @"k", [NSNumber numberWithBool:YES], @"flag", nil];
    CFDictionaryRef cf = (CFDictionaryRef)ns;
    ck_assert_uint_eq(CFGetTypeID(cf), CFDictionaryGetTypeID());
    ck_assert_int_eq(CFDictionaryGetCount(cf), 2);
    ck_assert(CFEqual(CFDictionaryGetValue(cf, CFSTR("k")), CFSTR("v")));
    CFTypeRef flag = CFDictionaryGetValue(cf, @"flag");
    ck_assert_uint_eq(CFGetTypeID(flag), CFBooleanGetTypeID());
    ck_assert(CFBooleanGetValue(flag));
    ck_assert_ptr_null(CFDictionaryGetValue(cf, CFSTR("missing")));
}
END_TEST

START_TEST(nsnumber_as_cfnumber)
{
    CFNumberRef i = (CFNumberRef)[NSNumber numberWithLongLong:-5000000000LL];
    ck_assert_uint_eq(CFGetTypeID(i), CFNumberGetTypeID());
    long long ll = 0;
    ck_assert(CFNumberGetValue(i, kCFNumberLongLongType, &ll));
    ck_assert(ll == -5000000000LL);
    CFNumberRef d = (CFNumberRef)[NSNumber numberWithDouble:2.5];
    double value = 0;
    ck_assert(CFNumberGetValue(d, kCFNumberDoubleType, &value));
    ck_assert(value == 2.5);
    CFBooleanRef no = (CFBooleanRef)[NSNumber numberWithBool:NO];
    ck_assert_uint_eq(CFGetTypeID(no), CFBooleanGetTypeID());
    ck_assert(!CFBooleanGetValue(no));
    ck_assert(CFBooleanGetValue((CFBooleanRef)[NSNumber numberWithBool:YES]));
}
END_TEST

START_TEST(foundation_object_one_retain_count)
{
    NSString *ns = [[NSString alloc] initWithFormat:@"%d", 42];
    NSUInteger before = [ns retainCount];
    ck_assert_ptr_eq(CFRetain((CFStringRef)ns), ns);
    ck_assert_uint_eq([ns retainCount], before + 1);
    ck_assert_int_eq(CFGetRetainCount((CFStringRef)ns), (CFIndex)before + 1);
    CFRelease((CFStringRef)ns);
    ck_assert_uint_eq([ns retainCount], before);
    [ns release];
}
END_TEST

START_TEST(unbridged_foundation_object_is_refused)
{
    NSObject *plain = [[NSObject new] autorelease];
    ck_assert_uint_eq(CFGetTypeID(plain), 0);
    ck_assert_int_eq(CFStringGetLength((CFStringRef)plain), 0);
    ck_assert_int_eq(CFArrayGetCount((CFArrayRef)plain), 0);
    ck_assert(!CFEqual(plain, CFSTR("x")));
    ck_assert_int_eq(CFDataGetLength((CFDataRef) @"not data"), 0);
}
END_TEST

/* ---- Our objects sent Foundation messages -------------------------- */

START_TEST(cfstring_as_nsstring)
{
    CFStringRef cf = CFStringCreateWithCString(NULL, "h\xc3\xa9llo", kCFStringEncodingUTF8);
    NSString *ns = (NSString *)cf;
    ck_assert([ns isKindOfClass:[NSString class]]);
    ck_assert_uint_eq([ns length], 5);
    ck_assert_uint_eq([ns characterAtIndex:1], 0xe9);
    ck_assert_str_eq([ns UTF8String], "h\xc3\xa9llo");
    NSString *native = [NSString stringWithUTF8String:"h\xc3\xa9llo"];
    ck_assert([ns isEqual:native]);
    ck_assert([native isEqual:ns]);
    ck_assert([ns isEqualToString:native]);
    ck_assert_uint_eq([ns hash], [native hash]);
    ck_assert_str_eq([[ns description] UTF8String], "h\xc3\xa9llo");
    ck_assert_str_eq([[ns stringByAppendingString:@"!"] UTF8String], "h\xc3\xa9llo!");
    /* A key in a Foundation dictionary, found with an equal NSString. */
    NSDictionary *dict = [NSDictionary dictionaryWithObject:@"found" forKey:ns];
    ck_assert_str_eq([[dict objectForKey:native] UTF8String], "found");
    /* CFSTR constants and the API's string constants answer too. */
    ck_assert([(NSString *)CFSTR("abc") isEqual:@"abc"]);
    ck_assert_str_eq([(NSString *)kSecImportExportPassphrase UTF8String], "passphrase");
    CFRelease(cf);
}
END_TEST

START_TEST(cfdata_as_nsdata)
{
    CFDataRef cf = CFDataCreate(NULL, (const UInt8 *)"\x01\x02\x03", 3);
    NSData *ns = (NSData *)cf;
    ck_assert([ns isKindOfClass:[NSData class]]);
    ck_assert_uint_eq([ns length], 3);
    ck_assert_int_eq(memcmp([ns bytes], "\x01\x02\x03", 3), 0);
    ck_assert([ns isEqual:[NSData dataWithBytes:"\x01\x02\x03" length:3]]);
    ck_assert([[NSData dataWithBytes:"\x01\x02\x03" length:3] isEqual:ns]);
    [ns release];
}
END_TEST

START_TEST(cfarray_as_nsarray)
{
    const void *values[] = {CFSTR("a"), CFSTR("b"), kCFBooleanTrue};
    CFArrayRef cf = CFArrayCreate(NULL, values, 3, &kCFTypeArrayCallBacks);
    NSArray *ns = (NSArray *)cf;
    ck_assert([ns isKindOfClass:[NSArray class]]);
    ck_assert_uint_eq([ns count], 3);
    ck_assert([[ns objectAtIndex:1] isEqual:@"b"]);
    ck_assert([[ns objectAtIndex:2] boolValue]);
    NSUInteger seen = 0;
    for (id item in ns) {
        ck_assert_ptr_eq(item, values[seen]);
        seen++;
    }
    ck_assert_uint_eq(seen, 3);
    NSArray *native = [NSArray arrayWithObjects:@"a", @"b", [NSNumber numberWithBool:YES], nil];
    ck_assert([ns isEqual:native]);
    ck_assert([native isEqualToArray:ns]);
    ck_assert([ns containsObject:@"a"]);
    ck_assert_uint_eq([ns indexOfObject:@"b"], 1);
    ck_assert_str_eq([[ns componentsJoinedByString:@","] UTF8String], "a,b,1");
    NSArray *copy = [ns copy];
    ck_assert_uint_eq([copy count], 3);
    [copy release];
    NSMutableArray *mutable = [ns mutableCopy];
    [mutable addObject:@"c"];
    ck_assert_uint_eq([mutable count], 4);
    [mutable release];
    [ns release];
}
END_TEST

START_TEST(cfdictionary_as_nsdictionary)
{
    const void *keys[] = {CFSTR("k"), CFSTR("n")};
    int seven = 7;
    CFNumberRef number = CFNumberCreate(NULL, kCFNumberIntType, &seven);
    const void *values[] = {CFSTR("v"), number};
    CFDictionaryRef cf = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                            &kCFTypeDictionaryValueCallBacks);
    CFRelease(number);
    NSDictionary *ns = (NSDictionary *)cf;
    ck_assert([ns isKindOfClass:[NSDictionary class]]);
    ck_assert_uint_eq([ns count], 2);
    /* Looked up with a Foundation key, equal but not ours. */
    ck_assert([[ns objectForKey:@"k"] isEqual:@"v"]);
    ck_assert_int_eq([[ns objectForKey:@"n"] intValue], 7);
    ck_assert_ptr_null([ns objectForKey:@"missing"]);
    NSUInteger seen = 0;
    for (id key in ns) {
        ck_assert_ptr_nonnull([ns objectForKey:key]);
        seen++;
    }
    ck_assert_uint_eq(seen, 2);
    ck_assert_uint_eq([[ns allKeys] count], 2);
    NSEnumerator *keys_enum = [ns keyEnumerator];
    seen = 0;
    while ([keys_enum nextObject] != nil)
        seen++;
    ck_assert_uint_eq(seen, 2);
    [ns release];
}
END_TEST

START_TEST(cfnumber_as_nsnumber)
{
    long long big = -5000000000LL;
    CFNumberRef cf = CFNumberCreate(NULL, kCFNumberLongLongType, &big);
    NSNumber *ns = (NSNumber *)cf;
    ck_assert([ns isKindOfClass:[NSNumber class]]);
    ck_assert([ns longLongValue] == big);
    ck_assert([ns doubleValue] == -5000000000.0);
    ck_assert([ns isEqual:[NSNumber numberWithLongLong:big]]);
    ck_assert([[NSNumber numberWithLongLong:big] isEqual:ns]);
    ck_assert_str_eq([[ns description] UTF8String], "-5000000000");
    [ns release];
    double half = 0.5;
    NSNumber *d = (NSNumber *)CFNumberCreate(NULL, kCFNumberDoubleType, &half);
    ck_assert(strcmp([d objCType], "d") == 0);
    ck_assert([d doubleValue] == 0.5);
    ck_assert([d isEqual:[NSNumber numberWithDouble:0.5]]);
    [d release];
}
END_TEST

START_TEST(cfboolean_as_nsnumber)
{
    NSNumber *yes = (NSNumber *)kCFBooleanTrue;
    NSNumber *no = (NSNumber *)kCFBooleanFalse;
    ck_assert([yes isKindOfClass:[NSNumber class]]);
    ck_assert([yes boolValue]);
    ck_assert(![no boolValue]);
    ck_assert_int_eq([yes intValue], 1);
    ck_assert([yes isEqual:[NSNumber numberWithBool:YES]]);
    /* Immortal, as in CF: retain and release leave it alone. */
    [[yes retain] release];
    ck_assert([yes boolValue]);
}
END_TEST

START_TEST(cferror_as_foundation_object)
{
    CFErrorRef cf = CFErrorCreate(NULL, kCFErrorDomainOSStatus, -9807, NULL);
    id ns = (id)cf;
    ck_assert([[ns domain] isEqual:@"NSOSStatusErrorDomain"]);
    ck_assert_int_eq([ns code], -9807);
    ck_assert_ptr_nonnull([ns localizedDescription]);
    ck_assert([ns isEqual:ns]);
    [ns release];
}
END_TEST

START_TEST(cf_object_one_retain_count)
{
    CFDataRef cf = CFDataCreate(NULL, (const UInt8 *)"x", 1);
    NSData *ns = (NSData *)cf;
    ck_assert_uint_eq([ns retainCount], 1);
    [ns retain];
    ck_assert_int_eq(CFGetRetainCount(cf), 2);
    CFRelease(cf);
    ck_assert_uint_eq([ns retainCount], 1);
    /* In a Foundation array: the array's retain is ours too. */
    NSArray *holder = [[NSArray alloc] initWithObjects:ns, nil];
    ck_assert_int_eq(CFGetRetainCount(cf), 2);
    [holder release];
    ck_assert_int_eq(CFGetRetainCount(cf), 1);
    /* Autoreleased: released exactly once when the pool drains (valgrind
     * sees a leak or a double free otherwise). */
    NSAutoreleasePool *inner = [NSAutoreleasePool new];
    [[ns retain] autorelease];
    ck_assert_int_eq(CFGetRetainCount(cf), 2);
    [inner release];
    ck_assert_int_eq(CFGetRetainCount(cf), 1);
    /* __bridge_transfer / CFBridgingRelease: one release ends it. */
    [ns release];
}
END_TEST

START_TEST(security_objects_in_foundation_collections)
{
    EVP_PKEY *key = factory_key(KEY_EC256);
    struct cert_spec spec = {.common_name = "bridged", .not_before_days = -1, .not_after_days = 30};
    X509 *x = factory_cert(&spec, key, NULL, NULL);
    SecCertificateRef cert = factory_sec_cert(x);
    NSAutoreleasePool *inner = [NSAutoreleasePool new];
    NSMutableArray *list = [NSMutableArray new];
    [list addObject:(id)cert];
    ck_assert_int_eq(CFGetRetainCount(cert), 2);
    ck_assert_ptr_eq([list objectAtIndex:0], cert);
    ck_assert([list containsObject:(id)cert]);
    ck_assert([[(id)cert description] length] > 0);
    NSDictionary *dict = [NSDictionary dictionaryWithObject:(id)cert forKey:@"cert"];
    ck_assert_ptr_eq([dict objectForKey:@"cert"], cert);
    /* And back to CF: an NSArray of certificates for a SecTrust. */
    SecPolicyRef policy = SecPolicyCreateBasicX509();
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SecTrustCreateWithCertificates((CFArrayRef)list, policy, &trust),
                     errSecSuccess);
    ck_assert_int_eq(SecTrustGetCertificateCount(trust), 1);
    ck_assert_ptr_eq(SecTrustGetCertificateAtIndex(trust, 0), cert);
    [list addObject:(id)trust];
    ck_assert_ptr_eq([list lastObject], trust);
    SecKeyRef key_ref = SecCertificateCopyKey(cert);
    ck_assert_ptr_nonnull(key_ref);
    [list addObject:(id)key_ref];
    ck_assert_ptr_eq([list objectAtIndex:2], key_ref);
    ck_assert_int_eq(CFGetRetainCount(key_ref), 2);
    CFRelease(key_ref);
    [list release];
    CFRelease(trust);
    CFRelease(policy);
    /* The dictionary and what CF read from the NSArray go with the pool. */
    [inner release];
    ck_assert_int_eq(CFGetRetainCount(cert), 1);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

/* A PKCS#12 of a fresh identity, password "pw", as NSData. */
static NSData *make_p12(void)
{
    EVP_PKEY *key = factory_key(KEY_EC256);
    struct cert_spec spec = {
        .common_name = "p12 client", .not_before_days = -1, .not_after_days = 30};
    X509 *x = factory_cert(&spec, key, NULL, NULL);
    PKCS12 *p12 = PKCS12_create("pw", "client", key, x, NULL, 0, 0, 0, 0, 0);
    ck_assert_ptr_nonnull(p12);
    unsigned char *der = NULL;
    int len = i2d_PKCS12(p12, &der);
    ck_assert_int_gt(len, 0);
    NSData *data = [NSData dataWithBytes:der length:(NSUInteger)len];
    OPENSSL_free(der);
    PKCS12_free(p12);
    X509_free(x);
    EVP_PKEY_free(key);
    return data;
}

START_TEST(pkcs12_import_through_foundation)
{
    NSData *p12 = make_p12();
    NSDictionary *options = [NSDictionary dictionaryWithObject:@"pw"
                                                        forKey:(id)kSecImportExportPassphrase];
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import((CFDataRef)p12, (CFDictionaryRef)options, &items),
                     errSecSuccess);
    NSArray *list = (NSArray *)items; /* __bridge_transfer */
    ck_assert_uint_eq([list count], 1);
    NSDictionary *item = [list objectAtIndex:0];
    id identity = [item objectForKey:(id)kSecImportItemIdentity];
    ck_assert_ptr_nonnull(identity);
    ck_assert_uint_eq(CFGetTypeID(identity), SecIdentityGetTypeID());
    ck_assert([[item objectForKey:(id)kSecImportItemLabel] isEqual:@"client"]);
    /* A wrong passphrase is refused with the exact status. */
    NSDictionary *wrong = [NSDictionary dictionaryWithObject:@"nope"
                                                      forKey:(id)kSecImportExportPassphrase];
    CFArrayRef none = NULL;
    ck_assert_int_eq(SecPKCS12Import((CFDataRef)p12, (CFDictionaryRef)wrong, &none),
                     errSecAuthFailed);
    ck_assert_ptr_null(none);
    [list release];
}
END_TEST

static Suite *bridge_suite(void)
{
    Suite *s = suite_create("objc_bridge");
    TCase *in = tcase_create("foundation_to_cf");
    tcase_add_checked_fixture(in, setup, teardown);
    tcase_add_test(in, nsstring_as_cfstring);
    tcase_add_test(in, nsdata_as_cfdata);
    tcase_add_test(in, nsarray_as_cfarray);
    tcase_add_test(in, nsdictionary_as_cfdictionary);
    tcase_add_test(in, nsnumber_as_cfnumber);
    tcase_add_test(in, foundation_object_one_retain_count);
    tcase_add_test(in, unbridged_foundation_object_is_refused);
    suite_add_tcase(s, in);
    TCase *out = tcase_create("cf_to_foundation");
    tcase_add_checked_fixture(out, setup, teardown);
    tcase_add_test(out, cfstring_as_nsstring);
    tcase_add_test(out, cfdata_as_nsdata);
    tcase_add_test(out, cfarray_as_nsarray);
    tcase_add_test(out, cfdictionary_as_nsdictionary);
    tcase_add_test(out, cfnumber_as_nsnumber);
    tcase_add_test(out, cfboolean_as_nsnumber);
    tcase_add_test(out, cferror_as_foundation_object);
    tcase_add_test(out, cf_object_one_retain_count);
    tcase_add_test(out, security_objects_in_foundation_collections);
    tcase_add_test(out, pkcs12_import_through_foundation);
    suite_add_tcase(s, out);
    return s;
}

int main(void)
{
    SRunner *runner = srunner_create(bridge_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
