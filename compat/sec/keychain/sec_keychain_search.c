/*
 * The legacy keychain calls around items: SecKeychainSearch (a snapshot of
 * the items of one class whose attributes match, handed out one at a time)
 * and SecAccess (access lists, accepted and ignored: an emulated keychain
 * belongs to its process).
 */
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "sec_keychain.h"

struct sec_keychain_search {
    struct cf_object base;
    CFArrayRef results;
    _Atomic CFIndex next;
};

static void sec_keychain_search_finalize(CFTypeRef cf);

static const struct cf_class sec_keychain_search_class = {
    .name = "SecKeychainSearch",
    .finalize = sec_keychain_search_finalize,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecKeychainSearchGetTypeID, sec_keychain_search_class)

static void sec_keychain_search_finalize(CFTypeRef cf)
{
    CFRelease(((struct sec_keychain_search *)cf)->results);
}

/* The item kind of a legacy item class; false for a class that holds no items here. */
static bool kind_of_class(SecItemClass itemClass, enum sec_item_kind *kind, bool *known)
{
    *known = true;
    switch (itemClass) {
    case kSecCertificateItemClass: *kind = SEC_ITEM_CERTIFICATE; return true;
    case kSecPrivateKeyItemClass: *kind = SEC_ITEM_PRIVATE_KEY; return true;
    case kSecPublicKeyItemClass: *kind = SEC_ITEM_PUBLIC_KEY; return true;
    case kSecGenericPasswordItemClass: *kind = SEC_ITEM_GENERIC_PASSWORD; return true;
    case kSecInternetPasswordItemClass: *kind = SEC_ITEM_INTERNET_PASSWORD; return true;
    case kSecSymmetricKeyItemClass:
    case kSecAppleSharePasswordItemClass: return false;
    default: *known = false; return false;
    }
}

/* A tag's four letters, the key of the same attribute in an item dictionary. */
static CFStringRef tag_key(SecKeychainAttrType tag)
{
    char name[5] = {(char)(tag >> 24), (char)(tag >> 16), (char)(tag >> 8), (char)tag, '\0'};
    return cf_string_create_utf8(name, 4);
}

static bool bytes_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* A legacy attribute value (raw bytes) against an item's: text may carry a trailing NUL. */
static bool value_matches(CFTypeRef have, const SecKeychainAttribute *attr)
{
    size_t len = attr->length;
    const unsigned char *data = attr->data;
    if (cf_is_type(have, CFStringGetTypeID())) {
        if (len > 0 && data[len - 1] == '\0')
            len--;
        const char *s = cf_string_utf8(have);
        return bytes_equal(s, strlen(s), data, len);
    }
    if (cf_is_type(have, CFDataGetTypeID()))
        return bytes_equal(CFDataGetBytePtr(have), (size_t)CFDataGetLength(have), data, len);
    if (cf_is_type(have, CFNumberGetTypeID()) || cf_is_type(have, CFBooleanGetTypeID())) {
        long long n = 0;
        if (cf_is_type(have, CFBooleanGetTypeID()))
            n = CFBooleanGetValue(have);
        else
            CFNumberGetValue(have, kCFNumberLongLongType, &n);
        if (len == sizeof(UInt32)) {
            UInt32 v;
            memcpy(&v, data, sizeof(v));
            return (long long)v == n;
        }
        if (len == sizeof(UInt16)) {
            UInt16 v;
            memcpy(&v, data, sizeof(v));
            return (long long)v == n;
        }
    }
    return false;
}

static bool attributes_match(const struct sec_item_view *v, const SecKeychainAttributeList *list)
{
    for (UInt32 i = 0; list != NULL && i < list->count; i++) {
        CFStringRef key = tag_key(list->attr[i].tag);
        CFTypeRef have = key != NULL ? CFDictionaryGetValue(v->attributes, key) : NULL;
        bool match = have != NULL && value_matches(have, &list->attr[i]);
        if (key != NULL)
            CFRelease(key);
        if (!match)
            return false;
    }
    return true;
}

static bool attribute_list_ok(const SecKeychainAttributeList *list)
{
    if (list == NULL)
        return true;
    if (list->count > 0 && list->attr == NULL)
        return false;
    for (UInt32 i = 0; i < list->count; i++)
        if (list->attr[i].data == NULL && list->attr[i].length > 0)
            return false;
    return true;
}

/* The matching items' references, in keychain order. */
static OSStatus collect_results(CFTypeRef keychainOrArray, enum sec_item_kind kind, bool any,
                                const SecKeychainAttributeList *attrList, CFArrayRef *out)
{
    struct sec_item_list list = {0};
    CFMutableArrayRef results = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    OSStatus status = results != NULL ? errSecSuccess : errSecAllocate;
    if (status == errSecSuccess && any)
        status = sec_keychain_collect(keychainOrArray, &list);
    for (size_t i = 0; status == errSecSuccess && i < list.count; i++) {
        const struct sec_item_view *v = &list.items[i];
        if (v->kind != kind || !attributes_match(v, attrList))
            continue;
        if (v->ref == NULL)
            status = errSecInteractionNotAllowed; /* a private key of a locked keychain */
        else
            CFArrayAppendValue(results, v->ref);
    }
    sec_item_list_free(&list);
    if (status != errSecSuccess && results != NULL) {
        CFRelease(results);
        results = NULL;
    }
    *out = results;
    return status;
}

OSStatus SecKeychainSearchCreateFromAttributes(CFTypeRef keychainOrArray, SecItemClass itemClass,
                                               const SecKeychainAttributeList *attrList,
                                               SecKeychainSearchRef *searchRef)
{
    if (searchRef == NULL)
        return errSecParam;
    *searchRef = NULL;
    if (!attribute_list_ok(attrList))
        return errSecParam;
    enum sec_item_kind kind = SEC_ITEM_CERTIFICATE;
    bool known;
    bool any = kind_of_class(itemClass, &kind, &known);
    if (!known)
        return errSecNoSuchClass;
    CFArrayRef results = NULL;
    OSStatus status = collect_results(keychainOrArray, kind, any, attrList, &results);
    if (status != errSecSuccess)
        return status;
    struct sec_keychain_search *search =
        cf_object_create(SecKeychainSearchGetTypeID(), sizeof(*search));
    if (search == NULL) {
        CFRelease(results);
        return errSecAllocate;
    }
    search->results = results;
    *searchRef = (SecKeychainSearchRef)search;
    return errSecSuccess;
}

OSStatus SecKeychainSearchCopyNext(SecKeychainSearchRef searchRef, SecKeychainItemRef *itemRef)
{
    if (itemRef == NULL)
        return errSecParam;
    *itemRef = NULL;
    if (!cf_is_type(searchRef, SecKeychainSearchGetTypeID()))
        return errSecInvalidSearchRef;
    struct sec_keychain_search *search = (struct sec_keychain_search *)searchRef;
    CFIndex i = atomic_fetch_add(&search->next, 1);
    if (i >= CFArrayGetCount(search->results)) {
        search->next = CFArrayGetCount(search->results); /* stays at the end */
        return errSecItemNotFound;
    }
    *itemRef = (SecKeychainItemRef)CFRetain(CFArrayGetValueAtIndex(search->results, i));
    return errSecSuccess;
}

/* --- SecAccess --- */

struct sec_access {
    struct cf_object base;
};

static const struct cf_class sec_access_class = {.name = "SecAccess"};

CF_DEFINE_TYPE_ID_FUNCTION(SecAccessGetTypeID, sec_access_class)

OSStatus SecAccessCreate(CFStringRef descriptor, CFArrayRef trustedlist, SecAccessRef *accessRef)
{
    if (accessRef == NULL)
        return errSecParam;
    *accessRef = NULL;
    if (!cf_is_type(descriptor, CFStringGetTypeID()) ||
        (trustedlist != NULL && !cf_is_type(trustedlist, CFArrayGetTypeID())))
        return errSecParam;
    *accessRef = cf_object_create(SecAccessGetTypeID(), sizeof(struct sec_access));
    return *accessRef != NULL ? errSecSuccess : errSecAllocate;
}
