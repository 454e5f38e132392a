/*
 * SecCertificatePriv.h: the private certificate calls programs make (SPI).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECCERTIFICATEPRIV_H_
#define _SECURITY_SECCERTIFICATEPRIV_H_

#include <Security/SecCertificate.h>
#include <Security/SecCertificateRequest.h>
#include <Security/SecKeyPriv.h>

CF_EXTERN_C_BEGIN

CF_EXPORT SecCertificateRef SecCertificateCreateWithBytes(CFAllocatorRef allocator,
                                                          const UInt8 *bytes, CFIndex length);
/* Validity, in seconds since 2001-01-01 (0 for anything that is not a certificate). */
/* __extension__: `bool` is C99; the declaration stays clean under -std=c89 -pedantic. */
__extension__ CF_EXPORT bool SecCertificateIsValid(SecCertificateRef certificate,
                                                   CFAbsoluteTime verifyTime);
CF_EXPORT CFAbsoluteTime SecCertificateNotValidBefore(SecCertificateRef certificate);
CF_EXPORT CFAbsoluteTime SecCertificateNotValidAfter(SecCertificateRef certificate);

CF_EXTERN_C_END

#endif
