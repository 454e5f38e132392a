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
    const uint8_t *id = NULL;
    size_t len = 0;
    *sessionWasResumed = st_conninfo_resumed_session_id(ctx, &id, &len);
    if (!*sessionWasResumed) {
        *sessionIDLength = 0;
        return errSecSuccess;
    }
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
    ST_REQUIRE(secretLen <= ST_PSK_MAX_SECRET);
    return st_replace_bytes(&ctx->psk_secret, &ctx->psk_secret_len, secret, secretLen);
}

OSStatus SSLSetPSKIdentity(SSLContextRef context, const void *pskIdentity, size_t pskIdentityLen)
{
    ST_ENTER(SSLSetPSKIdentity, context, ctx);
    ST_REQUIRE(pskIdentity != NULL || pskIdentityLen == 0);
    ST_REQUIRE(pskIdentityLen <= ST_PSK_MAX_IDENTITY);
    ST_REQUIRE(pskIdentityLen == 0 || memchr(pskIdentity, 0, pskIdentityLen) == NULL);
    return st_replace_bytes(&ctx->psk_identity, &ctx->psk_identity_len, pskIdentity,
                            pskIdentityLen);
}

/* A DER PKCS#3 DHParameter; one that does not decode is errSecParam (§11). */
OSStatus SSLSetDiffieHellmanParams(SSLContextRef context, const void *dhParams, size_t dhParamsLen)
{
    ST_ENTER(SSLSetDiffieHellmanParams, context, ctx);
    ST_REQUIRE(dhParams != NULL || dhParamsLen == 0);
    ST_REQUIRE(dhParamsLen == 0 || st_dh_params_valid(dhParams, dhParamsLen));
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
