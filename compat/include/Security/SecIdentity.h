/*
 * SecIdentity.h: a certificate with its private key.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECIDENTITY_H_
#define _SECURITY_SECIDENTITY_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecIdentityGetTypeID(void);
CF_EXPORT OSStatus SecIdentityCopyCertificate(SecIdentityRef identityRef,
                                              SecCertificateRef *certificateRef);
CF_EXPORT OSStatus SecIdentityCopyPrivateKey(SecIdentityRef identityRef, SecKeyRef *privateKeyRef);
/* Finds the private key matching the certificate in keychainOrArray (NULL: the defaults). */
CF_EXPORT OSStatus SecIdentityCreateWithCertificate(CFTypeRef keychainOrArray,
                                                    SecCertificateRef certificateRef,
                                                    SecIdentityRef *identityRef);

CF_EXTERN_C_END

#endif
