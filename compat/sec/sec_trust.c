/*
 * SecTrust: a chain (leaf first), the policies it must satisfy and the
 * anchors it may end in, evaluated with OpenSSL's X509_verify_cert.
 *
 * Anchors are the system's (sec_anchors.c), the custom ones alone after
 * SecTrustSetAnchorCertificates, or both after
 * SecTrustSetAnchorCertificatesOnly(trust, false). Any anchor ends a chain,
 * self-signed or not, as on Apple's platforms. Keys and signature digests
 * must give 112-bit security (no RSA-1024, no SHA-1), the SSL policy checks
 * the extended key usage of its side and the host name (RFC 6125 wildcards,
 * IP addresses).
 */
#include <openssl/x509v3.h>
#include <string.h>

#include "cf_string.h"
#include "sec_internal.h"
#include "sec_trust_errors.h"

static void sec_trust_finalize(CFTypeRef cf);
static CFStringRef sec_trust_copy_description(CFTypeRef cf);

static const struct cf_class sec_trust_class = {
    .name = "SecTrust",
    .finalize = sec_trust_finalize,
    .copy_description = sec_trust_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecTrustGetTypeID, sec_trust_class)

struct sec_trust *sec_trust_of(SecTrustRef trust)
{
    return cf_is_type(trust, SecTrustGetTypeID()) ? (struct sec_trust *)trust : NULL;
}

/* A new array of the objects of `type_id`: `value` itself or the elements of an array. */
static CFArrayRef array_of_type(CFTypeRef value, CFTypeID type_id)
{
    if (cf_is_type(value, type_id))
        return CFArrayCreate(NULL, &value, 1, &kCFTypeArrayCallBacks);
    if (!cf_is_type(value, CFArrayGetTypeID()))
        return NULL;
    CFIndex n = CFArrayGetCount(value);
    for (CFIndex i = 0; i < n; i++)
        if (!cf_is_type(CFArrayGetValueAtIndex(value, i), type_id))
            return NULL;
    return CFArrayCreateCopy(NULL, value);
}

static void sec_trust_invalidate(struct sec_trust *t)
{
    t->evaluated = false;
    t->result = kSecTrustResultInvalid;
    t->status = errSecSuccess;
    CFRelease(t->chain);
    t->chain = NULL;
    CFRelease(t->legacy_evidence);
    t->legacy_evidence = NULL;
}

/* Policies: one SecPolicyRef, an array of them, or NULL for the basic X.509 policy. */
static CFArrayRef policies_from(CFTypeRef policies)
{
    if (policies != NULL)
        return array_of_type(policies, SecPolicyGetTypeID());
    SecPolicyRef basic = SecPolicyCreateBasicX509();
    CFArrayRef array = array_of_type(basic, SecPolicyGetTypeID());
    CFRelease(basic);
    return array;
}

OSStatus SecTrustCreateWithCertificates(CFTypeRef certificates, CFTypeRef policies,
                                        SecTrustRef *trust)
{
    if (trust == NULL)
        return errSecParam;
    *trust = NULL;
    CFArrayRef certs = array_of_type(certificates, SecCertificateGetTypeID());
    CFArrayRef pols = policies_from(policies);
    if (certs == NULL || CFArrayGetCount(certs) == 0 || pols == NULL) {
        CFRelease(certs);
        CFRelease(pols);
        return errSecParam;
    }
    struct sec_trust *t = cf_object_create(SecTrustGetTypeID(), sizeof(*t));
    if (t == NULL) {
        CFRelease(certs);
        CFRelease(pols);
        return errSecAllocate;
    }
    t->certificates = certs;
    t->policies = pols;
    *trust = (SecTrustRef)t;
    return errSecSuccess;
}

static void sec_trust_finalize(CFTypeRef cf)
{
    struct sec_trust *t = (struct sec_trust *)cf;
    CFRelease(t->certificates);
    CFRelease(t->policies);
    CFRelease(t->anchors);
    CFRelease(t->verify_date);
    CFRelease(t->chain);
    CFRelease(t->legacy_evidence);
}

OSStatus SecTrustSetPolicies(SecTrustRef trust, CFTypeRef policies)
{
    struct sec_trust *t = sec_trust_of(trust);
    CFArrayRef pols = t != NULL && policies != NULL ? policies_from(policies) : NULL;
    if (pols == NULL)
        return errSecParam;
    CFRelease(t->policies);
    t->policies = pols;
    sec_trust_invalidate(t);
    return errSecSuccess;
}

OSStatus SecTrustCopyPolicies(SecTrustRef trust, CFArrayRef *policies)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || policies == NULL)
        return errSecParam;
    *policies = CFRetain(t->policies);
    return errSecSuccess;
}

/* NULL restores the system anchors; an array replaces them (anchors only). */
OSStatus SecTrustSetAnchorCertificates(SecTrustRef trust, CFArrayRef anchorCertificates)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return errSecParam;
    CFArrayRef anchors = NULL;
    if (anchorCertificates != NULL) {
        if (!cf_is_type(anchorCertificates, CFArrayGetTypeID()))
            return errSecParam;
        anchors = array_of_type(anchorCertificates, SecCertificateGetTypeID());
        if (anchors == NULL)
            return errSecParam;
    }
    CFRelease(t->anchors);
    t->anchors = anchors;
    t->anchors_only = anchors != NULL;
    sec_trust_invalidate(t);
    return errSecSuccess;
}

OSStatus SecTrustSetAnchorCertificatesOnly(SecTrustRef trust, Boolean anchorCertificatesOnly)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return errSecParam;
    t->anchors_only = anchorCertificatesOnly != 0;
    sec_trust_invalidate(t);
    return errSecSuccess;
}

OSStatus SecTrustCopyCustomAnchorCertificates(SecTrustRef trust, CFArrayRef *anchors)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || anchors == NULL)
        return errSecParam;
    *anchors = t->anchors != NULL ? CFRetain(t->anchors) : NULL;
    return errSecSuccess;
}

OSStatus SecTrustCopyAnchorCertificates(CFArrayRef *anchors)
{
    if (anchors == NULL)
        return errSecParam;
    STACK_OF(X509) *system = sec_system_anchors();
    CFMutableArrayRef out = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    for (int i = 0; out != NULL && system != NULL && i < sk_X509_num(system); i++) {
        SecCertificateRef cert = sec_certificate_from_x509(sk_X509_value(system, i));
        if (cert != NULL)
            CFArrayAppendValue(out, cert);
        CFRelease(cert);
    }
    *anchors = out;
    return out != NULL ? errSecSuccess : errSecAllocate;
}

OSStatus SecTrustSetVerifyDate(SecTrustRef trust, CFDateRef verifyDate)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || !cf_is_type(verifyDate, CFDateGetTypeID()))
        return errSecParam;
    CFRelease(t->verify_date);
    t->verify_date = CFRetain(verifyDate);
    sec_trust_invalidate(t);
    return errSecSuccess;
}

OSStatus SecTrustSetOptions(SecTrustRef trustRef, SecTrustOptionFlags options)
{
    struct sec_trust *t = sec_trust_of(trustRef);
    if (t == NULL)
        return errSecParam;
    t->options = options;
    sec_trust_invalidate(t);
    return errSecSuccess;
}

/* The trusted certificates this evaluation may end in (a new stack of borrowed certs). */
static STACK_OF(X509) * trusted_stack(const struct sec_trust *t)
{
    STACK_OF(X509) *system = t->anchors_only ? NULL : sec_system_anchors();
    STACK_OF(X509) *stack = system != NULL ? sk_X509_dup(system) : sk_X509_new_null();
    CFIndex n = t->anchors != NULL ? CFArrayGetCount(t->anchors) : 0;
    for (CFIndex i = 0; stack != NULL && i < n; i++)
        if (!sk_X509_push(stack, sec_certificate_x509(CFArrayGetValueAtIndex(t->anchors, i)))) {
            sk_X509_free(stack);
            return NULL;
        }
    return stack;
}

/* Applies a policy to the verification parameters; false if it cannot be expressed. */
static bool apply_policy(X509_VERIFY_PARAM *param, const struct sec_policy *p)
{
    if (p->kind != SEC_POLICY_SSL)
        return true;
    /* Evaluating a server's certificate means checking it may serve: serverAuth. */
    if (!X509_VERIFY_PARAM_set_purpose(param, p->server ? X509_PURPOSE_SSL_SERVER
                                                        : X509_PURPOSE_SSL_CLIENT))
        return false;
    const char *host = cf_string_utf8(p->hostname);
    if (host == NULL)
        return true;
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    /* An IP literal is matched against IP address names, never DNS names. */
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host))
        return true;
    return X509_VERIFY_PARAM_set1_host(param, host, 0) == 1;
}

static CFArrayRef chain_array(STACK_OF(X509) * chain)
{
    CFMutableArrayRef out = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    for (int i = 0; out != NULL && i < sk_X509_num(chain); i++) {
        SecCertificateRef cert = sec_certificate_from_x509(sk_X509_value(chain, i));
        if (cert != NULL)
            CFArrayAppendValue(out, cert);
        CFRelease(cert);
    }
    return out;
}

static OSStatus sec_trust_run(struct sec_trust *t)
{
    X509 *leaf = sec_certificate_x509(CFArrayGetValueAtIndex(t->certificates, 0));
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    STACK_OF(X509) *trusted = trusted_stack(t);
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    OSStatus status = errSecAllocate;
    t->error_depth = 0;
    if (untrusted == NULL || trusted == NULL || store == NULL || ctx == NULL)
        goto out;
    for (CFIndex i = 1; i < CFArrayGetCount(t->certificates); i++)
        if (!sk_X509_push(untrusted,
                          sec_certificate_x509(CFArrayGetValueAtIndex(t->certificates, i))))
            goto out;
    if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted))
        goto out;
    X509_STORE_CTX_set0_trusted_stack(ctx, trusted);

    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    /* Apple ends a chain at any anchor, self-signed or not. */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    X509_VERIFY_PARAM_set_auth_level(param, 2);
    if (t->verify_date != NULL)
        X509_VERIFY_PARAM_set_time(param, cf_date_unix_time(t->verify_date));
    if (t->options & (kSecTrustOptionAllowExpired | kSecTrustOptionAllowExpiredRoot))
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    for (CFIndex i = 0; i < CFArrayGetCount(t->policies); i++)
        if (!apply_policy(param, sec_policy_of(CFArrayGetValueAtIndex(t->policies, i)))) {
            status = errSecInvalidName;
            goto out;
        }

    int ok = X509_verify_cert(ctx);
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    t->chain = chain_array(chain);
    status = ok == 1 ? errSecSuccess : sec_trust_status_for(X509_STORE_CTX_get_error(ctx));
    /* A failure OpenSSL gave no reason for (an internal error) is still a failure. */
    if (ok != 1 && status == errSecSuccess)
        status = errSecNotTrusted;
    t->error_depth = ok == 1 ? 0 : X509_STORE_CTX_get_error_depth(ctx);
    /* Offline, a revocation policy that demands a response can only fail. */
    if (status == errSecSuccess && sec_policies_require_revocation_response(t->policies))
        status = errSecIncompleteCertRevocationCheck;
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    sk_X509_free(trusted);
    sk_X509_free(untrusted);
    return status;
}

/* Runs the evaluation once; later calls reuse it until something changes. */
void sec_trust_evaluate_once(struct sec_trust *t)
{
    if (t->evaluated)
        return;
    t->evaluated_at = CFAbsoluteTimeGetCurrent();
    t->status = sec_trust_run(t);
    t->result = t->status == errSecSuccess    ? kSecTrustResultUnspecified
                : t->status == errSecAllocate ? kSecTrustResultOtherError
                                              : kSecTrustResultRecoverableTrustFailure;
    t->evaluated = true;
}

/* errSecSuccess whenever the evaluation ran: the verdict is in *result. */
OSStatus SecTrustEvaluate(SecTrustRef trust, SecTrustResultType *result)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || result == NULL)
        return errSecParam;
    sec_trust_evaluate_once(t);
    *result = t->result;
    return errSecSuccess;
}

bool SecTrustEvaluateWithError(SecTrustRef trust, CFErrorRef *error)
{
    struct sec_trust *t = sec_trust_of(trust);
    OSStatus status = errSecParam;
    if (t != NULL) {
        sec_trust_evaluate_once(t);
        status = t->status;
    }
    if (error != NULL)
        *error = status == errSecSuccess ? NULL : sec_trust_error_create(status);
    return status == errSecSuccess;
}

OSStatus SecTrustGetTrustResult(SecTrustRef trust, SecTrustResultType *result)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || result == NULL)
        return errSecParam;
    *result = t->result;
    return errSecSuccess;
}

/* The built chain's length; evaluates first if needed (Apple does too). */
CFIndex SecTrustGetCertificateCount(SecTrustRef trust)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return 0;
    sec_trust_evaluate_once(t);
    return t->chain != NULL && CFArrayGetCount(t->chain) > 0 ? CFArrayGetCount(t->chain)
                                                             : CFArrayGetCount(t->certificates);
}

/* Index 0 is the leaf without evaluating; others index the built chain. +0. */
SecCertificateRef SecTrustGetCertificateAtIndex(SecTrustRef trust, CFIndex ix)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL || ix < 0)
        return NULL;
    if (ix == 0)
        return (SecCertificateRef)CFArrayGetValueAtIndex(t->certificates, 0);
    sec_trust_evaluate_once(t);
    CFArrayRef chain =
        t->chain != NULL && CFArrayGetCount(t->chain) > 0 ? t->chain : t->certificates;
    return (SecCertificateRef)CFArrayGetValueAtIndex(chain, ix);
}

SecKeyRef SecTrustCopyPublicKey(SecTrustRef trust)
{
    struct sec_trust *t = sec_trust_of(trust);
    if (t == NULL)
        return NULL;
    return SecCertificateCopyKey((SecCertificateRef)CFArrayGetValueAtIndex(t->certificates, 0));
}

static CFStringRef sec_trust_copy_description(CFTypeRef cf)
{
    const struct sec_trust *t = cf;
    return cf_string_create_format("<SecTrustRef: %p> %ld certificates, %s", cf,
                                   (long)CFArrayGetCount(t->certificates),
                                   !t->evaluated                ? "not evaluated"
                                   : t->status == errSecSuccess ? "trusted"
                                                                : "not trusted");
}
