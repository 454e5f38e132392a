/*
 * SecureTransportPriv.h: Secure Transport SPI, absent from the public SDK
 * header but called by real programs.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECURETRANSPORTPRIV_H_
#define _SECURITY_SECURETRANSPORTPRIV_H_

#include <Security/SecureTransport.h>

CF_EXTERN_C_BEGIN

/* The largest session ID SSLGetResumableSessionInfo writes: a TLS session ID's 32 bytes. */
#define MAX_SESSION_ID_LENGTH 32

CF_EXPORT OSStatus SSLNewDatagramContext(Boolean isServer, SSLContextRef *dtlsContextPtr);
CF_EXPORT OSStatus SSLGetClientSideAuthenticate(SSLContextRef context, SSLAuthenticate *auth);
CF_EXPORT OSStatus SSLSetSessionCacheTimeout(SSLContextRef context, uint32_t timeoutInSeconds);
CF_EXPORT OSStatus SSLGetResumableSessionInfo(SSLContextRef context, Boolean *sessionWasResumed,
                                              void *sessionID, size_t *sessionIDLength);
CF_EXPORT OSStatus SSLSetTrustedLeafCertificates(SSLContextRef context, CFArrayRef certRefs);
CF_EXPORT OSStatus SSLSetMinimumDHGroupSize(SSLContextRef context, unsigned nbits);
/* __extension__: `bool` is C99; the declaration stays clean under -std=c89 -pedantic. */
__extension__ CF_EXPORT OSStatus SSLSetDHEEnabled(SSLContextRef context, bool enabled);
CF_EXPORT OSStatus SSLSetPSKSharedSecret(SSLContextRef context, const void *secret,
                                         size_t secretLen);
CF_EXPORT OSStatus SSLSetPSKIdentity(SSLContextRef context, const void *pskIdentity,
                                     size_t pskIdentityLen);

CF_EXTERN_C_END

#endif
