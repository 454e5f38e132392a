/*
 * Certificates made by the tests, with OpenSSL: keys, CAs, intermediates and
 * leaves with chosen names, validity, key usage and digests, and the
 * CF/Security objects built from them.
 */
#ifndef SECTRANS_CERT_FACTORY_H
#define SECTRANS_CERT_FACTORY_H

#include <Security/SecCertificatePriv.h>
#include <Security/SecIdentityPriv.h>
#include <Security/Security.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

enum cert_key_kind { KEY_RSA2048, KEY_RSA1024, KEY_EC256, KEY_RSA512, KEY_DSA2048 };
enum cert_eku { EKU_NONE, EKU_SERVER, EKU_CLIENT, EKU_ANY };

struct cert_spec {
    const char *common_name;
    const char *san; /* e.g. "DNS:a.test,IP:127.0.0.1", or NULL */
    bool is_ca;
    long not_before_days; /* relative to now */
    long not_after_days;
    enum cert_eku eku;
    const EVP_MD *digest; /* NULL: SHA-256 */
};

/* Less usual choices for factory_cert_extra; all zero means factory_cert's certificate. */
struct cert_extra {
    const char *basic_constraints; /* NULL: from is_ca; "": none (config syntax) */
    const char *key_usage;         /* NULL: from is_ca; "": none */
    const char *name_constraints;  /* e.g. "critical,permitted;DNS:ok.test", or NULL */
    bool empty_subject;            /* no subject name at all */
    bool critical_san;             /* mark the subjectAltName critical */
    bool no_key_ids;               /* leave out the subject and authority key identifiers */
};

/* A new key; aborts the test on failure. */
EVP_PKEY *factory_key(enum cert_key_kind kind);

/* A certificate for `key`, signed by `issuer_key` as `issuer` (NULL: self-signed). */
X509 *factory_cert(const struct cert_spec *spec, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key);

/* factory_cert with the choices of `extra` (NULL: none). */
X509 *factory_cert_extra(const struct cert_spec *spec, const struct cert_extra *extra,
                         EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key);

/* +1 SecCertificateRef for `x`. */
SecCertificateRef factory_sec_cert(X509 *x);

/* +1 CFData of the DER encoding. */
CFDataRef factory_der(X509 *x);

/* Writes PEM files (certificate, key) for the CLI; returns false on failure. */
bool factory_write_pem(const char *path, X509 *cert, EVP_PKEY *key);

/*
 * The trust tests' chain: "Test Root", "Test Intermediate" under it, a leaf
 * under that, and a second "Test Root" with its own EC key that anchors
 * nothing here. Each as OpenSSL objects and as +1 SecCertificates.
 */
struct factory_chain {
    EVP_PKEY *root_key, *inter_key, *leaf_key, *other_root_key;
    X509 *root, *inter, *leaf, *other_root;
    SecCertificateRef s_root, s_inter, s_leaf, s_other_root;
};

/* Makes the chain; intermediate and leaf keys are EC P-256. */
void factory_chain_create(struct factory_chain *chain, enum cert_key_kind root_key,
                          const struct cert_spec *leaf_spec);
void factory_chain_free(struct factory_chain *chain);

/* A CA and a leaf it signs, with their keys. */
struct factory_ca_leaf {
    EVP_PKEY *ca_key, *leaf_key;
    X509 *ca, *leaf;
};

void factory_ca_leaf_create(struct factory_ca_leaf *pair, const struct cert_spec *ca_spec,
                            enum cert_key_kind ca_key, const struct cert_spec *leaf_spec,
                            enum cert_key_kind leaf_key);
void factory_ca_leaf_free(struct factory_ca_leaf *pair);

#endif
