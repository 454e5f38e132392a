/*
 * The peer's certificate chain, judged the way Secure Transport does it:
 * wrapped in a SecTrust with the SSL policy (hostname from
 * SSLSetPeerDomainName, none if unset), anchored in the system store and/or
 * SSLSetTrustedRoots, and evaluated with SecTrustEvaluateWithError. Every
 * failure is errSSLXCertChainInvalid with a certificate_unknown alert
 * (behaviour.md §9). The break options hand the unevaluated trust to the
 * app instead.
 */
#include <openssl/x509_vfy.h>

#include "sec_internal.h"
#include "st_engine.h"

/* [leaf, the rest of what the peer sent], as SecCertificates; NULL if out of memory. */
static CFArrayRef st_verify_copy_peer_chain(X509 *leaf, STACK_OF(X509) * sent)
{
    CFMutableArrayRef chain = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    if (chain == NULL || leaf == NULL)
        goto fail;
    SecCertificateRef cert = sec_certificate_from_x509(leaf);
    if (cert == NULL)
        goto fail;
    CFArrayAppendValue(chain, cert);
    CFRelease(cert);
    for (int i = 0; i < sk_X509_num(sent); i++) {
        X509 *x = sk_X509_value(sent, i);
        if (X509_cmp(x, leaf) == 0)
            continue;
        cert = sec_certificate_from_x509(x);
        if (cert == NULL)
            goto fail;
        CFArrayAppendValue(chain, cert);
        CFRelease(cert);
    }
    return chain;
fail:
    if (chain != NULL)
        CFRelease(chain);
    return NULL;
}

static SecTrustRef st_verify_create_trust(const struct st_context *ctx, CFArrayRef chain)
{
    CFStringRef host = NULL;
    if (!ctx->server && ctx->peer_name != NULL && ctx->peer_name_len > 0)
        host = CFStringCreateWithCString(NULL, ctx->peer_name, kCFStringEncodingUTF8);
    /* A client judges a server's certificate, a server a client's. */
    SecPolicyRef policy = SecPolicyCreateSSL(!ctx->server, host);
    if (host != NULL)
        CFRelease(host);
    if (policy == NULL)
        return NULL;
    SecTrustRef trust = NULL;
    OSStatus status = SecTrustCreateWithCertificates(chain, policy, &trust);
    CFRelease(policy);
    if (status != errSecSuccess)
        return NULL;
    if (ctx->trusted_roots != NULL) {
        SecTrustSetAnchorCertificates(trust, ctx->trusted_roots);
        SecTrustSetAnchorCertificatesOnly(trust, ctx->trusted_roots_only);
    }
    return trust;
}

/* SSLSetTrustedLeafCertificates: a leaf the app named is accepted as it is. */
static bool st_verify_leaf_is_trusted(const struct st_context *ctx, CFArrayRef chain)
{
    if (ctx->trusted_leaves == NULL)
        return false;
    X509 *leaf = sec_certificate_x509(CFArrayGetValueAtIndex(chain, 0));
    for (CFIndex i = 0; i < CFArrayGetCount(ctx->trusted_leaves); i++) {
        X509 *known = sec_certificate_x509(CFArrayGetValueAtIndex(ctx->trusted_leaves, i));
        if (known != NULL && leaf != NULL && X509_cmp(known, leaf) == 0)
            return true;
    }
    return false;
}

static bool st_verify_trust_passes(const struct st_context *ctx, SecTrustRef trust,
                                   CFArrayRef chain)
{
    if (SecTrustEvaluateWithError(trust, NULL))
        return true;
    /* Apple's allow-any-root lets every verdict through, not only an unknown root. */
    return ctx->allow_any_root || st_verify_leaf_is_trusted(ctx, chain);
}

/*
 * OpenSSL sends the alert its table lists for the verification error. This
 * one is not in the table, so it goes out as certificate_unknown: the alert
 * Apple sends for every chain it rejects (behaviour.md §9). A failure never
 * leaves the error at X509_V_OK, which reads as "verified" to anyone asking.
 */
#define ST_X509_ERR_CERT_UNKNOWN X509_V_ERR_SUBJECT_ISSUER_MISMATCH

/* The X509 error that makes OpenSSL send `alert` (one of st_alert_for_rejection's). */
static int st_verify_error_for_alert(int alert)
{
    switch (alert) {
    case SSL_AD_CERTIFICATE_EXPIRED: return X509_V_ERR_CERT_HAS_EXPIRED;
    case SSL_AD_CERTIFICATE_REVOKED: return X509_V_ERR_CERT_REVOKED;
    case SSL_AD_BAD_CERTIFICATE: return X509_V_ERR_CERT_REJECTED;
    default: return ST_X509_ERR_CERT_UNKNOWN;
    }
}

static bool st_verify_chains_equal(CFArrayRef a, CFArrayRef b)
{
    if (CFArrayGetCount(a) != CFArrayGetCount(b))
        return false;
    for (CFIndex i = 0; i < CFArrayGetCount(a); i++) {
        X509 *x = sec_certificate_x509(CFArrayGetValueAtIndex(a, i));
        X509 *y = sec_certificate_x509(CFArrayGetValueAtIndex(b, i));
        if (x == NULL || y == NULL || X509_cmp(x, y) != 0)
            return false;
    }
    return true;
}

/*
 * coreTLS refuses a renegotiation whose peer chain differs from the one
 * before unless kSSLSessionOptionAllowServerIdentityChange is set (the
 * triple-handshake defence: SSLProcessCertificate fails with errSSLProtocol).
 */
static bool st_verify_identity_changed(const struct st_context *ctx, CFArrayRef chain)
{
    return ctx->session.peer_chain != NULL &&
           !ctx->session_options[kSSLSessionOptionAllowServerIdentityChange] &&
           !st_verify_chains_equal(ctx->session.peer_chain, chain);
}

static void st_verify_remember_chain(struct st_context *ctx, CFArrayRef chain)
{
    CFRetain(chain);
    if (ctx->session.peer_chain != NULL)
        CFRelease(ctx->session.peer_chain);
    ctx->session.peer_chain = chain;
}

static int st_verify_fail(X509_STORE_CTX *store, int x509_error)
{
    X509_STORE_CTX_set_error(store, x509_error);
    return 0;
}

/* Hands the unevaluated trust to the app (the Break*Auth options, §4). */
static int st_verify_break(struct st_context *ctx, SSL *ssl)
{
    ctx->session.peer_auth_break_taken = true;
    if (!ctx->server)
        return SSL_set_retry_verify(ssl);
    /*
     * OpenSSL can suspend verification only on a client. A server
     * accepts here and stops reading, so the handshake pauses before
     * the client's Finished and the driver reports the break.
     */
    ctx->session.client_auth_break_pending = true;
    ctx->session.client_cert_state = kSSLClientCertSent;
    return 1;
}

int st_verify_peer_chain(X509_STORE_CTX *store, void *arg)
{
    (void)arg;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct st_context *ctx = ssl != NULL ? st_engine_context_of(ssl) : NULL;
    if (ctx == NULL)
        return st_verify_fail(store, X509_V_ERR_UNSPECIFIED);
    ctx->session.verify_failure_status = errSecSuccess;
    /* SSLSetError at the break: fail with the alert matching the app's status. */
    if (ctx->session.reject_status != errSecSuccess)
        return st_verify_fail(store, st_verify_error_for_alert(st_alert_for_rejection(
                                         ctx->session.reject_status, SSL_AD_CERTIFICATE_UNKNOWN)));
    /* Resumed after this handshake's break: the app has judged the trust itself. */
    if (ctx->session.peer_auth_break_taken)
        return 1;
    CFArrayRef chain = st_verify_copy_peer_chain(X509_STORE_CTX_get0_cert(store),
                                                 X509_STORE_CTX_get0_untrusted(store));
    SecTrustRef trust = chain != NULL ? st_verify_create_trust(ctx, chain) : NULL;
    if (trust == NULL) {
        if (chain != NULL)
            CFRelease(chain);
        return st_verify_fail(store, X509_V_ERR_OUT_OF_MEM);
    }
    if (ctx->session.peer_trust != NULL)
        CFRelease(ctx->session.peer_trust);
    ctx->session.peer_trust = trust;
    if (st_verify_identity_changed(ctx, chain)) {
        CFRelease(chain);
        ctx->session.verify_failure_status = errSSLProtocol;
        return st_verify_fail(store, X509_V_ERR_CERT_REJECTED);
    }
    st_verify_remember_chain(ctx, chain);
    SSLSessionOption brk =
        ctx->server ? kSSLSessionOptionBreakOnClientAuth : kSSLSessionOptionBreakOnServerAuth;
    if (ctx->session_options[brk]) {
        CFRelease(chain);
        return st_verify_break(ctx, ssl);
    }
    bool ok = !ctx->verify_cert || st_verify_trust_passes(ctx, trust, chain);
    CFRelease(chain);
    if (ctx->server)
        ctx->session.client_cert_state = ok ? kSSLClientCertSent : kSSLClientCertRejected;
    return ok ? 1 : st_verify_fail(store, ST_X509_ERR_CERT_UNKNOWN);
}

void st_verify_note_session_chain(struct st_context *ctx)
{
    if (ctx->session.peer_chain != NULL || ctx->session.ssl == NULL)
        return;
    X509 *leaf = SSL_get0_peer_certificate(ctx->session.ssl);
    if (leaf != NULL)
        ctx->session.peer_chain =
            st_verify_copy_peer_chain(leaf, SSL_get_peer_cert_chain(ctx->session.ssl));
}

SecTrustRef st_peer_trust_copy(struct st_context *ctx)
{
    if (ctx->session.peer_trust != NULL)
        return (SecTrustRef)CFRetain(ctx->session.peer_trust);
    if (ctx->session.ssl == NULL)
        return NULL;
    X509 *leaf = SSL_get0_peer_certificate(ctx->session.ssl);
    if (leaf == NULL)
        return NULL;
    /* A resumed session: the chain comes from the session, unevaluated (§14). */
    CFArrayRef chain = st_verify_copy_peer_chain(leaf, SSL_get_peer_cert_chain(ctx->session.ssl));
    if (chain == NULL)
        return NULL;
    ctx->session.peer_trust = st_verify_create_trust(ctx, chain);
    CFRelease(chain);
    return ctx->session.peer_trust != NULL ? (SecTrustRef)CFRetain(ctx->session.peer_trust) : NULL;
}
