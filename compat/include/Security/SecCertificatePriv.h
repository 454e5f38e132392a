/*
 * SecCertificatePriv.h: the private certificate constructor programs call.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECCERTIFICATEPRIV_H_
#define _SECURITY_SECCERTIFICATEPRIV_H_

#include <Security/SecCertificate.h>

CF_EXTERN_C_BEGIN

CF_EXPORT SecCertificateRef SecCertificateCreateWithBytes(CFAllocatorRef allocator,
                                                          const UInt8 *bytes, CFIndex length);

CF_EXTERN_C_END

#endif
