/*
 * SecCertificateRequest.h: self-signed certificates made from a key pair
 * (SPI): the subject attribute names and the parameter keys.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECCERTIFICATEREQUEST_H_
#define _SECURITY_SECCERTIFICATEREQUEST_H_

#include <Security/SecBase.h>
#include <Security/SecCertificate.h>
#include <Security/SecKey.h>

CF_EXTERN_C_BEGIN

/* Subject attribute names; a dotted OID string or a CFData with a DER OID works too. */
CF_EXPORT const CFStringRef kSecOidCommonName;
CF_EXPORT const CFStringRef kSecOidCountryName;
CF_EXPORT const CFStringRef kSecOidStateProvinceName;
CF_EXPORT const CFStringRef kSecOidLocalityName;
CF_EXPORT const CFStringRef kSecOidOrganization;
CF_EXPORT const CFStringRef kSecOidOrganizationalUnit;

CF_EXPORT const unsigned char SecASN1PrintableString;
CF_EXPORT const unsigned char SecASN1UTF8String;

/*
 * Parameter keys:
 * kSecSubjectAltName: CFDictionary with the kSecSubjectAltName* keys below
 *   (each a CFString or a CFArray of them), or a CFArray of names (a CFString
 *   with "@" is an e-mail address, any other a DNS name, a CFData of 4 or 16
 *   bytes an IP address).
 * kSecCertificateKeyUsage: CFNumber, a SecKeyUsage mask (marked critical).
 * kSecCSRBasicContraintsPathLen: CFNumber; makes a CA certificate (critical
 *   basic constraints), with that path length when 0..255.
 * kSecCertificateExtensions: CFDictionary, dotted OID -> CFString (encoded as
 *   a UTF8String) or CFData (encoded as an OCTET STRING).
 * kSecCertificateExtensionsEncoded: CFDictionary, dotted OID -> CFData that is
 *   already the extension's DER value.
 * kSecCertificateLifetime: CFNumber, seconds (default 365 days).
 * kSecCertificateSerialNumber: CFData of 1 to 20 bytes, or a non-negative
 *   CFNumber (default 1).
 */
CF_EXPORT const CFStringRef kSecSubjectAltName;
CF_EXPORT const CFStringRef kSecCertificateKeyUsage;
CF_EXPORT const CFStringRef kSecCSRBasicContraintsPathLen;
CF_EXPORT const CFStringRef kSecCertificateExtensions;
CF_EXPORT const CFStringRef kSecCertificateExtensionsEncoded;
CF_EXPORT const CFStringRef kSecCertificateLifetime;
CF_EXPORT const CFStringRef kSecCertificateSerialNumber;

CF_EXPORT const CFStringRef kSecSubjectAltNameDNSName;
CF_EXPORT const CFStringRef kSecSubjectAltNameEmailAddress;
CF_EXPORT const CFStringRef kSecSubjectAltNameURI;
CF_EXPORT const CFStringRef kSecSubjectAltNameNTPrincipalName;

typedef struct {
    CFTypeRef oid;
    unsigned char type;
    CFTypeRef value;
} SecATV;

typedef SecATV *SecRDN;

/*
 * A certificate for the key pair, signed with SHA-256 by privateKey.
 * subject: CFArray of RDNs, each a CFArray of [oid, value] CFArrays.
 * publicKey is unused: the public key comes from privateKey.
 */
CF_EXPORT SecCertificateRef SecGenerateSelfSignedCertificate(CFArrayRef subject,
                                                             CFDictionaryRef parameters,
                                                             SecKeyRef publicKey,
                                                             SecKeyRef privateKey);

CF_EXTERN_C_END

#endif
