/*
 * Context lifecycle: creation, the SSLContext CF class, disposal
 * (behaviour.md §2). A context costs one allocation and one table insert;
 * nothing of OpenSSL is created until a handshake needs it.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "engine/st_engine.h"
#include "st_entry.h"

static void st_context_finalize(CFTypeRef cf);
static CFStringRef st_context_copy_description(CFTypeRef cf);

static const struct cf_class st_context_class = {
    .name = "SSLContext",
    .finalize = st_context_finalize,
    .copy_description = st_context_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SSLContextGetTypeID, st_context_class)

static void st_context_set_defaults(struct st_context *ctx, bool server, bool datagram)
{
    ctx->server = server;
    ctx->datagram = datagram;
    ctx->state = ST_STATE_IDLE;
    ctx->verify_cert = true;
    ctx->rsa_blinding = true;
    ctx->session_options[kSSLSessionOptionSendOneByteRecord] = true;
    ctx->min_version = datagram ? ST_DATAGRAM_DEFAULT_MIN : ST_STREAM_DEFAULT_MIN;
    ctx->max_version = datagram ? ST_DATAGRAM_DEFAULT_MAX : ST_STREAM_DEFAULT_MAX;
    ctx->client_auth = kNeverAuthenticate;
    ctx->dtls_mtu = ST_DTLS_DEFAULT_MTU;
    ctx->dhe_enabled = true;
}

/* Apple compares side with kSSLServerSide and type with kSSLDatagramType only. */
SSLContextRef SSLCreateContext(CFAllocatorRef alloc, SSLProtocolSide protocolSide,
                               SSLConnectionType connectionType)
{
    (void)alloc;
    CFTypeID type_id = SSLContextGetTypeID();
    struct st_context *ctx = cf_object_create(type_id, sizeof(*ctx));
    if (ctx == NULL)
        return NULL;
    st_context_set_defaults(ctx, protocolSide == kSSLServerSide,
                            connectionType == kSSLDatagramType);
    if (!st_context_table_insert(ctx)) {
        free(ctx); /* never published: the finalizer has nothing to undo */
        return NULL;
    }
    return (SSLContextRef)ctx;
}

ST_MUST_USE static OSStatus st_context_new(Boolean isServer, SSLConnectionType type,
                                           SSLContextRef *out)
{
    if (out == NULL)
        return errSecParam;
    *out = SSLCreateContext(kCFAllocatorDefault, isServer ? kSSLServerSide : kSSLClientSide, type);
    return *out != NULL ? errSecSuccess : errSecAllocate;
}

OSStatus SSLNewContext(Boolean isServer, SSLContextRef *contextPtr)
{
    return st_context_new(isServer, kSSLStreamType, contextPtr);
}

OSStatus SSLNewDatagramContext(Boolean isServer, SSLContextRef *dtlsContextPtr)
{
    return st_context_new(isServer, kSSLDatagramType, dtlsContextPtr);
}

/*
 * Drops the app's reference. ST_ENTER's own reference keeps the context
 * until this returns (or, called from a callback, until the running call
 * returns); the finalizer runs then.
 */
OSStatus SSLDisposeContext(SSLContextRef context)
{
    ST_ENTER(SSLDisposeContext, context, ctx);
    CFRelease(ctx);
    return errSecSuccess;
}

/* Last CFRelease: leave the table first, so no lookup can return a dying context. */
static void st_context_finalize(CFTypeRef cf)
{
    struct st_context *ctx = (struct st_context *)cf;
    st_context_table_remove(ctx);
    st_engine_free(ctx);
    free(ctx->peer_name);
    CFTypeRef owned[] = {
        ctx->certificates,           ctx->certificates_given, ctx->encryption_certificates,
        ctx->trusted_roots,          ctx->trusted_leaves,     ctx->authorities,
        ctx->authority_certificates, ctx->ocsp_response};
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
        if (owned[i] != NULL)
            CFRelease(owned[i]);
    free(ctx->enabled_ciphers);
    /*
     * Freed the way they are replaced: wiped first (the PSK is a secret).
     * Clearing allocates nothing, so it cannot fail: the results say nothing.
     */
    (void)st_replace_bytes(&ctx->peer_id, &ctx->peer_id_len, NULL, 0);
    (void)st_replace_bytes(&ctx->alpn, &ctx->alpn_len, NULL, 0);
    (void)st_replace_bytes(&ctx->dh_params, &ctx->dh_params_len, NULL, 0);
    (void)st_replace_bytes(&ctx->psk_secret, &ctx->psk_secret_len, NULL, 0);
    (void)st_replace_bytes(&ctx->psk_identity, &ctx->psk_identity_len, NULL, 0);
}

static const char *const st_state_names[] = {
    [ST_STATE_IDLE] = "idle",
    [ST_STATE_HANDSHAKE] = "handshake",
    [ST_STATE_CONNECTED] = "connected",
    [ST_STATE_CLOSED] = "closed",
    [ST_STATE_ERROR_CLOSED] = "aborted",
    [ST_STATE_OUT_OF_BAND] = "aborted (SSLSetError)",
};

static CFStringRef st_context_copy_description(CFTypeRef cf)
{
    const struct st_context *ctx = cf;
    return cf_string_create_format(
        "<SSLContext(%p) { %s, %s, %s }>", cf, ctx->server ? "server" : "client",
        ctx->datagram ? "datagram" : "stream", st_state_names[ctx->state]);
}
