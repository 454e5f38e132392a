/*
 * The Security subset, internal interface: the objects behind
 * SecCertificateRef, SecKeyRef, SecIdentityRef, SecPolicyRef and
 * SecTrustRef, each an OpenSSL object in a CF object.
 */
#ifndef SECTRANS_SEC_INTERNAL_H
#define SECTRANS_SEC_INTERNAL_H

#include <Security/SecCertificatePriv.h>
#include <Security/SecIdentityPriv.h>
#include <Security/Security.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "cf_runtime.h"
#include "sec_export.h"

struct sec_certificate {
    struct cf_object base;
    X509 *x509;
};

struct sec_key {
    struct cf_object base;
    EVP_PKEY *pkey;
    bool is_private;
};

struct sec_identity {
    struct cf_object base;
    SecCertificateRef certificate;
    SecKeyRef private_key;
};

enum sec_policy_kind { SEC_POLICY_BASIC_X509, SEC_POLICY_SSL };

struct sec_policy {
    struct cf_object base;
    enum sec_policy_kind kind;
    bool server;          /* SSL: evaluating a server's certificate */
    CFStringRef hostname; /* SSL: NULL = no name check */
};

/* The certificate behind a SecCertificateRef, or NULL for anything else. */
CF_INTERNAL X509 *sec_certificate_x509(CFTypeRef cert);

/* A new SecCertificateRef holding a reference to `x509` (the caller keeps its own). */
CF_INTERNAL SecCertificateRef sec_certificate_from_x509(X509 *x509);

/* The key behind a SecKeyRef, or NULL. */
CF_INTERNAL EVP_PKEY *sec_key_pkey(CFTypeRef key);

/* A new SecKeyRef holding a reference to `pkey`. */
CF_INTERNAL SecKeyRef sec_key_from_pkey(EVP_PKEY *pkey, bool is_private);

/* The policy behind a SecPolicyRef, or NULL. */
CF_INTERNAL const struct sec_policy *sec_policy_of(CFTypeRef policy);

/*
 * The system trust anchors, loaded once per process; NULL only when out of
 * memory. Shared and read-only: callers never modify or free it.
 */
CF_INTERNAL STACK_OF(X509) * sec_system_anchors(void);

#endif
