/*
 * What the getters ask about the running connection: the suite, the ALPN
 * result, the resumed session, the CA names a server sent, the decrypted
 * bytes waiting. The entry points in interpose/ reach OpenSSL's connection
 * only through these, so st_engine.h stays the one boundary.
 */
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "st_engine.h"

bool st_engine_started(const struct st_context *ctx)
{
    return ctx->session.ssl != NULL;
}

uint16_t st_conninfo_cipher(const struct st_context *ctx)
{
    if (ctx->session.ssl == NULL)
        return SSL_NULL_WITH_NULL_NULL;
    /* Mid-handshake the suite is known before it is in force (behaviour.md §11). */
    const SSL_CIPHER *c = SSL_get_current_cipher(ctx->session.ssl);
    if (c == NULL)
        c = SSL_get_pending_cipher(ctx->session.ssl);
    return c != NULL ? SSL_CIPHER_get_protocol_id(c) : SSL_NULL_WITH_NULL_NULL;
}

size_t st_conninfo_alpn_selected(const struct st_context *ctx, const uint8_t **name)
{
    *name = NULL;
    if (ctx->session.ssl == NULL)
        return 0;
    unsigned int len = 0;
    SSL_get0_alpn_selected(ctx->session.ssl, name, &len);
    return len;
}

bool st_conninfo_resumed_session_id(const struct st_context *ctx, const uint8_t **id, size_t *len)
{
    *id = NULL;
    *len = 0;
    SSL_SESSION *session = ctx->session.ssl != NULL ? SSL_get_session(ctx->session.ssl) : NULL;
    if (session == NULL || !SSL_session_reused(ctx->session.ssl))
        return false;
    unsigned int n = 0;
    *id = SSL_SESSION_get_id(session, &n);
    *len = n;
    return true;
}

CFArrayRef st_conninfo_copy_received_authorities(const struct st_context *ctx)
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

size_t st_conninfo_pending_bytes(const struct st_context *ctx)
{
    return ctx->session.ssl != NULL ? (size_t)SSL_pending(ctx->session.ssl) : 0;
}
