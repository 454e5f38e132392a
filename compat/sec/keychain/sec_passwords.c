/*
 * The legacy password calls of SecKeychain.h and SecKeychainItem.h: add and
 * find generic and internet passwords, modify and copy an item's attributes
 * and data, and free what the copies return. Items are the same entries
 * SecItemAdd makes: the legacy attribute tags are the four letters of the
 * kSecAttr* keys, and Apple's primary keys decide what is a duplicate.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_dictionary.h"
#include "cf_string.h"
#include "sec_keychain.h"

/* --- Attribute values --- */

/*
 * A name given as bytes: absent (NULL) unless both pointer and length are
 * given, as Apple's SecKeychain.cpp sets and matches attributes only then;
 * errSecParam when the bytes are not UTF-8 (a CFString cannot hold them).
 */
static OSStatus name_value(UInt32 length, const char *bytes, CFStringRef *out)
{
    *out = NULL;
    if (bytes == NULL || length == 0)
        return errSecSuccess;
    *out = CFStringCreateWithBytes(NULL, (const UInt8 *)bytes, (CFIndex)length,
                                   kCFStringEncodingUTF8, false);
    if (*out != NULL)
        return errSecSuccess;
    return cf_utf8_is_valid(bytes, length) ? errSecAllocate : errSecParam;
}

/* A protocol code as the string kSecAttrProtocol holds: its four letters, high byte first. */
static CFStringRef protocol_value(FourCharCode code)
{
    UInt8 b[4] = {(UInt8)(code >> 24), (UInt8)(code >> 16), (UInt8)(code >> 8), (UInt8)code};
    return CFStringCreateWithBytes(NULL, b, 4, kCFStringEncodingASCII, false);
}

/* An authentication type is stored in memory order (Apple's AUTH_TYPE_FIX_), so its bytes read as
 * the letters. */
static CFStringRef auth_type_value(FourCharCode code)
{
    UInt8 b[4];
    memcpy(b, &code, 4);
    return CFStringCreateWithBytes(NULL, b, 4, kCFStringEncodingASCII, false);
}

/*
 * Stores `value` (consumed) under `key`; false when it could not be made
 * (NULL) or stored. A password must never be filed under fewer attributes
 * than it was given because memory ran out.
 */
static bool put(CFMutableDictionaryRef d, CFStringRef key, CFTypeRef value)
{
    if (value == NULL)
        return false;
    bool stored = cf_dictionary_set_value(d, key, value);
    CFRelease(value);
    return stored;
}

static CFMutableDictionaryRef new_dictionary(void)
{
    return CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                     &kCFTypeDictionaryValueCallBacks);
}

struct names {
    UInt32 length[4];
    const char *bytes[4];
    CFStringRef keys[4];
    size_t count;
};

/* The attributes of a generic or internet password; errSecParam for a malformed name. */
static OSStatus password_attributes(const struct names *n, UInt16 port, FourCharCode protocol,
                                    FourCharCode auth, bool internet, CFMutableDictionaryRef *out)
{
    *out = new_dictionary();
    if (*out == NULL)
        return errSecAllocate;
    for (size_t i = 0; i < n->count; i++) {
        CFStringRef value;
        OSStatus status = name_value(n->length[i], n->bytes[i], &value);
        if (status != errSecSuccess) {
            CFRelease(*out);
            *out = NULL;
            return status;
        }
        bool ok = value == NULL || put(*out, n->keys[i], value);
        if (!ok) {
            CFRelease(*out);
            *out = NULL;
            return errSecAllocate;
        }
    }
    bool ok = true;
    if (internet) {
        int p = port;
        if (port != 0)
            ok = put(*out, kSecAttrPort, CFNumberCreate(NULL, kCFNumberIntType, &p));
        if (ok && protocol != 0)
            ok = put(*out, kSecAttrProtocol, protocol_value(protocol));
        if (ok && auth != 0)
            ok = put(*out, kSecAttrAuthenticationType, auth_type_value(auth));
    }
    if (!ok) {
        CFRelease(*out);
        *out = NULL;
        return errSecAllocate;
    }
    return errSecSuccess;
}

/* --- Adding --- */

static OSStatus add_password(SecKeychainRef keychain, enum sec_item_kind kind,
                             CFMutableDictionaryRef attributes, CFStringRef label_key,
                             UInt32 passwordLength, const void *passwordData,
                             SecKeychainItemRef *itemRef)
{
    if (itemRef != NULL)
        *itemRef = NULL;
    if (passwordData == NULL && passwordLength != 0)
        return errSecParam;
    /* Apple labels a new password with its service or server name. */
    CFTypeRef label = CFDictionaryGetValue(attributes, label_key);
    if (label != NULL)
        CFDictionarySetValue(attributes, kSecAttrLabel, label);
    CFDataRef secret = CFDataCreate(NULL, passwordData, (CFIndex)passwordLength);
    CFTypeRef item = sec_password_item_create(kind);
    /* Apple adds to the default keychain when the one named is not a keychain or is gone. */
    SecKeychainRef target = sec_keychain_of(keychain) != NULL ? (SecKeychainRef)CFRetain(keychain)
                                                              : sec_keychain_copy_default();
    OSStatus status = secret != NULL && item != NULL && target != NULL
                          ? sec_keychain_add(target, kind, item, attributes, secret)
                          : errSecAllocate;
    if (status == errSecNoSuchKeychain) {
        CFRelease(target);
        target = sec_keychain_copy_default();
        status = target != NULL ? sec_keychain_add(target, kind, item, attributes, secret)
                                : errSecAllocate;
    }
    if (status == errSecSuccess && itemRef != NULL)
        *itemRef = (SecKeychainItemRef)CFRetain(item);
    if (secret != NULL)
        CFRelease(secret);
    if (item != NULL)
        CFRelease(item);
    if (target != NULL)
        CFRelease(target);
    return status;
}

OSStatus SecKeychainAddGenericPassword(SecKeychainRef keychain, UInt32 serviceNameLength,
                                       const char *serviceName, UInt32 accountNameLength,
                                       const char *accountName, UInt32 passwordLength,
                                       const void *passwordData, SecKeychainItemRef *itemRef)
{
    struct names n = {{serviceNameLength, accountNameLength},
                      {serviceName, accountName},
                      {kSecAttrService, kSecAttrAccount},
                      2};
    CFMutableDictionaryRef attributes;
    OSStatus status = password_attributes(&n, 0, 0, 0, false, &attributes);
    if (status != errSecSuccess) {
        if (itemRef != NULL)
            *itemRef = NULL;
        return status;
    }
    status = add_password(keychain, SEC_ITEM_GENERIC_PASSWORD, attributes, kSecAttrService,
                          passwordLength, passwordData, itemRef);
    CFRelease(attributes);
    return status;
}

OSStatus SecKeychainAddInternetPassword(SecKeychainRef keychain, UInt32 serverNameLength,
                                        const char *serverName, UInt32 securityDomainLength,
                                        const char *securityDomain, UInt32 accountNameLength,
                                        const char *accountName, UInt32 pathLength,
                                        const char *path, UInt16 port, SecProtocolType protocol,
                                        SecAuthenticationType authenticationType,
                                        UInt32 passwordLength, const void *passwordData,
                                        SecKeychainItemRef *itemRef)
{
    struct names n = {{serverNameLength, securityDomainLength, accountNameLength, pathLength},
                      {serverName, securityDomain, accountName, path},
                      {kSecAttrServer, kSecAttrSecurityDomain, kSecAttrAccount, kSecAttrPath},
                      4};
    CFMutableDictionaryRef attributes;
    OSStatus status =
        password_attributes(&n, port, protocol, authenticationType, true, &attributes);
    if (status != errSecSuccess) {
        if (itemRef != NULL)
            *itemRef = NULL;
        return status;
    }
    status = add_password(keychain, SEC_ITEM_INTERNET_PASSWORD, attributes, kSecAttrServer,
                          passwordLength, passwordData, itemRef);
    CFRelease(attributes);
    return status;
}

/* --- Finding --- */

/* A copy of the password in malloc'd memory, which SecKeychainItemFreeContent frees. */
static OSStatus copy_password(CFDataRef secret, UInt32 *length, void **data)
{
    size_t n = secret != NULL ? (size_t)CFDataGetLength(secret) : 0;
    *data = malloc(n > 0 ? n : 1);
    if (*data == NULL)
        return errSecAllocate;
    if (n > 0)
        memcpy(*data, CFDataGetBytePtr(secret), n);
    if (length != NULL)
        *length = (UInt32)n;
    return errSecSuccess;
}

static OSStatus find_password(CFTypeRef keychainOrArray, enum sec_item_kind kind,
                              CFDictionaryRef wanted, UInt32 *passwordLength, void **passwordData,
                              SecKeychainItemRef *itemRef)
{
    struct sec_item_list list = {0};
    OSStatus status = sec_keychain_collect(keychainOrArray, &list);
    const struct sec_item_view *found = NULL;
    for (size_t i = 0; status == errSecSuccess && found == NULL && i < list.count; i++)
        if (list.items[i].kind == kind &&
            sec_item_attributes_match(wanted, list.items[i].attributes))
            found = &list.items[i];
    if (status == errSecSuccess && found == NULL)
        status = errSecItemNotFound;
    /*
     * Apple reads the data when either its pointer or its length is asked
     * for; that of a locked file keychain needs an unlock, and sectrans
     * cannot prompt.
     */
    if (status == errSecSuccess && (passwordData != NULL || passwordLength != NULL)) {
        if (found->locked)
            status = errSecInteractionNotAllowed;
        else if (passwordData != NULL)
            status = copy_password(found->secret, passwordLength, passwordData);
        else
            *passwordLength = found->secret != NULL ? (UInt32)CFDataGetLength(found->secret) : 0;
    }
    if (status == errSecSuccess && itemRef != NULL)
        *itemRef = (SecKeychainItemRef)CFRetain(found->ref);
    sec_item_list_free(&list);
    return status;
}

/* Clears the outputs. */
static OSStatus find_outputs(UInt32 *passwordLength, void **passwordData,
                             SecKeychainItemRef *itemRef)
{
    if (passwordData != NULL)
        *passwordData = NULL;
    if (itemRef != NULL)
        *itemRef = NULL;
    if (passwordLength != NULL)
        *passwordLength = 0;
    return errSecSuccess;
}

OSStatus SecKeychainFindGenericPassword(CFTypeRef keychainOrArray, UInt32 serviceNameLength,
                                        const char *serviceName, UInt32 accountNameLength,
                                        const char *accountName, UInt32 *passwordLength,
                                        void **passwordData, SecKeychainItemRef *itemRef)
{
    OSStatus status = find_outputs(passwordLength, passwordData, itemRef);
    struct names n = {{serviceNameLength, accountNameLength},
                      {serviceName, accountName},
                      {kSecAttrService, kSecAttrAccount},
                      2};
    CFMutableDictionaryRef wanted = NULL;
    if (status == errSecSuccess)
        status = password_attributes(&n, 0, 0, 0, false, &wanted);
    if (status == errSecSuccess)
        status = find_password(keychainOrArray, SEC_ITEM_GENERIC_PASSWORD, wanted, passwordLength,
                               passwordData, itemRef);
    if (wanted != NULL)
        CFRelease(wanted);
    return status;
}

OSStatus SecKeychainFindInternetPassword(CFTypeRef keychainOrArray, UInt32 serverNameLength,
                                         const char *serverName, UInt32 securityDomainLength,
                                         const char *securityDomain, UInt32 accountNameLength,
                                         const char *accountName, UInt32 pathLength,
                                         const char *path, UInt16 port, SecProtocolType protocol,
                                         SecAuthenticationType authenticationType,
                                         UInt32 *passwordLength, void **passwordData,
                                         SecKeychainItemRef *itemRef)
{
    OSStatus status = find_outputs(passwordLength, passwordData, itemRef);
    struct names n = {{serverNameLength, securityDomainLength, accountNameLength, pathLength},
                      {serverName, securityDomain, accountName, path},
                      {kSecAttrServer, kSecAttrSecurityDomain, kSecAttrAccount, kSecAttrPath},
                      4};
    CFMutableDictionaryRef wanted = NULL;
    if (status == errSecSuccess)
        status = password_attributes(&n, port, protocol, authenticationType, true, &wanted);
    if (status == errSecSuccess)
        status = find_password(keychainOrArray, SEC_ITEM_INTERNET_PASSWORD, wanted, passwordLength,
                               passwordData, itemRef);
    if (wanted != NULL)
        CFRelease(wanted);
    return status;
}

/* --- Modifying and copying an item --- */

/* The dictionary key of a legacy tag: the same four letters. */
static CFStringRef tag_key(SecKeychainAttrType tag)
{
    UInt8 b[4] = {(UInt8)(tag >> 24), (UInt8)(tag >> 16), (UInt8)(tag >> 8), (UInt8)tag};
    return CFStringCreateWithBytes(NULL, b, 4, kCFStringEncodingASCII, false);
}

/* A tag whose four bytes are ASCII has a key; making it can fail only for want of memory. */
static bool tag_is_ascii(SecKeychainAttrType tag)
{
    return ((tag | tag >> 8 | tag >> 16 | tag >> 24) & 0x80) == 0;
}

/* One legacy attribute as a dictionary value: numbers and codes as 4 bytes, the rest text. */
static OSStatus attribute_value(const SecKeychainAttribute *a, CFTypeRef *out)
{
    *out = NULL;
    if (a->data == NULL && a->length != 0)
        return errSecParam;
    if (a->tag == kSecPortItemAttr || a->tag == kSecProtocolItemAttr ||
        a->tag == kSecAuthenticationTypeItemAttr) {
        UInt32 v;
        if (a->length != sizeof(v))
            return errSecParam;
        memcpy(&v, a->data, sizeof(v));
        if (a->tag == kSecPortItemAttr) {
            int p = (int)v;
            *out = CFNumberCreate(NULL, kCFNumberIntType, &p);
        } else {
            *out = a->tag == kSecProtocolItemAttr ? protocol_value(v) : auth_type_value(v);
        }
    } else if (a->tag == kSecGenericItemAttr) {
        *out = CFDataCreate(NULL, a->data, (CFIndex)a->length);
    } else {
        *out = CFStringCreateWithBytes(NULL, a->data, (CFIndex)a->length, kCFStringEncodingUTF8,
                                       false);
        if (*out == NULL)
            return cf_utf8_is_valid(a->data, a->length) ? errSecAllocate : errSecParam;
    }
    return *out != NULL ? errSecSuccess : errSecAllocate;
}

struct modify {
    CFDictionaryRef changes;
    CFDataRef secret;
};

static OSStatus modify_entry(struct sec_keychain *kc, struct sec_keychain_entry *e, void *context)
{
    const struct modify *m = context;
    if (m->secret != NULL && e->kind < SEC_ITEM_GENERIC_PASSWORD)
        return errSecParam; /* only passwords have data to replace */
    return sec_keychain_update_entry(kc, e, m->changes, m->secret);
}

OSStatus SecKeychainItemModifyAttributesAndData(SecKeychainItemRef itemRef,
                                                const SecKeychainAttributeList *attrList,
                                                UInt32 length, const void *data)
{
    enum sec_item_kind kind;
    if (itemRef == NULL || !sec_password_item_kind(itemRef, &kind))
        return errSecInvalidItemRef;
    if ((attrList != NULL && attrList->count > 0 && attrList->attr == NULL) ||
        (data == NULL && length != 0))
        return errSecParam;
    CFMutableDictionaryRef changes = new_dictionary();
    OSStatus status = changes != NULL ? errSecSuccess : errSecAllocate;
    for (UInt32 i = 0; status == errSecSuccess && attrList != NULL && i < attrList->count; i++) {
        CFTypeRef value;
        CFStringRef key = tag_key(attrList->attr[i].tag);
        status = key != NULL                           ? attribute_value(&attrList->attr[i], &value)
                 : tag_is_ascii(attrList->attr[i].tag) ? errSecAllocate
                                                       : errSecNoSuchAttr;
        if (status == errSecSuccess && !put(changes, key, value))
            status = errSecAllocate;
        if (key != NULL)
            CFRelease(key);
    }
    struct modify m = {changes, NULL};
    if (status == errSecSuccess && data != NULL &&
        (m.secret = CFDataCreate(NULL, data, (CFIndex)length)) == NULL)
        status = errSecAllocate;
    if (status == errSecSuccess)
        status = sec_keychain_with_entry(itemRef, modify_entry, &m);
    if (m.secret != NULL)
        CFRelease(m.secret);
    if (changes != NULL)
        CFRelease(changes);
    return status;
}

struct snapshot {
    enum sec_item_kind kind;
    CFDictionaryRef attributes;
    CFDataRef secret;
    bool locked;
};

static OSStatus snapshot_entry(struct sec_keychain *kc, struct sec_keychain_entry *e, void *context)
{
    (void)kc;
    struct snapshot *s = context;
    s->kind = e->kind;
    s->locked = sec_keychain_entry_locked(e);
    s->secret = e->secret != NULL ? CFRetain(e->secret) : NULL;
    s->attributes = sec_keychain_entry_attributes(e);
    return s->attributes != NULL ? errSecSuccess : errSecAllocate;
}

/* One attribute's bytes in malloc'd memory, as the legacy API gives them; absent: empty. */
static OSStatus attribute_bytes(CFTypeRef value, SecKeychainAttrType tag, SecKeychainAttribute *a)
{
    a->tag = tag;
    a->length = 0;
    a->data = NULL;
    if (value == NULL)
        return errSecSuccess;
    UInt8 four[4];
    const void *bytes = NULL;
    size_t n = 0;
    if (cf_is_type(value, CFNumberGetTypeID())) {
        int v = 0;
        CFNumberGetValue(value, kCFNumberIntType, &v);
        UInt32 u = (UInt32)v;
        memcpy(four, &u, 4);
        bytes = four;
        n = 4;
    } else if (cf_is_type(value, CFDataGetTypeID())) {
        bytes = CFDataGetBytePtr(value);
        n = (size_t)CFDataGetLength(value);
    } else if (cf_is_type(value, CFStringGetTypeID())) {
        bytes = cf_string_utf8(value);
        n = bytes != NULL ? strlen(bytes) : 0;
        if (tag == kSecProtocolItemAttr && n == 4) {
            const UInt8 *s = bytes;
            UInt32 u = ((UInt32)s[0] << 24) | ((UInt32)s[1] << 16) | ((UInt32)s[2] << 8) | s[3];
            memcpy(four, &u, 4);
            bytes = four;
        }
    } else {
        return errSecSuccess;
    }
    a->data = malloc(n > 0 ? n : 1);
    if (a->data == NULL)
        return errSecAllocate;
    if (n > 0)
        memcpy(a->data, bytes, n);
    a->length = (UInt32)n;
    return errSecSuccess;
}

static OSStatus copy_attribute_list(const struct snapshot *s, const SecKeychainAttributeInfo *info,
                                    SecKeychainAttributeList **out)
{
    UInt32 count = info != NULL ? info->count : 0;
    SecKeychainAttributeList *list = calloc(1, sizeof(*list));
    if (list == NULL)
        return errSecAllocate;
    list->attr = calloc(count > 0 ? count : 1, sizeof(*list->attr));
    if (list->attr == NULL) {
        free(list);
        return errSecAllocate;
    }
    OSStatus status = errSecSuccess;
    for (UInt32 i = 0; status == errSecSuccess && i < count; i++) {
        CFStringRef key = tag_key(info->tag[i]);
        CFTypeRef value = key != NULL ? CFDictionaryGetValue(s->attributes, key) : NULL;
        status = attribute_bytes(value, info->tag[i], &list->attr[i]);
        list->count = i + 1;
        if (key != NULL)
            CFRelease(key);
    }
    if (status != errSecSuccess) {
        SecKeychainItemFreeAttributesAndData(list, NULL);
        return status;
    }
    *out = list;
    return errSecSuccess;
}

OSStatus SecKeychainItemCopyAttributesAndData(SecKeychainItemRef itemRef,
                                              SecKeychainAttributeInfo *info,
                                              SecItemClass *itemClass,
                                              SecKeychainAttributeList **attrList, UInt32 *length,
                                              void **outData)
{
    if (attrList != NULL)
        *attrList = NULL;
    if (outData != NULL)
        *outData = NULL;
    if (length != NULL)
        *length = 0;
    enum sec_item_kind kind;
    if (itemRef == NULL || !sec_password_item_kind(itemRef, &kind))
        return errSecInvalidItemRef;
    if ((outData != NULL && length == NULL) ||
        (info != NULL && info->count > 0 && info->tag == NULL))
        return errSecParam;
    struct snapshot s = {0};
    OSStatus status = sec_keychain_with_entry(itemRef, snapshot_entry, &s);
    if (status == errSecSuccess && itemClass != NULL)
        *itemClass = s.kind == SEC_ITEM_GENERIC_PASSWORD ? kSecGenericPasswordItemClass
                                                         : kSecInternetPasswordItemClass;
    if (status == errSecSuccess && outData != NULL)
        status = s.locked ? errSecInteractionNotAllowed : copy_password(s.secret, length, outData);
    if (status == errSecSuccess && attrList != NULL) {
        status = copy_attribute_list(&s, info, attrList);
        if (status != errSecSuccess && outData != NULL) {
            free(*outData);
            *outData = NULL;
        }
    }
    if (s.attributes != NULL)
        CFRelease(s.attributes);
    if (s.secret != NULL)
        CFRelease(s.secret);
    return status;
}

/* --- Freeing --- */

OSStatus SecKeychainItemFreeContent(SecKeychainAttributeList *attrList, void *data)
{
    free(data);
    if (attrList != NULL && attrList->attr != NULL) {
        for (UInt32 i = 0; i < attrList->count; i++) {
            free(attrList->attr[i].data);
            attrList->attr[i].data = NULL;
        }
    }
    return errSecSuccess;
}

OSStatus SecKeychainItemFreeAttributesAndData(SecKeychainAttributeList *attrList, void *data)
{
    SecKeychainItemFreeContent(attrList, data);
    if (attrList != NULL) {
        free(attrList->attr);
        free(attrList);
    }
    return errSecSuccess;
}
