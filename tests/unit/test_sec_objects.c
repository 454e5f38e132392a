/*
 * Certificates, keys, identities and random bytes: creation from good and
 * hostile input, the accessors, reference counts, and CF behaviour (type
 * IDs, equality, descriptions).
 */
#include <openssl/pem.h>
#include <string.h>

#include "cert_factory.h"
#include "st_test.h"
#include "tls_peer.h"

static EVP_PKEY *key;
static X509 *x509;
static SecCertificateRef cert;

static const struct cert_spec spec = {"Common Näme", "DNS:a.test", false, -1, 30, EKU_SERVER, NULL};

static void setup(void)
{
    key = factory_key(KEY_EC256);
    x509 = factory_cert(&spec, key, NULL, NULL);
    cert = factory_sec_cert(x509);
}

static void teardown(void)
{
    CFRelease(cert);
    X509_free(x509);
    EVP_PKEY_free(key);
}

static char text_buf[256];

static const char *text(CFStringRef s)
{
    ck_assert_ptr_nonnull(s);
    ck_assert(CFStringGetCString(s, text_buf, sizeof(text_buf), kCFStringEncodingUTF8));
    return text_buf;
}

/* The description of `cf` as C text (valid until the next call). */
static const char *describe(CFTypeRef cf)
{
    CFStringRef d = CFCopyDescription(cf);
    const char *t = text(d);
    CFRelease(d);
    return t;
}

START_TEST(certificate_round_trip)
{
    ck_assert_uint_eq(CFGetTypeID(cert), SecCertificateGetTypeID());
    ck_assert_int_eq(CFGetRetainCount(cert), 1);
    CFDataRef der = factory_der(x509);
    CFDataRef copy = SecCertificateCopyData(cert);
    ck_assert(CFEqual(der, copy));
    SecCertificateRef again =
        SecCertificateCreateWithBytes(NULL, CFDataGetBytePtr(der), CFDataGetLength(der));
    ck_assert(CFEqual(again, cert));
    ck_assert_uint_eq(CFHash(again), CFHash(cert));
    ck_assert_ptr_ne(again, cert);
    CFRelease(again);
    CFRelease(copy);
    CFRelease(der);
}
END_TEST

START_TEST(certificate_names)
{
    CFStringRef cn = NULL;
    ck_assert_int_eq(SecCertificateCopyCommonName(cert, &cn), errSecSuccess);
    ck_assert_str_eq(text(cn), "Common Näme");
    CFRelease(cn);
    CFStringRef summary = SecCertificateCopySubjectSummary(cert);
    ck_assert_str_eq(text(summary), "Common Näme");
    CFRelease(summary);
    ck_assert(strstr(describe(cert), "Common Näme") != NULL);
    ck_assert_int_eq(SecCertificateCopyCommonName(cert, NULL), errSecParam);
    ck_assert_int_eq(SecCertificateCopyCommonName(NULL, &cn), errSecParam);
    ck_assert_ptr_null(SecCertificateCopySubjectSummary(NULL));
}
END_TEST

/* DER only, exactly one certificate: everything else is NULL, never a crash. */
START_TEST(certificate_hostile_input)
{
    CFDataRef der = factory_der(x509);
    const UInt8 *bytes = CFDataGetBytePtr(der);
    CFIndex len = CFDataGetLength(der);
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, bytes, len - 1)); /* truncated */
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, bytes, 10));
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, bytes, 0));
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, NULL, 5));
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, bytes, -1));
    UInt8 *longer = malloc((size_t)len + 1);
    memcpy(longer, bytes, (size_t)len);
    longer[len] = 0;
    ck_assert_ptr_null(SecCertificateCreateWithBytes(NULL, longer, len + 1)); /* trailing */
    longer[len / 2] ^= 0xff;
    SecCertificateRef flipped = SecCertificateCreateWithBytes(NULL, longer, len);
    if (flipped != NULL) /* a flip inside a string still parses: not equal, though */
        ck_assert(!CFEqual(flipped, cert));
    CFRelease(flipped);
    free(longer);

    BIO *mem = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(mem, x509);
    char *pem;
    long pem_len = BIO_get_mem_data(mem, &pem);
    CFDataRef pem_data = CFDataCreate(NULL, (const UInt8 *)pem, pem_len);
    ck_assert_ptr_null(SecCertificateCreateWithData(NULL, pem_data)); /* PEM is not DER */
    BIO_free(mem);
    CFRelease(pem_data);
    ck_assert_ptr_null(SecCertificateCreateWithData(NULL, NULL));
    ck_assert_ptr_null(SecCertificateCreateWithData(NULL, (CFDataRef)CFSTR("not data")));
    ck_assert_ptr_null(SecCertificateCopyData(NULL));
    ck_assert_ptr_null(SecCertificateCopyData((SecCertificateRef)der));
    CFRelease(der);
}
END_TEST

/* The DER of `x` with the value byte of its version field set to `version`. */
static CFMutableDataRef with_version_byte(X509 *x, unsigned char version)
{
    CFDataRef der = factory_der(x);
    CFMutableDataRef edited = CFDataCreateMutableCopy(NULL, 0, der);
    CFRelease(der);
    UInt8 *b = CFDataGetMutableBytePtr(edited);
    /* 30 82 LL LL (certificate) 30 82 LL LL (tbs) A0 03 02 01 <version> */
    static const UInt8 field[] = {0xa0, 0x03, 0x02, 0x01};
    ck_assert(b[0] == 0x30 && b[1] == 0x82 && b[4] == 0x30 && b[5] == 0x82);
    ck_assert(memcmp(b + 8, field, sizeof(field)) == 0);
    ck_assert_uint_eq(b[12], 2); /* the factory makes v3 */
    b[12] = version;
    return edited;
}

/*
 * 10.15's SecCertificateCreateWithData (SecCertificateParse) takes an absent
 * version (v1) or a one-byte version of 1 or 2 (v2, v3); a version above v3
 * (encoded 3 and up, or negative) and an explicitly encoded v1 give NULL.
 * OpenSSL alone parses them all.
 */
START_TEST(certificate_version_field)
{
    static const struct {
        unsigned char byte;
        bool accepted;
    } cases[] = {{1, true},     {2, true},     {3, false}, {4, false},
                 {0x7f, false}, {0xff, false}, {0, false}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CFMutableDataRef der = with_version_byte(x509, cases[i].byte);
        const unsigned char *p = CFDataGetBytePtr(der);
        X509 *parsed = d2i_X509(NULL, &p, CFDataGetLength(der));
        ck_assert_ptr_nonnull(parsed); /* OpenSSL has no objection */
        X509_free(parsed);
        SecCertificateRef c = SecCertificateCreateWithData(NULL, der);
        ck_assert_msg((c != NULL) == cases[i].accepted, "version byte %u", cases[i].byte);
        if (c != NULL)
            CFRelease(c);
        c = SecCertificateCreateWithBytes(NULL, CFDataGetBytePtr(der), CFDataGetLength(der));
        ck_assert_msg((c != NULL) == cases[i].accepted, "version byte %u", cases[i].byte);
        if (c != NULL)
            CFRelease(c);
        CFRelease(der);
    }

    /* A v1 certificate leaves the field out: accepted. */
    X509 *v1 = X509_dup(x509);
    ck_assert_int_eq(X509_set_version(v1, X509_VERSION_1), 1);
    ck_assert_int_gt(X509_sign(v1, key, EVP_sha256()), 0);
    CFDataRef v1_der = factory_der(v1);
    ck_assert_uint_eq(CFDataGetBytePtr(v1_der)[8], 0x02); /* the serial number comes first */
    SecCertificateRef c = SecCertificateCreateWithData(NULL, v1_der);
    ck_assert_ptr_nonnull(c);
    CFRelease(c);
    CFRelease(v1_der);
    X509_free(v1);

    /* Importing one: DER is not recognised, a PEM certificate block is unsupported. */
    CFMutableDataRef v4 = with_version_byte(x509, 3);
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(v4, NULL, NULL, NULL, 0, NULL, NULL, &items),
                     errSecUnknownFormat);
    ck_assert_ptr_null(items);
    const unsigned char *p = CFDataGetBytePtr(v4);
    X509 *parsed = d2i_X509(NULL, &p, CFDataGetLength(v4));
    BIO *bio = BIO_new(BIO_s_mem());
    ck_assert(PEM_write_bio_X509(bio, parsed));
    char *pem = NULL;
    long len = BIO_get_mem_data(bio, &pem);
    CFDataRef pem_data = CFDataCreate(NULL, (const UInt8 *)pem, len);
    ck_assert_int_eq(SecItemImport(pem_data, NULL, NULL, NULL, 0, NULL, NULL, &items),
                     errSecUnsupportedFormat);
    ck_assert_ptr_null(items);
    CFRelease(pem_data);
    BIO_free(bio);
    X509_free(parsed);
    CFRelease(v4);
}
END_TEST

static int accept_any(int ok, X509_STORE_CTX *store)
{
    (void)ok;
    (void)store;
    return 1;
}

/* A server presenting a v4 certificate fails the handshake even with verification off. */
START_TEST(peer_certificate_version_above_v3)
{
    for (int v4 = 0; v4 < 2; v4++) {
        CFMutableDataRef der = with_version_byte(x509, v4 ? 3 : 2);
        const unsigned char *p = CFDataGetBytePtr(der);
        X509 *server_cert = d2i_X509(NULL, &p, CFDataGetLength(der));
        ck_assert_ptr_nonnull(server_cert);
        struct mem_peer peer;
        mem_peer_init(&peer, server_cert, key, 0);
        SSL_set_verify(peer.ssl, SSL_VERIFY_NONE, accept_any);
        SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
        ck_assert_int_eq(SSLSetIOFuncs(ctx, mem_peer_read_cb, mem_peer_write_cb), errSecSuccess);
        ck_assert_int_eq(SSLSetConnection(ctx, &peer), errSecSuccess);
        ck_assert_int_eq(SSLSetEnableCertVerify(ctx, false), errSecSuccess);
        OSStatus status = errSSLWouldBlock;
        for (int i = 0; i < 1000 && status == errSSLWouldBlock; i++) {
            status = SSLHandshake(ctx);
            mem_peer_pump(&peer);
        }
        if (v4)
            ck_assert_int_eq(status, errSSLXCertChainInvalid);
        else
            ck_assert_int_eq(status, errSecSuccess);
        CFRelease(ctx);
        mem_peer_free(&peer);
        X509_free(server_cert);
        CFRelease(der);
    }
}
END_TEST

START_TEST(keys)
{
    SecKeyRef pub = SecCertificateCopyKey(cert);
    ck_assert_ptr_nonnull(pub);
    ck_assert_uint_eq(CFGetTypeID(pub), SecKeyGetTypeID());
    SecKeyRef pub2 = NULL;
    ck_assert_int_eq(SecCertificateCopyPublicKey(cert, &pub2), errSecSuccess);
    ck_assert(CFEqual(pub, pub2));
    CFDataRef external = SecKeyCopyExternalRepresentation(pub, NULL);
    ck_assert_int_eq(CFDataGetLength(external), 65); /* uncompressed P-256 point */
    ck_assert_int_eq(CFDataGetBytePtr(external)[0], 0x04);
    CFRelease(external);
    ck_assert(strstr(describe(pub), "EC public key") != NULL);
    CFErrorRef error = NULL;
    ck_assert_ptr_null(SecKeyCopyExternalRepresentation(NULL, &error));
    ck_assert_int_eq(CFErrorGetCode(error), errSecParam);
    CFRelease(error);
    ck_assert_int_eq(SecCertificateCopyPublicKey(NULL, &pub2), errSecParam);
    ck_assert_ptr_null(SecCertificateCopyKey(NULL));
    CFRelease(pub);
    CFRelease(pub2);
}
END_TEST

/* A private key as SecItemImport hands it out, from PEM. */
static SecKeyRef import_private_key(EVP_PKEY *pkey)
{
    BIO *mem = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(mem, pkey, NULL, NULL, 0, NULL, NULL);
    char *pem;
    long len = BIO_get_mem_data(mem, &pem);
    CFDataRef data = CFDataCreate(NULL, (const UInt8 *)pem, len);
    BIO_free(mem);
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(data, NULL, NULL, NULL, 0, NULL, NULL, &items), errSecSuccess);
    CFRelease(data);
    ck_assert_int_eq(CFArrayGetCount(items), 1);
    SecKeyRef k = (SecKeyRef)CFRetain(CFArrayGetValueAtIndex(items, 0));
    CFRelease(items);
    return k;
}

START_TEST(identities)
{
    SecKeyRef priv = import_private_key(key);
    SecIdentityRef id = SecIdentityCreate(NULL, cert, priv);
    ck_assert_ptr_nonnull(id);
    ck_assert_uint_eq(CFGetTypeID(id), SecIdentityGetTypeID());
    ck_assert_int_eq(CFGetRetainCount(cert), 2);
    SecCertificateRef c = NULL;
    SecKeyRef k = NULL;
    ck_assert_int_eq(SecIdentityCopyCertificate(id, &c), errSecSuccess);
    ck_assert_ptr_eq(c, cert);
    ck_assert_int_eq(SecIdentityCopyPrivateKey(id, &k), errSecSuccess);
    ck_assert_ptr_eq(k, priv);
    CFRelease(c);
    CFRelease(k);
    ck_assert_int_eq(SecIdentityCopyCertificate(id, NULL), errSecParam);
    ck_assert_int_eq(SecIdentityCopyCertificate((SecIdentityRef)cert, &c), errSecParam);
    ck_assert_int_eq(SecIdentityCopyPrivateKey(NULL, &k), errSecParam);

    /* A key that does not match, a public key, or a non-certificate: no identity. */
    EVP_PKEY *other = factory_key(KEY_EC256);
    SecKeyRef wrong = import_private_key(other);
    ck_assert_ptr_null(SecIdentityCreate(NULL, cert, wrong));
    SecKeyRef pub = SecCertificateCopyKey(cert);
    ck_assert_ptr_null(SecIdentityCreate(NULL, cert, pub));
    ck_assert_ptr_null(SecIdentityCreate(NULL, (SecCertificateRef)priv, priv));
    ck_assert_ptr_null(SecIdentityCreate(NULL, NULL, NULL));
    CFRelease(pub);
    CFRelease(wrong);
    EVP_PKEY_free(other);

    CFRelease(id);
    ck_assert_int_eq(CFGetRetainCount(cert), 1);
    /* Imported without a keychain, the key is also held by the process store. */
    ck_assert_int_eq(CFGetRetainCount(priv), 2);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)priv), errSecSuccess);
    ck_assert_int_eq(CFGetRetainCount(priv), 1);
    CFRelease(priv);
}
END_TEST

/* The client-auth chain: the identity, then intermediates found in the keychains. */
START_TEST(identity_client_auth_chain)
{
    struct cert_spec ca = {"chain test CA", NULL, true, -1, 30, EKU_NONE, NULL};
    EVP_PKEY *ca_key = factory_key(KEY_EC256);
    X509 *ca_cert = factory_cert(&ca, ca_key, NULL, NULL);
    struct cert_spec leaf = {"chain test client", NULL, false, -1, 30, EKU_CLIENT, NULL};
    EVP_PKEY *leaf_key = factory_key(KEY_EC256);
    X509 *leaf_cert = factory_cert(&leaf, leaf_key, ca_cert, ca_key);
    SecCertificateRef sec_leaf = factory_sec_cert(leaf_cert);
    SecKeyRef priv = import_private_key(leaf_key);
    SecIdentityRef id = SecIdentityCreate(NULL, sec_leaf, priv);
    ck_assert_ptr_nonnull(id);

    /* Nothing else known: the identity alone. */
    CFArrayRef chain = SecIdentityCopySSLClientAuthenticationChain(id, CFAbsoluteTimeGetCurrent());
    ck_assert_ptr_nonnull(chain);
    ck_assert_int_eq(CFArrayGetCount(chain), 1);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(chain, 0), id);
    CFRelease(chain);

    /* The CA in the default keychain: it joins the chain (not a trusted anchor here). */
    SecCertificateRef sec_ca = factory_sec_cert(ca_cert);
    const void *add_keys[] = {kSecValueRef};
    const void *values[] = {sec_ca};
    CFDictionaryRef add =
        CFDictionaryCreate(NULL, add_keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                           &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecSuccess);
    chain = SecIdentityCopySSLClientAuthenticationChain(id, CFAbsoluteTimeGetCurrent());
    ck_assert_int_eq(CFArrayGetCount(chain), 2);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(chain, 1), sec_ca));
    CFRelease(chain);
    ck_assert_int_eq(SecItemDelete(add), errSecSuccess);
    CFRelease(add);

    ck_assert_ptr_null(SecIdentityCopySSLClientAuthenticationChain(NULL, 0));
    ck_assert_ptr_null(SecIdentityCopySSLClientAuthenticationChain((SecIdentityRef)sec_leaf, 0));
    CFRelease(sec_ca);
    CFRelease(id);
    CFRelease(priv);
    CFRelease(sec_leaf);
    X509_free(leaf_cert);
    X509_free(ca_cert);
    EVP_PKEY_free(leaf_key);
    EVP_PKEY_free(ca_key);
}
END_TEST

START_TEST(random_bytes)
{
    unsigned char a[64] = {0}, b[64] = {0}, zero[64] = {0};
    ck_assert_int_eq(SecRandomCopyBytes(kSecRandomDefault, sizeof(a), a), 0);
    ck_assert_int_eq(SecRandomCopyBytes(NULL, sizeof(b), b), 0);
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
    ck_assert(memcmp(a, zero, sizeof(a)) != 0);
    ck_assert_int_eq(SecRandomCopyBytes(kSecRandomDefault, 0, NULL), 0);
    ck_assert_int_eq(SecRandomCopyBytes(kSecRandomDefault, 8, NULL), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_objects");
    TCase *tc = tcase_create("objects");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, certificate_round_trip);
    tcase_add_test(tc, certificate_names);
    tcase_add_test(tc, certificate_hostile_input);
    tcase_add_test(tc, certificate_version_field);
    tcase_add_test(tc, peer_certificate_version_above_v3);
    tcase_add_test(tc, keys);
    tcase_add_test(tc, identities);
    tcase_add_test(tc, identity_client_auth_chain);
    tcase_add_test(tc, random_bytes);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
