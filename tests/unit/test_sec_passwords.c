/*
 * Keychain passwords and settings: SecKeychainAdd/Find Generic and Internet
 * passwords, SecKeychainItemModify/CopyAttributesAndData and the frees,
 * SecKeychainSet/CopySettings (the sequence Qt's macOS TLS backend runs), and
 * the same items through SecItem. NULL, locked-keychain and hostile
 * arguments get exact status codes; a file keychain keeps its passwords
 * across close and reopen, encrypted. Every test works in its own directory.
 */
#include <Security/Security.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scratch_dir.h"
#include "st_test.h"

static char dir[SCRATCH_DIR_SIZE];
static char path[128];

static void setup(void)
{
    scratch_dir_create(dir, "pw");
    snprintf(path, sizeof(path), "%s/test.keychain", dir);
}

static void teardown(void)
{
    unlink(path);
    ck_assert_int_eq(rmdir(dir), 0);
}

static SecKeychainRef create_keychain(void)
{
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainCreate(path, 6, "kcpass", false, NULL, &kc), errSecSuccess);
    return kc;
}

static void delete_keychain(SecKeychainRef kc)
{
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}

static bool file_contains(const char *needle)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(buf + i, needle, m) == 0)
            return true;
    return false;
}

/* Qt creates a temporary keychain and turns its lock interval off. */
START_TEST(qt_settings_sequence)
{
    SecKeychainRef kc = create_keychain();
    SecKeychainSettings settings = {SEC_KEYCHAIN_SETTINGS_VERS1, false, false, INT_MAX};
    ck_assert_int_eq(SecKeychainSetSettings(kc, &settings), errSecSuccess);
    SecKeychainSettings out = {SEC_KEYCHAIN_SETTINGS_VERS1, true, true, 0};
    ck_assert_int_eq(SecKeychainCopySettings(kc, &out), errSecSuccess);
    ck_assert_int_eq(out.lockOnSleep, false);
    ck_assert_uint_eq(out.lockInterval, INT_MAX);
    ck_assert_int_eq(out.useLockInterval, true); /* Apple's copy leaves it as it was */

    SecKeychainSettings timed = {SEC_KEYCHAIN_SETTINGS_VERS1, true, true, 300};
    ck_assert_int_eq(SecKeychainSetSettings(kc, &timed), errSecSuccess);
    ck_assert_int_eq(SecKeychainCopySettings(kc, &out), errSecSuccess);
    ck_assert_int_eq(out.lockOnSleep, true);
    ck_assert_uint_eq(out.lockInterval, 300);
    /* The interval is kept as given, whatever useLockInterval says (Apple's setSettings). */
    SecKeychainSettings unused = {SEC_KEYCHAIN_SETTINGS_VERS1, false, false, 600};
    ck_assert_int_eq(SecKeychainSetSettings(kc, &unused), errSecSuccess);
    ck_assert_int_eq(SecKeychainCopySettings(kc, &out), errSecSuccess);
    ck_assert_uint_eq(out.lockInterval, 600);

    /* Another version is accepted and ignored, both ways. */
    SecKeychainSettings v2 = {2, true, true, 5};
    ck_assert_int_eq(SecKeychainSetSettings(kc, &v2), errSecSuccess);
    ck_assert_int_eq(SecKeychainCopySettings(kc, &v2), errSecSuccess);
    ck_assert_int_eq(v2.lockOnSleep, true);
    ck_assert_uint_eq(v2.lockInterval, 5);
    ck_assert_int_eq(SecKeychainCopySettings(kc, &out), errSecSuccess);
    ck_assert_int_eq(out.lockOnSleep, false);
    ck_assert_uint_eq(out.lockInterval, 600);

    /* Bad arguments. */
    ck_assert_int_eq(SecKeychainSetSettings(kc, NULL), errSecParam);
    ck_assert_int_eq(SecKeychainCopySettings(kc, NULL), errSecParam);
    ck_assert_int_eq(SecKeychainSetSettings((SecKeychainRef)kCFBooleanTrue, &settings),
                     errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainCopySettings((SecKeychainRef)kCFBooleanTrue, &out),
                     errSecInvalidKeychain);

    SecKeychainStatus status = 0;
    ck_assert_int_eq(SecKeychainGetStatus(kc, &status), errSecSuccess);
    ck_assert_uint_eq(status, kSecUnlockStateStatus | kSecReadPermStatus | kSecWritePermStatus);
    ck_assert_int_eq(SecKeychainLock(kc), errSecSuccess);
    ck_assert_int_eq(SecKeychainGetStatus(kc, &status), errSecSuccess);
    ck_assert_uint_eq(status, kSecReadPermStatus | kSecWritePermStatus);
    delete_keychain(kc);

    /* A keychain whose file is gone. */
    SecKeychainRef missing = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &missing), errSecSuccess);
    ck_assert_int_eq(SecKeychainSetSettings(missing, &settings), errSecNoSuchKeychain);
    ck_assert_int_eq(SecKeychainCopySettings(missing, &out), errSecNoSuchKeychain);
    CFRelease(missing);
}
END_TEST

START_TEST(generic_password_lifecycle)
{
    SecKeychainRef kc = create_keychain();
    SecKeychainItemRef item = NULL;
    ck_assert_int_eq(
        SecKeychainAddGenericPassword(kc, 7, "service", 5, "alice", 6, "secret", &item),
        errSecSuccess);
    ck_assert_ptr_nonnull(item);
    ck_assert_int_eq(CFGetTypeID(item), SecKeychainItemGetTypeID());
    /* Same (account, service): a duplicate, whatever the password. */
    SecKeychainItemRef dup = (SecKeychainItemRef)kCFBooleanTrue;
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 7, "service", 5, "alice", 3, "xyz", &dup),
                     errSecDuplicateItem);
    ck_assert_ptr_null(dup);
    /* Another account is another item. */
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 7, "service", 3, "bob", 2, "pw", NULL),
                     errSecSuccess);

    UInt32 length = 0;
    void *data = NULL;
    SecKeychainItemRef found = NULL;
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 7, "service", 5, "alice", &length, &data, &found),
        errSecSuccess);
    ck_assert_uint_eq(length, 6);
    ck_assert_mem_eq(data, "secret", 6);
    ck_assert_ptr_eq(found, item);
    ck_assert_int_eq(SecKeychainItemFreeContent(NULL, data), errSecSuccess);
    CFRelease(found);
    /* A NULL name matches any. */
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 0, NULL, 3, "bob", &length, &data, NULL),
                     errSecSuccess);
    ck_assert_mem_eq(data, "pw", 2);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 7, "service", 5, "carol", &length, &data, NULL),
        errSecItemNotFound);
    ck_assert_ptr_null(data);

    /* Modify the password and the account. */
    SecKeychainAttribute attr = {kSecAccountItemAttr, 5, "alyce"};
    SecKeychainAttributeList list = {1, &attr};
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, &list, 7, "changed"),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 7, "service", 5, "alice", NULL, NULL, NULL),
                     errSecItemNotFound);
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 7, "service", 5, "alyce", &length, &data, NULL),
        errSecSuccess);
    ck_assert_uint_eq(length, 7);
    ck_assert_mem_eq(data, "changed", 7);
    SecKeychainItemFreeContent(NULL, data);
    /* Renaming onto bob's key collides. */
    SecKeychainAttribute to_bob = {kSecAccountItemAttr, 3, "bob"};
    SecKeychainAttributeList bob_list = {1, &to_bob};
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, &bob_list, 0, NULL),
                     errSecDuplicateItem);

    /* Copy attributes and data. */
    UInt32 tags[] = {kSecAccountItemAttr, kSecServiceItemAttr, kSecLabelItemAttr,
                     kSecCommentItemAttr};
    UInt32 formats[] = {0, 0, 0, 0};
    SecKeychainAttributeInfo info = {4, tags, formats};
    SecItemClass cls = 0;
    SecKeychainAttributeList *copied = NULL;
    ck_assert_int_eq(
        SecKeychainItemCopyAttributesAndData(item, &info, &cls, &copied, &length, &data),
        errSecSuccess);
    ck_assert_uint_eq(cls, kSecGenericPasswordItemClass);
    ck_assert_uint_eq(copied->count, 4);
    ck_assert_uint_eq(copied->attr[0].tag, kSecAccountItemAttr);
    ck_assert_uint_eq(copied->attr[0].length, 5);
    ck_assert_mem_eq(copied->attr[0].data, "alyce", 5);
    ck_assert_uint_eq(copied->attr[1].length, 7);
    ck_assert_mem_eq(copied->attr[1].data, "service", 7);
    ck_assert_mem_eq(copied->attr[2].data, "service", 7); /* Apple's label: the service */
    ck_assert_uint_eq(copied->attr[3].length, 0);         /* none */
    ck_assert_uint_eq(length, 7);
    ck_assert_int_eq(SecKeychainItemFreeAttributesAndData(copied, data), errSecSuccess);

    /* Delete. */
    ck_assert_int_eq(SecKeychainItemDelete(item), errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 7, "service", 5, "alyce", NULL, NULL, NULL),
                     errSecItemNotFound);
    ck_assert_int_eq(SecKeychainItemDelete(item), errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, NULL, 1, "x"),
                     errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, NULL, &cls, NULL, NULL, NULL),
                     errSecInvalidItemRef);
    CFRelease(item);
    delete_keychain(kc);
}
END_TEST

START_TEST(internet_password_primary_key)
{
    SecKeychainRef kc = create_keychain();
    SecKeychainItemRef item = NULL;
    ck_assert_int_eq(SecKeychainAddInternetPassword(
                         kc, 11, "example.org", 0, NULL, 4, "user", 4, "/api", 443,
                         kSecProtocolTypeHTTPS, kSecAuthenticationTypeDefault, 5, "token", &item),
                     errSecSuccess);
    /* Each part of the primary key makes another item... */
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 11, "example.org", 0, NULL, 4, "user", 4,
                                                    "/api", 8443, kSecProtocolTypeHTTPS,
                                                    kSecAuthenticationTypeDefault, 1, "a", NULL),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 11, "example.org", 0, NULL, 4, "user", 4,
                                                    "/api", 443, kSecProtocolTypeHTTP,
                                                    kSecAuthenticationTypeDefault, 1, "b", NULL),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 11, "example.org", 5, "realm", 4, "user", 4,
                                                    "/api", 443, kSecProtocolTypeHTTPS,
                                                    kSecAuthenticationTypeDefault, 1, "c", NULL),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 11, "example.org", 0, NULL, 4, "user", 4,
                                                    "/api", 443, kSecProtocolTypeHTTPS,
                                                    kSecAuthenticationTypeHTTPBasic, 1, "d", NULL),
                     errSecSuccess);
    /* ...and the same key again is a duplicate. */
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 11, "example.org", 0, NULL, 4, "user", 4,
                                                    "/api", 443, kSecProtocolTypeHTTPS,
                                                    kSecAuthenticationTypeDefault, 1, "e", NULL),
                     errSecDuplicateItem);

    UInt32 length = 0;
    void *data = NULL;
    ck_assert_int_eq(SecKeychainFindInternetPassword(kc, 11, "example.org", 0, NULL, 4, "user", 4,
                                                     "/api", 443, kSecProtocolTypeHTTPS,
                                                     kSecAuthenticationTypeDefault, &length, &data,
                                                     NULL),
                     errSecSuccess);
    ck_assert_uint_eq(length, 5);
    ck_assert_mem_eq(data, "token", 5);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(SecKeychainFindInternetPassword(
                         kc, 11, "example.org", 5, "realm", 0, NULL, 0, NULL, 0,
                         kSecProtocolTypeAny, kSecAuthenticationTypeAny, &length, &data, NULL),
                     errSecSuccess);
    ck_assert_mem_eq(data, "c", 1);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(SecKeychainFindInternetPassword(kc, 11, "example.net", 0, NULL, 0, NULL, 0,
                                                     NULL, 0, 0, 0, NULL, NULL, NULL),
                     errSecItemNotFound);

    /* The same item through SecItem: the protocol is "htps", the port a number. */
    int port = 443;
    CFNumberRef port_number = CFNumberCreate(NULL, kCFNumberIntType, &port);
    const void *keys[] = {kSecClass,      kSecAttrServer, kSecAttrProtocol,
                          kSecAttrPort,   kSecAttrPath,   kSecAttrAuthenticationType,
                          kSecReturnData, kSecMatchLimit, kSecUseKeychain};
    const void *values[] = {kSecClassInternetPassword,
                            CFSTR("example.org"),
                            kSecAttrProtocolHTTPS,
                            port_number,
                            CFSTR("/api"),
                            kSecAttrAuthenticationTypeDefault,
                            kCFBooleanTrue,
                            kSecMatchLimitAll,
                            kc};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 8, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef result = NULL;
    ck_assert_int_eq(SecItemCopyMatching(query, &result), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(result), 2); /* with and without the realm */
    CFRelease(result);
    CFRelease(query);
    CFRelease(port_number);

    /* Port and protocol come back as the legacy API gives them. */
    UInt32 tags[] = {kSecPortItemAttr, kSecProtocolItemAttr, kSecAuthenticationTypeItemAttr};
    UInt32 formats[] = {0, 0, 0};
    SecKeychainAttributeInfo info = {3, tags, formats};
    SecKeychainAttributeList *copied = NULL;
    SecItemClass cls = 0;
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, &info, &cls, &copied, NULL, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(cls, kSecInternetPasswordItemClass);
    UInt32 v = 0;
    ck_assert_uint_eq(copied->attr[0].length, 4);
    memcpy(&v, copied->attr[0].data, 4);
    ck_assert_uint_eq(v, 443);
    memcpy(&v, copied->attr[1].data, 4);
    ck_assert_uint_eq(v, kSecProtocolTypeHTTPS);
    memcpy(&v, copied->attr[2].data, 4);
    ck_assert_uint_eq(v, kSecAuthenticationTypeDefault);
    ck_assert_mem_eq(copied->attr[2].data, "dflt", 4);
    SecKeychainItemFreeAttributesAndData(copied, NULL);
    CFRelease(item);
    delete_keychain(kc);
}
END_TEST

/* Items added through SecItem are found through the legacy calls, and back. */
START_TEST(secitem_and_legacy_agree)
{
    SecKeychainRef kc = create_keychain();
    CFDataRef secret = CFDataCreate(NULL, (const UInt8 *)"hunter2", 7);
    const void *keys[] = {kSecClass, kSecAttrService, kSecAttrAccount, kSecValueData,
                          kSecUseKeychain};
    const void *values[] = {kSecClassGenericPassword, CFSTR("svc"), CFSTR("acct"), secret, kc};
    CFDictionaryRef add = CFDictionaryCreate(NULL, keys, values, 5, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecSuccess);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecDuplicateItem);
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 3, "svc", 4, "acct", 1, "x", NULL),
                     errSecDuplicateItem);
    UInt32 length = 0;
    void *data = NULL;
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 3, "svc", 4, "acct", &length, &data, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(length, 7);
    ck_assert_mem_eq(data, "hunter2", 7);
    SecKeychainItemFreeContent(NULL, data);
    CFRelease(add);
    CFRelease(secret);

    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 6, "legacy", 4, "acct", 3, "old", NULL),
                     errSecSuccess);
    const void *qkeys[] = {kSecClass, kSecAttrService, kSecUseKeychain};
    const void *qvalues[] = {kSecClassGenericPassword, CFSTR("legacy"), kc};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, qkeys, qvalues, 3, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFDataRef fresh = CFDataCreate(NULL, (const UInt8 *)"new", 3);
    const void *ukey = kSecValueData, *uvalue = fresh;
    CFDictionaryRef update = CFDictionaryCreate(
        NULL, &ukey, &uvalue, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecItemUpdate(query, update), errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 6, "legacy", 0, NULL, &length, &data, NULL),
                     errSecSuccess);
    ck_assert_mem_eq(data, "new", 3);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(SecItemDelete(query), errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 6, "legacy", 0, NULL, NULL, NULL, NULL),
                     errSecItemNotFound);
    ck_assert_int_eq(SecItemDelete(query), errSecItemNotFound);
    CFRelease(update);
    CFRelease(fresh);
    CFRelease(query);
    delete_keychain(kc);
}
END_TEST

START_TEST(file_keychain_persists_encrypted_passwords)
{
    SecKeychainRef kc = create_keychain();
    ck_assert_int_eq(
        SecKeychainAddGenericPassword(kc, 5, "files", 4, "user", 17, "PlaintextMarker42", NULL),
        errSecSuccess);
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 9, "127.0.0.1", 0, NULL, 4, "user", 0, NULL,
                                                    4433, kSecProtocolTypeHTTPS,
                                                    kSecAuthenticationTypeDefault, 17,
                                                    "InternetMarker99", NULL),
                     errSecSuccess);
    CFRelease(kc);
    ck_assert(!file_contains("PlaintextMarker42"));
    ck_assert(!file_contains("InternetMarker99"));

    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    UInt32 length = 0;
    void *data = (void *)&length;
    SecKeychainItemRef item = NULL;
    /* Locked: the item is there, its data is not readable without a prompt. */
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 5, "files", 4, "user", NULL, NULL, &item),
                     errSecSuccess);
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 5, "files", 4, "user", &length, &data, NULL),
        errSecInteractionNotAllowed);
    ck_assert_ptr_null(data);
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, NULL, 3, "new"),
                     errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, NULL, NULL, NULL, &length, &data),
                     errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 5, "other", 4, "user", 1, "x", NULL),
                     errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainUnlock(kc, 5, "wrong", true), errSecAuthFailed);
    ck_assert_int_eq(SecKeychainUnlock(kc, 6, "kcpass", true), errSecSuccess);
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 5, "files", 4, "user", &length, &data, NULL),
        errSecSuccess);
    ck_assert_uint_eq(length, 17);
    ck_assert_mem_eq(data, "PlaintextMarker42", 17);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(SecKeychainFindInternetPassword(kc, 9, "127.0.0.1", 0, NULL, 0, NULL, 0, NULL,
                                                     4433, 0, 0, &length, &data, NULL),
                     errSecSuccess);
    ck_assert_mem_eq(data, "InternetMarker99", 16);
    SecKeychainItemFreeContent(NULL, data);
    /* Modified data is saved encrypted too. */
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, NULL, 14, "SecondMarker77"),
                     errSecSuccess);
    ck_assert(!file_contains("SecondMarker77"));
    CFRelease(item);
    CFRelease(kc);
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    ck_assert_int_eq(SecKeychainUnlock(kc, 6, "kcpass", true), errSecSuccess);
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 5, "files", 4, "user", &length, &data, NULL),
        errSecSuccess);
    ck_assert_mem_eq(data, "SecondMarker77", 14);
    SecKeychainItemFreeContent(NULL, data);
    /* Once its file is deleted, the keychain is gone. */
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 5, "files", 4, "user", NULL, NULL, NULL),
                     errSecNoSuchKeychain);
    CFRelease(kc);
}
END_TEST

START_TEST(null_and_hostile_arguments)
{
    SecKeychainRef kc = create_keychain();
    SecKeychainRef bogus = (SecKeychainRef)kCFBooleanFalse;
    /* Apple adds to the default keychain when the one named is not a keychain. */
    SecKeychainItemRef stray = NULL;
    ck_assert_int_eq(SecKeychainAddGenericPassword(bogus, 5, "stray", 1, "a", 1, "p", &stray),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 5, "stray", 0, NULL, NULL, NULL, NULL),
                     errSecItemNotFound);
    ck_assert_int_eq(SecKeychainFindGenericPassword(NULL, 5, "stray", 0, NULL, NULL, NULL, NULL),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainItemDelete(stray), errSecSuccess);
    CFRelease(stray);
    /* A name is set only when both pointer and length are: (5, NULL) is no service. */
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 5, NULL, 1, "a", 1, "p", NULL),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 0, "ignored", 1, "a", 1, "p", NULL),
                     errSecDuplicateItem);
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 1, "s", 1, "a", 5, NULL, NULL), errSecParam);
    /* Not UTF-8. */
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 2, "\xff\xfe", 1, "a", 1, "p", NULL),
                     errSecParam);
    ck_assert_int_eq(SecKeychainAddInternetPassword(kc, 3, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, 0,
                                                    3, NULL, NULL),
                     errSecParam);
    ck_assert_int_eq(SecKeychainFindGenericPassword(bogus, 0, NULL, 0, NULL, NULL, NULL, NULL),
                     errSecInvalidKeychain);
    void *data = NULL;
    /* The data without its length, and the length alone, as Apple allows. */
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 0, NULL, 1, "a", NULL, &data, NULL),
                     errSecSuccess);
    ck_assert_mem_eq(data, "p", 1);
    SecKeychainItemFreeContent(NULL, data);
    UInt32 only_length = 0;
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 0, NULL, 1, "a", &only_length, NULL, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(only_length, 1);
    ck_assert_int_eq(SecKeychainFindInternetPassword(kc, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0,
                                                     0, NULL, &data, NULL),
                     errSecItemNotFound);
    ck_assert_ptr_null(data);
    /* An empty password is a password. */
    SecKeychainItemRef item = NULL;
    ck_assert_int_eq(SecKeychainAddGenericPassword(kc, 1, "s", 1, "a", 0, NULL, &item),
                     errSecSuccess);
    UInt32 length = 99;
    ck_assert_int_eq(SecKeychainFindGenericPassword(kc, 1, "s", 1, "a", &length, &data, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(length, 0);
    SecKeychainItemFreeContent(NULL, data);

    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(NULL, NULL, 0, NULL),
                     errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData((SecKeychainItemRef)kc, NULL, 0, NULL),
                     errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, NULL, 4, NULL), errSecParam);
    SecKeychainAttributeList broken = {3, NULL};
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, &broken, 0, NULL), errSecParam);
    SecKeychainAttribute bad_port = {kSecPortItemAttr, 2, "xx"};
    SecKeychainAttributeList port_list = {1, &bad_port};
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, &port_list, 0, NULL),
                     errSecParam);
    SecKeychainAttribute no_data = {kSecLabelItemAttr, 8, NULL};
    SecKeychainAttributeList no_data_list = {1, &no_data};
    ck_assert_int_eq(SecKeychainItemModifyAttributesAndData(item, &no_data_list, 0, NULL),
                     errSecParam);

    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(NULL, NULL, NULL, NULL, NULL, NULL),
                     errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, NULL, NULL, NULL, NULL, &data),
                     errSecParam);
    SecKeychainAttributeInfo no_tags = {2, NULL, NULL};
    SecKeychainAttributeList *list = NULL;
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, &no_tags, NULL, &list, NULL, NULL),
                     errSecParam);
    ck_assert_ptr_null(list);
    /* No info: an empty list. */
    ck_assert_int_eq(SecKeychainItemCopyAttributesAndData(item, NULL, NULL, &list, NULL, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(list->count, 0);
    SecKeychainItemFreeAttributesAndData(list, NULL);
    ck_assert_int_eq(SecKeychainItemFreeContent(NULL, NULL), errSecSuccess);
    ck_assert_int_eq(SecKeychainItemFreeAttributesAndData(NULL, NULL), errSecSuccess);
    CFRelease(item);
    delete_keychain(kc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_passwords");
    TCase *tc = tcase_create("passwords");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, qt_settings_sequence);
    tcase_add_test(tc, generic_password_lifecycle);
    tcase_add_test(tc, internet_password_primary_key);
    tcase_add_test(tc, secitem_and_legacy_agree);
    tcase_add_test(tc, file_keychain_persists_encrypted_passwords);
    tcase_add_test(tc, null_and_hostile_arguments);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
