/*
 * Importing identities, certificates and keys: PKCS#12 files as OpenSSL 3
 * writes them (AES-256, SHA-256 MAC) and as older tools did (RC2-40 and
 * 3DES with SHA-1, made here with the openssl command), PEM and DER
 * certificates and keys (plain, traditional, encrypted), PEM sequences, and
 * malformed, truncated, empty and wrongly protected input.
 */
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "st_test.h"

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca, *leaf;

static const struct cert_spec ca_spec = {"Import CA", NULL, true, -1, 3650, EKU_NONE, NULL};
static const struct cert_spec leaf_spec = {"import.test", "DNS:import.test", false, -1,
                                           365,           EKU_SERVER,        NULL};

static void setup(void)
{
    ca_key = factory_key(KEY_RSA2048);
    leaf_key = factory_key(KEY_RSA2048);
    ca = factory_cert(&ca_spec, ca_key, NULL, NULL);
    leaf = factory_cert(&leaf_spec, leaf_key, ca, ca_key);
}

static void teardown(void)
{
    X509_free(ca);
    X509_free(leaf);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(leaf_key);
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
    sk_X509_push(cas, ca);
    PKCS12 *p12 = PKCS12_create(pass, "label", leaf_key, leaf, cas, 0, 0, 0, 0, 0);
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
    ck_assert(factory_write_pem(pem, leaf, leaf_key));
    ck_assert(factory_write_pem(ca_pem, ca, NULL));
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
    SecCertificateRef expected = factory_sec_cert(leaf);
    ck_assert(CFEqual(cert, expected));
    CFRelease(expected);
    CFRelease(cert);

    CFArrayRef chain = CFDictionaryGetValue(item, kSecImportItemCertChain);
    ck_assert_int_eq(CFArrayGetCount(chain), 2);
    SecCertificateRef s_ca = factory_sec_cert(ca);
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
    PEM_write_bio_X509(b, leaf);
    CFDataRef cert_pem = bio_data(b);
    expect_items(cert_pem, NULL, kSecFormatX509Cert, kSecItemTypeCertificate, 1, 0, 0);

    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, leaf_key, NULL, NULL, 0, NULL, NULL);
    CFDataRef key_pem = bio_data(b);
    expect_items(key_pem, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(b, leaf_key, NULL, NULL, 0, NULL, NULL);
    CFDataRef rsa_pem = bio_data(b);
    expect_items(rsa_pem, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    /* A sequence: certificate, key, certificate, with text around the blocks. */
    b = BIO_new(BIO_s_mem());
    BIO_puts(b, "leading text\n");
    PEM_write_bio_X509(b, leaf);
    PEM_write_bio_PrivateKey(b, leaf_key, NULL, NULL, 0, NULL, NULL);
    BIO_puts(b, "between\n");
    PEM_write_bio_X509(b, ca);
    CFDataRef sequence = bio_data(b);
    expect_items(sequence, NULL, kSecFormatPEMSequence, kSecItemTypeAggregate, 2, 1, 0);

    CFDataRef cert_der = factory_der(leaf);
    expect_items(cert_der, NULL, kSecFormatX509Cert, kSecItemTypeCertificate, 1, 0, 0);
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(leaf_key, &der);
    CFDataRef key_der = data_of(der, (size_t)len);
    OPENSSL_free(der);
    expect_items(key_der, NULL, kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);

    CFDataRef p12 = modern_p12("pw");
    expect_items(p12, "pw", kSecFormatPKCS12, kSecItemTypeAggregate, 1, 0, 1);
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
    PEM_write_bio_PKCS8PrivateKey(b, leaf_key, EVP_aes_256_cbc(), NULL, 0, NULL, "topsecret");
    CFDataRef pem = bio_data(b);
    CFArrayRef items = (CFArrayRef)1;
    ck_assert_int_eq(import(pem, NULL, NULL, NULL, &items), errSecPassphraseRequired);
    ck_assert_ptr_null(items);
    ck_assert_int_eq(import(pem, "wrong", NULL, NULL, &items), errSecAuthFailed);
    expect_items(pem, "topsecret", kSecFormatOpenSSL, kSecItemTypePrivateKey, 0, 1, 0);
    CFRelease(pem);
}
END_TEST

START_TEST(malformed_input)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, leaf);
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

int main(void)
{
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
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
