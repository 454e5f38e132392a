/*
 * The acceptable client-certificate authorities: the server's list, sent
 * in CertificateRequest, and the list a client received (semantics.md §13).
 */
#include <limits.h>
#include <openssl/x509.h>

#include "engine/st_engine.h"
#include "sec_internal.h"
#include "st_entry.h"

/* Apple prepends, so the list ends up in reverse order of insertion. */
static OSStatus st_authority_prepend(struct st_context *ctx, const void *der, size_t len)
{
    const unsigned char *p = der;
    X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)len);
    bool whole = name != NULL && p == (const unsigned char *)der + len;
    X509_NAME_free(name);
    if (!whole)
        return errSecParam;
    if (ctx->authorities == NULL) {
        ctx->authorities = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
        if (ctx->authorities == NULL)
            return errSecAllocate;
    }
    CFDataRef data = CFDataCreate(NULL, der, (CFIndex)len);
    if (data == NULL)
        return errSecAllocate;
    CFArrayInsertValueAtIndex(ctx->authorities, 0, data);
    CFRelease(data);
    return errSecSuccess;
}

OSStatus SSLAddDistinguishedName(SSLContextRef context, const void *derDN, size_t derDNLen)
{
    ST_ENTER(SSLAddDistinguishedName, context, ctx);
    ST_REQUIRE(derDN != NULL && derDNLen > 0 && derDNLen <= LONG_MAX);
    return st_authority_prepend(ctx, derDN, derDNLen);
}

static OSStatus st_authority_add_certificate(struct st_context *ctx, CFTypeRef item)
{
    X509 *x = sec_certificate_x509(item);
    if (x == NULL)
        return errSecParam;
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(X509_get_subject_name(x), &der);
    if (len <= 0)
        return errSecParam;
    OSStatus status = st_authority_prepend(ctx, der, (size_t)len);
    OPENSSL_free(der);
    if (status == errSecSuccess)
        CFArrayAppendValue(ctx->authority_certificates, item);
    return status;
}

/* Refused on client contexts and during a session, with errSecParam (§13). */
OSStatus SSLSetCertificateAuthorities(SSLContextRef context, CFTypeRef certificateOrArray,
                                      Boolean replaceExisting)
{
    ST_ENTER(SSLSetCertificateAuthorities, context, ctx);
    ST_REQUIRE(ctx->server && !st_session_active(ctx) && certificateOrArray != NULL);
    bool is_array = CFGetTypeID(certificateOrArray) == CFArrayGetTypeID();
    ST_REQUIRE(is_array || sec_certificate_x509(certificateOrArray) != NULL);
    if (is_array)
        for (CFIndex i = 0; i < CFArrayGetCount(certificateOrArray); i++)
            ST_REQUIRE(sec_certificate_x509(CFArrayGetValueAtIndex(certificateOrArray, i)));
    if (replaceExisting || ctx->authority_certificates == NULL) {
        if (ctx->authority_certificates != NULL)
            CFRelease(ctx->authority_certificates);
        if (ctx->authorities != NULL)
            CFArrayRemoveAllValues(ctx->authorities);
        ctx->authority_certificates = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
        if (ctx->authority_certificates == NULL)
            return errSecAllocate;
    }
    if (!is_array)
        return st_authority_add_certificate(ctx, certificateOrArray);
    for (CFIndex i = 0; i < CFArrayGetCount(certificateOrArray); i++) {
        OSStatus status =
            st_authority_add_certificate(ctx, CFArrayGetValueAtIndex(certificateOrArray, i));
        if (status != errSecSuccess)
            return status;
    }
    return errSecSuccess;
}

OSStatus SSLCopyCertificateAuthorities(SSLContextRef context, CFArrayRef *certificates)
{
    ST_ENTER(SSLCopyCertificateAuthorities, context, ctx);
    ST_REQUIRE(certificates != NULL);
    *certificates = NULL;
    if (ctx->authority_certificates != NULL && CFArrayGetCount(ctx->authority_certificates) > 0)
        *certificates = CFArrayCreateCopy(NULL, ctx->authority_certificates);
    return errSecSuccess;
}

/* The names a client received in CertificateRequest, as DER CFData. */
static CFArrayRef st_received_authorities(const struct st_context *ctx)
{
    STACK_OF(X509_NAME) *names =
        ctx->session.ssl != NULL ? SSL_get_client_CA_list(ctx->session.ssl) : NULL;
    if (sk_X509_NAME_num(names) <= 0)
        return NULL;
    CFMutableArrayRef list = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    for (int i = 0; list != NULL && i < sk_X509_NAME_num(names); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
        if (len <= 0)
            continue;
        CFDataRef data = CFDataCreate(NULL, der, len);
        OPENSSL_free(der);
        if (data != NULL) {
            CFArrayAppendValue(list, data);
            CFRelease(data);
        }
    }
    return list;
}

/* Server: its own list. Client: what the server asked for. NULL with 0 when empty. */
OSStatus SSLCopyDistinguishedNames(SSLContextRef context, CFArrayRef *names)
{
    ST_ENTER(SSLCopyDistinguishedNames, context, ctx);
    ST_REQUIRE(names != NULL);
    *names = NULL;
    if (!ctx->server)
        *names = st_received_authorities(ctx);
    else if (ctx->authorities != NULL && CFArrayGetCount(ctx->authorities) > 0)
        *names = CFArrayCreateCopy(NULL, ctx->authorities);
    return errSecSuccess;
}
