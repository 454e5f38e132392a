/*
 * What a keychain is made of, below the keychain object and its file: the
 * entries (freeing one, appending one), password items (SecKeychainItem),
 * and the attributes that tell two passwords apart. Both the file reader and
 * the entry operations build on these, and they call neither.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "sec_keychain.h"

/* --- Password items --- */

struct sec_password_item {
    struct cf_object base;
    enum sec_item_kind kind;
};

static CFStringRef sec_password_item_copy_description(CFTypeRef cf);

static const struct cf_class sec_password_item_class = {
    .name = "SecKeychainItem",
    .copy_description = sec_password_item_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecKeychainItemGetTypeID, sec_password_item_class)

CFTypeRef sec_password_item_create(enum sec_item_kind kind)
{
    struct sec_password_item *item = cf_object_create(SecKeychainItemGetTypeID(), sizeof(*item));
    if (item != NULL)
        item->kind = kind;
    return item;
}

bool sec_password_item_kind(CFTypeRef item, enum sec_item_kind *kind)
{
    if (!cf_is_type(item, SecKeychainItemGetTypeID()))
        return false;
    *kind = ((const struct sec_password_item *)item)->kind;
    return true;
}

static CFStringRef sec_password_item_copy_description(CFTypeRef cf)
{
    const struct sec_password_item *item = cf;
    return cf_string_create_format("<SecKeychainItemRef: %p> %s password", cf,
                                   item->kind == SEC_ITEM_INTERNET_PASSWORD ? "internet"
                                                                            : "generic");
}

/* --- Entries --- */

void sec_keychain_entry_clear(struct sec_keychain_entry *entry)
{
    if (entry->ref != NULL)
        CFRelease(entry->ref);
    EVP_PKEY_free(entry->public_key);
    if (entry->attributes != NULL)
        CFRelease(entry->attributes);
    if (entry->secret != NULL)
        CFRelease(entry->secret);
    free(entry->stored);
    memset(entry, 0, sizeof(*entry));
}

bool sec_keychain_append_entry(struct sec_keychain *kc, struct sec_keychain_entry *entry)
{
    if (kc->count == kc->capacity) {
        size_t capacity = kc->capacity ? kc->capacity * 2 : 8;
        struct sec_keychain_entry *grown = realloc(kc->entries, capacity * sizeof(*grown));
        if (grown == NULL)
            return false;
        kc->entries = grown;
        kc->capacity = capacity;
    }
    entry->id = kc->next_id++;
    kc->entries[kc->count++] = *entry;
    return true;
}

/* Apple's primary keys of the two password classes. */
size_t sec_password_key_attributes(enum sec_item_kind kind, CFStringRef keys[7])
{
    if (kind == SEC_ITEM_GENERIC_PASSWORD) {
        keys[0] = kSecAttrService;
        keys[1] = kSecAttrAccount;
        return 2;
    }
    const CFStringRef internet[] = {
        kSecAttrServer, kSecAttrAccount,        kSecAttrProtocol,          kSecAttrPort,
        kSecAttrPath,   kSecAttrSecurityDomain, kSecAttrAuthenticationType};
    memcpy(keys, internet, sizeof(internet));
    return 7;
}
