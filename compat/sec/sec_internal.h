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

/* A revocation policy adds nothing to the chain checks: we never fetch OCSP or CRLs. */
enum sec_policy_kind { SEC_POLICY_BASIC_X509, SEC_POLICY_SSL, SEC_POLICY_REVOCATION };

struct sec_policy {
    struct cf_object base;
    enum sec_policy_kind kind;
    bool server;                    /* SSL: evaluating a server's certificate */
    CFStringRef hostname;           /* SSL: NULL = no name check */
    CFOptionFlags revocation_flags; /* revocation: kSecRevocation* */
};

struct sec_trust {
    struct cf_object base;
    CFArrayRef certificates; /* leaf first */
    CFArrayRef policies;
    CFArrayRef anchors; /* custom anchors, or NULL */
    bool anchors_only;
    CFDateRef verify_date; /* NULL: now */
    SecTrustOptionFlags options;
    bool evaluated;
    SecTrustResultType result;
    OSStatus status;  /* why it failed, for SecTrustEvaluateWithError */
    CFArrayRef chain; /* the chain the evaluation built, leaf to anchor */
    int error_depth;  /* index in `chain` of the certificate that failed */
    CFAbsoluteTime evaluated_at;
    bool network_fetch_disabled;
    CFTypeRef legacy_evidence; /* SecTrustGetResult's status chain, until invalidated */
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

/* A new policy (+1); `hostname` is retained. NULL when out of memory. */
CF_INTERNAL SecPolicyRef sec_policy_new(enum sec_policy_kind kind, bool server,
                                        CFStringRef hostname);

/* True if a revocation policy among `policies` demands a positive response we never get. */
CF_INTERNAL bool sec_policies_require_revocation_response(CFArrayRef policies);

/* The trust behind a SecTrustRef, or NULL. */
CF_INTERNAL struct sec_trust *sec_trust_of(SecTrustRef trust);

/* Runs the evaluation unless a result for the current parameters exists. */
CF_INTERNAL void sec_trust_evaluate_once(struct sec_trust *t);

/* The CSSM_RETURN Apple's legacy trust calls report for a trust result code. */
CF_INTERNAL CSSM_RETURN sec_cssm_code_for(OSStatus status);

/*
 * The system trust anchors, loaded once per process; NULL only when out of
 * memory. Shared and read-only: callers never modify or free it.
 */
CF_INTERNAL STACK_OF(X509) * sec_system_anchors(void);

/*
 * Adds an imported item to a keychain (NULL: the default keychain): a
 * certificate, a key, or an identity's certificate and private key, with
 * `label` (may be NULL). Items the keychain holds already are left as they
 * are. errSecInvalidKeychain if `keychain` is not one.
 */
CF_INTERNAL OSStatus sec_keychain_add_item(SecKeychainRef keychain, CFTypeRef item,
                                           CFStringRef label);

#endif
