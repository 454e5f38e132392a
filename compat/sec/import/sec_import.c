/*
 * Importing: SecPKCS12Import (identities with their chains from PKCS#12,
 * both today's AES/SHA-256 files and the legacy RC2/3DES/SHA-1 ones) and
 * SecItemImport (PEM and DER certificates and private keys, PEM sequences,
 * PKCS#12).
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/proverr.h>
#include <string.h>

#include "cf_string.h"
#include "keychain/sec_keychain.h"
#include "sec_legacy.h"

/* The passphrase as C text: CFString or CFData (Apple takes either), or NULL. */
static char *passphrase_text(CFTypeRef passphrase)
{
    if (passphrase == NULL)
        return NULL;
    if (cf_is_type(passphrase, CFStringGetTypeID()))
        return OPENSSL_strdup(cf_string_utf8(passphrase));
    if (cf_is_type(passphrase, CFDataGetTypeID()))
        return OPENSSL_strndup((const char *)CFDataGetBytePtr(passphrase),
                               (size_t)CFDataGetLength(passphrase));
    return NULL;
}

/*
 * Legacy PKCS#12 files (RC2-40, the default of older tools and of macOS)
 * need OpenSSL's legacy provider. Rather than adding weak algorithms to the
 * application's own OpenSSL context, such files are parsed in a context of
 * our own (default + legacy providers), made on first need and kept for the
 * life of the process.
 */
/* PKCS12_parse in the legacy context (the thread's default only during the call). */
static int parse_with_legacy(PKCS12 *p12, const char *pw, EVP_PKEY **key, X509 **cert,
                             STACK_OF(X509) * *ca)
{
    OSSL_LIB_CTX *legacy = sec_legacy_libctx();
    if (legacy == NULL)
        return 0;
    OSSL_LIB_CTX *previous = OSSL_LIB_CTX_set0_default(legacy);
    int ok = PKCS12_parse(p12, pw, key, cert, ca);
    OSSL_LIB_CTX_set0_default(previous);
    return ok;
}

struct p12_contents {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) * ca;
};

static void p12_contents_free(struct p12_contents *c)
{
    EVP_PKEY_free(c->key);
    X509_free(c->cert);
    sk_X509_pop_free(c->ca, X509_free);
}

/* Decodes and opens a PKCS#12 blob: errSecDecode, errSecAuthFailed or success. */
static OSStatus p12_open(const UInt8 *bytes, CFIndex length, const char *pass,
                         struct p12_contents *out)
{
    memset(out, 0, sizeof(*out));
    const unsigned char *p = bytes;
    PKCS12 *p12 = length > 0 ? d2i_PKCS12(NULL, &p, (long)length) : NULL;
    if (p12 == NULL) {
        ERR_clear_error();
        return errSecDecode;
    }
    const char *pw = pass != NULL ? pass : "";
    OSStatus status = errSecSuccess;
    /* An empty passphrase may have been encoded as no passphrase at all. */
    if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pw, -1)) {
        if (pw[0] == '\0' && PKCS12_verify_mac(p12, NULL, 0))
            pw = NULL;
        else
            status = errSecAuthFailed;
    }
    if (status == errSecSuccess && !PKCS12_parse(p12, pw, &out->key, &out->cert, &out->ca)) {
        ERR_clear_error();
        if (!parse_with_legacy(p12, pw, &out->key, &out->cert, &out->ca))
            status = errSecDecode;
    }
    ERR_clear_error();
    PKCS12_free(p12);
    if (status != errSecSuccess)
        p12_contents_free(out);
    return status;
}

/* leaf, then the other certificates of the file in their order. */
static CFMutableArrayRef p12_chain(const struct p12_contents *c)
{
    CFMutableArrayRef chain = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    int others = c->ca != NULL ? sk_X509_num(c->ca) : 0; /* no stack when the file has none */
    for (int i = -1; chain != NULL && i < others; i++) {
        X509 *x = i < 0 ? c->cert : sk_X509_value(c->ca, i);
        SecCertificateRef cert = x != NULL ? sec_certificate_from_x509(x) : NULL;
        if (cert != NULL)
            CFArrayAppendValue(chain, cert);
        CFRelease(cert);
    }
    return chain;
}

static SecIdentityRef p12_identity(const struct p12_contents *c)
{
    if (c->key == NULL || c->cert == NULL)
        return NULL;
    SecCertificateRef cert = sec_certificate_from_x509(c->cert);
    SecKeyRef key = sec_key_from_pkey(c->key, true);
    SecIdentityRef identity = SecIdentityCreate(NULL, cert, key);
    CFRelease(cert);
    CFRelease(key);
    return identity;
}

/* The dictionary SecPKCS12Import returns for one identity. */
static CFDictionaryRef p12_item(const struct p12_contents *c)
{
    CFMutableDictionaryRef item = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                            &kCFTypeDictionaryValueCallBacks);
    CFMutableArrayRef chain = p12_chain(c);
    SecIdentityRef identity = p12_identity(c);
    SecTrustRef trust = NULL;
    SecPolicyRef basic = SecPolicyCreateBasicX509();
    if (chain != NULL && CFArrayGetCount(chain) > 0)
        (void)SecTrustCreateWithCertificates(chain, basic, &trust);
    if (item != NULL) {
        if (identity != NULL)
            CFDictionarySetValue(item, kSecImportItemIdentity, identity);
        if (chain != NULL)
            CFDictionarySetValue(item, kSecImportItemCertChain, chain);
        if (trust != NULL)
            CFDictionarySetValue(item, kSecImportItemTrust, trust);
        int len = 0;
        unsigned char *alias = c->cert != NULL ? X509_alias_get0(c->cert, &len) : NULL;
        CFStringRef label =
            alias != NULL ? cf_string_create_utf8((const char *)alias, (size_t)len) : NULL;
        if (label != NULL)
            CFDictionarySetValue(item, kSecImportItemLabel, label);
        CFRelease(label);
        unsigned char *keyid = c->cert != NULL ? X509_keyid_get0(c->cert, &len) : NULL;
        CFDataRef id = keyid != NULL ? CFDataCreate(NULL, keyid, len) : NULL;
        if (id != NULL)
            CFDictionarySetValue(item, kSecImportItemKeyID, id);
        CFRelease(id);
    }
    CFRelease(basic);
    CFRelease(trust);
    CFRelease(identity);
    CFRelease(chain);
    return item;
}

/*
 * Like macOS, SecPKCS12Import also stores what it imports: the identity and
 * its chain go into the kSecImportExportKeychain keychain, or the default one.
 */
static OSStatus p12_store(CFDictionaryRef item, CFTypeRef keychain)
{
    CFStringRef label = CFDictionaryGetValue(item, kSecImportItemLabel);
    CFTypeRef identity = CFDictionaryGetValue(item, kSecImportItemIdentity);
    CFArrayRef chain = CFDictionaryGetValue(item, kSecImportItemCertChain);
    OSStatus status = identity != NULL
                          ? sec_keychain_add_item((SecKeychainRef)keychain, identity, label)
                          : errSecSuccess;
    for (CFIndex i = 0; status == errSecSuccess && chain != NULL && i < CFArrayGetCount(chain); i++)
        status = sec_keychain_add_item((SecKeychainRef)keychain, CFArrayGetValueAtIndex(chain, i),
                                       i == 0 ? label : NULL);
    return status;
}

OSStatus SecPKCS12Import(CFDataRef pkcs12_data, CFDictionaryRef options, CFArrayRef *items)
{
    if (items == NULL)
        return errSecParam;
    *items = NULL;
    if (!cf_is_type(pkcs12_data, CFDataGetTypeID()) ||
        (options != NULL && !cf_is_type(options, CFDictionaryGetTypeID())))
        return errSecParam;
    CFTypeRef keychain =
        options != NULL ? CFDictionaryGetValue(options, kSecImportExportKeychain) : NULL;
    if (keychain != NULL && !cf_is_type(keychain, SecKeychainGetTypeID()))
        return errSecParam;
    CFTypeRef pass_value =
        options != NULL ? CFDictionaryGetValue(options, kSecImportExportPassphrase) : NULL;
    char *pass = passphrase_text(pass_value);
    if (pass_value != NULL && pass == NULL)
        return errSecParam;
    struct p12_contents contents;
    OSStatus status =
        p12_open(CFDataGetBytePtr(pkcs12_data), CFDataGetLength(pkcs12_data), pass, &contents);
    OPENSSL_clear_free(pass, pass != NULL ? strlen(pass) : 0);
    if (status != errSecSuccess)
        return status;
    CFDictionaryRef item = p12_item(&contents);
    p12_contents_free(&contents);
    if (item == NULL)
        return errSecAllocate;
    status = p12_store(item, keychain);
    if (status != errSecSuccess) {
        CFRelease(item);
        return status;
    }
    *items = CFArrayCreate(NULL, (const void **)&item, 1, &kCFTypeArrayCallBacks);
    CFRelease(item);
    return *items != NULL ? errSecSuccess : errSecAllocate;
}

/* Collects imported items; owns its arrays. */
struct import {
    CFMutableArrayRef items;
    CFMutableArrayRef private_keys; /* every private key read, returned or not */
    SecKeychainRef keychain;        /* importKeychain, or NULL */
    const char *pass;
    int certificates, keys, identities;
    bool pkcs12;
};

static void import_append(struct import *im, CFTypeRef item, int *counter)
{
    if (item == NULL)
        return;
    CFArrayAppendValue(im->items, item);
    CFRelease(item);
    (*counter)++;
}

/* A private key read from the input: returned, and remembered for keeping. */
static void import_private_key(struct import *im, EVP_PKEY *pkey)
{
    SecKeyRef key = sec_key_from_pkey(pkey, true);
    if (key != NULL)
        CFArrayAppendValue(im->private_keys, key);
    import_append(im, key, &im->keys);
}

static int pem_password(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    const char *pass = u;
    if (pass == NULL)
        return -1;
    int len = (int)strlen(pass);
    if (len > size)
        return -1;
    memcpy(buf, pass, (size_t)len);
    return len;
}

/*
 * Why a private key could not be read: a passphrase problem (none given, or
 * a wrong one) anywhere in OpenSSL's error queue, else undecodable data.
 * An encrypted block that does not decode is a passphrase problem too: a
 * wrong passphrase leaves valid CBC padding once in 256 tries, and then only
 * the decoding fails. Empties the queue.
 */
static OSStatus key_read_failure(bool had_passphrase, bool encrypted)
{
    bool bad_password = encrypted;
    for (unsigned long err; (err = ERR_get_error()) != 0;) {
        int lib = ERR_GET_LIB(err), reason = ERR_GET_REASON(err);
        if ((lib == ERR_LIB_PEM &&
             (reason == PEM_R_BAD_PASSWORD_READ || reason == PEM_R_BAD_DECRYPT)) ||
            (lib == ERR_LIB_EVP && reason == EVP_R_BAD_DECRYPT) ||
            (lib == ERR_LIB_PROV && reason == PROV_R_BAD_DECRYPT))
            bad_password = true;
    }
    if (!bad_password)
        return errSecDecode;
    return had_passphrase ? errSecAuthFailed : errSecPassphraseRequired;
}

/* One PEM block: a certificate, or a private key in any of OpenSSL's PEM forms. */
static OSStatus import_pem_block(struct import *im, const char *name, const char *header,
                                 const unsigned char *data, long len)
{
    if (strcmp(name, PEM_STRING_X509) == 0 || strcmp(name, PEM_STRING_X509_OLD) == 0 ||
        strcmp(name, PEM_STRING_X509_TRUSTED) == 0) {
        const unsigned char *p = data;
        X509 *x = strcmp(name, PEM_STRING_X509_TRUSTED) == 0 ? d2i_X509_AUX(NULL, &p, len)
                                                             : d2i_X509(NULL, &p, len);
        if (x == NULL)
            return errSecDecode;
        /* One SecCertificateCreateWithData refuses (a bad version): Apple's
         * errSecUnsupportedFormat. */
        SecCertificateRef cert = sec_certificate_from_x509(x);
        X509_free(x);
        if (cert == NULL)
            return errSecUnsupportedFormat;
        import_append(im, cert, &im->certificates);
        return errSecSuccess;
    }
    if (strstr(name, "PRIVATE KEY") == NULL)
        return errSecSuccess; /* other blocks (parameters, requests) are not items */
    /*
     * Re-read the block through OpenSSL's key reader: it knows every key PEM
     * form. The copy lives in a secure-memory BIO, wiped when freed.
     */
    BIO *mem = BIO_new(BIO_s_secmem());
    EVP_PKEY *pkey = NULL;
    if (mem != NULL && PEM_write_bio(mem, name, header, data, len) > 0)
        pkey = PEM_read_bio_PrivateKey(mem, NULL, pem_password, (void *)im->pass);
    BIO_free(mem);
    bool encrypted = strcmp(name, PEM_STRING_PKCS8) == 0 ||
                     (header != NULL && strstr(header, "ENCRYPTED") != NULL);
    if (pkey == NULL)
        return key_read_failure(im->pass != NULL, encrypted);
    import_private_key(im, pkey);
    EVP_PKEY_free(pkey);
    return errSecSuccess;
}

static OSStatus import_pem(struct import *im, const UInt8 *bytes, CFIndex length)
{
    BIO *bio = BIO_new_mem_buf(bytes, (int)length);
    if (bio == NULL)
        return errSecAllocate;
    OSStatus status = errSecSuccess;
    int blocks = 0;
    for (;;) {
        char *name = NULL, *header = NULL;
        unsigned char *data = NULL;
        long len = 0;
        /* Secure: the block may be a private key, so its buffers are wiped when freed. */
        if (!PEM_read_bio_ex(bio, &name, &header, &data, &len, PEM_FLAG_SECURE)) {
            unsigned long err = ERR_peek_last_error();
            /* The end of the input reads as "no start line" once blocks were found. */
            if (!(blocks > 0 && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
                status = blocks > 0 ? errSecDecode : errSecUnknownFormat;
            ERR_clear_error();
            break;
        }
        blocks++;
        status = import_pem_block(im, name, header, data, len);
        OPENSSL_secure_clear_free(name, strlen(name));
        OPENSSL_secure_clear_free(header, strlen(header));
        OPENSSL_secure_clear_free(data, (size_t)len);
        if (status != errSecSuccess)
            break;
    }
    BIO_free(bio);
    return status;
}

/*
 * Without a keychain 10.15 returns a PKCS#12's certificates and nothing else:
 * impExpPkcs12Import (SecImportExportAgg.cpp) skips the identity match when
 * importKeychain is NULL and never hands out the private keys (that code is
 * compiled out). The key is still remembered, for the process store.
 */
static void import_p12_without_keychain(struct import *im, const struct p12_contents *c)
{
    if (c->cert != NULL)
        import_append(im, sec_certificate_from_x509(c->cert), &im->certificates);
    SecKeyRef key = c->key != NULL ? sec_key_from_pkey(c->key, true) : NULL;
    if (key != NULL) {
        CFArrayAppendValue(im->private_keys, key);
        CFRelease(key);
    }
}

/* DER: one certificate, one private key, or a PKCS#12 blob. */
static OSStatus import_der(struct import *im, const UInt8 *bytes, CFIndex length,
                           SecExternalFormat *format)
{
    const unsigned char *p = bytes;
    X509 *x = d2i_X509(NULL, &p, (long)length);
    /* A certificate SecCertificateCreateWithData refuses is not recognised as one. */
    SecCertificateRef cert = x != NULL && p == bytes + length ? sec_certificate_from_x509(x) : NULL;
    X509_free(x);
    if (cert != NULL) {
        import_append(im, cert, &im->certificates);
        *format = kSecFormatX509Cert;
        return errSecSuccess;
    }
    p = bytes;
    EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &p, (long)length);
    if (pkey != NULL && p == bytes + length) {
        import_private_key(im, pkey);
        EVP_PKEY_free(pkey);
        *format = kSecFormatOpenSSL;
        return errSecSuccess;
    }
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    struct p12_contents contents;
    OSStatus status = p12_open(bytes, length, im->pass, &contents);
    if (status == errSecDecode)
        return errSecUnknownFormat;
    if (status != errSecSuccess)
        return status;
    *format = kSecFormatPKCS12;
    im->pkcs12 = true;
    if (im->keychain != NULL)
        import_append(im, p12_identity(&contents), &im->identities);
    else
        import_p12_without_keychain(im, &contents);
    for (int i = 0; i < sk_X509_num(contents.ca); i++)
        import_append(im, sec_certificate_from_x509(sk_X509_value(contents.ca, i)),
                      &im->certificates);
    p12_contents_free(&contents);
    return errSecSuccess;
}

static bool looks_like_pem(const UInt8 *bytes, CFIndex length)
{
    static const char marker[] = "-----BEGIN ";
    for (CFIndex i = 0; i + (CFIndex)sizeof(marker) - 1 <= length; i++)
        if (memcmp(bytes + i, marker, sizeof(marker) - 1) == 0)
            return true;
    return false;
}

/* Each item goes into importKeychain too, when one is given. */
static OSStatus import_store(CFArrayRef items, SecKeychainRef keychain)
{
    OSStatus status = errSecSuccess;
    for (CFIndex i = 0; keychain != NULL && status == errSecSuccess && i < CFArrayGetCount(items);
         i++)
        status = sec_keychain_add_item(keychain, CFArrayGetValueAtIndex(items, i), NULL);
    return status;
}

static bool certificate_of_any_key(CFTypeRef item, CFArrayRef keys)
{
    X509 *x = sec_certificate_x509(item);
    for (CFIndex i = 0; x != NULL && i < CFArrayGetCount(keys); i++)
        if (X509_check_private_key(x, sec_key_pkey(CFArrayGetValueAtIndex(keys, i))) == 1)
            return true;
    return false;
}

/*
 * Without a keychain, the private keys (and the certificates of this import
 * that belong to them, so identity searches see whole identities) go into
 * the process store, where the default search finds them.
 */
static OSStatus import_keep_without_keychain(const struct import *im)
{
    if (CFArrayGetCount(im->private_keys) == 0)
        return errSecSuccess;
    SecKeychainRef store = sec_keychain_copy_process_store();
    if (store == NULL)
        return errSecAllocate;
    OSStatus status = import_store(im->private_keys, store);
    for (CFIndex i = 0; status == errSecSuccess && i < CFArrayGetCount(im->items); i++) {
        CFTypeRef item = CFArrayGetValueAtIndex(im->items, i);
        if (certificate_of_any_key(item, im->private_keys))
            status = sec_keychain_add_item(store, item, NULL);
    }
    CFRelease(store);
    return status;
}

OSStatus SecItemImport(CFDataRef importedData, CFStringRef fileNameOrExtension,
                       SecExternalFormat *inputFormat, SecExternalItemType *itemType,
                       SecItemImportExportFlags flags,
                       const SecItemImportExportKeyParameters *keyParams,
                       SecKeychainRef importKeychain, CFArrayRef *outItems)
{
    (void)fileNameOrExtension;
    (void)flags;
    if (outItems != NULL)
        *outItems = NULL;
    if (importKeychain != NULL && !cf_is_type(importKeychain, SecKeychainGetTypeID()))
        return errSecInvalidKeychain;
    if (!cf_is_type(importedData, CFDataGetTypeID()) ||
        (keyParams != NULL && keyParams->version != SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION))
        return errSecParam;
    const UInt8 *bytes = CFDataGetBytePtr(importedData);
    CFIndex length = CFDataGetLength(importedData);
    if (length == 0)
        return errSecUnknownFormat;
    if (length > INT32_MAX)
        return errSecParam;

    struct import im = {.items = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks),
                        .private_keys = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks),
                        .keychain = importKeychain};
    char *pass = keyParams != NULL ? passphrase_text(keyParams->passphrase) : NULL;
    im.pass = pass;
    SecExternalFormat format = kSecFormatUnknown;
    OSStatus status = errSecAllocate;
    if (im.items != NULL && im.private_keys != NULL) {
        if (looks_like_pem(bytes, length)) {
            status = import_pem(&im, bytes, length);
            format = im.certificates + im.keys > 1 ? kSecFormatPEMSequence
                     : im.certificates == 1        ? kSecFormatX509Cert
                                                   : kSecFormatOpenSSL;
        } else {
            status = import_der(&im, bytes, length, &format);
        }
    }
    OPENSSL_clear_free(pass, pass != NULL ? strlen(pass) : 0);
    if (status == errSecSuccess && CFArrayGetCount(im.items) == 0)
        status = errSecUnknownFormat;
    if (status == errSecSuccess)
        status = importKeychain != NULL ? import_store(im.items, importKeychain)
                                        : import_keep_without_keychain(&im);
    if (im.private_keys != NULL)
        CFRelease(im.private_keys);
    if (status != errSecSuccess) {
        if (im.items != NULL)
            CFRelease(im.items);
        return status;
    }
    if (inputFormat != NULL)
        *inputFormat = format;
    if (itemType != NULL)
        *itemType = im.pkcs12 || im.certificates + im.keys > 1 ? kSecItemTypeAggregate
                    : im.keys == 1                             ? kSecItemTypePrivateKey
                                                               : kSecItemTypeCertificate;
    if (outItems != NULL)
        *outItems = im.items;
    else
        CFRelease(im.items);
    return errSecSuccess;
}
