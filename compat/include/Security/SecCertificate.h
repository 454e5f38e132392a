/*
 * SecCertificate.h: X.509 certificates.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECCERTIFICATE_H_
#define _SECURITY_SECCERTIFICATE_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecCertificateGetTypeID(void);
/* DER only; NULL for anything that is not one DER X.509 certificate. */
CF_EXPORT SecCertificateRef SecCertificateCreateWithData(CFAllocatorRef allocator, CFDataRef data);
CF_EXPORT CFDataRef SecCertificateCopyData(SecCertificateRef certificate);
CF_EXPORT CFStringRef SecCertificateCopySubjectSummary(SecCertificateRef certificate);
CF_EXPORT OSStatus SecCertificateCopyCommonName(SecCertificateRef certificate,
                                                CFStringRef *commonName);
CF_EXPORT SecKeyRef SecCertificateCopyKey(SecCertificateRef certificate);
CF_EXPORT OSStatus SecCertificateCopyPublicKey(SecCertificateRef certificate, SecKeyRef *key);

CF_EXTERN_C_END

#endif
