/*
 * Exporting: SecItemExport and SecKeychainItemExport turn certificates, keys
 * and identities into DER, PEM, PKCS#7, encrypted PKCS#8 or PKCS#12 data.
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "sec_internal.h"

/* The items to export, sorted by kind; identities count as a certificate and a key. */
struct export_key {
    EVP_PKEY *pkey;
    bool is_private;
};

struct export_set {
    STACK_OF(X509) * certs;
    struct export_key *keys;
    int key_count, key_capacity;
    int identities;
    int items;
};

static void export_set_free(struct export_set *set)
{
    sk_X509_pop_free(set->certs, X509_free);
    for (int i = 0; i < set->key_count; i++)
        EVP_PKEY_free(set->keys[i].pkey);
    free(set->keys);
}

static bool push_cert(struct export_set *set, X509 *x)
{
    if (!X509_up_ref(x))
        return false;
    if (sk_X509_push(set->certs, x) <= 0) {
        X509_free(x);
        return false;
    }
    return true;
}

static bool push_key(struct export_set *set, CFTypeRef key)
{
    if (set->key_count == set->key_capacity) {
        int capacity = set->key_capacity ? set->key_capacity * 2 : 4;
        struct export_key *grown = realloc(set->keys, (size_t)capacity * sizeof(*grown));
        if (grown == NULL)
            return false;
        set->keys = grown;
        set->key_capacity = capacity;
    }
    EVP_PKEY *pkey = sec_key_pkey(key);
    if (!EVP_PKEY_up_ref(pkey))
        return false;
    set->keys[set->key_count++] =
        (struct export_key){pkey, ((const struct sec_key *)key)->is_private};
    return true;
}

static OSStatus add_one(struct export_set *set, CFTypeRef item)
{
    bool ok;
    if (sec_certificate_x509(item) != NULL) {
        ok = push_cert(set, sec_certificate_x509(item));
    } else if (sec_key_pkey(item) != NULL) {
        ok = push_key(set, item);
    } else if (cf_is_type(item, SecIdentityGetTypeID())) {
        const struct sec_identity *id = item;
        ok =
            push_cert(set, sec_certificate_x509(id->certificate)) && push_key(set, id->private_key);
        set->identities++;
    } else {
        return errSecParam; /* not exportable: a password item, or not an item */
    }
    set->items++;
    return ok ? errSecSuccess : errSecAllocate;
}

static OSStatus collect(CFTypeRef secItemOrArray, struct export_set *set)
{
    memset(set, 0, sizeof(*set));
    set->certs = sk_X509_new_null();
    if (set->certs == NULL)
        return errSecAllocate;
    if (!cf_is_type(secItemOrArray, CFArrayGetTypeID()))
        return add_one(set, secItemOrArray);
    OSStatus status = errSecSuccess;
    for (CFIndex i = 0; status == errSecSuccess && i < CFArrayGetCount(secItemOrArray); i++)
        status = add_one(set, CFArrayGetValueAtIndex(secItemOrArray, i));
    return status == errSecSuccess && set->items == 0 ? errSecParam : status;
}

/* Apple's choice for kSecFormatUnknown: by what there is to export. */
static SecExternalFormat default_format(const struct export_set *set)
{
    if (set->items == 1 && set->identities == 1)
        return kSecFormatPKCS12;
    if (set->items == 1 && sk_X509_num(set->certs) == 1)
        return kSecFormatX509Cert;
    if (set->items == 1 && set->key_count == 1)
        return kSecFormatOpenSSL;
    return kSecFormatPEMSequence;
}

/* The passphrase as C text (CFString or CFData), or NULL. */
static char *passphrase_text(CFTypeRef passphrase)
{
    if (cf_is_type(passphrase, CFStringGetTypeID()))
        return OPENSSL_strdup(cf_string_utf8(passphrase));
    if (cf_is_type(passphrase, CFDataGetTypeID()))
        return OPENSSL_strndup((const char *)CFDataGetBytePtr(passphrase),
                               (size_t)CFDataGetLength(passphrase));
    return NULL;
}

/* --- One format each --- */

static bool write_cert(BIO *out, X509 *x, bool pem)
{
    return pem ? PEM_write_bio_X509(out, x) == 1 : i2d_X509_bio(out, x) == 1;
}

/* OpenSSL's own key forms: PKCS#1 or SEC1 for private keys, SubjectPublicKeyInfo for public. */
static bool write_key(BIO *out, EVP_PKEY *pkey, bool is_private, bool pem)
{
    if (!is_private)
        return pem ? PEM_write_bio_PUBKEY(out, pkey) == 1 : i2d_PUBKEY_bio(out, pkey) == 1;
    if (pem)
        return PEM_write_bio_PrivateKey_traditional(out, pkey, NULL, NULL, 0, NULL, NULL) == 1;
    return i2d_PrivateKey_bio(out, pkey) == 1;
}

static OSStatus export_x509(const struct export_set *set, BIO *out, bool pem)
{
    if (set->items != 1 || set->identities != 0 || sk_X509_num(set->certs) != 1)
        return errSecParam;
    return write_cert(out, sk_X509_value(set->certs, 0), pem) ? errSecSuccess : errSecAllocate;
}

static OSStatus export_openssl(const struct export_set *set, BIO *out, bool pem)
{
    if (set->items != 1 || set->identities != 0 || set->key_count != 1)
        return errSecParam;
    return write_key(out, set->keys[0].pkey, set->keys[0].is_private, pem) ? errSecSuccess
                                                                           : errSecAllocate;
}

static OSStatus export_pkcs8(const struct export_set *set, BIO *out, bool pem, const char *pass)
{
    if (set->items != 1 || set->identities != 0 || set->key_count != 1 || !set->keys[0].is_private)
        return errSecParam;
    if (pass == NULL)
        return errSecPassphraseRequired;
    EVP_PKEY *pkey = set->keys[0].pkey;
    int len = (int)strlen(pass);
    int ok =
        pem ? PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_256_cbc(), pass, len, NULL, NULL)
            : i2d_PKCS8PrivateKey_bio(out, pkey, EVP_aes_256_cbc(), pass, len, NULL, NULL);
    return ok == 1 ? errSecSuccess : errSecAllocate;
}

/* Each certificate, then each key, armoured. */
static OSStatus export_pem_sequence(const struct export_set *set, BIO *out)
{
    for (int i = 0; i < sk_X509_num(set->certs); i++)
        if (!write_cert(out, sk_X509_value(set->certs, i), true))
            return errSecAllocate;
    for (int i = 0; i < set->key_count; i++)
        if (!write_key(out, set->keys[i].pkey, set->keys[i].is_private, true))
            return errSecAllocate;
    return errSecSuccess;
}

/* A certificates-only SignedData, as `openssl crl2pkcs7 -nocrl` makes. */
static OSStatus export_pkcs7(const struct export_set *set, BIO *out, bool pem)
{
    if (sk_X509_num(set->certs) == 0 || set->key_count > set->identities)
        return errSecParam;
    PKCS7 *p7 = PKCS7_new();
    bool ok = p7 != NULL && PKCS7_set_type(p7, NID_pkcs7_signed) == 1 &&
              PKCS7_content_new(p7, NID_pkcs7_data) == 1;
    for (int i = 0; ok && i < sk_X509_num(set->certs); i++)
        ok = PKCS7_add_certificate(p7, sk_X509_value(set->certs, i)) == 1;
    if (ok)
        ok = pem ? PEM_write_bio_PKCS7(out, p7) == 1 : i2d_PKCS7_bio(out, p7) == 1;
    PKCS7_free(p7);
    return ok ? errSecSuccess : errSecAllocate;
}

/* The certificate whose public key is `pkey`, or -1. */
static int cert_for_key(const struct export_set *set, EVP_PKEY *pkey)
{
    for (int i = 0; pkey != NULL && i < sk_X509_num(set->certs); i++)
        if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(set->certs, i)), pkey) == 1)
            return i;
    return -1;
}

/*
 * One private key with its certificate, and the other certificates as the
 * chain: what PKCS12_create writes (AES-256 and a SHA-256 MAC in OpenSSL 3),
 * and what SecPKCS12Import reads back as one identity.
 */
static OSStatus export_pkcs12(const struct export_set *set, BIO *out, const char *pass)
{
    if (pass == NULL)
        return errSecPassphraseRequired;
    EVP_PKEY *key = NULL;
    for (int i = 0; i < set->key_count; i++) {
        if (!set->keys[i].is_private)
            return errSecParam; /* public keys have no place in PKCS#12 */
        if (key != NULL)
            return errSecUnsupportedFormat; /* more than one private key */
        key = set->keys[i].pkey;
    }
    int leaf = cert_for_key(set, key);
    STACK_OF(X509) *chain = sk_X509_new_null();
    for (int i = 0; chain != NULL && i < sk_X509_num(set->certs); i++)
        if (i != leaf && sk_X509_push(chain, sk_X509_value(set->certs, i)) <= 0) {
            sk_X509_free(chain);
            chain = NULL;
        }
    X509 *cert = leaf >= 0 ? sk_X509_value(set->certs, leaf) : NULL;
    char name[256] = "";
    if (cert != NULL)
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof(name));
    PKCS12 *p12 = chain != NULL ? PKCS12_create(pass, name[0] != '\0' ? name : NULL, key, cert,
                                                chain, 0, 0, 0, 0, 0)
                                : NULL;
    bool ok = p12 != NULL && i2d_PKCS12_bio(out, p12) == 1;
    PKCS12_free(p12);
    sk_X509_free(chain);
    return ok ? errSecSuccess : errSecAllocate;
}

static OSStatus export_as(const struct export_set *set, SecExternalFormat format, bool pem,
                          const char *pass, BIO *out)
{
    switch (format) {
    case kSecFormatX509Cert: return export_x509(set, out, pem);
    case kSecFormatOpenSSL: return export_openssl(set, out, pem);
    case kSecFormatWrappedPKCS8: return export_pkcs8(set, out, pem, pass);
    case kSecFormatPEMSequence: return export_pem_sequence(set, out);
    case kSecFormatPKCS7: return export_pkcs7(set, out, pem);
    case kSecFormatPKCS12: return export_pkcs12(set, out, pass);
    default: return errSecUnsupportedFormat;
    }
}

OSStatus SecItemExport(CFTypeRef secItemOrArray, SecExternalFormat outputFormat,
                       SecItemImportExportFlags flags,
                       const SecItemImportExportKeyParameters *keyParams, CFDataRef *exportedData)
{
    if (exportedData == NULL)
        return errSecParam;
    *exportedData = NULL;
    if (secItemOrArray == NULL ||
        (keyParams != NULL && keyParams->version != SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION))
        return errSecParam;
    struct export_set set;
    OSStatus status = collect(secItemOrArray, &set);
    char *pass = keyParams != NULL ? passphrase_text(keyParams->passphrase) : NULL;
    BIO *out = BIO_new(BIO_s_mem());
    if (status == errSecSuccess && out == NULL)
        status = errSecAllocate;
    if (status == errSecSuccess) {
        SecExternalFormat format =
            outputFormat == kSecFormatUnknown ? default_format(&set) : outputFormat;
        status = export_as(&set, format, (flags & kSecItemPemArmour) != 0, pass, out);
    }
    if (status == errSecSuccess) {
        char *p = NULL;
        long len = BIO_get_mem_data(out, &p);
        *exportedData = CFDataCreate(NULL, (const UInt8 *)p, len);
        status = *exportedData != NULL ? errSecSuccess : errSecAllocate;
    }
    ERR_clear_error();
    BIO_free(out);
    OPENSSL_clear_free(pass, pass != NULL ? strlen(pass) : 0);
    export_set_free(&set);
    return status;
}

/* The older entry point: the same export, with the older parameter block. */
OSStatus SecKeychainItemExport(CFTypeRef keychainItemOrArray, SecExternalFormat outputFormat,
                               SecItemImportExportFlags flags,
                               const SecKeyImportExportParameters *keyParams,
                               CFDataRef *exportedData)
{
    SecItemImportExportKeyParameters params = {0};
    if (keyParams != NULL) {
        params.version = keyParams->version;
        params.flags = keyParams->flags;
        params.passphrase = keyParams->passphrase;
        params.alertTitle = keyParams->alertTitle;
        params.alertPrompt = keyParams->alertPrompt;
        params.accessRef = keyParams->accessRef;
    }
    return SecItemExport(keychainItemOrArray, outputFormat, flags,
                         keyParams != NULL ? &params : NULL, exportedData);
}
