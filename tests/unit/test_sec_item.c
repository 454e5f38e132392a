/*
 * SecItemAdd, SecItemCopyMatching, SecItemUpdate and SecItemDelete:
 * certificates, keys, identities and passwords; every return form (reference,
 * data, attributes, persistent reference, several at once, arrays); match
 * limits, labels, key classes and types, policies, item and search lists;
 * locked file keychains; duplicates; and malformed queries of every kind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "scratch_dir.h"
#include "sec_internal.h"
#include "st_test.h"

static EVP_PKEY *rsa_key, *ec_key;
static X509 *leaf, *other;
static SecCertificateRef leaf_cert, other_cert;
static SecKeyRef rsa_private, ec_public;
static SecIdentityRef identity;
static char dir[SCRATCH_DIR_SIZE];

static const struct cert_spec leaf_spec = {"item.test", "DNS:item.test", false, -1,
                                           365,         EKU_SERVER,      NULL};
static const struct cert_spec other_spec = {"other.test", NULL, false, -1, 365, EKU_NONE, NULL};

static void setup(void)
{
    rsa_key = factory_key(KEY_RSA2048);
    ec_key = factory_key(KEY_EC256);
    leaf = factory_cert(&leaf_spec, rsa_key, NULL, NULL);
    other = factory_cert(&other_spec, ec_key, NULL, NULL);
    leaf_cert = factory_sec_cert(leaf);
    other_cert = factory_sec_cert(other);
    rsa_private = sec_key_from_pkey(rsa_key, true);
    ec_public = sec_key_from_pkey(ec_key, false);
    identity = SecIdentityCreate(NULL, leaf_cert, rsa_private);
    ck_assert_ptr_nonnull(identity);
    scratch_dir_create(dir, "item");
}

static void teardown(void)
{
    scratch_dir_remove(dir);
    CFRelease(identity);
    CFRelease(rsa_private);
    CFRelease(ec_public);
    CFRelease(leaf_cert);
    CFRelease(other_cert);
    X509_free(leaf);
    X509_free(other);
    EVP_PKEY_free(rsa_key);
    EVP_PKEY_free(ec_key);
}

static SecKeychainRef make_keychain(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainCreate(path, 2, "pw", false, NULL, &kc), errSecSuccess);
    return kc;
}

static SecKeychainRef reopen(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    return kc;
}

static void drop_keychain(SecKeychainRef kc)
{
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}

/* A dictionary from NULL-terminated key, value pairs. */
static CFDictionaryRef dict(CFTypeRef first, ...)
{
    const void *keys[16], *values[16];
    CFIndex n = 0;
    va_list ap;
    va_start(ap, first);
    for (CFTypeRef k = first; k != NULL && n < 16; k = va_arg(ap, CFTypeRef)) {
        keys[n] = k;
        values[n++] = va_arg(ap, CFTypeRef);
    }
    va_end(ap);
    return CFDictionaryCreate(NULL, keys, values, n, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

/* Runs SecItemCopyMatching on `query` (consumed); the result, or NULL with `expected`. */
static CFTypeRef copy_matching(CFDictionaryRef query, OSStatus expected)
{
    CFTypeRef result = (CFTypeRef)(uintptr_t)1;
    OSStatus status = SecItemCopyMatching(query, &result);
    CFRelease(query);
    ck_assert_int_eq(status, expected);
    if (expected != errSecSuccess)
        ck_assert_ptr_null(result);
    else
        ck_assert_ptr_nonnull(result);
    return expected == errSecSuccess ? result : NULL;
}

static void add_ok(CFDictionaryRef attributes)
{
    ck_assert_int_eq(SecItemAdd(attributes, NULL), errSecSuccess);
    CFRelease(attributes);
}

START_TEST(certificates_in_the_default_keychain)
{
    CFStringRef label = CFSTR("default-cert-label");
    CFTypeRef result = (CFTypeRef)(uintptr_t)1;
    CFDictionaryRef add =
        dict(kSecClass, kSecClassCertificate, kSecValueRef, leaf_cert, kSecAttrLabel, label, NULL);
    ck_assert_int_eq(SecItemAdd(add, &result), errSecSuccess);
    ck_assert_ptr_null(result); /* nothing asked for */
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecDuplicateItem);
    CFRelease(add);

    CFTypeRef ref = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel, label,
                                       kSecReturnRef, kCFBooleanTrue, NULL),
                                  errSecSuccess);
    ck_assert(CFEqual(ref, leaf_cert));
    CFRelease(ref);
    /* No return key at all: the reference. */
    ref = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel, label, NULL),
                        errSecSuccess);
    ck_assert(CFEqual(ref, leaf_cert));
    CFRelease(ref);

    CFTypeRef data = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel, label,
                                        kSecReturnData, kCFBooleanTrue, NULL),
                                   errSecSuccess);
    CFDataRef der = factory_der(leaf);
    ck_assert(CFEqual(data, der));
    CFRelease(data);

    CFDictionaryRef attrs = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel,
                                               label, kSecReturnAttributes, kCFBooleanTrue, NULL),
                                          errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(attrs), CFDictionaryGetTypeID());
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecClass), kSecClassCertificate));
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecAttrLabel), label));
    unsigned char *name = NULL;
    int len = i2d_X509_NAME(X509_get_subject_name(leaf), &name);
    CFDataRef subject = CFDataCreate(NULL, name, len);
    OPENSSL_free(name);
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecAttrSubject), subject));
    CFRelease(attrs);
    /* ... and the subject is an attribute a query can use. */
    ref = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrSubject, subject, NULL),
                        errSecSuccess);
    CFRelease(ref);
    CFRelease(subject);

    /* Several return keys: one dictionary; kSecMatchLimitAll: an array. */
    CFArrayRef all = copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel, label,
                                        kSecReturnRef, kCFBooleanTrue, kSecReturnData,
                                        kCFBooleanTrue, kSecMatchLimit, kSecMatchLimitAll, NULL),
                                   errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(all), CFArrayGetTypeID());
    ck_assert_int_eq(CFArrayGetCount(all), 1);
    CFDictionaryRef both = CFArrayGetValueAtIndex(all, 0);
    ck_assert(CFEqual(CFDictionaryGetValue(both, kSecValueRef), leaf_cert));
    ck_assert(CFEqual(CFDictionaryGetValue(both, kSecValueData), der));
    ck_assert_ptr_null(CFDictionaryGetValue(both, kSecAttrLabel));
    CFRelease(all);
    CFRelease(der);

    copy_matching(dict(kSecClass, kSecClassCertificate, kSecAttrLabel, CFSTR("nope"), NULL),
                  errSecItemNotFound);
    /* A result pointer is optional. */
    CFDictionaryRef query = dict(kSecClass, kSecClassCertificate, kSecAttrLabel, label, NULL);
    ck_assert_int_eq(SecItemCopyMatching(query, NULL), errSecSuccess);
    ck_assert_int_eq(SecItemDelete(query), errSecSuccess);
    ck_assert_int_eq(SecItemCopyMatching(query, NULL), errSecItemNotFound);
    ck_assert_int_eq(SecItemDelete(query), errSecItemNotFound);
    CFRelease(query);
}
END_TEST

START_TEST(keys_by_class_type_and_tag)
{
    SecKeychainRef kc = make_keychain("keys.keychain");
    CFDataRef tag = CFDataCreate(NULL, (const UInt8 *)"com.example.key", 15);
    add_ok(dict(kSecClass, kSecClassKey, kSecValueRef, rsa_private, kSecAttrApplicationTag, tag,
                kSecUseKeychain, kc, NULL));
    add_ok(dict(kSecValueRef, ec_public, kSecUseKeychain, kc, NULL)); /* class from the item */
    CFDictionaryRef again = dict(kSecValueRef, rsa_private, kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemAdd(again, NULL), errSecDuplicateItem);
    CFRelease(again);

    /* Key attributes by their Apple values: class "kcls" 0/1, type "type" 42 (RSA) / 73 (EC). */
    CFTypeRef key = copy_matching(dict(kSecClass, kSecClassKey, CFSTR("kcls"), CFSTR("1"),
                                       kSecUseKeychain, kc, kSecReturnRef, kCFBooleanTrue, NULL),
                                  errSecSuccess);
    ck_assert(CFEqual(key, rsa_private));
    CFRelease(key);
    key = copy_matching(
        dict(kSecClass, kSecClassKey, CFSTR("type"), CFSTR("73"), kSecUseKeychain, kc, NULL),
        errSecSuccess);
    ck_assert(CFEqual(key, ec_public));
    CFRelease(key);
    copy_matching(dict(kSecClass, kSecClassKey, CFSTR("type"), CFSTR("73"), CFSTR("kcls"),
                       CFSTR("1"), kSecUseKeychain, kc, NULL),
                  errSecItemNotFound);
    int bits = 2048;
    CFNumberRef size = CFNumberCreate(NULL, kCFNumberIntType, &bits);
    key =
        copy_matching(dict(kSecClass, kSecClassKey, CFSTR("bsiz"), size, kSecUseKeychain, kc, NULL),
                      errSecSuccess);
    ck_assert(CFEqual(key, rsa_private));
    CFRelease(key);
    CFRelease(size);
    CFArrayRef all = copy_matching(
        dict(kSecClass, kSecClassKey, kSecMatchLimit, kSecMatchLimitAll, kSecUseKeychain, kc, NULL),
        errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(all), 2);
    CFRelease(all);
    int two = 2;
    CFNumberRef limit = CFNumberCreate(NULL, kCFNumberIntType, &two);
    all = copy_matching(
        dict(kSecClass, kSecClassKey, kSecMatchLimit, limit, kSecUseKeychain, kc, NULL),
        errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(all), 2);
    CFRelease(all);
    CFRelease(limit);

    CFDataRef data = copy_matching(dict(kSecClass, kSecClassKey, kSecAttrApplicationTag, tag,
                                        kSecReturnData, kCFBooleanTrue, kSecUseKeychain, kc, NULL),
                                   errSecSuccess);
    CFDataRef expected = SecKeyCopyExternalRepresentation(rsa_private, NULL);
    ck_assert(CFEqual(data, expected));
    CFRelease(expected);
    CFRelease(data);
    CFDictionaryRef attrs =
        copy_matching(dict(kSecClass, kSecClassKey, kSecAttrApplicationTag, tag,
                           kSecReturnAttributes, kCFBooleanTrue, kSecUseKeychain, kc, NULL),
                      errSecSuccess);
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, CFSTR("type")), CFSTR("42")));
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecAttrCanSign), kCFBooleanTrue));
    ck_assert_int_eq(CFDataGetLength(CFDictionaryGetValue(attrs, kSecAttrApplicationLabel)), 20);
    CFRelease(attrs);
    CFRelease(tag);

    /* Locked (a fresh object on the file): the key's existence, not the key itself. */
    SecKeychainRef locked = reopen("keys.keychain");
    attrs = copy_matching(dict(kSecClass, kSecClassKey, CFSTR("kcls"), CFSTR("1"),
                               kSecReturnAttributes, kCFBooleanTrue, kSecUseKeychain, locked, NULL),
                          errSecSuccess);
    CFRelease(attrs);
    copy_matching(dict(kSecClass, kSecClassKey, CFSTR("kcls"), CFSTR("1"), kSecReturnRef,
                       kCFBooleanTrue, kSecUseKeychain, locked, NULL),
                  errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainUnlock(locked, 2, "pw", true), errSecSuccess);
    key = copy_matching(dict(kSecClass, kSecClassKey, CFSTR("kcls"), CFSTR("1"), kSecReturnRef,
                             kCFBooleanTrue, kSecUseKeychain, locked, NULL),
                        errSecSuccess);
    ck_assert(CFEqual(key, rsa_private));
    CFRelease(key);
    CFRelease(locked);
    drop_keychain(kc);
}
END_TEST

static CFDictionaryRef identity_query(SecKeychainRef kc, CFTypeRef key, CFTypeRef value)
{
    return dict(kSecClass, kSecClassIdentity, kSecUseKeychain, kc, kSecReturnRef, kCFBooleanTrue,
                key, value, NULL);
}

START_TEST(identities)
{
    SecKeychainRef kc = make_keychain("ids.keychain");
    add_ok(
        dict(kSecValueRef, identity, kSecAttrLabel, CFSTR("id-label"), kSecUseKeychain, kc, NULL));
    CFDictionaryRef again =
        dict(kSecClass, kSecClassIdentity, kSecValueRef, identity, kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemAdd(again, NULL), errSecDuplicateItem);
    CFRelease(again);
    /* A certificate without its key is no identity. */
    add_ok(dict(kSecValueRef, other_cert, kSecUseKeychain, kc, NULL));

    SecIdentityRef found = (SecIdentityRef)copy_matching(
        identity_query(kc, kSecAttrLabel, CFSTR("id-label")), errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(found), SecIdentityGetTypeID());
    ck_assert(CFEqual(found, identity));
    CFRelease(found);
    CFArrayRef all = copy_matching(dict(kSecClass, kSecClassIdentity, kSecUseKeychain, kc,
                                        kSecMatchLimit, kSecMatchLimitAll, NULL),
                                   errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(all), 1);
    CFRelease(all);
    copy_matching(identity_query(kc, kSecAttrLabel, CFSTR("other")), errSecItemNotFound);

    /* Policies: a server identity for its own host name only. */
    SecPolicyRef right = SecPolicyCreateSSL(true, CFSTR("item.test"));
    SecPolicyRef wrong = SecPolicyCreateSSL(true, CFSTR("else.test"));
    SecPolicyRef client = SecPolicyCreateSSL(false, NULL);
    SecPolicyRef basic = SecPolicyCreateBasicX509();
    found =
        (SecIdentityRef)copy_matching(identity_query(kc, kSecMatchPolicy, right), errSecSuccess);
    CFRelease(found);
    found =
        (SecIdentityRef)copy_matching(identity_query(kc, kSecMatchPolicy, basic), errSecSuccess);
    CFRelease(found);
    copy_matching(identity_query(kc, kSecMatchPolicy, wrong), errSecItemNotFound);
    copy_matching(identity_query(kc, kSecMatchPolicy, client), errSecItemNotFound);

    /* Named by the identity itself, alone or in an item list. */
    found =
        (SecIdentityRef)copy_matching(identity_query(kc, kSecValueRef, identity), errSecSuccess);
    CFRelease(found);
    CFArrayRef list = CFArrayCreate(NULL, (const void **)&identity, 1, &kCFTypeArrayCallBacks);
    found =
        (SecIdentityRef)copy_matching(identity_query(kc, kSecMatchItemList, list), errSecSuccess);
    CFRelease(found);
    CFRelease(list);
    list = CFArrayCreate(NULL, (const void **)&other_cert, 1, &kCFTypeArrayCallBacks);
    copy_matching(identity_query(kc, kSecMatchItemList, list), errSecItemNotFound);
    CFRelease(list);

    CFDictionaryRef attrs = copy_matching(dict(kSecClass, kSecClassIdentity, kSecUseKeychain, kc,
                                               kSecReturnAttributes, kCFBooleanTrue, NULL),
                                          errSecSuccess);
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecClass), kSecClassIdentity));
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecAttrLabel), CFSTR("id-label")));
    CFRelease(attrs);

    /* A locked keychain names its identities but cannot hand them out. */
    SecKeychainRef locked = reopen("ids.keychain");
    copy_matching(identity_query(locked, kSecAttrLabel, CFSTR("id-label")),
                  errSecInteractionNotAllowed);
    attrs = copy_matching(dict(kSecClass, kSecClassIdentity, kSecUseKeychain, locked,
                               kSecReturnAttributes, kCFBooleanTrue, NULL),
                          errSecSuccess);
    CFRelease(attrs);
    ck_assert_int_eq(SecKeychainUnlock(locked, 2, "pw", true), errSecSuccess);
    found = (SecIdentityRef)copy_matching(identity_query(locked, kSecAttrLabel, CFSTR("id-label")),
                                          errSecSuccess);
    CFRelease(found);
    CFRelease(locked);

    /* Deleting the identity takes its certificate and key. */
    CFDictionaryRef del = dict(kSecClass, kSecClassIdentity, kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemDelete(del), errSecSuccess);
    ck_assert_int_eq(SecItemDelete(del), errSecItemNotFound);
    CFRelease(del);
    copy_matching(dict(kSecClass, kSecClassKey, kSecUseKeychain, kc, NULL), errSecItemNotFound);
    CFTypeRef left = copy_matching(dict(kSecClass, kSecClassCertificate, kSecUseKeychain, kc, NULL),
                                   errSecSuccess);
    ck_assert(CFEqual(left, other_cert));
    CFRelease(left);

    CFRelease(right);
    CFRelease(wrong);
    CFRelease(client);
    CFRelease(basic);
    drop_keychain(kc);
}
END_TEST

START_TEST(search_lists_and_persistent_refs)
{
    SecKeychainRef one = make_keychain("one.keychain");
    SecKeychainRef two = make_keychain("two.keychain");
    add_ok(dict(kSecValueRef, leaf_cert, kSecUseKeychain, one, NULL));
    add_ok(dict(kSecValueRef, other_cert, kSecUseKeychain, two, NULL));
    const void *both[] = {one, two};
    CFArrayRef list1 = CFArrayCreate(NULL, both, 1, &kCFTypeArrayCallBacks);
    CFArrayRef list2 = CFArrayCreate(NULL, both, 2, &kCFTypeArrayCallBacks);
    CFArrayRef found = copy_matching(dict(kSecClass, kSecClassCertificate, kSecMatchSearchList,
                                          list1, kSecMatchLimit, kSecMatchLimitAll, NULL),
                                     errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(found), 1);
    CFRelease(found);
    found = copy_matching(dict(kSecClass, kSecClassCertificate, kSecMatchSearchList, list2,
                               kSecMatchLimit, kSecMatchLimitAll, NULL),
                          errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(found), 2);
    CFRelease(found);
    /* Created keychains are in the search list, as on macOS. */
    found = copy_matching(dict(kSecClass, kSecClassCertificate, kSecMatchItemList, list2,
                               kSecValueRef, other_cert, NULL),
                          errSecItemNotFound);
    CFTypeRef cert = copy_matching(
        dict(kSecClass, kSecClassCertificate, kSecValueRef, other_cert, NULL), errSecSuccess);
    ck_assert(CFEqual(cert, other_cert));
    CFRelease(cert);

    /* A persistent reference finds the item again, in another object on the same file too. */
    CFDataRef pref = copy_matching(dict(kSecClass, kSecClassCertificate, kSecUseKeychain, one,
                                        kSecReturnPersistentRef, kCFBooleanTrue, NULL),
                                   errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(pref), CFDataGetTypeID());
    SecKeychainRef again = reopen("one.keychain");
    cert = copy_matching(dict(kSecValuePersistentRef, pref, kSecUseKeychain, again, kSecReturnRef,
                              kCFBooleanTrue, NULL),
                         errSecSuccess);
    ck_assert(CFEqual(cert, leaf_cert));
    CFRelease(cert);
    copy_matching(dict(kSecValuePersistentRef, pref, kSecUseKeychain, two, NULL),
                  errSecItemNotFound);
    CFRelease(again);
    CFRelease(pref);

    CFRelease(list1);
    CFRelease(list2);
    drop_keychain(one);
    drop_keychain(two);
}
END_TEST

static CFDataRef bytes(const char *s)
{
    return CFDataCreate(NULL, (const UInt8 *)s, (CFIndex)strlen(s));
}

START_TEST(passwords)
{
    SecKeychainRef kc = make_keychain("pw.keychain");
    CFDataRef secret = bytes("hunter2-secret"), changed = bytes("correct horse");
    add_ok(dict(kSecClass, kSecClassGenericPassword, kSecAttrService, CFSTR("svc"), kSecAttrAccount,
                CFSTR("alice"), kSecValueData, secret, kSecUseKeychain, kc, kSecAttrAccessible,
                kSecAttrAccessibleWhenUnlocked, NULL));
    CFDictionaryRef dup = dict(kSecClass, kSecClassGenericPassword, kSecAttrService, CFSTR("svc"),
                               kSecAttrAccount, CFSTR("alice"), kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemAdd(dup, NULL), errSecDuplicateItem);
    CFRelease(dup);
    CFTypeRef added = NULL;
    CFDictionaryRef bob =
        dict(kSecClass, kSecClassGenericPassword, kSecAttrService, CFSTR("svc"), kSecAttrAccount,
             CFSTR("bob"), kSecUseKeychain, kc, kSecReturnRef, kCFBooleanTrue, NULL);
    ck_assert_int_eq(SecItemAdd(bob, &added), errSecSuccess);
    CFRelease(bob);
    ck_assert_uint_eq(CFGetTypeID(added), SecKeychainItemGetTypeID());
    add_ok(dict(kSecClass, kSecClassInternetPassword, kSecAttrServer, CFSTR("example.com"),
                kSecAttrAccount, CFSTR("alice"), kSecValueData, secret, kSecUseKeychain, kc, NULL));

    CFDictionaryRef alice = dict(kSecClass, kSecClassGenericPassword, kSecAttrAccount,
                                 CFSTR("alice"), kSecUseKeychain, kc, NULL);
    CFDataRef data = copy_matching(dict(kSecClass, kSecClassGenericPassword, kSecAttrService,
                                        CFSTR("svc"), kSecAttrAccount, CFSTR("alice"),
                                        kSecReturnData, kCFBooleanTrue, kSecUseKeychain, kc, NULL),
                                   errSecSuccess);
    ck_assert(CFEqual(data, secret));
    CFRelease(data);
    CFDictionaryRef attrs =
        copy_matching(dict(kSecClass, kSecClassGenericPassword, kSecAttrAccount, CFSTR("bob"),
                           kSecReturnAttributes, kCFBooleanTrue, kSecUseKeychain, kc, NULL),
                      errSecSuccess);
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecClass), kSecClassGenericPassword));
    ck_assert(CFEqual(CFDictionaryGetValue(attrs, kSecAttrService), CFSTR("svc")));
    CFRelease(attrs);
    CFTypeRef item = copy_matching(dict(kSecClass, kSecClassGenericPassword, kSecAttrAccount,
                                        CFSTR("bob"), kSecUseKeychain, kc, NULL),
                                   errSecSuccess);
    ck_assert_ptr_eq(item, added);
    CFRelease(item);
    CFRelease(added);

    /* Updates: the data, a label; a change that would make two passwords one is refused. */
    CFDictionaryRef new_data = dict(kSecValueData, changed, NULL);
    ck_assert_int_eq(SecItemUpdate(alice, new_data), errSecSuccess);
    CFRelease(new_data);
    CFDictionaryRef to_bob = dict(kSecAttrAccount, CFSTR("bob"), NULL);
    ck_assert_int_eq(SecItemUpdate(alice, to_bob), errSecDuplicateItem);
    CFRelease(to_bob);
    CFDictionaryRef labelled = dict(kSecAttrLabel, CFSTR("Alice's"), NULL);
    ck_assert_int_eq(SecItemUpdate(alice, labelled), errSecSuccess);
    CFRelease(labelled);
    CFDictionaryRef nobody = dict(kSecClass, kSecClassGenericPassword, kSecAttrAccount,
                                  CFSTR("carol"), kSecUseKeychain, kc, NULL);
    CFDictionaryRef any = dict(kSecAttrComment, CFSTR("x"), NULL);
    ck_assert_int_eq(SecItemUpdate(nobody, any), errSecItemNotFound);
    CFRelease(any);
    CFRelease(nobody);

    /* The file holds no password in clear; a fresh object needs the keychain password. */
    char path[128];
    snprintf(path, sizeof(path), "%s/pw.keychain", dir);
    FILE *f = fopen(path, "r");
    char text[16384];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_null(strstr(text, "correct horse"));
    ck_assert_ptr_null(strstr(text, "hunter2"));
    SecKeychainRef locked = reopen("pw.keychain");
    CFDictionaryRef read =
        dict(kSecClass, kSecClassGenericPassword, kSecAttrLabel, CFSTR("Alice's"), kSecReturnData,
             kCFBooleanTrue, kSecUseKeychain, locked, NULL);
    CFTypeRef result = NULL;
    ck_assert_int_eq(SecItemCopyMatching(read, &result), errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainUnlock(locked, 2, "pw", true), errSecSuccess);
    ck_assert_int_eq(SecItemCopyMatching(read, &result), errSecSuccess);
    ck_assert(CFEqual(result, changed));
    CFRelease(result);
    CFRelease(read);
    /* Bob has no data: an empty one. */
    data = copy_matching(dict(kSecClass, kSecClassGenericPassword, kSecAttrAccount, CFSTR("bob"),
                              kSecReturnData, kCFBooleanTrue, kSecUseKeychain, locked, NULL),
                         errSecSuccess);
    ck_assert_int_eq(CFDataGetLength(data), 0);
    CFRelease(data);
    data = copy_matching(dict(kSecClass, kSecClassInternetPassword, kSecAttrServer,
                              CFSTR("example.com"), kSecReturnData, kCFBooleanTrue, kSecUseKeychain,
                              locked, NULL),
                         errSecSuccess);
    ck_assert(CFEqual(data, secret));
    CFRelease(data);
    CFRelease(locked);

    /* Delete every generic password of the service. */
    CFDictionaryRef service = dict(kSecClass, kSecClassGenericPassword, kSecAttrService,
                                   CFSTR("svc"), kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemDelete(service), errSecSuccess);
    ck_assert_int_eq(SecItemCopyMatching(service, NULL), errSecItemNotFound);
    CFRelease(service);
    CFRelease(alice);
    CFRelease(secret);
    CFRelease(changed);
    drop_keychain(kc);
}
END_TEST

START_TEST(add_returns_what_is_asked)
{
    SecKeychainRef kc = make_keychain("add.keychain");
    CFTypeRef result = NULL;
    CFDictionaryRef add = dict(kSecValueRef, leaf_cert, kSecUseKeychain, kc, kSecReturnRef,
                               kCFBooleanTrue, kSecReturnAttributes, kCFBooleanTrue, NULL);
    ck_assert_int_eq(SecItemAdd(add, &result), errSecSuccess);
    CFRelease(add);
    ck_assert_uint_eq(CFGetTypeID(result), CFDictionaryGetTypeID());
    ck_assert(CFEqual(CFDictionaryGetValue(result, kSecValueRef), leaf_cert));
    ck_assert(CFEqual(CFDictionaryGetValue(result, kSecAttrLabel), CFSTR("item.test")));
    CFRelease(result);
    /* From DER data. */
    CFDataRef der = factory_der(other);
    add = dict(kSecClass, kSecClassCertificate, kSecValueData, der, kSecUseKeychain, kc,
               kSecReturnRef, kCFBooleanTrue, NULL);
    ck_assert_int_eq(SecItemAdd(add, &result), errSecSuccess);
    ck_assert(CFEqual(result, other_cert));
    CFRelease(result);
    CFRelease(add);
    CFRelease(der);
    drop_keychain(kc);
}
END_TEST

/* Each malformed query: errSecParam from every function, the result pointer cleared. */
static void refused(CFDictionaryRef query)
{
    CFTypeRef result = (CFTypeRef)(uintptr_t)1;
    ck_assert_int_eq(SecItemCopyMatching(query, &result), errSecParam);
    ck_assert_ptr_null(result);
    ck_assert_int_eq(SecItemDelete(query), errSecParam);
    CFDictionaryRef change = dict(kSecAttrLabel, CFSTR("x"), NULL);
    ck_assert_int_eq(SecItemUpdate(query, change), errSecParam);
    CFRelease(change);
    CFRelease(query);
}

START_TEST(malformed_queries)
{
    CFStringRef str = CFSTR("text");
    int zero = 0;
    CFNumberRef number = CFNumberCreate(NULL, kCFNumberIntType, &zero);
    CFArrayRef strings = CFArrayCreate(NULL, (const void **)&str, 1, &kCFTypeArrayCallBacks);
    CFTypeRef result = (CFTypeRef)(uintptr_t)1;
    ck_assert_int_eq(SecItemCopyMatching(NULL, &result), errSecParam);
    ck_assert_ptr_null(result);
    ck_assert_int_eq(SecItemCopyMatching((CFDictionaryRef)str, NULL), errSecParam);
    ck_assert_int_eq(SecItemDelete(NULL), errSecParam);
    ck_assert_int_eq(SecItemAdd(NULL, NULL), errSecParam);
    ck_assert_int_eq(SecItemUpdate(NULL, NULL), errSecParam);

    refused(dict(NULL));                                               /* no class */
    refused(dict(kSecClass, number, NULL));                            /* class not a string */
    refused(dict(kSecClass, CFSTR("unicorn"), NULL));                  /* unknown class */
    refused(dict(kSecClass, kSecClassKey, kSecMatchLimit, str, NULL)); /* bad limit */
    refused(dict(kSecClass, kSecClassKey, kSecMatchLimit, number, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecReturnRef, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecReturnData, number, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecValueRef, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecValuePersistentRef, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecUseKeychain, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecMatchSearchList, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecMatchSearchList, strings, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecMatchPolicy, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecMatchItemList, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecAttrLabel, number, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecAttrApplicationLabel, str, NULL));
    refused(dict(kSecClass, kSecClassKey, kSecAttrPort, str, NULL));
    refused(dict(kSecClass, kSecClassKey, number, str, NULL)); /* a key that is not a string */
    refused(dict(kSecClass, kSecClassKey, CFSTR("odd"), strings, NULL)); /* unstorable value */

    /* Updates change attributes and password data, nothing else. */
    CFDictionaryRef query = dict(kSecClass, kSecClassGenericPassword, NULL);
    CFDictionaryRef bad_change = dict(kSecClass, kSecClassKey, NULL);
    ck_assert_int_eq(SecItemUpdate(query, bad_change), errSecParam);
    ck_assert_int_eq(SecItemUpdate(query, NULL), errSecParam);
    ck_assert_int_eq(SecItemUpdate(query, (CFDictionaryRef)str), errSecParam);
    CFRelease(bad_change);
    CFRelease(query);
    SecKeychainRef kc = make_keychain("bad.keychain");
    add_ok(dict(kSecValueRef, leaf_cert, kSecUseKeychain, kc, NULL));
    CFDataRef data = bytes("x");
    query = dict(kSecClass, kSecClassCertificate, kSecUseKeychain, kc, NULL);
    CFDictionaryRef data_change = dict(kSecValueData, data, NULL);
    ck_assert_int_eq(SecItemUpdate(query, data_change), errSecParam);
    CFRelease(data_change);
    CFRelease(query);

    /* Additions that cannot be made. */
    CFDictionaryRef adds[] = {
        dict(kSecClass, kSecClassKey, NULL),                                    /* no key */
        dict(kSecClass, kSecClassCertificate, kSecValueRef, rsa_private, NULL), /* class mismatch */
        dict(kSecValueRef, str, NULL),
        dict(kSecClass, kSecClassGenericPassword, kSecValueData, str, NULL),
        dict(kSecClass, kSecClassCertificate, kSecValueRef, leaf_cert, kSecUseKeychain, str, NULL),
        dict(kSecAttrLabel, CFSTR("no class"), NULL),
    };
    for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
        result = (CFTypeRef)(uintptr_t)1;
        ck_assert_msg(SecItemAdd(adds[i], &result) == errSecParam, "add %zu", i);
        ck_assert_ptr_null(result);
        CFRelease(adds[i]);
    }
    CFDictionaryRef garbage =
        dict(kSecClass, kSecClassCertificate, kSecValueData, data, kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemAdd(garbage, NULL), errSecDecode);
    CFRelease(garbage);
    /* A password item is not something to add again. */
    CFTypeRef pw = NULL;
    CFDictionaryRef add_pw = dict(kSecClass, kSecClassGenericPassword, kSecAttrService, CFSTR("s"),
                                  kSecUseKeychain, kc, kSecReturnRef, kCFBooleanTrue, NULL);
    ck_assert_int_eq(SecItemAdd(add_pw, &pw), errSecSuccess);
    CFRelease(add_pw);
    CFDictionaryRef readd = dict(kSecValueRef, pw, kSecUseKeychain, kc, NULL);
    ck_assert_int_eq(SecItemAdd(readd, NULL), errSecParam);
    CFRelease(readd);
    /* ... but it can be deleted through the legacy call. */
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)pw), errSecSuccess);
    CFRelease(pw);

    /* Options Apple's platforms use for protection and sync are accepted and ignored. */
    CFTypeRef found =
        copy_matching(dict(kSecClass, kSecClassCertificate, kSecUseKeychain, kc, kSecAttrAccessible,
                           kSecAttrAccessibleAfterFirstUnlock, CFSTR("sync"), kCFBooleanTrue,
                           CFSTR("m_TrustedOnly"), kCFBooleanTrue, NULL),
                      errSecSuccess);
    CFRelease(found);
    CFRelease(data);
    drop_keychain(kc);
    CFRelease(strings);
    CFRelease(number);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_item");
    TCase *tc = tcase_create("item");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, certificates_in_the_default_keychain);
    tcase_add_test(tc, keys_by_class_type_and_tag);
    tcase_add_test(tc, identities);
    tcase_add_test(tc, search_lists_and_persistent_refs);
    tcase_add_test(tc, passwords);
    tcase_add_test(tc, add_returns_what_is_asked);
    tcase_add_test(tc, malformed_queries);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
