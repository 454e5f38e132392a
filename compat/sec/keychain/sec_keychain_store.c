/*
 * The items of a keychain: adding, listing, updating and removing entries,
 * the attributes derived from the items themselves (key type and size,
 * certificate subject and issuer...), and the hook that imports use.
 */
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "cf_dictionary.h"
#include "cf_string.h"
#include "sec_keychain.h"

static struct sec_keychain_entry *find_entry(struct sec_keychain *kc, uint64_t id)
{
    for (size_t i = 0; i < kc->count; i++)
        if (kc->entries[i].id == id)
            return &kc->entries[i];
    return NULL;
}

static bool same_password_keys(enum sec_item_kind kind, CFDictionaryRef a, CFDictionaryRef b)
{
    CFStringRef keys[7];
    size_t n = sec_password_key_attributes(kind, keys);
    for (size_t i = 0; i < n; i++) {
        CFTypeRef x = CFDictionaryGetValue(a, keys[i]), y = CFDictionaryGetValue(b, keys[i]);
        if ((x == NULL) != (y == NULL) || (x != NULL && !CFEqual(x, y)))
            return false;
    }
    return true;
}

/*
 * True if `candidate` (a new entry, or an entry's updated copy) is the same
 * item as `e`. An updated copy keeps its entry's id: it is not its own twin.
 */
static bool same_item(const struct sec_keychain_entry *e,
                      const struct sec_keychain_entry *candidate)
{
    if (e->kind != candidate->kind || e->id == candidate->id)
        return false;
    switch (e->kind) {
    case SEC_ITEM_CERTIFICATE: return CFEqual(e->ref, candidate->ref);
    case SEC_ITEM_PRIVATE_KEY:
    case SEC_ITEM_PUBLIC_KEY: return EVP_PKEY_eq(e->public_key, candidate->public_key) == 1;
    case SEC_ITEM_GENERIC_PASSWORD:
    case SEC_ITEM_INTERNET_PASSWORD:
        return same_password_keys(e->kind, e->attributes, candidate->attributes);
    }
    return false;
}

static bool has_duplicate(const struct sec_keychain *kc, const struct sec_keychain_entry *candidate)
{
    for (size_t i = 0; i < kc->count; i++)
        if (same_item(&kc->entries[i], candidate))
            return true;
    return false;
}

/* Mutex held. */
static OSStatus keychain_ready(struct sec_keychain *kc)
{
    return kc->loaded ? errSecSuccess : sec_keychain_file_load(kc);
}

/* Fills a new entry for `ref`; false when out of memory. */
static bool entry_init(struct sec_keychain_entry *e, enum sec_item_kind kind, CFTypeRef ref,
                       CFDictionaryRef attributes, CFDataRef secret)
{
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->ref = CFRetain(ref);
    EVP_PKEY *pkey = sec_key_pkey(ref);
    if (pkey != NULL && EVP_PKEY_up_ref(pkey))
        e->public_key = pkey;
    e->attributes = attributes != NULL
                        ? CFDictionaryCreateMutableCopy(NULL, 0, attributes)
                        : CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                    &kCFTypeDictionaryValueCallBacks);
    e->secret = secret != NULL ? CFRetain(secret) : NULL;
    return e->attributes != NULL && (pkey == NULL || e->public_key != NULL);
}

/* Mutex held: appends the entry and saves the file; on failure the keychain is as it was. */
static OSStatus commit_new_entry(struct sec_keychain *kc, struct sec_keychain_entry *e)
{
    if (kc->path != NULL) {
        OSStatus status = sec_keychain_file_seal(kc, e);
        if (status != errSecSuccess)
            return status;
    }
    if (!sec_keychain_append_entry(kc, e))
        return errSecAllocate;
    /* errSecAllocate or errSecIO, as the save says: out of memory is not a disk error. */
    OSStatus saved = kc->path != NULL ? sec_keychain_file_save(kc) : errSecSuccess;
    if (saved != errSecSuccess)
        kc->count--;
    return saved;
}

OSStatus sec_keychain_add(SecKeychainRef keychain, enum sec_item_kind kind, CFTypeRef ref,
                          CFDictionaryRef attributes, CFDataRef secret)
{
    struct sec_keychain *kc = sec_keychain_of(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    if (ref == NULL)
        return errSecParam;
    struct sec_keychain_entry e;
    if (!entry_init(&e, kind, ref, attributes, secret)) {
        sec_keychain_entry_clear(&e);
        return errSecAllocate;
    }
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess && has_duplicate(kc, &e))
        status = errSecDuplicateItem;
    if (status == errSecSuccess)
        status = commit_new_entry(kc, &e);
    pthread_mutex_unlock(&kc->mutex);
    if (status != errSecSuccess)
        sec_keychain_entry_clear(&e);
    return status;
}

OSStatus sec_keychain_remove(SecKeychainRef keychain, uint64_t id)
{
    struct sec_keychain *kc = sec_keychain_of(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    struct sec_keychain_entry *e = status == errSecSuccess ? find_entry(kc, id) : NULL;
    if (status == errSecSuccess && e == NULL)
        status = errSecItemNotFound;
    if (e != NULL) {
        struct sec_keychain_entry removed = *e;
        *e = kc->entries[--kc->count];
        OSStatus saved = kc->path != NULL ? sec_keychain_file_save(kc) : errSecSuccess;
        if (saved != errSecSuccess) {
            kc->entries[kc->count++] = *e; /* put it back where the last one was */
            *e = removed;
            status = saved;
        } else {
            sec_keychain_entry_clear(&removed);
        }
    }
    pthread_mutex_unlock(&kc->mutex);
    return status;
}

struct merge {
    CFMutableDictionaryRef target;
    bool ok;
};

static void merge_one(const void *key, const void *value, void *context)
{
    struct merge *m = context;
    m->ok = cf_dictionary_set_value(m->target, key, value) && m->ok;
}

/* Sets every change in `target`; false if one could not be stored (out of memory). */
static bool merge_into(CFMutableDictionaryRef target, CFDictionaryRef changes)
{
    struct merge m = {target, true};
    CFDictionaryApplyFunction(changes, merge_one, &m);
    return m.ok;
}

/* Mutex held: `e` with new attributes and secret, or an error and `e` unchanged. */
static OSStatus update_entry(struct sec_keychain *kc, struct sec_keychain_entry *e,
                             CFDictionaryRef changes, CFDataRef secret)
{
    struct sec_keychain_entry updated = *e;
    updated.attributes = CFDictionaryCreateMutableCopy(NULL, 0, e->attributes);
    if (updated.attributes == NULL)
        return errSecAllocate;
    if (changes != NULL && !merge_into(updated.attributes, changes)) {
        CFRelease(updated.attributes);
        return errSecAllocate;
    }
    updated.secret = secret != NULL ? secret : e->secret;
    updated.stored = NULL;
    OSStatus status = has_duplicate(kc, &updated) ? errSecDuplicateItem : errSecSuccess;
    if (status == errSecSuccess && kc->path != NULL)
        status = secret != NULL || e->stored == NULL ? sec_keychain_file_seal(kc, &updated)
                                                     : sec_keychain_file_reseal(kc, e, &updated);
    if (status != errSecSuccess) {
        CFRelease(updated.attributes);
        free(updated.stored);
        return status;
    }
    struct sec_keychain_entry old = *e;
    if (updated.secret != NULL)
        CFRetain(updated.secret);
    *e = updated;
    OSStatus saved = kc->path != NULL ? sec_keychain_file_save(kc) : errSecSuccess;
    if (saved != errSecSuccess) {
        *e = old;
        updated.ref = NULL; /* shared with `old` */
        updated.public_key = NULL;
        sec_keychain_entry_clear(&updated);
        return saved;
    }
    old.ref = NULL; /* now owned by the updated entry */
    old.public_key = NULL;
    sec_keychain_entry_clear(&old);
    return errSecSuccess;
}

OSStatus sec_keychain_update_entry(struct sec_keychain *kc, struct sec_keychain_entry *entry,
                                   CFDictionaryRef changes, CFDataRef secret)
{
    return update_entry(kc, entry, changes, secret);
}

OSStatus sec_keychain_update(SecKeychainRef keychain, uint64_t id, CFDictionaryRef changes,
                             CFDataRef secret)
{
    struct sec_keychain *kc = sec_keychain_of(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    struct sec_keychain_entry *e = status == errSecSuccess ? find_entry(kc, id) : NULL;
    if (status == errSecSuccess)
        status = e == NULL ? errSecItemNotFound : update_entry(kc, e, changes, secret);
    pthread_mutex_unlock(&kc->mutex);
    return status;
}

/* --- Views and derived attributes --- */

static void set_owned(CFMutableDictionaryRef d, CFStringRef key, CFTypeRef value)
{
    if (value == NULL)
        return;
    CFDictionarySetValue(d, key, value);
    CFRelease(value);
}

/* SHA-1 of the public key's own encoding: Apple's key label and public key hash. */
static CFDataRef public_key_hash(EVP_PKEY *pkey)
{
    unsigned char *der = NULL;
    int len = pkey != NULL ? i2d_PublicKey(pkey, &der) : -1;
    CFDataRef out = NULL;
    if (len > 0) {
        unsigned char digest[SHA_DIGEST_LENGTH];
        SHA1(der, (size_t)len, digest);
        out = CFDataCreate(NULL, digest, sizeof(digest));
    }
    OPENSSL_free(der);
    return out;
}

static CFDataRef name_der(const X509_NAME *name)
{
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(name, &der);
    CFDataRef out = len > 0 ? CFDataCreate(NULL, der, len) : NULL;
    OPENSSL_free(der);
    return out;
}

static void derive_certificate(CFMutableDictionaryRef d, SecCertificateRef cert)
{
    X509 *x = sec_certificate_x509(cert);
    if (!CFDictionaryContainsKey(d, kSecAttrLabel))
        set_owned(d, kSecAttrLabel, SecCertificateCopySubjectSummary(cert));
    set_owned(d, kSecAttrSubject, name_der(X509_get_subject_name(x)));
    set_owned(d, kSecAttrIssuer, name_der(X509_get_issuer_name(x)));
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    set_owned(d, kSecAttrSerialNumber,
              CFDataCreate(NULL, ASN1_STRING_get0_data(serial), ASN1_STRING_length(serial)));
    set_owned(d, kSecAttrPublicKeyHash, public_key_hash(X509_get0_pubkey(x)));
}

static void derive_key(CFMutableDictionaryRef d, EVP_PKEY *pkey, bool is_private)
{
    CFDictionarySetValue(d, sec_attr_key_class,
                         is_private ? sec_attr_key_class_private : sec_attr_key_class_public);
    int type = EVP_PKEY_get_base_id(pkey);
    if (type == EVP_PKEY_RSA || type == EVP_PKEY_EC)
        CFDictionarySetValue(d, sec_attr_key_type,
                             type == EVP_PKEY_RSA ? sec_attr_key_type_rsa : sec_attr_key_type_ec);
    int bits = EVP_PKEY_get_bits(pkey);
    set_owned(d, sec_attr_key_size, CFNumberCreate(NULL, kCFNumberIntType, &bits));
    if (!CFDictionaryContainsKey(d, kSecAttrApplicationLabel))
        set_owned(d, kSecAttrApplicationLabel, public_key_hash(pkey));
    bool rsa = type == EVP_PKEY_RSA;
    CFDictionarySetValue(d, kSecAttrCanSign, is_private ? kCFBooleanTrue : kCFBooleanFalse);
    CFDictionarySetValue(d, kSecAttrCanVerify, is_private ? kCFBooleanFalse : kCFBooleanTrue);
    CFDictionarySetValue(d, kSecAttrCanDecrypt,
                         is_private && rsa ? kCFBooleanTrue : kCFBooleanFalse);
    CFDictionarySetValue(d, kSecAttrCanEncrypt,
                         !is_private && rsa ? kCFBooleanTrue : kCFBooleanFalse);
    CFDictionarySetValue(d, kSecAttrCanDerive,
                         is_private && !rsa ? kCFBooleanTrue : kCFBooleanFalse);
}

/* Stored attributes plus what the item itself says; never NULL unless out of memory. */
static CFDictionaryRef view_attributes(const struct sec_keychain_entry *e)
{
    CFMutableDictionaryRef d = CFDictionaryCreateMutableCopy(NULL, 0, e->attributes);
    if (d == NULL)
        return NULL;
    CFDictionarySetValue(d, kSecClass, sec_item_kind_class(e->kind));
    if (e->kind == SEC_ITEM_CERTIFICATE)
        derive_certificate(d, (SecCertificateRef)e->ref);
    else if (e->public_key != NULL)
        derive_key(d, e->public_key, e->kind == SEC_ITEM_PRIVATE_KEY);
    return d;
}

CFDictionaryRef sec_keychain_entry_attributes(const struct sec_keychain_entry *entry)
{
    return view_attributes(entry);
}

bool sec_keychain_entry_locked(const struct sec_keychain_entry *e)
{
    return (e->kind == SEC_ITEM_PRIVATE_KEY && e->ref == NULL) ||
           (e->kind >= SEC_ITEM_GENERIC_PASSWORD && e->stored != NULL && e->secret == NULL);
}

static bool list_grow(struct sec_item_list *list)
{
    if (list->count < list->capacity)
        return true;
    size_t capacity = list->capacity ? list->capacity * 2 : 16;
    struct sec_item_view *grown = realloc(list->items, capacity * sizeof(*grown));
    if (grown == NULL)
        return false;
    list->items = grown;
    list->capacity = capacity;
    return true;
}

static bool append_view(struct sec_item_list *list, struct sec_keychain *kc,
                        const struct sec_keychain_entry *e)
{
    if (!list_grow(list))
        return false;
    CFDictionaryRef attributes = view_attributes(e);
    if (attributes == NULL)
        return false;
    struct sec_item_view *v = &list->items[list->count++];
    memset(v, 0, sizeof(*v));
    v->id = e->id;
    v->kind = e->kind;
    v->ref = e->ref != NULL ? CFRetain(e->ref) : NULL;
    if (e->public_key != NULL && EVP_PKEY_up_ref(e->public_key))
        v->public_key = e->public_key;
    v->attributes = attributes;
    v->secret = e->secret != NULL ? CFRetain(e->secret) : NULL;
    v->locked = sec_keychain_entry_locked(e);
    v->keychain = (SecKeychainRef)CFRetain(kc);
    return true;
}

OSStatus sec_keychain_list_items(SecKeychainRef keychain, struct sec_item_list *list)
{
    struct sec_keychain *kc = sec_keychain_of(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    for (size_t i = 0; status == errSecSuccess && i < kc->count; i++)
        if (!append_view(list, kc, &kc->entries[i]))
            status = errSecAllocate;
    pthread_mutex_unlock(&kc->mutex);
    return status;
}

OSStatus sec_keychain_collect(CFTypeRef keychainOrArray, struct sec_item_list *list)
{
    CFArrayRef keychains = NULL;
    OSStatus status = sec_keychain_resolve(keychainOrArray, &keychains);
    for (CFIndex i = 0; status == errSecSuccess && i < CFArrayGetCount(keychains); i++) {
        status =
            sec_keychain_list_items((SecKeychainRef)CFArrayGetValueAtIndex(keychains, i), list);
        if (keychainOrArray == NULL &&
            (status == errSecNoSuchKeychain || status == errSecInvalidKeychain))
            status = errSecSuccess;
    }
    if (keychains != NULL)
        CFRelease(keychains);
    return status;
}

void sec_item_list_free(struct sec_item_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        struct sec_item_view *v = &list->items[i];
        if (v->ref != NULL)
            CFRelease(v->ref);
        EVP_PKEY_free(v->public_key);
        CFRelease(v->attributes);
        if (v->secret != NULL)
            CFRelease(v->secret);
        CFRelease(v->keychain);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

/* --- SecKeychainItemDelete and the import hook --- */

/* Certificates, keys and password items can be deleted; identities are not items. */
OSStatus SecKeychainItemDelete(SecKeychainItemRef itemRef)
{
    enum sec_item_kind kind;
    if (sec_certificate_x509(itemRef) == NULL && sec_key_pkey(itemRef) == NULL &&
        !sec_password_item_kind(itemRef, &kind))
        return errSecInvalidItemRef;
    OSStatus status;
    if (!sec_keychain_remove_everywhere(itemRef, &status))
        return errSecInvalidItemRef; /* not in any keychain */
    return status;
}

static CFDictionaryRef label_attributes(CFStringRef label)
{
    if (label == NULL)
        return NULL;
    const void *key = kSecAttrLabel, *value = label;
    return CFDictionaryCreate(NULL, &key, &value, 1, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

/* Adds one certificate or key; one that is there already counts as added. */
static OSStatus add_imported(SecKeychainRef keychain, CFTypeRef item, CFDictionaryRef attributes)
{
    enum sec_item_kind kind;
    if (sec_certificate_x509(item) != NULL)
        kind = SEC_ITEM_CERTIFICATE;
    else if (sec_key_pkey(item) != NULL)
        kind =
            ((const struct sec_key *)item)->is_private ? SEC_ITEM_PRIVATE_KEY : SEC_ITEM_PUBLIC_KEY;
    else
        return errSecParam;
    OSStatus status = sec_keychain_add(keychain, kind, item, attributes, NULL);
    return status == errSecDuplicateItem ? errSecSuccess : status;
}

OSStatus sec_keychain_add_item(SecKeychainRef keychain, CFTypeRef item, CFStringRef label)
{
    if (keychain != NULL && sec_keychain_of(keychain) == NULL)
        return errSecInvalidKeychain;
    SecKeychainRef target =
        keychain != NULL ? (SecKeychainRef)CFRetain(keychain) : sec_keychain_copy_default();
    if (target == NULL)
        return errSecAllocate;
    CFDictionaryRef attributes = label_attributes(label);
    OSStatus status;
    if (cf_is_type(item, SecIdentityGetTypeID())) {
        const struct sec_identity *id = item;
        status = add_imported(target, id->certificate, attributes);
        if (status == errSecSuccess)
            status = add_imported(target, id->private_key, attributes);
    } else {
        status = add_imported(target, item, attributes);
    }
    if (attributes != NULL)
        CFRelease(attributes);
    CFRelease(target);
    return status;
}
