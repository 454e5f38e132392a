/*
 * SecTrust: a chain (leaf first), the policies it must satisfy and the
 * anchors it may end in, evaluated as 10.15 does: OpenSSL's X509_verify_cert
 * builds the chain and checks signatures, dates and constraints, every
 * failure it finds is recorded as the Apple policy check it stands for, and
 * the checks 10.15 makes itself (sec_policy_checks.c) are added on the built
 * chain. The verdict is the highest-ranked failure (sec_trust_errors.c).
 *
 * Anchors are the system's (sec_anchors.c), the custom ones alone after
 * SecTrustSetAnchorCertificates, or both after
 * SecTrustSetAnchorCertificatesOnly(trust, false). Any anchor ends a chain,
 * self-signed or not, as on Apple's platforms.
 */
#include <openssl/x509v3.h>
#include <string.h>

#include "cf_string.h"
#include "sec_errors.h"
#include "sec_internal.h"
#include "sec_policy_checks.h"
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

/* What the verification callback needs: where to record, and which expiries to forgive. */
struct verify_state {
    struct sec_trust_findings findings;
    SecTrustOptionFlags options;
    bool unanchored; /* the chain did not reach an anchor */
};

/*
 * OpenSSL reports a CA it will not accept as one error; Apple tells a key
 * usage without keyCertSign, a missing basicConstraints and a
 * basicConstraints without cA apart (SecPVCParentCertificateChecks).
 */
static enum sec_trust_check check_for_invalid_ca(X509 *x)
{
    uint32_t flags = x != NULL ? X509_get_extension_flags(x) : 0;
    if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
        return SEC_CHECK_KEY_USAGE;
    return (flags & EXFLAG_BCONS) ? SEC_CHECK_BASIC_CONSTRAINTS_CA : SEC_CHECK_BASIC_CONSTRAINTS;
}

/*
 * kSecTrustOptionAllowExpired forgives any certificate's dates and
 * ...ExpiredRoot those of a self-signed one, whatever the verify date (Apple
 * turns them into exceptions for the TemporalValidity and ValidRoot checks,
 * SecPVCIsExceptedError).
 */
static bool expiry_forgiven(const struct verify_state *state, X509_STORE_CTX *ctx)
{
    if (state->options & kSecTrustOptionAllowExpired)
        return true;
    X509 *x = X509_STORE_CTX_get_current_cert(ctx);
    return (state->options & kSecTrustOptionAllowExpiredRoot) && x != NULL &&
           X509_self_signed(x, 0) == 1;
}

/*
 * Records every failure and lets verification go on: Apple runs all its
 * checks and reports the highest-ranked failure, not the first one found.
 */
static int record_failure(int ok, X509_STORE_CTX *ctx)
{
    if (ok)
        return 1;
    struct verify_state *state = X509_STORE_CTX_get_app_data(ctx);
    int error = X509_STORE_CTX_get_error(ctx);
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    enum sec_trust_check check = sec_trust_check_for(error);
    if (check == SEC_CHECK_BASIC_CONSTRAINTS_CA)
        check = check_for_invalid_ca(X509_STORE_CTX_get_current_cert(ctx));
    if (check == SEC_CHECK_TEMPORAL_VALIDITY && expiry_forgiven(state, ctx))
        return 1;
    if (check == SEC_CHECK_ANCHOR_TRUSTED || check == SEC_CHECK_MISSING_INTERMEDIATE)
        state->unanchored = true;
    sec_trust_findings_add(&state->findings, check, depth);
    return 1;
}

/*
 * Sets up the verification: no purpose (the SSL policy's usage rules are
 * 10.15's own, sec_policy_checks.c), no security level (10.15's key and
 * digest rules are applied there too), and the verify date.
 */
static void configure(X509_VERIFY_PARAM *param, const struct sec_trust *t)
{
    /* Apple ends a chain at any anchor, self-signed or not. */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (t->verify_date != NULL)
        X509_VERIFY_PARAM_set_time(param, cf_date_unix_time(t->verify_date));
}

/* One path OpenSSL built: what went wrong on it, and the chain itself (+1 each, or NULL). */
struct path_attempt {
    struct verify_state state;
    STACK_OF(X509) * chain;
};

static bool try_path(const struct sec_trust *t, STACK_OF(X509) * trusted,
                     STACK_OF(X509) * untrusted, struct path_attempt *a)
{
    X509 *leaf = sec_certificate_x509(CFArrayGetValueAtIndex(t->certificates, 0));
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    memset(a, 0, sizeof(*a));
    a->state.options = t->options;
    bool ready = store != NULL && ctx != NULL && X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    if (ready) {
        X509_STORE_CTX_set0_trusted_stack(ctx, trusted);
        X509_STORE_CTX_set_app_data(ctx, &a->state);
        X509_STORE_CTX_set_verify_cb(ctx, record_failure);
        configure(X509_STORE_CTX_get0_param(ctx), t);
        int ok = X509_verify_cert(ctx);
        /* A failure the callback never saw (no memory, an internal error). */
        if (ok != 1 && a->state.findings.check == SEC_CHECK_NONE)
            sec_trust_findings_add(&a->state.findings, SEC_CHECK_OUT_OF_MEMORY, 0);
        a->chain = X509_STORE_CTX_get1_chain(ctx);
        ready = a->chain != NULL;
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ready;
}

static void drop_attempt(struct path_attempt *a)
{
    sk_X509_pop_free(a->chain, X509_free);
    a->chain = NULL;
}

/* Position of `x` itself (the chain holds the very objects it was given) in `stack`, or -1. */
static int index_of(STACK_OF(X509) * stack, const X509 *x)
{
    for (int i = 0; i < sk_X509_num(stack); i++)
        if (sk_X509_value(stack, i) == x)
            return i;
    return -1;
}

/*
 * OpenSSL follows the first issuer it finds; Apple's path builder tries
 * every candidate issuer before giving up (SecPathBuilderProcessParents).
 * So when the first path reaches no anchor, try again without each
 * intermediate it went through, one at a time (a cross-signed certificate
 * next to the one that leads nowhere), and keep the first path that ends
 * at an anchor.
 */
static void try_other_issuers(const struct sec_trust *t, STACK_OF(X509) * trusted,
                              STACK_OF(X509) * untrusted, struct path_attempt *best)
{
    for (int i = 1; best->state.unanchored && i < sk_X509_num(best->chain); i++) {
        int at = index_of(untrusted, sk_X509_value(best->chain, i));
        STACK_OF(X509) *fewer = at >= 0 ? sk_X509_dup(untrusted) : NULL;
        if (fewer == NULL)
            continue;
        sk_X509_delete(fewer, at);
        struct path_attempt other;
        if (try_path(t, trusted, fewer, &other) && !other.state.unanchored) {
            drop_attempt(best);
            *best = other;
        } else {
            drop_attempt(&other);
        }
        sk_X509_free(fewer);
    }
}

static void sec_trust_run(struct sec_trust *t)
{
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    STACK_OF(X509) *trusted = trusted_stack(t);
    struct path_attempt best = {.chain = NULL};
    bool ready = untrusted != NULL && trusted != NULL;
    for (CFIndex i = 1; ready && i < CFArrayGetCount(t->certificates); i++)
        ready = sk_X509_push(untrusted,
                             sec_certificate_x509(CFArrayGetValueAtIndex(t->certificates, i))) > 0;
    ready = ready && try_path(t, trusted, untrusted, &best);
    if (ready) {
        try_other_issuers(t, trusted, untrusted, &best);
        t->chain = chain_array(best.chain);
        /*
         * Apple asks whether the top certificate is a system anchor by content;
         * with custom anchors only, the system's are never loaded for this.
         */
        X509 *top = sk_X509_value(best.chain, sk_X509_num(best.chain) - 1);
        bool system_anchored =
            !best.state.unanchored && !t->anchors_only && sec_policy_is_system_anchor(top);
        sec_policy_check_chain(t->policies, best.chain, system_anchored, &best.state.findings);
        /* Offline, a revocation policy that demands a response can only fail. */
        if (sec_policies_require_revocation_response(t->policies))
            sec_trust_findings_add(&best.state.findings, SEC_CHECK_REVOCATION_RESPONSE_REQUIRED, 0);
    } else {
        sec_trust_findings_add(&best.state.findings, SEC_CHECK_OUT_OF_MEMORY, 0);
    }
    t->status = sec_trust_findings_status(&best.state.findings);
    t->result = sec_trust_findings_result(&best.state.findings);
    t->error_depth = best.state.findings.depth;
    drop_attempt(&best);
    sk_X509_free(trusted);
    sk_X509_free(untrusted);
}

/* Runs the evaluation once; later calls reuse it until something changes. */
void sec_trust_evaluate_once(struct sec_trust *t)
{
    if (t->evaluated)
        return;
    t->evaluated_at = CFAbsoluteTimeGetCurrent();
    sec_trust_run(t);
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
        *error = status == errSecSuccess ? NULL : sec_error_create(status);
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
