/*
 * ALPN and OCSP stapling (behaviour.md §15).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/st_engine.h"
#include "st_entry.h"

/* Apple converts through a 32-byte buffer: names of 32 or more bytes are skipped. */
enum { ST_ALPN_NAME_MAX = 31, ST_ALPN_LIST_MAX = 255 };

/* The ASCII name of one array element; false for anything Apple skips. */
static bool st_alpn_name(CFTypeRef item, char name[ST_ALPN_NAME_MAX + 1])
{
    return item != NULL && CFGetTypeID(item) == CFStringGetTypeID() &&
           CFStringGetCString(item, name, ST_ALPN_NAME_MAX + 1, kCFStringEncodingASCII) &&
           name[0] != '\0';
}

OSStatus SSLSetALPNProtocols(SSLContextRef context, CFArrayRef protocols)
{
    ST_ENTER(SSLSetALPNProtocols, context, ctx);
    ST_REQUIRE(protocols != NULL && CFGetTypeID(protocols) == CFArrayGetTypeID() &&
               CFArrayGetCount(protocols) > 0);
    uint8_t wire[ST_ALPN_LIST_MAX];
    size_t len = 0;
    for (CFIndex i = 0; i < CFArrayGetCount(protocols); i++) {
        char name[ST_ALPN_NAME_MAX + 1];
        if (!st_alpn_name(CFArrayGetValueAtIndex(protocols, i), name))
            continue;
        size_t n = strlen(name);
        ST_REQUIRE(len + 1 + n <= ST_ALPN_LIST_MAX);
        wire[len++] = (uint8_t)n;
        memcpy(wire + len, name, n);
        len += n;
    }
    return st_replace_bytes(&ctx->alpn, &ctx->alpn_len, wire, len);
}

/* A wire-format list as a CFArray of CFStrings; NULL if malformed. */
static CFArrayRef st_alpn_decode(const uint8_t *wire, size_t len)
{
    CFMutableArrayRef list = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    size_t at = 0;
    while (list != NULL && at < len) {
        size_t n = wire[at++];
        if (n == 0 || n > len - at)
            goto malformed;
        CFStringRef name =
            CFStringCreateWithBytes(NULL, wire + at, (CFIndex)n, kCFStringEncodingASCII, false);
        if (name == NULL)
            goto malformed;
        CFArrayAppendValue(list, name);
        CFRelease(name);
        at += n;
    }
    return list;
malformed:
    CFRelease(list);
    return NULL;
}

/*
 * Client: the protocol the server chose. Server: the client's offer.
 * Nothing received is errSecParam with NULL, as in 10.15.
 */
OSStatus SSLCopyALPNProtocols(SSLContextRef context, CFArrayRef *protocols)
{
    ST_ENTER(SSLCopyALPNProtocols, context, ctx);
    ST_REQUIRE(protocols != NULL);
    *protocols = NULL;
    const uint8_t *wire = NULL;
    size_t len = 0;
    uint8_t selected[ST_ALPN_LIST_MAX + 2];
    if (ctx->server) {
        wire = ctx->session.peer_alpn;
        len = ctx->session.peer_alpn_len;
    } else {
        const uint8_t *name = NULL;
        size_t n = st_conninfo_alpn_selected(ctx, &name);
        if (n > 0 && n <= ST_ALPN_LIST_MAX) {
            selected[0] = (uint8_t)n;
            memcpy(selected + 1, name, n);
            wire = selected;
            len = n + 1;
        }
    }
    ST_REQUIRE(wire != NULL && len > 0);
    *protocols = st_alpn_decode(wire, len);
    return *protocols != NULL ? errSecSuccess : errSecParam;
}

OSStatus SSLSetOCSPResponse(SSLContextRef context, CFDataRef response)
{
    ST_ENTER(SSLSetOCSPResponse, context, ctx);
    ST_REQUIRE(response != NULL && CFGetTypeID(response) == CFDataGetTypeID());
    CFDataRef copy = CFDataCreateCopy(NULL, response);
    if (copy == NULL)
        return errSecAllocate;
    if (ctx->ocsp_response != NULL)
        CFRelease(ctx->ocsp_response);
    ctx->ocsp_response = copy;
    return errSecSuccess;
}
