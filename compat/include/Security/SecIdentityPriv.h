/*
 * SecIdentityPriv.h: the private identity constructor programs call.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECIDENTITYPRIV_H_
#define _SECURITY_SECIDENTITYPRIV_H_

#include <Security/SecIdentity.h>

CF_EXTERN_C_BEGIN

CF_EXPORT SecIdentityRef SecIdentityCreate(CFAllocatorRef allocator, SecCertificateRef certificate,
                                           SecKeyRef privateKey);

CF_EXTERN_C_END

#endif
