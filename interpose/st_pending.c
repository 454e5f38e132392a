/*
 * Entry points whose behaviour needs the TLS engine, certificates or the
 * CoreFoundation containers, which later issues bring (client TLS, the
 * Security subset, the server side). Each runs its real prologue and
 * argument checks now, so NULL, stale and wrong-state calls already get
 * Apple's answers; the work itself reports errSecUnimplemented.
 */
#include "st_entry.h"

#define ST_PENDING return errSecUnimplemented

/* Ciphers (client TLS issue) */

OSStatus SSLSetSessionConfig(SSLContextRef context, CFStringRef config)
{
    ST_ENTER(SSLSetSessionConfig, context, ctx);
    ST_REQUIRE(config != NULL);
    ST_PENDING;
}

OSStatus SSLGetNumberSupportedCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberSupportedCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    ST_PENDING;
}

OSStatus SSLGetSupportedCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetSupportedCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    ST_PENDING;
}

OSStatus SSLGetNumberEnabledCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberEnabledCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    ST_PENDING;
}

OSStatus SSLSetEnabledCiphers(SSLContextRef context, const SSLCipherSuite *ciphers,
                              size_t numCiphers)
{
    ST_ENTER(SSLSetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers > 0);
    ST_PENDING;
}

OSStatus SSLGetEnabledCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    ST_PENDING;
}

/* Only an active session has a cipher (§11): idle, closed and aborted ones get errSecBadReq. */
OSStatus SSLGetNegotiatedCipher(SSLContextRef context, SSLCipherSuite *cipherSuite)
{
    ST_ENTER(SSLGetNegotiatedCipher, context, ctx);
    ST_REQUIRE(cipherSuite != NULL);
    if (!st_session_active(ctx))
        return errSecBadReq;
    ST_PENDING;
}

OSStatus SSLSetDiffieHellmanParams(SSLContextRef context, const void *dhParams, size_t dhParamsLen)
{
    ST_ENTER(SSLSetDiffieHellmanParams, context, ctx);
    ST_REQUIRE(dhParams != NULL || dhParamsLen == 0);
    ST_PENDING;
}

OSStatus SSLGetDiffieHellmanParams(SSLContextRef context, const void **dhParams,
                                   size_t *dhParamsLen)
{
    ST_ENTER(SSLGetDiffieHellmanParams, context, ctx);
    ST_REQUIRE(dhParams != NULL && dhParamsLen != NULL);
    ST_PENDING;
}

OSStatus SSLSetPSKSharedSecret(SSLContextRef context, const void *secret, size_t secretLen)
{
    ST_ENTER(SSLSetPSKSharedSecret, context, ctx);
    ST_REQUIRE(secret != NULL || secretLen == 0);
    ST_PENDING;
}

OSStatus SSLSetPSKIdentity(SSLContextRef context, const void *pskIdentity, size_t pskIdentityLen)
{
    ST_ENTER(SSLSetPSKIdentity, context, ctx);
    ST_REQUIRE(pskIdentity != NULL || pskIdentityLen == 0);
    ST_PENDING;
}

/* Certificates and trust (Security subset and client TLS issues) */

OSStatus SSLSetCertificate(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetCertificate, context, ctx);
    (void)certRefs;
    ST_PENDING;
}

OSStatus SSLSetEncryptionCertificate(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetEncryptionCertificate, context, ctx);
    ST_REQUIRE(certRefs != NULL);
    ST_PENDING;
}

OSStatus SSLSetTrustedRoots(SSLContextRef context, CFArrayRef trustedRoots, Boolean replaceExisting)
{
    ST_ENTER(SSLSetTrustedRoots, context, ctx);
    ST_REQUIRE(trustedRoots != NULL);
    (void)replaceExisting;
    ST_PENDING;
}

OSStatus SSLCopyTrustedRoots(SSLContextRef context, CFArrayRef *trustedRoots)
{
    ST_ENTER(SSLCopyTrustedRoots, context, ctx);
    ST_REQUIRE(trustedRoots != NULL);
    *trustedRoots = NULL;
    ST_PENDING;
}

OSStatus SSLSetTrustedLeafCertificates(SSLContextRef context, CFArrayRef certRefs)
{
    ST_ENTER(SSLSetTrustedLeafCertificates, context, ctx);
    ST_REQUIRE(certRefs != NULL);
    ST_PENDING;
}

OSStatus SSLCopyPeerCertificates(SSLContextRef context, CFArrayRef *certs)
{
    ST_ENTER(SSLCopyPeerCertificates, context, ctx);
    ST_REQUIRE(certs != NULL);
    *certs = NULL;
    ST_PENDING;
}

OSStatus SSLCopyPeerTrust(SSLContextRef context, SecTrustRef *trust)
{
    ST_ENTER(SSLCopyPeerTrust, context, ctx);
    ST_REQUIRE(trust != NULL);
    *trust = NULL;
    ST_PENDING;
}

/* ALPN and OCSP (client TLS and server issues) */

OSStatus SSLSetALPNProtocols(SSLContextRef context, CFArrayRef protocols)
{
    ST_ENTER(SSLSetALPNProtocols, context, ctx);
    ST_REQUIRE(protocols != NULL);
    ST_PENDING;
}

OSStatus SSLCopyALPNProtocols(SSLContextRef context, CFArrayRef *protocols)
{
    ST_ENTER(SSLCopyALPNProtocols, context, ctx);
    ST_REQUIRE(protocols != NULL);
    *protocols = NULL;
    ST_PENDING;
}

OSStatus SSLSetOCSPResponse(SSLContextRef context, CFDataRef response)
{
    ST_ENTER(SSLSetOCSPResponse, context, ctx);
    ST_REQUIRE(response != NULL);
    ST_PENDING;
}

/* Client authentication lists (server issue) */

OSStatus SSLAddDistinguishedName(SSLContextRef context, const void *derDN, size_t derDNLen)
{
    ST_ENTER(SSLAddDistinguishedName, context, ctx);
    ST_REQUIRE(derDN != NULL && derDNLen > 0);
    ST_PENDING;
}

/* Refused on client contexts and during a session, with errSecParam (§13). */
OSStatus SSLSetCertificateAuthorities(SSLContextRef context, CFTypeRef certificateOrArray,
                                      Boolean replaceExisting)
{
    ST_ENTER(SSLSetCertificateAuthorities, context, ctx);
    ST_REQUIRE(ctx->server && !st_session_active(ctx) && certificateOrArray != NULL);
    (void)replaceExisting;
    ST_PENDING;
}

OSStatus SSLCopyCertificateAuthorities(SSLContextRef context, CFArrayRef *certificates)
{
    ST_ENTER(SSLCopyCertificateAuthorities, context, ctx);
    ST_REQUIRE(certificates != NULL);
    *certificates = NULL;
    ST_PENDING;
}

OSStatus SSLCopyDistinguishedNames(SSLContextRef context, CFArrayRef *names)
{
    ST_ENTER(SSLCopyDistinguishedNames, context, ctx);
    ST_REQUIRE(names != NULL);
    *names = NULL;
    ST_PENDING;
}

/* Resumption (client TLS issue) */

OSStatus SSLGetResumableSessionInfo(SSLContextRef context, Boolean *sessionWasResumed,
                                    void *sessionID, size_t *sessionIDLength)
{
    ST_ENTER(SSLGetResumableSessionInfo, context, ctx);
    ST_REQUIRE(sessionWasResumed != NULL && sessionID != NULL && sessionIDLength != NULL);
    ST_PENDING;
}
