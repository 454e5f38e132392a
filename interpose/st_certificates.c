/*
 * The local identity and the peer's certificates (behaviour.md §9):
 * SSLSetCertificate, the trusted roots and leaves, SSLCopyPeerTrust and
 * SSLCopyPeerCertificates.
 */
#include "engine/st_engine.h"
#include "sec_internal.h"
#include "st_entry.h"

static bool st_is_array_of_certificates(CFArrayRef array, CFIndex first)
{
    if (CFGetTypeID(array) != CFArrayGetTypeID())
        return false;
    for (CFIndex i = first; i < CFArrayGetCount(array); i++)
        if (sec_certificate_x509(CFArrayGetValueAtIndex(array, i)) == NULL)
            return false;
    return true;
}

/* The identity's key must be one the engine can use (RSA or EC, as in Apple's engine). */
static bool st_identity_usable(CFTypeRef item)
{
    if (item == NULL || CFGetTypeID(item) != SecIdentityGetTypeID())
        return false;
    SecKeyRef key = NULL;
    if (SecIdentityCopyPrivateKey((SecIdentityRef)item, &key) != errSecSuccess || key == NULL)
        return false;
    bool supported = st_identity_key_supported(key);
    CFRelease(key);
    return supported;
}

static void st_replace_array(CFArrayRef *slot, CFArrayRef value)
{
    if (value != NULL)
        CFRetain(value);
    if (*slot != NULL)
        CFRelease(*slot);
    *slot = value;
}

/* No active-session check: it is called mid-handshake after the break points. */
OSStatus SSLSetCertificate(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetCertificate, context, ctx);
    if (certRefs == NULL) {
        st_replace_array(&ctx->certificates, NULL);
        st_replace_array(&ctx->certificates_given, NULL);
        return errSecSuccess;
    }
    ST_REQUIRE(CFGetTypeID(certRefs) == CFArrayGetTypeID());
    /*
     * 10.15 takes the chain in at this call and keeps a reference to the
     * caller's array (behaviour.md §9): what a mutable array holds later is
     * never seen, so the checks below hold at handshake time. An immutable
     * array's copy is the array itself, one reference as in 10.15.
     */
    CFArrayRef chain = CFArrayCreateCopy(NULL, certRefs);
    if (chain == NULL)
        return errSecAllocate;
    OSStatus status = errSecSuccess;
    if (CFArrayGetCount(chain) == 0)
        status = errSSLBadCert;
    else if (!st_identity_usable(CFArrayGetValueAtIndex(chain, 0)) ||
             !st_is_array_of_certificates(chain, 1))
        status = errSecParam;
    if (status == errSecSuccess) {
        st_replace_array(&ctx->certificates, chain);
        st_replace_array(&ctx->certificates_given, chain != certRefs ? certRefs : NULL);
    }
    CFRelease(chain);
    return status;
}

/* Kept for the API only: no effect since macOS 10.10. */
OSStatus SSLSetEncryptionCertificate(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetEncryptionCertificate, context, ctx);
    ST_REQUIRE(certRefs != NULL && CFGetTypeID(certRefs) == CFArrayGetTypeID());
    st_replace_array(&ctx->encryption_certificates, certRefs);
    return errSecSuccess;
}

/* `replaceExisting` means these roots only; otherwise they join the system's. */
OSStatus SSLSetTrustedRoots(SSLContextRef context, CFArrayRef trustedRoots, Boolean replaceExisting)
{
    ST_ENTER(SSLSetTrustedRoots, context, ctx);
    ST_REQUIRE(trustedRoots != NULL && st_is_array_of_certificates(trustedRoots, 0));
    CFMutableArrayRef roots = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    if (roots == NULL)
        return errSecAllocate;
    if (!replaceExisting && ctx->trusted_roots != NULL)
        CFArrayAppendArray(roots, ctx->trusted_roots,
                           CFRangeMake(0, CFArrayGetCount(ctx->trusted_roots)));
    CFArrayAppendArray(roots, trustedRoots, CFRangeMake(0, CFArrayGetCount(trustedRoots)));
    /* CFArrayAppendArray cannot report running out of memory; a short array says so. */
    CFIndex expected = CFArrayGetCount(trustedRoots);
    if (!replaceExisting && ctx->trusted_roots != NULL)
        expected += CFArrayGetCount(ctx->trusted_roots);
    if (CFArrayGetCount(roots) != expected) {
        CFRelease(roots);
        return errSecAllocate;
    }
    st_replace_array(&ctx->trusted_roots, roots);
    CFRelease(roots);
    if (replaceExisting)
        ctx->trusted_roots_only = true;
    return errSecSuccess;
}

/* The context's own roots (+1), or the system's SSL anchors when none were set. */
OSStatus SSLCopyTrustedRoots(SSLContextRef context, CFArrayRef *trustedRoots)
{
    ST_ENTER(SSLCopyTrustedRoots, context, ctx);
    ST_REQUIRE(trustedRoots != NULL);
    *trustedRoots = NULL;
    if (ctx->trusted_roots != NULL) {
        *trustedRoots = CFRetain(ctx->trusted_roots);
        return errSecSuccess;
    }
    return SecTrustCopyAnchorCertificates(trustedRoots);
}

OSStatus SSLSetTrustedLeafCertificates(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetTrustedLeafCertificates, context, ctx);
    /* 10.15 takes NULL as "no trusted leaves": the list is cleared. */
    if (certRefs == NULL) {
        st_replace_array(&ctx->trusted_leaves, NULL);
        return errSecSuccess;
    }
    ST_REQUIRE(st_is_array_of_certificates(certRefs, 0));
    CFArrayRef copy = CFArrayCreateCopy(NULL, certRefs);
    if (copy == NULL)
        return errSecAllocate;
    st_replace_array(&ctx->trusted_leaves, copy);
    CFRelease(copy);
    return errSecSuccess;
}

/* errSecSuccess with NULL before the peer has sent a certificate (§9). */
OSStatus SSLCopyPeerTrust(SSLContextRef context, SecTrustRef *trust)
{
    ST_ENTER(SSLCopyPeerTrust, context, ctx);
    ST_REQUIRE(trust != NULL);
    *trust = st_peer_trust_copy(ctx);
    return errSecSuccess;
}

/* The chain as the trust builds it, leaf to anchor; errSecBadReq before there is one. */
OSStatus SSLCopyPeerCertificates(SSLContextRef context, CFArrayRef *certs)
{
    ST_ENTER(SSLCopyPeerCertificates, context, ctx);
    ST_REQUIRE(certs != NULL);
    *certs = NULL;
    SecTrustRef trust = st_peer_trust_copy(ctx);
    if (trust == NULL)
        return errSecBadReq;
    CFMutableArrayRef chain = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    CFIndex count = SecTrustGetCertificateCount(trust);
    for (CFIndex i = 0; chain != NULL && i < count; i++)
        CFArrayAppendValue(chain, SecTrustGetCertificateAtIndex(trust, i));
    CFRelease(trust);
    if (chain == NULL)
        return errSecAllocate;
    *certs = chain;
    return errSecSuccess;
}
