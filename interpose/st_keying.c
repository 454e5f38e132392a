/*
 * Keying material the app supplies or asks about: session resumption info,
 * pre-shared keys (SPI) and the server's Diffie-Hellman group.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/st_engine.h"
#include "st_entry.h"

OSStatus SSLGetResumableSessionInfo(SSLContextRef context, Boolean *sessionWasResumed,
                                    void *sessionID, size_t *sessionIDLength)
{
    ST_ENTER(SSLGetResumableSessionInfo, context, ctx);
    ST_REQUIRE(sessionWasResumed != NULL && sessionID != NULL && sessionIDLength != NULL);
    SSL_SESSION *session = ctx->session.ssl != NULL ? SSL_get_session(ctx->session.ssl) : NULL;
    *sessionWasResumed = session != NULL && SSL_session_reused(ctx->session.ssl);
    if (!*sessionWasResumed) {
        *sessionIDLength = 0;
        return errSecSuccess;
    }
    unsigned int len = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &len);
    if (*sessionIDLength < len)
        return errSSLBufferOverflow;
    memcpy(sessionID, id, len);
    *sessionIDLength = len;
    return errSecSuccess;
}

/* OpenSSL's PSK callbacks take at most PSK_MAX_PSK_LEN bytes of secret. */
OSStatus SSLSetPSKSharedSecret(SSLContextRef context, const void *secret, size_t secretLen)
{
    ST_ENTER(SSLSetPSKSharedSecret, context, ctx);
    ST_REQUIRE(secret != NULL || secretLen == 0);
    ST_REQUIRE(secretLen <= PSK_MAX_PSK_LEN);
    return st_replace_bytes(&ctx->psk_secret, &ctx->psk_secret_len, secret, secretLen);
}

OSStatus SSLSetPSKIdentity(SSLContextRef context, const void *pskIdentity, size_t pskIdentityLen)
{
    ST_ENTER(SSLSetPSKIdentity, context, ctx);
    ST_REQUIRE(pskIdentity != NULL || pskIdentityLen == 0);
    ST_REQUIRE(pskIdentityLen <= PSK_MAX_IDENTITY_LEN);
    ST_REQUIRE(pskIdentityLen == 0 || memchr(pskIdentity, 0, pskIdentityLen) == NULL);
    return st_replace_bytes(&ctx->psk_identity, &ctx->psk_identity_len, pskIdentity,
                            pskIdentityLen);
}

/* A DER PKCS#3 DHParameter; one that does not decode is errSecParam (§11). */
OSStatus SSLSetDiffieHellmanParams(SSLContextRef context, const void *dhParams, size_t dhParamsLen)
{
    ST_ENTER(SSLSetDiffieHellmanParams, context, ctx);
    ST_REQUIRE(dhParams != NULL || dhParamsLen == 0);
    if (dhParamsLen > 0) {
        EVP_PKEY *params = st_dh_params_decode(dhParams, dhParamsLen);
        ST_REQUIRE(params != NULL);
        EVP_PKEY_free(params);
    }
    return st_replace_bytes(&ctx->dh_params, &ctx->dh_params_len, dhParams, dhParamsLen);
}

/* The context's own copy (+0), NULL and 0 when none was set. */
OSStatus SSLGetDiffieHellmanParams(SSLContextRef context, const void **dhParams,
                                   size_t *dhParamsLen)
{
    ST_ENTER(SSLGetDiffieHellmanParams, context, ctx);
    ST_REQUIRE(dhParams != NULL && dhParamsLen != NULL);
    *dhParams = ctx->dh_params;
    *dhParamsLen = ctx->dh_params_len;
    return errSecSuccess;
}
