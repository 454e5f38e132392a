/*
 * Client authentication settings (behaviour.md §13). The certificate state
 * moves as the handshake runs; before it, it is kSSLClientCertNone.
 */
#include "st_entry.h"

OSStatus SSLSetClientSideAuthenticate(SSLContextRef context, SSLAuthenticate auth)
{
    ST_ENTER(SSLSetClientSideAuthenticate, context, ctx);
    /* 10.15 stores any value; one outside the enum is refused here (README). */
    ST_REQUIRE(auth == kNeverAuthenticate || auth == kAlwaysAuthenticate ||
               auth == kTryAuthenticate);
    ctx->client_auth = auth;
    return errSecSuccess;
}

OSStatus SSLGetClientSideAuthenticate(SSLContextRef context, SSLAuthenticate *auth)
{
    ST_ENTER(SSLGetClientSideAuthenticate, context, ctx);
    ST_REQUIRE(auth != NULL);
    *auth = ctx->client_auth;
    return errSecSuccess;
}

OSStatus SSLGetClientCertificateState(SSLContextRef context, SSLClientCertificateState *clientState)
{
    ST_ENTER(SSLGetClientCertificateState, context, ctx);
    ST_REQUIRE(clientState != NULL);
    *clientState = ctx->session.client_cert_state;
    return errSecSuccess;
}
