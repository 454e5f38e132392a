/*
 * SecIdentityPriv.h: the private identity calls programs use.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECIDENTITYPRIV_H_
#define _SECURITY_SECIDENTITYPRIV_H_

#include <Security/SecIdentity.h>

CF_EXTERN_C_BEGIN

CF_EXPORT SecIdentityRef SecIdentityCreate(CFAllocatorRef allocator, SecCertificateRef certificate,
                                           SecKeyRef privateKey);

/* [identity, intermediates...] for SSLSetCertificate: the client-auth chain at `atTime`, no anchor.
 */
CF_EXPORT CFArrayRef SecIdentityCopySSLClientAuthenticationChain(SecIdentityRef identity,
                                                                 CFAbsoluteTime atTime);

CF_EXTERN_C_END

#endif
