/*
 * The acceptable client-certificate authorities: the server's list, sent
 * in CertificateRequest, and the list a client received (behaviour.md §13).
 */
#include <limits.h>

#include "engine/st_engine.h"
#include "sec_internal.h"
#include "st_entry.h"

/* Apple prepends, so the list ends up in reverse order of insertion. */
ST_MUST_USE static OSStatus st_authority_prepend_data(struct st_context *ctx, CFDataRef data)
{
    if (ctx->authorities == NULL) {
        ctx->authorities = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
        if (ctx->authorities == NULL)
            return errSecAllocate;
    }
    CFArrayInsertValueAtIndex(ctx->authorities, 0, data);
    return errSecSuccess;
}

/* One DER Name, whole, or errSecParam (§13). */
ST_MUST_USE static OSStatus st_authority_prepend(struct st_context *ctx, const void *der,
                                                 size_t len)
{
    if (!st_der_name_valid(der, len))
        return errSecParam;
    CFDataRef data = CFDataCreate(NULL, der, (CFIndex)len);
    if (data == NULL)
        return errSecAllocate;
    OSStatus status = st_authority_prepend_data(ctx, data);
    CFRelease(data);
    return status;
}

OSStatus SSLAddDistinguishedName(SSLContextRef context, const void *derDN, size_t derDNLen)
{
    ST_ENTER(SSLAddDistinguishedName, context, ctx);
    ST_REQUIRE(derDN != NULL && derDNLen > 0 && derDNLen <= LONG_MAX);
    return st_authority_prepend(ctx, derDN, derDNLen);
}

ST_MUST_USE static OSStatus st_authority_add_certificate(struct st_context *ctx, CFTypeRef item)
{
    CFDataRef subject = NULL;
    OSStatus status = st_certificate_copy_subject_der(item, &subject);
    if (status != errSecSuccess)
        return status;
    status = st_authority_prepend_data(ctx, subject);
    CFRelease(subject);
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

/* Server: its own list. Client: what the server asked for. NULL with 0 when empty. */
OSStatus SSLCopyDistinguishedNames(SSLContextRef context, CFArrayRef *names)
{
    ST_ENTER(SSLCopyDistinguishedNames, context, ctx);
    ST_REQUIRE(names != NULL);
    *names = NULL;
    if (!ctx->server)
        *names = st_conninfo_copy_received_authorities(ctx);
    else if (ctx->authorities != NULL && CFArrayGetCount(ctx->authorities) > 0)
        *names = CFArrayCreateCopy(NULL, ctx->authorities);
    return errSecSuccess;
}
