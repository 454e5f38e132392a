/*
 * SecureTransport.h: Apple's Secure Transport API (macOS 10.15 SDK): the
 * context type, its enums, and the 72 functions.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECURETRANSPORT_H_
#define _SECURITY_SECURETRANSPORT_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/CipherSuite.h>
#include <Security/SecBase.h>
#include <Security/SecProtocolTypes.h>
#include <Security/SecTrust.h>
#include <sys/types.h>

CF_EXTERN_C_BEGIN

/* A CF object: CFRetain, CFRelease and CFGetTypeID work on it. */
typedef struct SSLContext *SSLContextRef;

/* The app's own cookie for its connection: stored as is, never dereferenced. */
typedef const void *SSLConnectionRef;

typedef CF_ENUM(int, SSLSessionOption) {
    kSSLSessionOptionBreakOnServerAuth = 0,
    kSSLSessionOptionBreakOnCertRequested = 1,
    kSSLSessionOptionBreakOnClientAuth = 2,
    kSSLSessionOptionFalseStart = 3,
    kSSLSessionOptionSendOneByteRecord = 4,
    kSSLSessionOptionAllowServerIdentityChange = 5,
    kSSLSessionOptionFallback = 6,
    kSSLSessionOptionBreakOnClientHello = 7,
    kSSLSessionOptionAllowRenegotiation = 8,
    kSSLSessionOptionEnableSessionTickets = 9
};

typedef CF_CLOSED_ENUM(int, SSLSessionState) {
    kSSLIdle = 0,
    kSSLHandshake = 1,
    kSSLConnected = 2,
    kSSLClosed = 3,
    kSSLAborted = 4
};

typedef CF_ENUM(int, SSLClientCertificateState) {
    kSSLClientCertNone = 0,
    kSSLClientCertRequested = 1,
    kSSLClientCertSent = 2,
    kSSLClientCertRejected = 3
};

/*
 * I/O callbacks: *dataLength is the number of bytes requested on entry and
 * the number transferred on return.
 */
typedef OSStatus (*SSLReadFunc)(SSLConnectionRef connection, void *data, size_t *dataLength);
typedef OSStatus (*SSLWriteFunc)(SSLConnectionRef connection, const void *data, size_t *dataLength);

/* Server is 0, client is 1. */
typedef CF_CLOSED_ENUM(int, SSLProtocolSide) { kSSLServerSide = 0, kSSLClientSide = 1 };

typedef CF_ENUM(int, SSLConnectionType) { kSSLStreamType = 0, kSSLDatagramType = 1 };

typedef CF_ENUM(int, SSLAuthenticate) {
    kNeverAuthenticate = 0,
    kAlwaysAuthenticate = 1,
    kTryAuthenticate = 2
};

/* Aliases of errSSLPeerAuthCompleted and the end of the errSSL range. */
#define errSSLServerAuthCompleted errSSLPeerAuthCompleted
#define errSSLClientAuthCompleted errSSLPeerAuthCompleted
#define errSSLLast                errSSLUnexpectedRecord

/* Session configuration names for SSLSetSessionConfig. */
CF_EXPORT const CFStringRef kSSLSessionConfig_default;
CF_EXPORT const CFStringRef kSSLSessionConfig_ATSv1;
CF_EXPORT const CFStringRef kSSLSessionConfig_ATSv1_noPFS;
CF_EXPORT const CFStringRef kSSLSessionConfig_standard;
CF_EXPORT const CFStringRef kSSLSessionConfig_RC4_fallback;
CF_EXPORT const CFStringRef kSSLSessionConfig_TLSv1_fallback;
CF_EXPORT const CFStringRef kSSLSessionConfig_TLSv1_RC4_fallback;
CF_EXPORT const CFStringRef kSSLSessionConfig_legacy;
CF_EXPORT const CFStringRef kSSLSessionConfig_legacy_DHE;
CF_EXPORT const CFStringRef kSSLSessionConfig_anonymous;
CF_EXPORT const CFStringRef kSSLSessionConfig_3DES_fallback;
CF_EXPORT const CFStringRef kSSLSessionConfig_TLSv1_3DES_fallback;

/* context lifecycle */
CF_EXPORT CFTypeID SSLContextGetTypeID(void);
CF_EXPORT SSLContextRef SSLCreateContext(CFAllocatorRef alloc, SSLProtocolSide protocolSide,
                                         SSLConnectionType connectionType);
CF_EXPORT OSStatus SSLNewContext(Boolean isServer, SSLContextRef *contextPtr);
CF_EXPORT OSStatus SSLDisposeContext(SSLContextRef context);
CF_EXPORT OSStatus SSLGetSessionState(SSLContextRef context, SSLSessionState *state);

/* session options/config */
CF_EXPORT OSStatus SSLSetSessionOption(SSLContextRef context, SSLSessionOption option,
                                       Boolean value);
CF_EXPORT OSStatus SSLGetSessionOption(SSLContextRef context, SSLSessionOption option,
                                       Boolean *value);
CF_EXPORT OSStatus SSLSetSessionConfig(SSLContextRef context, CFStringRef config);
CF_EXPORT OSStatus SSLSetSessionTicketsEnabled(SSLContextRef context, Boolean enabled);

/* I/O setup */
CF_EXPORT OSStatus SSLSetIOFuncs(SSLContextRef context, SSLReadFunc readFunc,
                                 SSLWriteFunc writeFunc);
CF_EXPORT OSStatus SSLSetConnection(SSLContextRef context, SSLConnectionRef connection);
CF_EXPORT OSStatus SSLGetConnection(SSLContextRef context, SSLConnectionRef *connection);

/* protocol version */
CF_EXPORT OSStatus SSLSetProtocolVersionMin(SSLContextRef context, SSLProtocol minVersion);
CF_EXPORT OSStatus SSLGetProtocolVersionMin(SSLContextRef context, SSLProtocol *minVersion);
CF_EXPORT OSStatus SSLSetProtocolVersionMax(SSLContextRef context, SSLProtocol maxVersion);
CF_EXPORT OSStatus SSLGetProtocolVersionMax(SSLContextRef context, SSLProtocol *maxVersion);
CF_EXPORT OSStatus SSLSetProtocolVersionEnabled(SSLContextRef context, SSLProtocol protocol,
                                                Boolean enable);
CF_EXPORT OSStatus SSLGetProtocolVersionEnabled(SSLContextRef context, SSLProtocol protocol,
                                                Boolean *enable);
CF_EXPORT OSStatus SSLSetProtocolVersion(SSLContextRef context, SSLProtocol version);
CF_EXPORT OSStatus SSLGetProtocolVersion(SSLContextRef context, SSLProtocol *protocol);
CF_EXPORT OSStatus SSLGetNegotiatedProtocolVersion(SSLContextRef context, SSLProtocol *protocol);

/* certificates/trust */
CF_EXPORT OSStatus SSLSetCertificate(SSLContextRef context, CFArrayRef certRefs);
CF_EXPORT OSStatus SSLSetEnableCertVerify(SSLContextRef context, Boolean enableVerify);
CF_EXPORT OSStatus SSLGetEnableCertVerify(SSLContextRef context, Boolean *enableVerify);
CF_EXPORT OSStatus SSLSetAllowsExpiredCerts(SSLContextRef context, Boolean allowsExpired);
CF_EXPORT OSStatus SSLGetAllowsExpiredCerts(SSLContextRef context, Boolean *allowsExpired);
CF_EXPORT OSStatus SSLSetAllowsExpiredRoots(SSLContextRef context, Boolean allowsExpired);
CF_EXPORT OSStatus SSLGetAllowsExpiredRoots(SSLContextRef context, Boolean *allowsExpired);
CF_EXPORT OSStatus SSLSetAllowsAnyRoot(SSLContextRef context, Boolean anyRoot);
CF_EXPORT OSStatus SSLGetAllowsAnyRoot(SSLContextRef context, Boolean *anyRoot);
CF_EXPORT OSStatus SSLSetTrustedRoots(SSLContextRef context, CFArrayRef trustedRoots,
                                      Boolean replaceExisting);
CF_EXPORT OSStatus SSLCopyTrustedRoots(SSLContextRef context, CFArrayRef *trustedRoots);
CF_EXPORT OSStatus SSLCopyPeerCertificates(SSLContextRef context, CFArrayRef *certs);
CF_EXPORT OSStatus SSLCopyPeerTrust(SSLContextRef context, SecTrustRef *trust);
CF_EXPORT OSStatus SSLSetEncryptionCertificate(SSLContextRef context, CFArrayRef certRefs);

/* SNI/peer name */
CF_EXPORT OSStatus SSLSetPeerDomainName(SSLContextRef context, const char *peerName,
                                        size_t peerNameLen);
CF_EXPORT OSStatus SSLGetPeerDomainNameLength(SSLContextRef context, size_t *peerNameLen);
CF_EXPORT OSStatus SSLGetPeerDomainName(SSLContextRef context, char *peerName, size_t *peerNameLen);
CF_EXPORT OSStatus SSLCopyRequestedPeerNameLength(SSLContextRef ctx, size_t *peerNameLen);
CF_EXPORT OSStatus SSLCopyRequestedPeerName(SSLContextRef context, char *peerName,
                                            size_t *peerNameLen);

/* DTLS */
CF_EXPORT OSStatus SSLSetDatagramHelloCookie(SSLContextRef dtlsContext, const void *cookie,
                                             size_t cookieLen);
CF_EXPORT OSStatus SSLSetMaxDatagramRecordSize(SSLContextRef dtlsContext, size_t maxSize);
CF_EXPORT OSStatus SSLGetMaxDatagramRecordSize(SSLContextRef dtlsContext, size_t *maxSize);
CF_EXPORT OSStatus SSLGetDatagramWriteSize(SSLContextRef dtlsContext, size_t *bufSize);

/* ciphers */
CF_EXPORT OSStatus SSLGetNumberSupportedCiphers(SSLContextRef context, size_t *numCiphers);
CF_EXPORT OSStatus SSLGetSupportedCiphers(SSLContextRef context, SSLCipherSuite *ciphers,
                                          size_t *numCiphers);
CF_EXPORT OSStatus SSLGetNumberEnabledCiphers(SSLContextRef context, size_t *numCiphers);
CF_EXPORT OSStatus SSLSetEnabledCiphers(SSLContextRef context, const SSLCipherSuite *ciphers,
                                        size_t numCiphers);
CF_EXPORT OSStatus SSLGetEnabledCiphers(SSLContextRef context, SSLCipherSuite *ciphers,
                                        size_t *numCiphers);
CF_EXPORT OSStatus SSLGetNegotiatedCipher(SSLContextRef context, SSLCipherSuite *cipherSuite);
CF_EXPORT OSStatus SSLSetDiffieHellmanParams(SSLContextRef context, const void *dhParams,
                                             size_t dhParamsLen);
CF_EXPORT OSStatus SSLGetDiffieHellmanParams(SSLContextRef context, const void **dhParams,
                                             size_t *dhParamsLen);
CF_EXPORT OSStatus SSLSetRsaBlinding(SSLContextRef context, Boolean blinding);
CF_EXPORT OSStatus SSLGetRsaBlinding(SSLContextRef context, Boolean *blinding);

/* session resumption */
CF_EXPORT OSStatus SSLSetPeerID(SSLContextRef context, const void *peerID, size_t peerIDLen);
CF_EXPORT OSStatus SSLGetPeerID(SSLContextRef context, const void **peerID, size_t *peerIDLen);

/* ALPN/OCSP */
CF_EXPORT OSStatus SSLSetALPNProtocols(SSLContextRef context, CFArrayRef protocols);
CF_EXPORT OSStatus SSLCopyALPNProtocols(SSLContextRef context, CFArrayRef *protocols);
CF_EXPORT OSStatus SSLSetOCSPResponse(SSLContextRef context, CFDataRef response);

/* client authentication */
CF_EXPORT OSStatus SSLSetClientSideAuthenticate(SSLContextRef context, SSLAuthenticate auth);
CF_EXPORT OSStatus SSLAddDistinguishedName(SSLContextRef context, const void *derDN,
                                           size_t derDNLen);
CF_EXPORT OSStatus SSLSetCertificateAuthorities(SSLContextRef context, CFTypeRef certificateOrArray,
                                                Boolean replaceExisting);
CF_EXPORT OSStatus SSLCopyCertificateAuthorities(SSLContextRef context, CFArrayRef *certificates);
CF_EXPORT OSStatus SSLCopyDistinguishedNames(SSLContextRef context, CFArrayRef *names);
CF_EXPORT OSStatus SSLGetClientCertificateState(SSLContextRef context,
                                                SSLClientCertificateState *clientState);

/* handshake/I/O */
CF_EXPORT OSStatus SSLHandshake(SSLContextRef context);
CF_EXPORT OSStatus SSLReHandshake(SSLContextRef context);
CF_EXPORT OSStatus SSLWrite(SSLContextRef context, const void *data, size_t dataLength,
                            size_t *processed);
CF_EXPORT OSStatus SSLRead(SSLContextRef context, void *data, size_t dataLength, size_t *processed);
CF_EXPORT OSStatus SSLGetBufferedReadSize(SSLContextRef context, size_t *bufferSize);
CF_EXPORT OSStatus SSLClose(SSLContextRef context);
CF_EXPORT OSStatus SSLSetError(SSLContextRef context, OSStatus status);

CF_EXTERN_C_END

#endif
