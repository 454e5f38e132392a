/*
 * SecItemAdd, SecItemCopyMatching, SecItemUpdate and SecItemDelete over the
 * emulated keychains: certificates, keys, identities (a certificate whose
 * private key is in the searched keychains) and generic and internet
 * passwords.
 *
 * A query is read once into a struct query; a malformed one (a key that is
 * not a string, a value of the wrong type) is errSecParam before any keychain
 * is touched.
 */
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "sec_keychain.h"

enum query_class {
    QUERY_ANY,
    QUERY_CERTIFICATE,
    QUERY_KEY,
    QUERY_IDENTITY,
    QUERY_GENERIC_PASSWORD,
    QUERY_INTERNET_PASSWORD,
};

/* What the dictionary is for: the keys each use accepts differ. */
enum query_use { FOR_SEARCH, FOR_ADD, FOR_UPDATE };

struct query {
    enum query_class cls;
    bool class_given;
    CFIndex limit; /* 0: all */
    bool as_array; /* kSecMatchLimitAll or a number: results come in an array */
    bool ret_ref, ret_data, ret_attributes, ret_persistent;
    /* Borrowed from the dictionary, of the types their keys take. */
    CFTypeRef value_ref;
    CFTypeRef value_data;       /* CFData */
    CFTypeRef value_persistent; /* CFData */
    CFTypeRef use_keychain;     /* SecKeychainRef */
    CFTypeRef search_list;      /* CFArray of SecKeychainRef */
    CFTypeRef item_list;        /* CFArray */
    const struct sec_policy *policy;
    CFMutableDictionaryRef attributes; /* owned: the attribute keys of the dictionary */
};

/* --- Reading a query --- */

/* Attributes accepted and ignored: they say how Apple's platforms protect or sync an item. */
static bool ignored_attribute(const char *key)
{
    static const char *const ignored[] = {"pdmn", "agrp", "sync", "nleg", "accc",
                                          "perm", "tomb", "musr", "invi", "nega"};
    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        if (strcmp(key, ignored[i]) == 0)
            return true;
    return false;
}

/* The types an attribute may have; false when `value` is not one of them. */
static bool attribute_type_ok(const char *key, CFTypeRef value)
{
    static const char *const strings[] = {"labl", "desc", "icmt", "svce", "acct", "srvr",
                                          "sdmn", "path", "ptcl", "atyp", "kcls", "type"};
    static const char *const data[] = {"klbl", "subj", "issr", "slnr", "pkhh", "gena"};
    static const char *const flags[] = {"sign", "vrfy", "encr", "decr", "drve", "wrap", "unwp"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (strcmp(key, strings[i]) == 0)
            return cf_is_type(value, CFStringGetTypeID());
    for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
        if (strcmp(key, data[i]) == 0)
            return cf_is_type(value, CFDataGetTypeID());
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (strcmp(key, flags[i]) == 0)
            return cf_is_type(value, CFBooleanGetTypeID()) ||
                   cf_is_type(value, CFNumberGetTypeID());
    if (strcmp(key, "port") == 0 || strcmp(key, "bsiz") == 0)
        return cf_is_type(value, CFNumberGetTypeID());
    if (strcmp(key, "atag") == 0)
        return cf_is_type(value, CFDataGetTypeID()) || cf_is_type(value, CFStringGetTypeID());
    /* Anything else is kept if the file can hold it. */
    return cf_is_type(value, CFStringGetTypeID()) || cf_is_type(value, CFDataGetTypeID()) ||
           cf_is_type(value, CFNumberGetTypeID()) || cf_is_type(value, CFBooleanGetTypeID());
}

static OSStatus read_class(struct query *q, CFTypeRef value)
{
    const struct {
        CFStringRef name;
        enum query_class cls;
    } classes[] = {
        {kSecClassCertificate, QUERY_CERTIFICATE},
        {kSecClassKey, QUERY_KEY},
        {kSecClassIdentity, QUERY_IDENTITY},
        {kSecClassGenericPassword, QUERY_GENERIC_PASSWORD},
        {kSecClassInternetPassword, QUERY_INTERNET_PASSWORD},
    };
    if (!cf_is_type(value, CFStringGetTypeID()))
        return errSecParam;
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        if (CFEqual(value, classes[i].name)) {
            q->cls = classes[i].cls;
            q->class_given = true;
            return errSecSuccess;
        }
    }
    return errSecParam;
}

static OSStatus read_limit(struct query *q, CFTypeRef value)
{
    if (cf_is_type(value, CFStringGetTypeID()) && CFEqual(value, kSecMatchLimitOne)) {
        q->limit = 1;
        q->as_array = false;
    } else if (cf_is_type(value, CFStringGetTypeID()) && CFEqual(value, kSecMatchLimitAll)) {
        q->limit = 0;
        q->as_array = true;
    } else if (cf_is_type(value, CFNumberGetTypeID())) {
        long long n = 0;
        if (!CFNumberGetValue(value, kCFNumberLongLongType, &n) || n <= 0)
            return errSecParam;
        q->limit = (CFIndex)n;
        q->as_array = true;
    } else {
        return errSecParam;
    }
    return errSecSuccess;
}

static OSStatus read_flag(bool *flag, CFTypeRef value)
{
    if (!cf_is_type(value, CFBooleanGetTypeID()))
        return errSecParam;
    *flag = CFBooleanGetValue(value);
    return errSecSuccess;
}

static bool all_of_type(CFArrayRef array, CFTypeID type)
{
    for (CFIndex i = 0; i < CFArrayGetCount(array); i++)
        if (!cf_is_type(CFArrayGetValueAtIndex(array, i), type))
            return false;
    return true;
}

static bool is_item_ref(CFTypeRef ref)
{
    enum sec_item_kind kind;
    return sec_certificate_x509(ref) != NULL || sec_key_pkey(ref) != NULL ||
           cf_is_type(ref, SecIdentityGetTypeID()) || sec_password_item_kind(ref, &kind);
}

/* Stores `value` in *slot if `ok`; errSecParam otherwise. */
static OSStatus keep_if(bool ok, CFTypeRef *slot, CFTypeRef value)
{
    if (!ok)
        return errSecParam;
    *slot = value;
    return errSecSuccess;
}

/* The control keys whose values are objects: items, keychains, policies, lists. */
static OSStatus read_reference(struct query *q, CFStringRef key, CFTypeRef value, bool *known)
{
    *known = true;
    if (CFEqual(key, kSecValueRef))
        return keep_if(is_item_ref(value), &q->value_ref, value);
    if (CFEqual(key, kSecValueData))
        return keep_if(cf_is_type(value, CFDataGetTypeID()), &q->value_data, value);
    if (CFEqual(key, kSecValuePersistentRef))
        return keep_if(cf_is_type(value, CFDataGetTypeID()), &q->value_persistent, value);
    if (CFEqual(key, kSecUseKeychain))
        return keep_if(sec_keychain_of(value) != NULL, &q->use_keychain, value);
    if (CFEqual(key, kSecMatchSearchList))
        return keep_if(cf_is_type(value, CFArrayGetTypeID()) &&
                           all_of_type(value, SecKeychainGetTypeID()),
                       &q->search_list, value);
    if (CFEqual(key, kSecMatchItemList))
        return keep_if(cf_is_type(value, CFArrayGetTypeID()), &q->item_list, value);
    if (CFEqual(key, kSecMatchPolicy)) {
        q->policy = sec_policy_of(value);
        return q->policy != NULL ? errSecSuccess : errSecParam;
    }
    *known = false;
    return errSecSuccess;
}

/* The control keys (class, match, return, value, use); errSecParam for a bad value. */
static OSStatus read_control(struct query *q, CFStringRef key, CFTypeRef value, bool *known)
{
    *known = true;
    if (CFEqual(key, kSecClass))
        return read_class(q, value);
    if (CFEqual(key, kSecMatchLimit))
        return read_limit(q, value);
    if (CFEqual(key, kSecReturnRef))
        return read_flag(&q->ret_ref, value);
    if (CFEqual(key, kSecReturnData))
        return read_flag(&q->ret_data, value);
    if (CFEqual(key, kSecReturnAttributes))
        return read_flag(&q->ret_attributes, value);
    if (CFEqual(key, kSecReturnPersistentRef))
        return read_flag(&q->ret_persistent, value);
    return read_reference(q, key, value, known);
}

/* Keys of Apple's other options (match, return, value, use): accepted and ignored. */
static bool other_option(const char *key)
{
    return strncmp(key, "m_", 2) == 0 || strncmp(key, "r_", 2) == 0 || strncmp(key, "v_", 2) == 0 ||
           strncmp(key, "u_", 2) == 0;
}

static OSStatus read_pair(struct query *q, enum query_use use, CFTypeRef key, CFTypeRef value)
{
    const char *name = cf_string_utf8(key);
    if (name == NULL || value == NULL)
        return errSecParam;
    bool known = false;
    OSStatus status = read_control(q, key, value, &known);
    if (known) {
        /* An update changes attributes and password data only. */
        if (use == FOR_UPDATE && !CFEqual(key, kSecValueData))
            return errSecParam;
        return status;
    }
    if (other_option(name) || ignored_attribute(name))
        return errSecSuccess;
    if (!attribute_type_ok(name, value))
        return errSecParam;
    CFDictionarySetValue(q->attributes, key, value);
    return errSecSuccess;
}

static void query_free(struct query *q)
{
    if (q->attributes != NULL)
        CFRelease(q->attributes);
    q->attributes = NULL;
}

static OSStatus query_read(CFDictionaryRef dict, enum query_use use, struct query *q)
{
    memset(q, 0, sizeof(*q));
    q->limit = 1;
    if (!cf_is_type(dict, CFDictionaryGetTypeID()))
        return errSecParam;
    q->attributes = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                              &kCFTypeDictionaryValueCallBacks);
    CFIndex n = CFDictionaryGetCount(dict);
    const void **keys = malloc(sizeof(void *) * (size_t)(n + 1) * 2);
    if (q->attributes == NULL || keys == NULL) {
        free(keys);
        return errSecAllocate;
    }
    const void **values = keys + n + 1;
    CFDictionaryGetKeysAndValues(dict, keys, values);
    OSStatus status = errSecSuccess;
    for (CFIndex i = 0; status == errSecSuccess && i < n; i++)
        status = read_pair(q, use, keys[i], values[i]);
    free(keys);
    return status;
}

/* The keychains a search covers: kSecUseKeychain, kSecMatchSearchList, else the search list. */
static CFTypeRef query_keychains(const struct query *q)
{
    if (q->use_keychain != NULL)
        return q->use_keychain;
    return q->search_list;
}

/* --- Matching --- */

static bool kind_in_class(enum sec_item_kind kind, enum query_class cls)
{
    switch (cls) {
    case QUERY_ANY: return true;
    case QUERY_CERTIFICATE:
    case QUERY_IDENTITY: return kind == SEC_ITEM_CERTIFICATE;
    case QUERY_KEY: return kind == SEC_ITEM_PRIVATE_KEY || kind == SEC_ITEM_PUBLIC_KEY;
    case QUERY_GENERIC_PASSWORD: return kind == SEC_ITEM_GENERIC_PASSWORD;
    case QUERY_INTERNET_PASSWORD: return kind == SEC_ITEM_INTERNET_PASSWORD;
    }
    return false;
}

/* A certificate the policy would accept for its purpose and host name. */
static bool policy_accepts(const struct sec_policy *policy, SecCertificateRef cert)
{
    X509 *x = sec_certificate_x509(cert);
    if (policy == NULL || policy->kind != SEC_POLICY_SSL)
        return true;
    int purpose = policy->server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT;
    if (X509_check_purpose(x, purpose, 0) != 1)
        return false;
    const char *host = cf_string_utf8(policy->hostname);
    return host == NULL || X509_check_host(x, host, 0, 0, NULL) == 1 ||
           X509_check_ip_asc(x, host, 0) == 1;
}

struct attributes_match {
    CFDictionaryRef have;
    bool match;
};

static void attribute_matches(const void *key, const void *value, void *context)
{
    struct attributes_match *m = context;
    if (m->match) {
        CFTypeRef have = CFDictionaryGetValue(m->have, key);
        m->match = have != NULL && CFEqual(have, value);
    }
}

/* Allocates nothing: running out of memory must never read as "no such item". */
bool sec_item_attributes_match(CFDictionaryRef wanted, CFDictionaryRef have)
{
    struct attributes_match m = {have, true};
    CFDictionaryApplyFunction(wanted, attribute_matches, &m);
    return m.match;
}

/* `ref` is this item: a private key of a locked keychain is compared by its public half. */
static bool is_same_ref(const struct sec_item_view *v, CFTypeRef ref)
{
    if (v->ref != NULL)
        return CFEqual(v->ref, ref);
    EVP_PKEY *pkey = sec_key_pkey(ref);
    return pkey != NULL && ((const struct sec_key *)ref)->is_private &&
           EVP_PKEY_eq(pkey, v->public_key) == 1;
}

static CFDataRef persistent_ref(const struct sec_item_view *v);

static bool in_item_list(CFArrayRef list, const struct sec_item_view *v)
{
    for (CFIndex i = 0; i < CFArrayGetCount(list); i++)
        if (is_same_ref(v, CFArrayGetValueAtIndex(list, i)))
            return true;
    return false;
}

static bool same_persistent_ref(const struct sec_item_view *v, CFDataRef wanted)
{
    CFDataRef mine = persistent_ref(v);
    bool same = mine != NULL && CFEqual(mine, wanted);
    if (mine != NULL)
        CFRelease(mine);
    return same;
}

/* Everything but the class and identity pairing. */
static bool view_matches(const struct query *q, const struct sec_item_view *v)
{
    if (q->value_ref != NULL && !cf_is_type(q->value_ref, SecIdentityGetTypeID()) &&
        !is_same_ref(v, q->value_ref))
        return false;
    if (q->value_persistent != NULL && !same_persistent_ref(v, q->value_persistent))
        return false;
    if (q->item_list != NULL && q->cls != QUERY_IDENTITY && !in_item_list(q->item_list, v))
        return false;
    if (q->policy != NULL && v->kind == SEC_ITEM_CERTIFICATE &&
        !policy_accepts(q->policy, (SecCertificateRef)v->ref))
        return false;
    return sec_item_attributes_match(q->attributes, v->attributes);
}

/* One result: an item, or for identities a certificate and its private key. */
struct match {
    const struct sec_item_view *item;
    const struct sec_item_view *key; /* identities only */
};

struct matches {
    struct match *m;
    size_t count;
};

static const struct sec_item_view *private_key_for(const struct sec_item_list *list,
                                                   SecCertificateRef cert)
{
    EVP_PKEY *pub = X509_get0_pubkey(sec_certificate_x509(cert));
    for (size_t i = 0; pub != NULL && i < list->count; i++) {
        const struct sec_item_view *v = &list->items[i];
        if (v->kind == SEC_ITEM_PRIVATE_KEY && EVP_PKEY_eq(v->public_key, pub) == 1)
            return v;
    }
    return NULL;
}

/* An identity given as kSecValueRef or in kSecMatchItemList is this pair. */
static bool identity_is(CFTypeRef identity, const struct match *m)
{
    if (!cf_is_type(identity, SecIdentityGetTypeID()))
        return false;
    const struct sec_identity *id = identity;
    return CFEqual(id->certificate, m->item->ref) && is_same_ref(m->key, id->private_key);
}

static bool identity_matches(const struct query *q, const struct match *m)
{
    if (q->value_ref != NULL && !identity_is(q->value_ref, m))
        return false;
    if (q->item_list != NULL) {
        bool found = false;
        for (CFIndex i = 0; !found && i < CFArrayGetCount(q->item_list); i++)
            found = identity_is(CFArrayGetValueAtIndex(q->item_list, i), m);
        if (!found)
            return false;
    }
    return true;
}

/* The matches in `list`, at most q->limit of them (0: all); false when out of memory. */
static bool find_matches(const struct query *q, const struct sec_item_list *list,
                         struct matches *out)
{
    out->m = calloc(list->count + 1, sizeof(*out->m));
    out->count = 0;
    if (out->m == NULL)
        return false;
    for (size_t i = 0; i < list->count; i++) {
        if (q->limit > 0 && out->count >= (size_t)q->limit)
            break;
        const struct sec_item_view *v = &list->items[i];
        if (!kind_in_class(v->kind, q->cls) || !view_matches(q, v))
            continue;
        struct match m = {v, NULL};
        if (q->cls == QUERY_IDENTITY &&
            ((m.key = private_key_for(list, (SecCertificateRef)v->ref)) == NULL ||
             !identity_matches(q, &m)))
            continue;
        out->m[out->count++] = m;
    }
    return true;
}

/* --- Results --- */

static void hash_value(EVP_MD_CTX *ctx, CFTypeRef value)
{
    if (cf_is_type(value, CFStringGetTypeID())) {
        const char *s = cf_string_utf8(value);
        EVP_DigestUpdate(ctx, s, strlen(s) + 1);
    } else if (cf_is_type(value, CFDataGetTypeID())) {
        EVP_DigestUpdate(ctx, CFDataGetBytePtr(value), (size_t)CFDataGetLength(value));
    } else if (cf_is_type(value, CFNumberGetTypeID())) {
        long long n = 0;
        CFNumberGetValue(value, kCFNumberLongLongType, &n);
        EVP_DigestUpdate(ctx, &n, sizeof(n));
    }
    EVP_DigestUpdate(ctx, "|", 1);
}

/*
 * A persistent reference names an item by what it is, so it stays valid
 * across processes: a digest of the certificate, of the public key and its
 * class, or of a password's identifying attributes.
 */
static CFDataRef persistent_ref(const struct sec_item_view *v)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    unsigned char kind = (unsigned char)v->kind;
    EVP_DigestUpdate(ctx, &kind, 1);
    unsigned char *der = NULL;
    int len = -1;
    if (v->kind == SEC_ITEM_CERTIFICATE)
        len = i2d_X509(sec_certificate_x509(v->ref), &der);
    else if (v->public_key != NULL)
        len = i2d_PUBKEY(v->public_key, &der);
    if (len > 0)
        EVP_DigestUpdate(ctx, der, (size_t)len);
    OPENSSL_free(der);
    if (v->kind >= SEC_ITEM_GENERIC_PASSWORD) {
        CFStringRef keys[7];
        size_t n = sec_password_key_attributes(v->kind, keys);
        for (size_t i = 0; i < n; i++)
            hash_value(ctx, CFDictionaryGetValue(v->attributes, keys[i]));
    }
    unsigned char out[4 + SHA256_DIGEST_LENGTH] = {'s', 't', 'p', 'r'};
    bool ok = EVP_DigestFinal_ex(ctx, out + 4, NULL) == 1;
    EVP_MD_CTX_free(ctx);
    return ok ? CFDataCreate(NULL, out, sizeof(out)) : NULL;
}

/* The item's reference: +1, or errSecInteractionNotAllowed while its key is locked. */
static OSStatus copy_ref(const struct match *m, bool identity, CFTypeRef *out)
{
    *out = NULL;
    if (identity) {
        if (m->key->ref == NULL)
            return errSecInteractionNotAllowed;
        *out = SecIdentityCreate(NULL, (SecCertificateRef)m->item->ref, (SecKeyRef)m->key->ref);
        return *out != NULL ? errSecSuccess : errSecAllocate;
    }
    if (m->item->ref == NULL)
        return errSecInteractionNotAllowed;
    *out = CFRetain(m->item->ref);
    return errSecSuccess;
}

/* The item's data: DER for certificates (and identities), the key, the password. */
static OSStatus copy_data(const struct sec_item_view *v, CFTypeRef *out)
{
    *out = NULL;
    if (v->locked)
        return errSecInteractionNotAllowed;
    switch (v->kind) {
    case SEC_ITEM_CERTIFICATE: *out = SecCertificateCopyData((SecCertificateRef)v->ref); break;
    case SEC_ITEM_PRIVATE_KEY:
    case SEC_ITEM_PUBLIC_KEY:
        *out = SecKeyCopyExternalRepresentation((SecKeyRef)v->ref, NULL);
        break;
    case SEC_ITEM_GENERIC_PASSWORD:
    case SEC_ITEM_INTERNET_PASSWORD:
        *out = v->secret != NULL ? CFRetain(v->secret) : CFDataCreate(NULL, NULL, 0);
        break;
    }
    return *out != NULL ? errSecSuccess : errSecAllocate;
}

static CFMutableDictionaryRef copy_attributes(const struct match *m, bool identity)
{
    CFMutableDictionaryRef d = CFDictionaryCreateMutableCopy(NULL, 0, m->item->attributes);
    if (d != NULL && identity)
        CFDictionarySetValue(d, kSecClass, kSecClassIdentity);
    return d;
}

static int return_count(const struct query *q)
{
    return q->ret_ref + q->ret_data + q->ret_attributes + q->ret_persistent;
}

/* One result as the query asks for it: a value alone, or a dictionary of them. */
static OSStatus match_result(const struct query *q, const struct match *m, CFTypeRef *out)
{
    bool identity = m->key != NULL;
    *out = NULL;
    if (return_count(q) == 1 && !q->ret_attributes) {
        if (q->ret_ref)
            return copy_ref(m, identity, out);
        if (q->ret_data)
            return copy_data(m->item, out);
        *out = persistent_ref(m->item);
        return *out != NULL ? errSecSuccess : errSecAllocate;
    }
    CFMutableDictionaryRef d =
        q->ret_attributes ? copy_attributes(m, identity)
                          : CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                      &kCFTypeDictionaryValueCallBacks);
    if (d == NULL)
        return errSecAllocate;
    OSStatus status = errSecSuccess;
    CFTypeRef value = NULL;
    if (q->ret_ref && (status = copy_ref(m, identity, &value)) == errSecSuccess) {
        CFDictionarySetValue(d, kSecValueRef, value);
        CFRelease(value);
    }
    if (status == errSecSuccess && q->ret_data &&
        (status = copy_data(m->item, &value)) == errSecSuccess) {
        CFDictionarySetValue(d, kSecValueData, value);
        CFRelease(value);
    }
    if (status == errSecSuccess && q->ret_persistent) {
        value = persistent_ref(m->item);
        if (value != NULL) {
            CFDictionarySetValue(d, kSecValuePersistentRef, value);
            CFRelease(value);
        }
    }
    if (status != errSecSuccess) {
        CFRelease(d);
        return status;
    }
    *out = d;
    return errSecSuccess;
}

static OSStatus build_result(const struct query *q, const struct matches *found, CFTypeRef *out)
{
    if (!q->as_array)
        return match_result(q, &found->m[0], out);
    CFMutableArrayRef array = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    OSStatus status = array != NULL ? errSecSuccess : errSecAllocate;
    for (size_t i = 0; status == errSecSuccess && i < found->count; i++) {
        CFTypeRef value = NULL;
        status = match_result(q, &found->m[i], &value);
        if (status == errSecSuccess) {
            CFArrayAppendValue(array, value);
            CFRelease(value);
        }
    }
    if (status != errSecSuccess) {
        if (array != NULL)
            CFRelease(array);
        return status;
    }
    *out = array;
    return errSecSuccess;
}

/* --- SecItemCopyMatching --- */

/* Reads the query and collects the items of the keychains it names. */
static OSStatus query_items(CFDictionaryRef dict, enum query_use use, struct query *q,
                            struct sec_item_list *list)
{
    memset(list, 0, sizeof(*list));
    OSStatus status = query_read(dict, use, q);
    if (status == errSecSuccess && !q->class_given && q->value_ref == NULL &&
        q->value_persistent == NULL)
        status = errSecParam; /* Apple requires a class unless the item itself is named */
    if (status == errSecSuccess && !q->class_given && q->value_ref != NULL &&
        cf_is_type(q->value_ref, SecIdentityGetTypeID()))
        q->cls = QUERY_IDENTITY;
    if (status == errSecSuccess)
        status = sec_keychain_collect(query_keychains(q), list);
    return status;
}

OSStatus SecItemCopyMatching(CFDictionaryRef query, CFTypeRef *result)
{
    if (result != NULL)
        *result = NULL;
    struct query q;
    struct sec_item_list list;
    OSStatus status = query_items(query, FOR_SEARCH, &q, &list);
    if (status == errSecSuccess && return_count(&q) == 0)
        q.ret_ref = true; /* nothing asked for: the reference */
    struct matches found = {0};
    if (status == errSecSuccess && !find_matches(&q, &list, &found))
        status = errSecAllocate;
    if (status == errSecSuccess && found.count == 0)
        status = errSecItemNotFound;
    if (status == errSecSuccess && result != NULL)
        status = build_result(&q, &found, result);
    free(found.m);
    sec_item_list_free(&list);
    query_free(&q);
    return status;
}

/* --- SecItemDelete and SecItemUpdate --- */

OSStatus SecItemDelete(CFDictionaryRef query)
{
    struct query q;
    struct sec_item_list list;
    OSStatus status = query_items(query, FOR_SEARCH, &q, &list);
    q.limit = 0; /* every match goes */
    struct matches found = {0};
    if (status == errSecSuccess && !find_matches(&q, &list, &found))
        status = errSecAllocate;
    if (status == errSecSuccess && found.count == 0)
        status = errSecItemNotFound;
    for (size_t i = 0; status == errSecSuccess && i < found.count; i++) {
        const struct match *m = &found.m[i];
        status = sec_keychain_remove(m->item->keychain, m->item->id);
        /* An identity is its certificate and its key. */
        if (status == errSecSuccess && m->key != NULL)
            status = sec_keychain_remove(m->key->keychain, m->key->id);
        if (status == errSecItemNotFound)
            status = errSecSuccess; /* removed meanwhile, or a key shared by two identities */
    }
    free(found.m);
    sec_item_list_free(&list);
    query_free(&q);
    return status;
}

OSStatus SecItemUpdate(CFDictionaryRef query, CFDictionaryRef attributesToUpdate)
{
    struct query changes;
    OSStatus status = query_read(attributesToUpdate, FOR_UPDATE, &changes);
    struct query q;
    struct sec_item_list list = {0};
    memset(&q, 0, sizeof(q));
    if (status == errSecSuccess)
        status = query_items(query, FOR_SEARCH, &q, &list);
    q.limit = 0;
    struct matches found = {0};
    if (status == errSecSuccess && !find_matches(&q, &list, &found))
        status = errSecAllocate;
    if (status == errSecSuccess && found.count == 0)
        status = errSecItemNotFound;
    /* Only passwords have data to replace. */
    for (size_t i = 0; status == errSecSuccess && i < found.count; i++)
        if (changes.value_data != NULL && found.m[i].item->kind < SEC_ITEM_GENERIC_PASSWORD)
            status = errSecParam;
    for (size_t i = 0; status == errSecSuccess && i < found.count; i++) {
        const struct match *m = &found.m[i];
        status = sec_keychain_update(m->item->keychain, m->item->id, changes.attributes,
                                     changes.value_data);
        if (status == errSecSuccess && m->key != NULL)
            status = sec_keychain_update(m->key->keychain, m->key->id, changes.attributes, NULL);
    }
    free(found.m);
    sec_item_list_free(&list);
    query_free(&q);
    query_free(&changes);
    return status;
}

/* --- SecItemAdd --- */

/* What the attributes add: its kind and reference (+1), from kSecValueRef or kSecValueData. */
static OSStatus item_to_add(const struct query *q, enum sec_item_kind *kind, CFTypeRef *ref,
                            bool *identity)
{
    *ref = NULL;
    *identity = false;
    CFTypeRef given = q->value_ref;
    enum query_class cls = q->cls;
    if (given != NULL) {
        enum query_class of_ref = sec_certificate_x509(given) != NULL         ? QUERY_CERTIFICATE
                                  : sec_key_pkey(given) != NULL               ? QUERY_KEY
                                  : cf_is_type(given, SecIdentityGetTypeID()) ? QUERY_IDENTITY
                                                                              : QUERY_ANY;
        if (of_ref == QUERY_ANY || (q->class_given && cls != of_ref))
            return errSecParam; /* a password item, or a class that contradicts the item */
        cls = of_ref;
    }
    switch (cls) {
    case QUERY_CERTIFICATE:
        *kind = SEC_ITEM_CERTIFICATE;
        if (given == NULL && q->value_data != NULL) {
            *ref = SecCertificateCreateWithData(NULL, q->value_data);
            return *ref != NULL ? errSecSuccess : errSecDecode;
        }
        break;
    case QUERY_KEY:
        *kind = given != NULL && ((const struct sec_key *)given)->is_private ? SEC_ITEM_PRIVATE_KEY
                                                                             : SEC_ITEM_PUBLIC_KEY;
        break;
    case QUERY_IDENTITY: *identity = true; break;
    case QUERY_GENERIC_PASSWORD:
    case QUERY_INTERNET_PASSWORD:
        *kind =
            cls == QUERY_GENERIC_PASSWORD ? SEC_ITEM_GENERIC_PASSWORD : SEC_ITEM_INTERNET_PASSWORD;
        *ref = sec_password_item_create(*kind);
        return *ref != NULL ? errSecSuccess : errSecAllocate;
    case QUERY_ANY: return errSecParam;
    }
    if (given == NULL)
        return errSecParam;
    *ref = CFRetain(given);
    return errSecSuccess;
}

/* An identity goes in as its certificate and its key; it is a duplicate only if both are there. */
static OSStatus add_identity(SecKeychainRef keychain, const struct query *q, CFTypeRef identity)
{
    const struct sec_identity *id = identity;
    OSStatus cert =
        sec_keychain_add(keychain, SEC_ITEM_CERTIFICATE, id->certificate, q->attributes, NULL);
    if (cert != errSecSuccess && cert != errSecDuplicateItem)
        return cert;
    OSStatus key =
        sec_keychain_add(keychain, SEC_ITEM_PRIVATE_KEY, id->private_key, q->attributes, NULL);
    if (key == errSecDuplicateItem)
        return cert;
    return key;
}

/* The result SecItemAdd hands back: the new item found again in its keychain. */
static OSStatus added_result(struct query *q, SecKeychainRef keychain, CFTypeRef ref, bool identity,
                             CFTypeRef *result)
{
    struct sec_item_list list = {0};
    OSStatus status = sec_keychain_list_items(keychain, &list);
    q->cls = identity ? QUERY_IDENTITY : QUERY_ANY;
    q->value_ref = ref;
    q->value_persistent = NULL;
    q->item_list = NULL;
    q->policy = NULL;
    q->limit = 1;
    q->as_array = false;
    CFDictionaryRemoveAllValues(q->attributes);
    struct matches found = {0};
    if (status == errSecSuccess && !find_matches(q, &list, &found))
        status = errSecAllocate;
    if (status == errSecSuccess)
        status = found.count > 0 ? match_result(q, &found.m[0], result) : errSecItemNotFound;
    free(found.m);
    sec_item_list_free(&list);
    return status;
}

OSStatus SecItemAdd(CFDictionaryRef attributes, CFTypeRef *result)
{
    if (result != NULL)
        *result = NULL;
    struct query q;
    OSStatus status = query_read(attributes, FOR_ADD, &q);
    enum sec_item_kind kind = SEC_ITEM_CERTIFICATE;
    CFTypeRef ref = NULL;
    bool identity = false;
    if (status == errSecSuccess && !q.class_given && q.value_ref == NULL)
        status = errSecParam;
    if (status == errSecSuccess)
        status = item_to_add(&q, &kind, &ref, &identity);
    SecKeychainRef keychain = NULL;
    if (status == errSecSuccess) {
        keychain = q.use_keychain != NULL ? (SecKeychainRef)CFRetain(q.use_keychain)
                                          : sec_keychain_copy_default();
        if (keychain == NULL)
            status = errSecAllocate;
    }
    if (status == errSecSuccess)
        status = identity
                     ? add_identity(keychain, &q, ref)
                     : sec_keychain_add(keychain, kind, ref, q.attributes,
                                        kind >= SEC_ITEM_GENERIC_PASSWORD ? q.value_data : NULL);
    if (status == errSecSuccess && result != NULL && return_count(&q) > 0)
        status = added_result(&q, keychain, ref, identity, result);
    if (ref != NULL)
        CFRelease(ref);
    if (keychain != NULL)
        CFRelease(keychain);
    query_free(&q);
    return status;
}
