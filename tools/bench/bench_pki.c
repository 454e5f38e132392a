/*
 * The certificates both paths use: a CA and a leaf for "localhost", with an
 * ECDSA P-256 or RSA-2048 key, made in memory. Secure Transport gets the
 * leaf as an identity imported from PKCS#12 and the CA as its only anchor;
 * raw OpenSSL gets the same objects on one SSL_CTX per side.
 */
#include <Security/Security.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "bench.h"

static EVP_PKEY *bench_key_new(enum bench_key key)
{
    return key == BENCH_ECDSA_P256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
}

static X509 *bench_cert_new(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *key, const char *cn,
                            bool ca, long serial)
{
    X509 *cert = X509_new();
    X509V3_CTX v3;
    if (cert == NULL)
        return NULL;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(cert,
                         issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(cert));
    X509_set_pubkey(cert, key);
    X509V3_set_ctx(&v3, issuer ? issuer : cert, cert, NULL, NULL, 0);
    const char *const exts[][2] = {
        {"basicConstraints", ca ? "critical,CA:TRUE" : "CA:FALSE"},
        {"keyUsage",
         ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment"},
        {"extendedKeyUsage", ca ? NULL : "serverAuth"},
        {"subjectAltName", ca ? NULL : "DNS:localhost"},
    };
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        if (exts[i][1] == NULL)
            continue;
        X509_EXTENSION *ext = X509V3_EXT_conf(NULL, &v3, exts[i][0], exts[i][1]);
        if (ext == NULL || !X509_add_ext(cert, ext, -1)) {
            X509_EXTENSION_free(ext);
            X509_free(cert);
            return NULL;
        }
        X509_EXTENSION_free(ext);
    }
    if (!X509_sign(cert, issuer_key, EVP_sha256())) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* [identity] through SecPKCS12Import, as a Secure Transport server loads one. */
static CFArrayRef bench_st_identity(X509 *leaf, EVP_PKEY *key)
{
    PKCS12 *p12 = PKCS12_create("bench", NULL, key, leaf, NULL, 0, 0, 0, 0, 0);
    unsigned char *der = NULL;
    int len = p12 ? i2d_PKCS12(p12, &der) : -1;
    PKCS12_free(p12);
    if (len <= 0)
        return NULL;
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    const void *keys[] = {kSecImportExportPassphrase};
    const void *values[] = {CFSTR("bench")};
    CFDictionaryRef options = CFDictionaryCreate(
        NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFArrayRef items = NULL;
    OSStatus status = SecPKCS12Import(data, options, &items);
    CFRelease(options);
    CFRelease(data);
    if (status != errSecSuccess || items == NULL || CFArrayGetCount(items) < 1) {
        if (items != NULL)
            CFRelease(items);
        return NULL;
    }
    const void *identity =
        CFDictionaryGetValue(CFArrayGetValueAtIndex(items, 0), kSecImportItemIdentity);
    CFArrayRef result = CFArrayCreate(NULL, &identity, 1, &kCFTypeArrayCallBacks);
    CFRelease(items);
    return result;
}

static CFArrayRef bench_st_anchors(X509 *ca)
{
    unsigned char *der = NULL;
    int len = i2d_X509(ca, &der);
    if (len <= 0)
        return NULL;
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    SecCertificateRef cert = data != NULL ? SecCertificateCreateWithData(NULL, data) : NULL;
    if (data != NULL)
        CFRelease(data);
    if (cert == NULL)
        return NULL;
    const void *value = cert;
    CFArrayRef anchors = CFArrayCreate(NULL, &value, 1, &kCFTypeArrayCallBacks);
    CFRelease(cert);
    return anchors;
}

static const unsigned char bench_session_context[] = "st-bench";

bool bench_pki_make(enum bench_key key, struct bench_pki *pki)
{
    memset(pki, 0, sizeof(*pki));
    EVP_PKEY *ca_key = bench_key_new(key);
    pki->leaf_key = bench_key_new(key);
    if (ca_key == NULL || pki->leaf_key == NULL)
        goto fail;
    pki->ca = bench_cert_new(NULL, ca_key, ca_key, "st-bench CA", true, 1);
    pki->leaf =
        pki->ca ? bench_cert_new(pki->ca, ca_key, pki->leaf_key, "localhost", false, 2) : NULL;
    if (pki->leaf == NULL)
        goto fail;
    pki->st_identity = bench_st_identity(pki->leaf, pki->leaf_key);
    pki->st_anchors = bench_st_anchors(pki->ca);

    pki->raw_server = SSL_CTX_new(TLS_server_method());
    pki->raw_client = SSL_CTX_new(TLS_client_method());
    if (pki->st_identity == NULL || pki->st_anchors == NULL || pki->raw_server == NULL ||
        pki->raw_client == NULL || !SSL_CTX_use_certificate(pki->raw_server, pki->leaf) ||
        !SSL_CTX_use_PrivateKey(pki->raw_server, pki->leaf_key) ||
        !X509_STORE_add_cert(SSL_CTX_get_cert_store(pki->raw_client), pki->ca))
        goto fail;
    SSL_CTX_set_session_id_context(pki->raw_server, bench_session_context,
                                   sizeof(bench_session_context));
    SSL_CTX_set_verify(pki->raw_client, SSL_VERIFY_PEER, NULL);
    EVP_PKEY_free(ca_key);
    return true;
fail:
    EVP_PKEY_free(ca_key);
    bench_pki_free(pki);
    return false;
}

void bench_pki_free(struct bench_pki *pki)
{
    X509_free(pki->ca);
    X509_free(pki->leaf);
    EVP_PKEY_free(pki->leaf_key);
    if (pki->st_identity != NULL)
        CFRelease(pki->st_identity);
    if (pki->st_anchors != NULL)
        CFRelease(pki->st_anchors);
    SSL_CTX_free(pki->raw_server);
    SSL_CTX_free(pki->raw_client);
    memset(pki, 0, sizeof(*pki));
}
