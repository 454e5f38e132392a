/*
 * Importing identities, certificates and keys: PKCS#12 files as OpenSSL 3
 * writes them (AES-256, SHA-256 MAC) and as older tools did (RC2-40 and
 * 3DES with SHA-1, made here with the openssl command), PEM and DER
 * certificates and keys (plain, traditional, encrypted), PEM sequences, and
 * malformed, truncated, empty and wrongly protected input.
 */
#include <openssl/pem.h>
#include <malloc.h>
#include <openssl/pkcs12.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "sec_internal.h"
#include "st_test.h"
#include "tls_peer.h"

static struct factory_ca_leaf pki;

static const struct cert_spec ca_spec = {"Import CA", NULL, true, -1, 3650, EKU_NONE, NULL};
static const struct cert_spec leaf_spec = {"import.test", "DNS:import.test", false, -1,
                                           365,           EKU_SERVER,        NULL};

static void setup(void)
{
    factory_ca_leaf_create(&pki, &ca_spec, KEY_RSA2048, &leaf_spec, KEY_RSA2048);
}

static void teardown(void)
{
    factory_ca_leaf_free(&pki);
}

static CFDataRef data_of(const void *bytes, size_t len)
{
    CFDataRef d = CFDataCreate(NULL, bytes, (CFIndex)len);
    ck_assert_ptr_nonnull(d);
    return d;
}

static CFDataRef bio_data(BIO *bio)
{
    char *p;
    long len = BIO_get_mem_data(bio, &p);
    CFDataRef d = data_of(p, (size_t)len);
    BIO_free(bio);
    return d;
}

/* A PKCS#12 as OpenSSL 3 writes it by default. */
static CFDataRef modern_p12(const char *pass)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, pki.ca);
    PKCS12 *p12 = PKCS12_create(pass, "label", pki.leaf_key, pki.leaf, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ck_assert_ptr_nonnull(p12);
    BIO *bio = BIO_new(BIO_s_mem());
    i2d_PKCS12_bio(bio, p12);
    PKCS12_free(p12);
    return bio_data(bio);
}

/* A PKCS#12 made by the openssl command with extra options (legacy algorithms). */
static CFDataRef cli_p12(const char *options)
{
    char dir[] = "/tmp/sectrans-p12-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char pem[64], ca_pem[64], out[64], cmd[512];
    snprintf(pem, sizeof(pem), "%s/leaf.pem", dir);
    snprintf(ca_pem, sizeof(ca_pem), "%s/ca.pem", dir);
    snprintf(out, sizeof(out), "%s/out.p12", dir);
    ck_assert(factory_write_pem(pem, pki.leaf, pki.leaf_key));
    ck_assert(factory_write_pem(ca_pem, pki.ca, NULL));
    snprintf(cmd, sizeof(cmd),
             "openssl pkcs12 -export %s -in %s -certfile %s -name label -passout pass:secret "
             "-out %s 2>/dev/null",
             options, pem, ca_pem, out);
    ck_assert_int_eq(system(cmd), 0);
    FILE *f = fopen(out, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char buf[16384];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    unlink(pem);
    unlink(ca_pem);
    unlink(out);
    rmdir(dir);
    return data_of(buf, n);
}

static CFDictionaryRef options_with(CFTypeRef pass)
{
    const void *keys[] = {kSecImportExportPassphrase};
    return CFDictionaryCreate(NULL, keys, &pass, pass != NULL ? 1 : 0,
                              &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
}

/* The one item of a PKCS#12 import: identity, chain leaf first, a trust, the label. */
static void check_p12_items(CFArrayRef items)
{
    ck_assert_int_eq(CFArrayGetCount(items), 1);
    CFDictionaryRef item = CFArrayGetValueAtIndex(items, 0);
    SecIdentityRef identity = (SecIdentityRef)CFDictionaryGetValue(item, kSecImportItemIdentity);
    ck_assert_uint_eq(CFGetTypeID(identity), SecIdentityGetTypeID());
    SecCertificateRef cert = NULL;
    ck_assert_int_eq(SecIdentityCopyCertificate(identity, &cert), errSecSuccess);
    SecCertificateRef expected = factory_sec_cert(pki.leaf);
    ck_assert(CFEqual(cert, expected));
    CFRelease(expected);
    CFRelease(cert);

    CFArrayRef chain = CFDictionaryGetValue(item, kSecImportItemCertChain);
    ck_assert_int_eq(CFArrayGetCount(chain), 2);
    SecCertificateRef s_ca = factory_sec_cert(pki.ca);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(chain, 1), s_ca));

    SecTrustRef trust = (SecTrustRef)CFDictionaryGetValue(item, kSecImportItemTrust);
    ck_assert_uint_eq(CFGetTypeID(trust), SecTrustGetTypeID());
    CFArrayRef anchors = CFArrayCreate(NULL, (const void **)&s_ca, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
    SecTrustResultType result = 0;
    ck_assert_int_eq(SecTrustEvaluate(trust, &result), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultUnspecified);
    CFRelease(anchors);
    CFRelease(s_ca);

    ck_assert(CFEqual(CFDictionaryGetValue(item, kSecImportItemLabel), CFSTR("label")));
}

START_TEST(pkcs12_modern)
{
    CFDataRef p12 = modern_p12("secret");
    CFDictionaryRef options = options_with(CFSTR("secret"));
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import(p12, options, &items), errSecSuccess);
    check_p12_items(items);
    CFRelease(items);

    /* The passphrase may also come as CFData. */
    CFDataRef pass = data_of("secret", 6);
    CFDictionaryRef data_options = options_with(pass);
    ck_assert_int_eq(SecPKCS12Import(p12, data_options, &items), errSecSuccess);
    CFRelease(items);
    CFRelease(data_options);
    CFRelease(pass);
    CFRelease(options);
    CFRelease(p12);
}
END_TEST

/* Files of older tools: RC2-40 certificates (needs the legacy provider), 3DES keys, SHA-1 MAC. */
static const char *const legacy_options[] = {
    "-legacy",
    "-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1",
};

START_TEST(pkcs12_legacy)
{
    CFDataRef p12 = cli_p12(legacy_options[_i]);
    CFDictionaryRef options = options_with(CFSTR("secret"));
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import(p12, options, &items), errSecSuccess);
    check_p12_items(items);
    CFRelease(items);
    CFRelease(options);
    CFRelease(p12);
}
END_TEST

START_TEST(pkcs12_refusals)
{
    CFDataRef p12 = modern_p12("secret");
    CFArrayRef items = (CFArrayRef)1;
    CFDictionaryRef wrong = options_with(CFSTR("wrong"));
    ck_assert_int_eq(SecPKCS12Import(p12, wrong, &items), errSecAuthFailed);
    ck_assert_ptr_null(items);
    CFDictionaryRef none = options_with(NULL);
    ck_assert_int_eq(SecPKCS12Import(p12, none, &items), errSecAuthFailed);
    CFDictionaryRef odd = options_with(kCFBooleanTrue);
    ck_assert_int_eq(SecPKCS12Import(p12, odd, &items), errSecParam);
    ck_assert_int_eq(SecPKCS12Import(p12, (CFDictionaryRef)p12, &items), errSecParam);
    ck_assert_int_eq(SecPKCS12Import(p12, wrong, NULL), errSecParam);
    ck_assert_int_eq(SecPKCS12Import(NULL, wrong, &items), errSecParam);

    CFDataRef garbage = data_of("not a pkcs12 file at all", 24);
    ck_assert_int_eq(SecPKCS12Import(garbage, wrong, &items), errSecDecode);
    CFDataRef empty = data_of("", 0);
    ck_assert_int_eq(SecPKCS12Import(empty, wrong, &items), errSecDecode);
    /* Truncated: every prefix is refused cleanly. */
    for (CFIndex n = 1; n < CFDataGetLength(p12); n += 97) {
        CFDataRef cut = data_of(CFDataGetBytePtr(p12), (size_t)n);
        OSStatus s = SecPKCS12Import(cut, wrong, &items);
        ck_assert(s == errSecDecode || s == errSecAuthFailed);
        ck_assert_ptr_null(items);
        CFRelease(cut);
    }
    CFRelease(garbage);
    CFRelease(empty);
    CFRelease(odd);
    CFRelease(none);
    CFRelease(wrong);
    CFRelease(p12);
}
END_TEST

static OSStatus import(CFDataRef data, const char *pass, SecExternalFormat *format,
                       SecExternalItemType *type, CFArrayRef *items)
{
    SecItemImportExportKeyParameters params;
    memset(&params, 0, sizeof(params));
    params.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION;
    CFStringRef p =
        pass != NULL ? CFStringCreateWithCString(NULL, pass, kCFStringEncodingUTF8) : NULL;
    params.passphrase = p;
    OSStatus s = SecItemImport(data, NULL, format, type, 0, &params, NULL, items);
    if (p != NULL)
        CFRelease(p);
    return s;
}

static void expect_items(CFDataRef data, const char *pass, SecExternalFormat format,
                         SecExternalItemType type, int certs, int keys, int identities)
{
    SecExternalFormat f = 99;
    SecExternalItemType t = 99;
    CFArrayRef items = NULL;
    ck_assert_int_eq(import(data, pass, &f, &t, &items), errSecSuccess);
    ck_assert_int_eq(f, format);
    ck_assert_int_eq(t, type);
    int c = 0, k = 0, i = 0;
    for (CFIndex n = 0; n < CFArrayGetCount(items); n++) {
        CFTypeID id = CFGetTypeID(CFArrayGetValueAtIndex(items, n));
        c += id == SecCertificateGetTypeID();
        k += id == SecKeyGetTypeID();
        i += id == SecIdentityGetTypeID();
    }
    ck_assert_int_eq(c, certs);
    ck_assert_int_eq(k, keys);
    ck_assert_int_eq(i, identities);
    CFRelease(items);
}

START_TEST(pem_and_der)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, pki.leaf);
    CFDataRef cert_pem = bio_data(b);
    expect_items(cert_pem, NULL, kSecFormatX509Cert, kSecItemTypeCertificate, 1, 0, 0);

    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, pki.leaf_key, NULL, NULL, 0, NULL, NULL);
    CFDataRef key_pem = bio_data(b);
    expect_items(key_pem, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(b, pki.leaf_key, NULL, NULL, 0, NULL, NULL);
    CFDataRef rsa_pem = bio_data(b);
    expect_items(rsa_pem, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    /* A sequence: certificate, key, certificate, with text around the blocks. */
    b = BIO_new(BIO_s_mem());
    BIO_puts(b, "leading text\n");
    PEM_write_bio_X509(b, pki.leaf);
    PEM_write_bio_PrivateKey(b, pki.leaf_key, NULL, NULL, 0, NULL, NULL);
    BIO_puts(b, "between\n");
    PEM_write_bio_X509(b, pki.ca);
    CFDataRef sequence = bio_data(b);
    expect_items(sequence, NULL, kSecFormatPEMSequence, kSecItemTypeAggregate, 2, 1, 0);

    CFDataRef cert_der = factory_der(pki.leaf);
    expect_items(cert_der, NULL, kSecFormatX509Cert, kSecItemTypeCertificate, 1, 0, 0);
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(pki.leaf_key, &der);
    CFDataRef key_der = data_of(der, (size_t)len);
    OPENSSL_free(der);
    expect_items(key_der, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    /* Without a keychain, 10.15 returns a PKCS#12's certificates only (leaf and CA). */
    CFDataRef p12 = modern_p12("pw");
    expect_items(p12, "pw", kSecFormatPKCS12, kSecItemTypeAggregate, 2, 0, 0);
    CFArrayRef items = (CFArrayRef)1;
    ck_assert_int_eq(import(p12, "nope", NULL, NULL, &items), errSecAuthFailed);
    ck_assert_ptr_null(items);

    /* Output parameters are all optional. */
    ck_assert_int_eq(SecItemImport(cert_pem, NULL, NULL, NULL, 0, NULL, NULL, NULL), errSecSuccess);
    CFRelease(p12);
    CFRelease(key_der);
    CFRelease(cert_der);
    CFRelease(sequence);
    CFRelease(rsa_pem);
    CFRelease(key_pem);
    CFRelease(cert_pem);
}
END_TEST

START_TEST(encrypted_pem_key)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(b, pki.leaf_key, EVP_aes_256_cbc(), NULL, 0, NULL, "topsecret");
    CFDataRef pem = bio_data(b);
    CFArrayRef items = (CFArrayRef)1;
    ck_assert_int_eq(import(pem, NULL, NULL, NULL, &items), errSecPassphraseRequired);
    ck_assert_ptr_null(items);
    ck_assert_int_eq(import(pem, "wrong", NULL, NULL, &items), errSecAuthFailed);
    expect_items(pem, "topsecret", kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);
    CFRelease(pem);
}
END_TEST

/* DER that is no key: a SEQUENCE holding one INTEGER. */
static int not_a_key_i2d(const void *x, unsigned char **out)
{
    (void)x;
    static const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    if (out != NULL) {
        if (*out == NULL && (*out = OPENSSL_malloc(sizeof(der))) == NULL)
            return -1;
        memcpy(*out, der, sizeof(der));
    }
    return (int)sizeof(der);
}

/*
 * An encrypted key block whose decryption yields valid padding but no key,
 * as a wrong passphrase does once in 256 tries: a passphrase failure,
 * deterministically.
 */
START_TEST(encrypted_pem_key_decrypting_to_garbage)
{
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_ASN1_write_bio(not_a_key_i2d, PEM_STRING_RSA, b, b, EVP_aes_128_cbc(),
                                        (const unsigned char *)"pw", 2, NULL, NULL),
                     1);
    CFDataRef pem = bio_data(b);
    CFArrayRef items = (CFArrayRef)1;
    ck_assert_int_eq(import(pem, "pw", NULL, NULL, &items), errSecAuthFailed);
    ck_assert_ptr_null(items);
    ck_assert_int_eq(import(pem, NULL, NULL, NULL, &items), errSecPassphraseRequired);
    CFRelease(pem);
}
END_TEST

START_TEST(malformed_input)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, pki.leaf);
    CFDataRef full = bio_data(b);
    CFArrayRef items = (CFArrayRef)1;
    /* Cut in the middle of the only block: no block could be read. */
    CFDataRef cut = data_of(CFDataGetBytePtr(full), (size_t)CFDataGetLength(full) / 2);
    ck_assert_int_eq(import(cut, NULL, NULL, NULL, &items), errSecUnknownFormat);
    ck_assert_ptr_null(items);
    /* A good block followed by a cut one: a decoding error. */
    b = BIO_new(BIO_s_mem());
    BIO_write(b, CFDataGetBytePtr(full), (int)CFDataGetLength(full));
    BIO_write(b, CFDataGetBytePtr(cut), (int)CFDataGetLength(cut));
    CFDataRef good_then_cut = bio_data(b);
    ck_assert_int_eq(import(good_then_cut, NULL, NULL, NULL, &items), errSecDecode);
    /* A block whose base64 is damaged. */
    CFMutableDataRef damaged = CFDataCreateMutableCopy(NULL, 0, full);
    CFDataGetMutableBytePtr(damaged)[40] = '*';
    OSStatus s = import(damaged, NULL, NULL, NULL, &items);
    ck_assert(s == errSecDecode || s == errSecUnknownFormat);

    CFDataRef garbage = data_of("\x30\x82\x01\x00garbage", 11);
    ck_assert_int_eq(import(garbage, NULL, NULL, NULL, &items), errSecUnknownFormat);
    CFDataRef empty = data_of("", 0);
    ck_assert_int_eq(import(empty, NULL, NULL, NULL, &items), errSecUnknownFormat);
    ck_assert_int_eq(SecItemImport(NULL, NULL, NULL, NULL, 0, NULL, NULL, &items), errSecParam);
    SecItemImportExportKeyParameters future = {.version = 1};
    ck_assert_int_eq(SecItemImport(full, NULL, NULL, NULL, 0, &future, NULL, &items), errSecParam);
    CFRelease(empty);
    CFRelease(garbage);
    CFRelease(damaged);
    CFRelease(good_then_cut);
    CFRelease(cut);
    CFRelease(full);
}
END_TEST

/* SecIdentityCreateWithCertificate over the default search. */
static OSStatus identity_for(X509 *x, SecIdentityRef *identity)
{
    SecCertificateRef cert = factory_sec_cert(x);
    OSStatus s = SecIdentityCreateWithCertificate(NULL, cert, identity);
    CFRelease(cert);
    return s;
}

/* The identity is `x` with `key`. */
static void check_identity(SecIdentityRef identity, X509 *x, EVP_PKEY *key)
{
    SecCertificateRef cert = NULL, expected = factory_sec_cert(x);
    SecKeyRef private_key = NULL;
    ck_assert_int_eq(SecIdentityCopyCertificate(identity, &cert), errSecSuccess);
    ck_assert(CFEqual(cert, expected));
    ck_assert_int_eq(SecIdentityCopyPrivateKey(identity, &private_key), errSecSuccess);
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(private_key), key), 1);
    ck_assert(((const struct sec_key *)private_key)->is_private);
    CFRelease(private_key);
    CFRelease(cert);
    CFRelease(expected);
}

/* Forgets a key the process store holds, so later tests (CK_FORK=no) start clean. */
static void forget_key(EVP_PKEY *pkey)
{
    SecKeyRef key = sec_key_from_pkey(pkey, true);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)key), errSecSuccess);
    CFRelease(key);
}

/* How many identities an identity search with no keychain finds for `x`. */
static CFIndex identities_found_for(X509 *x)
{
    const void *keys[] = {kSecClass, kSecReturnRef, kSecMatchLimit};
    const void *values[] = {kSecClassIdentity, kCFBooleanTrue, kSecMatchLimitAll};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 3, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef found = NULL;
    OSStatus status = SecItemCopyMatching(query, &found);
    CFRelease(query);
    if (status == errSecItemNotFound)
        return 0;
    ck_assert_int_eq(status, errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(found), CFArrayGetTypeID());
    CFIndex n = 0;
    for (CFIndex i = 0; i < CFArrayGetCount(found); i++) {
        SecIdentityRef identity = (SecIdentityRef)CFArrayGetValueAtIndex(found, i);
        SecCertificateRef cert = NULL;
        ck_assert_int_eq(SecIdentityCopyCertificate(identity, &cert), errSecSuccess);
        if (X509_cmp(sec_certificate_x509(cert), x) == 0) {
            check_identity(identity, x, pki.leaf_key);
            n++;
        }
        CFRelease(cert);
    }
    CFRelease(found);
    return n;
}

static CFIndex search_list_count(void)
{
    CFArrayRef list = NULL;
    ck_assert_int_eq(SecKeychainCopySearchList(&list), errSecSuccess);
    CFIndex n = CFArrayGetCount(list);
    CFRelease(list);
    return n;
}

/*
 * A PKCS#12 imported without a keychain: certificates only (10.15), and the
 * key stays findable: SecIdentityCreateWithCertificate(NULL, leaf) and an
 * identity search find it, where 10.15 says errSecItemNotFound.
 */
START_TEST(pkcs12_without_keychain_keeps_the_key)
{
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(identity_for(pki.leaf, &identity), errSecItemNotFound);
    CFIndex listed = search_list_count();

    CFDataRef p12 = modern_p12("pw");
    SecExternalFormat format = kSecFormatUnknown;
    SecExternalItemType type = kSecItemTypeUnknown;
    CFArrayRef items = NULL;
    ck_assert_int_eq(import(p12, "pw", &format, &type, &items), errSecSuccess);
    ck_assert_int_eq(format, kSecFormatPKCS12);
    ck_assert_int_eq(type, kSecItemTypeAggregate);
    ck_assert_int_eq(CFArrayGetCount(items), 2);
    SecCertificateRef leaf_cert = NULL;
    for (CFIndex i = 0; i < CFArrayGetCount(items); i++) {
        CFTypeRef item = CFArrayGetValueAtIndex(items, i);
        ck_assert_uint_eq(CFGetTypeID(item), SecCertificateGetTypeID());
        if (X509_cmp(sec_certificate_x509(item), pki.leaf) == 0)
            leaf_cert = (SecCertificateRef)item;
    }
    ck_assert_ptr_nonnull(leaf_cert);

    /* What a macOS program does next. */
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity), errSecSuccess);
    check_identity(identity, pki.leaf, pki.leaf_key);
    CFRelease(identity);
    /* The store is searched but not listed. */
    ck_assert_int_eq(search_list_count(), listed);

    /* An identity search with no keychain finds it too. */
    ck_assert_int_eq(identities_found_for(pki.leaf), 1);
    ck_assert_int_eq(identities_found_for(pki.ca), 0); /* no key */

    /* The legacy search over the default list finds the key as well. */
    SecKeychainSearchRef search = NULL;
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(NULL, kSecPrivateKeyItemClass, NULL, &search),
        errSecSuccess);
    bool seen = false;
    for (SecKeychainItemRef item = NULL; SecKeychainSearchCopyNext(search, &item) == errSecSuccess;
         CFRelease(item))
        seen = seen || EVP_PKEY_eq(sec_key_pkey(item), pki.leaf_key) == 1;
    ck_assert(seen);
    CFRelease(search);

    /* A second import of the same file is no error and adds no second identity. */
    CFArrayRef again = NULL;
    ck_assert_int_eq(import(p12, "pw", NULL, NULL, &again), errSecSuccess);
    CFRelease(again);
    ck_assert_int_eq(identities_found_for(pki.leaf), 1);

    /* The key can be deleted like any keychain item. */
    forget_key(pki.leaf_key);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity),
                     errSecItemNotFound);
    CFRelease(items);
    CFRelease(p12);
}
END_TEST

/* With a keychain, 10.15 returns the identity (in place of its certificate) and the CA. */
START_TEST(pkcs12_with_keychain_returns_identity)
{
    SecKeychainRef keychain = NULL;
    ck_assert_int_eq(SecKeychainCopyDefault(&keychain), errSecSuccess);
    CFDataRef p12 = modern_p12("pw");
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                               .passphrase = CFSTR("pw")};
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(p12, NULL, NULL, NULL, 0, &params, keychain, &items),
                     errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(items), 2);
    SecIdentityRef identity = (SecIdentityRef)CFArrayGetValueAtIndex(items, 0);
    ck_assert_uint_eq(CFGetTypeID(identity), SecIdentityGetTypeID());
    check_identity(identity, pki.leaf, pki.leaf_key);
    ck_assert_uint_eq(CFGetTypeID(CFArrayGetValueAtIndex(items, 1)), SecCertificateGetTypeID());
    CFRelease(items);
    forget_key(pki.leaf_key);
    SecCertificateRef leaf_cert = factory_sec_cert(pki.leaf), ca_cert = factory_sec_cert(pki.ca);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)leaf_cert), errSecSuccess);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)ca_cert), errSecSuccess);
    CFRelease(leaf_cert);
    CFRelease(ca_cert);
    CFRelease(p12);
    CFRelease(keychain);
}
END_TEST

/* A PEM key and a PEM certificate imported separately, without a keychain, pair up. */
START_TEST(pem_key_without_keychain_pairs_with_certificate)
{
    EVP_PKEY *ec_key = factory_key(KEY_EC256);
    X509 *ec_cert = factory_cert(&leaf_spec, ec_key, pki.ca, pki.ca_key);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, ec_key, NULL, NULL, 0, NULL, NULL);
    CFDataRef key_pem = bio_data(b);
    b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, ec_cert);
    CFDataRef cert_pem = bio_data(b);

    SecIdentityRef identity = NULL;
    CFArrayRef certs = NULL, keys = NULL;
    ck_assert_int_eq(import(cert_pem, NULL, NULL, NULL, &certs), errSecSuccess);
    SecCertificateRef cert = (SecCertificateRef)CFArrayGetValueAtIndex(certs, 0);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, cert, &identity), errSecItemNotFound);
    ck_assert_int_eq(import(key_pem, NULL, NULL, NULL, &keys), errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(CFArrayGetValueAtIndex(keys, 0)), SecKeyGetTypeID());
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, cert, &identity), errSecSuccess);
    check_identity(identity, ec_cert, ec_key);
    CFRelease(identity);
    /* Another certificate's key is not this one's. */
    ck_assert_int_eq(identity_for(pki.leaf, &identity), errSecItemNotFound);

    forget_key(ec_key);
    CFRelease(keys);
    CFRelease(certs);
    CFRelease(cert_pem);
    CFRelease(key_pem);
    X509_free(ec_cert);
    EVP_PKEY_free(ec_key);
}
END_TEST

static int accept_any_client(int ok, X509_STORE_CTX *store)
{
    (void)ok;
    (void)store;
    return 1;
}

/* The identity made from a keyless import signs a real client-auth handshake. */
START_TEST(identity_from_import_authenticates_a_client)
{
    CFDataRef p12 = modern_p12("pw");
    CFArrayRef items = NULL;
    ck_assert_int_eq(import(p12, "pw", NULL, NULL, &items), errSecSuccess);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(identity_for(pki.leaf, &identity), errSecSuccess);

    struct mem_peer peer;
    mem_peer_init(&peer, pki.ca, pki.ca_key, 0);
    SSL_set_verify(peer.ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_client);
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, mem_peer_read_cb, mem_peer_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, &peer), errSecSuccess);
    ck_assert_int_eq(SSLSetEnableCertVerify(ctx, false), errSecSuccess);
    CFArrayRef chain = CFArrayCreate(NULL, (const void **)&identity, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SSLSetCertificate(ctx, chain), errSecSuccess);
    OSStatus status = errSSLWouldBlock;
    for (int i = 0; i < 1000 && status == errSSLWouldBlock; i++) {
        status = SSLHandshake(ctx);
        mem_peer_pump(&peer);
    }
    ck_assert_int_eq(status, errSecSuccess);
    /* The server holds our certificate, proven by a signature of the imported key. */
    X509 *seen = SSL_get0_peer_certificate(peer.ssl);
    ck_assert_ptr_nonnull(seen);
    ck_assert_int_eq(X509_cmp(seen, pki.leaf), 0);

    CFRelease(ctx);
    mem_peer_free(&peer);
    CFRelease(chain);
    CFRelease(identity);
    forget_key(pki.leaf_key);
    CFRelease(items);
    CFRelease(p12);
}
END_TEST

struct import_job {
    CFDataRef key_pem;
    OSStatus status;
};

static void *import_in_thread(void *arg)
{
    struct import_job *job = arg;
    for (int i = 0; i < 20 && job->status == errSecSuccess; i++) {
        CFArrayRef items = NULL;
        job->status = SecItemImport(job->key_pem, NULL, NULL, NULL, 0, NULL, NULL, &items);
        if (items != NULL)
            CFRelease(items);
    }
    return NULL;
}

/* Imports on several threads at once all land in the store, each key once. */
START_TEST(store_takes_imports_from_threads)
{
    enum { THREADS = 4 };
    EVP_PKEY *pkeys[THREADS];
    X509 *certs[THREADS];
    struct import_job jobs[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        pkeys[i] = factory_key(KEY_EC256);
        certs[i] = factory_cert(&leaf_spec, pkeys[i], pki.ca, pki.ca_key);
        BIO *b = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(b, pkeys[i], NULL, NULL, 0, NULL, NULL);
        jobs[i] = (struct import_job){bio_data(b), errSecSuccess};
    }
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, import_in_thread, &jobs[i]), 0);
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        ck_assert_int_eq(jobs[i].status, errSecSuccess);
        SecIdentityRef identity = NULL;
        ck_assert_int_eq(identity_for(certs[i], &identity), errSecSuccess);
        check_identity(identity, certs[i], pkeys[i]);
        CFRelease(identity);
        forget_key(pkeys[i]);
        /* Once deleted it is gone: it was there once, not once per import. */
        ck_assert_int_eq(identity_for(certs[i], &identity), errSecItemNotFound);
        CFRelease(jobs[i].key_pem);
        X509_free(certs[i]);
        EVP_PKEY_free(pkeys[i]);
    }
}
END_TEST

/*
 * Freed-memory watch: OpenSSL's allocator is routed through these wrappers
 * (installed first thing in main), and while a secret pattern is being
 * watched every block that sectrans frees through OpenSSL is searched for
 * it. A hit is key material released without being wiped.
 */
static const unsigned char *watched;
static size_t watched_len;
static int unwiped_frees;

/* Zeroed, so that searching a freed block never reads bytes nobody wrote. */
static void *watch_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return calloc(1, n > 0 ? n : 1);
}

static bool holds_watched(const unsigned char *p, size_t size)
{
    for (size_t i = 0; watched != NULL && i + watched_len <= size; i++)
        if (memcmp(p + i, watched, watched_len) == 0)
            return true;
    return false;
}

static void watch_free(void *p, const char *file, int line)
{
    (void)line;
    if (p == NULL)
        return;
    /* Only sectrans's own frees count: OpenSSL 3.0's decoders free copies unwiped themselves. */
    if (watched != NULL && file != NULL && strstr(file, "compat/") != NULL &&
        holds_watched(p, malloc_usable_size(p)))
        unwiped_frees++;
    free(p);
}

static void *watch_realloc(void *p, size_t n, const char *file, int line)
{
    if (p == NULL)
        return watch_malloc(n, file, line);
    size_t old = malloc_usable_size(p);
    void *grown = watch_malloc(n, file, line);
    if (grown == NULL)
        return NULL;
    memcpy(grown, p, old < n ? old : n);
    watch_free(p, file, line);
    return grown;
}

/* The private scalar of an EC key, big-endian and padded: what its SEC1 and PKCS#8 forms hold. */
static size_t ec_scalar(EVP_PKEY *pkey, unsigned char *out, size_t cap)
{
    BIGNUM *d = NULL;
    ck_assert(EVP_PKEY_get_bn_param(pkey, "priv", &d));
    size_t n = (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
    ck_assert_uint_le(n, cap);
    ck_assert_int_eq(BN_bn2binpad(d, out, (int)n), (int)n);
    BN_clear_free(d);
    return n;
}

static void watch(const unsigned char *secret, size_t len)
{
    unwiped_frees = 0;
    watched = secret;
    watched_len = len;
}

static int unwatch(void)
{
    watched = NULL;
    return unwiped_frees;
}

/*
 * Importing an unencrypted PEM private key (SEC1 and PKCS#8) frees no
 * unwiped copy of it, and neither does handing out a private key's external
 * representation.
 */
START_TEST(decoded_key_material_is_wiped)
{
    EVP_PKEY *ec = factory_key(KEY_EC256);
    unsigned char scalar[66];
    size_t n = ec_scalar(ec, scalar, sizeof(scalar));
    for (int pkcs8 = 0; pkcs8 < 2; pkcs8++) {
        BIO *b = BIO_new(BIO_s_mem());
        if (pkcs8)
            PEM_write_bio_PKCS8PrivateKey(b, ec, NULL, NULL, 0, NULL, NULL);
        else
            PEM_write_bio_PrivateKey_traditional(b, ec, NULL, NULL, 0, NULL, NULL);
        CFDataRef pem = bio_data(b);
        CFArrayRef items = NULL;
        watch(scalar, n);
        OSStatus status = SecItemImport(pem, NULL, NULL, NULL, 0, NULL, NULL, &items);
        ck_assert_int_eq(unwatch(), 0);
        ck_assert_int_eq(status, errSecSuccess);
        forget_key(ec);
        CFRelease(items);
        CFRelease(pem);
    }
    EVP_PKEY_free(ec);

    /* An RSA key's PKCS#1 form, by its private exponent. */
    BIGNUM *d = NULL;
    ck_assert(EVP_PKEY_get_bn_param(pki.leaf_key, "d", &d));
    unsigned char exponent[512];
    int len = BN_bn2bin(d, exponent);
    BN_clear_free(d);
    ck_assert_int_gt(len, 32);
    SecKeyRef key = sec_key_from_pkey(pki.leaf_key, true);
    watch(exponent, 32);
    CFDataRef external = SecKeyCopyExternalRepresentation(key, NULL);
    ck_assert_int_eq(unwatch(), 0);
    ck_assert_ptr_nonnull(external);
    CFRelease(external);
    CFRelease(key);
}
END_TEST

int main(void)
{
    /* Before OpenSSL allocates anything: see decoded_key_material_is_wiped. */
    if (!CRYPTO_set_mem_functions(watch_malloc, watch_realloc, watch_free))
        return EXIT_FAILURE;
    Suite *s = suite_create("sec_import");
    TCase *tc = tcase_create("import");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pkcs12_modern);
    tcase_add_loop_test(tc, pkcs12_legacy, 0, 2);
    tcase_add_test(tc, pkcs12_refusals);
    tcase_add_test(tc, pem_and_der);
    tcase_add_test(tc, encrypted_pem_key);
    tcase_add_test(tc, malformed_input);
    tcase_add_test(tc, encrypted_pem_key_decrypting_to_garbage);
    tcase_add_test(tc, pkcs12_without_keychain_keeps_the_key);
    tcase_add_test(tc, pkcs12_with_keychain_returns_identity);
    tcase_add_test(tc, pem_key_without_keychain_pairs_with_certificate);
    tcase_add_test(tc, identity_from_import_authenticates_a_client);
    tcase_add_test(tc, store_takes_imports_from_threads);
    tcase_add_test(tc, decoded_key_material_is_wiped);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
