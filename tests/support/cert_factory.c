/*
 * The tests' certificate factory (see cert_factory.h).
 */
#include "cert_factory.h"

#include <check.h>
#include <openssl/dsa.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdatomic.h>
#include <stdio.h>

#include "test_keys.h"

/* The next key of a pool, in turn; the caller owns the result. */
static EVP_PKEY *pooled_key(const char *const *pool, unsigned count, _Atomic unsigned *next)
{
    const char *pem = pool[atomic_fetch_add(next, 1) % count];
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    return key;
}

#define POOLED_KEY(pool)                                                                           \
    do {                                                                                           \
        static _Atomic unsigned next;                                                              \
        key = pooled_key(pool, sizeof(pool) / sizeof(pool[0]), &next);                             \
    } while (0)

EVP_PKEY *factory_key(enum cert_key_kind kind)
{
    EVP_PKEY *key = NULL;
    switch (kind) {
    case KEY_RSA2048: POOLED_KEY(test_keys_rsa2048); break;
    case KEY_RSA1024: POOLED_KEY(test_keys_rsa1024); break;
    case KEY_EC256: key = EVP_EC_gen("P-256"); break; /* quick to make */
    case KEY_RSA512: POOLED_KEY(test_keys_rsa512); break;
    case KEY_DSA2048: POOLED_KEY(test_keys_dsa2048); break;
    }
    ck_assert_ptr_nonnull(key);
    return key;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    ck_assert_ptr_nonnull(ext);
    ck_assert(X509_add_ext(cert, ext, -1));
    X509_EXTENSION_free(ext);
}

/* `value` if given ("" meaning no extension at all), else `fallback`. */
static void add_optional_ext(X509 *cert, X509 *issuer, int nid, const char *value,
                             const char *fallback)
{
    if (value == NULL)
        add_ext(cert, issuer, nid, fallback);
    else if (value[0] != '\0')
        add_ext(cert, issuer, nid, value);
}

static void add_san(X509 *cert, X509 *issuer, const char *san, bool critical)
{
    char value[512];
    int n = snprintf(value, sizeof(value), "%s%s", critical ? "critical," : "", san);
    ck_assert(n > 0 && (size_t)n < sizeof(value));
    add_ext(cert, issuer, NID_subject_alt_name, value);
}

X509 *factory_cert(const struct cert_spec *spec, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
    return factory_cert_extra(spec, NULL, key, issuer, issuer_key);
}

X509 *factory_cert_extra(const struct cert_spec *spec, const struct cert_extra *extra,
                         EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
    static const struct cert_extra none = {NULL, NULL, NULL, false, false, false};
    const struct cert_extra *x = extra != NULL ? extra : &none;
    static long serial = 1000;
    X509 *cert = X509_new();
    ck_assert_ptr_nonnull(cert);
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert), spec->not_before_days * 86400);
    X509_gmtime_adj(X509_getm_notAfter(cert), spec->not_after_days * 86400);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    if (!x->empty_subject) {
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"sectrans tests",
                                   -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   (const unsigned char *)spec->common_name, -1, -1, 0);
    }
    X509 *signer = issuer != NULL ? issuer : cert;
    X509_set_issuer_name(cert, X509_get_subject_name(signer));
    add_optional_ext(cert, signer, NID_basic_constraints, x->basic_constraints,
                     spec->is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (!x->no_key_ids) {
        add_ext(cert, signer, NID_subject_key_identifier, "hash");
        if (issuer != NULL)
            add_ext(cert, signer, NID_authority_key_identifier, "keyid");
    }
    add_optional_ext(cert, signer, NID_key_usage, x->key_usage,
                     spec->is_ca ? "critical,keyCertSign,cRLSign"
                                 : "critical,digitalSignature,keyEncipherment");
    static const char *const ekus[] = {[EKU_SERVER] = "serverAuth",
                                       [EKU_CLIENT] = "clientAuth",
                                       [EKU_ANY] = "anyExtendedKeyUsage"};
    if (spec->eku != EKU_NONE)
        add_ext(cert, signer, NID_ext_key_usage, ekus[spec->eku]);
    if (x->name_constraints != NULL)
        add_ext(cert, signer, NID_name_constraints, x->name_constraints);
    if (spec->san != NULL)
        add_san(cert, signer, spec->san, x->critical_san);
    ck_assert(X509_sign(cert, issuer_key != NULL ? issuer_key : key,
                        spec->digest != NULL ? spec->digest : EVP_sha256()) > 0);
    return cert;
}

CFDataRef factory_der(X509 *x)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    ck_assert_int_gt(len, 0);
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    return data;
}

SecCertificateRef factory_sec_cert(X509 *x)
{
    CFDataRef der = factory_der(x);
    SecCertificateRef cert = SecCertificateCreateWithData(NULL, der);
    CFRelease(der);
    ck_assert_ptr_nonnull(cert);
    return cert;
}

bool factory_write_pem(const char *path, X509 *cert, EVP_PKEY *key)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = (cert == NULL || PEM_write_X509(f, cert)) &&
              (key == NULL || PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
    return fclose(f) == 0 && ok;
}

static const struct cert_spec chain_root_spec = {"Test Root", NULL,     true, -60,
                                                 3650,        EKU_NONE, NULL};
static const struct cert_spec chain_inter_spec = {
    "Test Intermediate", NULL, true, -60, 3650, EKU_NONE, NULL};

void factory_chain_create(struct factory_chain *chain, enum cert_key_kind root_key,
                          const struct cert_spec *leaf_spec)
{
    chain->root_key = factory_key(root_key);
    chain->inter_key = factory_key(KEY_EC256);
    chain->leaf_key = factory_key(KEY_EC256);
    chain->other_root_key = factory_key(KEY_EC256);
    chain->root = factory_cert(&chain_root_spec, chain->root_key, NULL, NULL);
    chain->inter = factory_cert(&chain_inter_spec, chain->inter_key, chain->root, chain->root_key);
    chain->leaf = factory_cert(leaf_spec, chain->leaf_key, chain->inter, chain->inter_key);
    chain->other_root = factory_cert(&chain_root_spec, chain->other_root_key, NULL, NULL);
    chain->s_root = factory_sec_cert(chain->root);
    chain->s_inter = factory_sec_cert(chain->inter);
    chain->s_leaf = factory_sec_cert(chain->leaf);
    chain->s_other_root = factory_sec_cert(chain->other_root);
}

void factory_chain_free(struct factory_chain *chain)
{
    CFRelease(chain->s_root);
    CFRelease(chain->s_inter);
    CFRelease(chain->s_leaf);
    CFRelease(chain->s_other_root);
    X509_free(chain->root);
    X509_free(chain->inter);
    X509_free(chain->leaf);
    X509_free(chain->other_root);
    EVP_PKEY_free(chain->root_key);
    EVP_PKEY_free(chain->inter_key);
    EVP_PKEY_free(chain->leaf_key);
    EVP_PKEY_free(chain->other_root_key);
}

void factory_ca_leaf_create(struct factory_ca_leaf *pair, const struct cert_spec *ca_spec,
                            enum cert_key_kind ca_key, const struct cert_spec *leaf_spec,
                            enum cert_key_kind leaf_key)
{
    pair->ca_key = factory_key(ca_key);
    pair->leaf_key = factory_key(leaf_key);
    pair->ca = factory_cert(ca_spec, pair->ca_key, NULL, NULL);
    pair->leaf = factory_cert(leaf_spec, pair->leaf_key, pair->ca, pair->ca_key);
}

void factory_ca_leaf_free(struct factory_ca_leaf *pair)
{
    X509_free(pair->ca);
    X509_free(pair->leaf);
    EVP_PKEY_free(pair->ca_key);
    EVP_PKEY_free(pair->leaf_key);
}
