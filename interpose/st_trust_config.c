/*
 * The legacy certificate-verification switches (behaviour.md §9): flags the
 * handshake reads when it evaluates the peer's chain.
 */
#include "st_entry.h"

OSStatus SSLSetEnableCertVerify(SSLContextRef context, Boolean enableVerify)
{
    ST_ENTER(SSLSetEnableCertVerify, context, ctx);
    ctx->verify_cert = enableVerify != 0;
    return errSecSuccess;
}

OSStatus SSLGetEnableCertVerify(SSLContextRef context, Boolean *enableVerify)
{
    ST_ENTER(SSLGetEnableCertVerify, context, ctx);
    ST_REQUIRE(enableVerify != NULL);
    *enableVerify = ctx->verify_cert;
    return errSecSuccess;
}

OSStatus SSLSetAllowsAnyRoot(SSLContextRef context, Boolean anyRoot)
{
    ST_ENTER(SSLSetAllowsAnyRoot, context, ctx);
    ctx->allow_any_root = anyRoot != 0;
    return errSecSuccess;
}

OSStatus SSLGetAllowsAnyRoot(SSLContextRef context, Boolean *anyRoot)
{
    ST_ENTER(SSLGetAllowsAnyRoot, context, ctx);
    ST_REQUIRE(anyRoot != NULL);
    *anyRoot = ctx->allow_any_root;
    return errSecSuccess;
}

/* 10.15 ignores these two setters entirely, even for a NULL context (ST_NOOP_SUCCESS). */
OSStatus SSLSetAllowsExpiredCerts(SSLContextRef context, Boolean allowsExpired)
{
    (void)context;
    (void)allowsExpired;
    ST_NOOP(SSLSetAllowsExpiredCerts);
}

OSStatus SSLSetAllowsExpiredRoots(SSLContextRef context, Boolean allowsExpired)
{
    (void)context;
    (void)allowsExpired;
    ST_NOOP(SSLSetAllowsExpiredRoots);
}

/* ...and their getters always answer errSecUnimplemented (ST_NOOP_UNIMPLEMENTED). */
OSStatus SSLGetAllowsExpiredCerts(SSLContextRef context, Boolean *allowsExpired)
{
    (void)context;
    (void)allowsExpired;
    ST_NOOP(SSLGetAllowsExpiredCerts);
}

OSStatus SSLGetAllowsExpiredRoots(SSLContextRef context, Boolean *allowsExpired)
{
    (void)context;
    (void)allowsExpired;
    ST_NOOP(SSLGetAllowsExpiredRoots);
}

/* OpenSSL always blinds RSA private-key operations; the flag is kept for the getter. */
OSStatus SSLSetRsaBlinding(SSLContextRef context, Boolean blinding)
{
    ST_ENTER(SSLSetRsaBlinding, context, ctx);
    ctx->rsa_blinding = blinding != 0;
    return errSecSuccess;
}

OSStatus SSLGetRsaBlinding(SSLContextRef context, Boolean *blinding)
{
    ST_ENTER(SSLGetRsaBlinding, context, ctx);
    ST_REQUIRE(blinding != NULL);
    *blinding = ctx->rsa_blinding;
    return errSecSuccess;
}
