/*
 * SecImportExport.h: importing certificates, keys and identities from PEM,
 * DER and PKCS#12.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECIMPORTEXPORT_H_
#define _SECURITY_SECIMPORTEXPORT_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

typedef CF_ENUM(uint32_t, SecExternalFormat) {
    kSecFormatUnknown = 0,
    kSecFormatOpenSSL = 1,
    kSecFormatSSH = 2,
    kSecFormatBSAFE = 3,
    kSecFormatRawKey = 4,
    kSecFormatWrappedPKCS8 = 5,
    kSecFormatWrappedOpenSSL = 6,
    kSecFormatWrappedSSH = 7,
    kSecFormatWrappedLSH = 8,
    kSecFormatX509Cert = 9,
    kSecFormatPEMSequence = 10,
    kSecFormatPKCS7 = 11,
    kSecFormatPKCS12 = 12,
    kSecFormatNetscapeCertSequence = 13,
    kSecFormatSSHv2 = 14
};

typedef CF_ENUM(uint32_t, SecExternalItemType) {
    kSecItemTypeUnknown = 0,
    kSecItemTypePrivateKey = 1,
    kSecItemTypePublicKey = 2,
    kSecItemTypeSessionKey = 3,
    kSecItemTypeCertificate = 4,
    kSecItemTypeAggregate = 5
};

typedef CF_OPTIONS(uint32_t, SecItemImportExportFlags) { kSecItemPemArmour = 0x00000001 };

typedef CF_OPTIONS(uint32_t, SecKeyImportExportFlags) {
    kSecKeyImportOnlyOne = 0x00000001,
    kSecKeySecurePassphrase = 0x00000002,
    kSecKeyNoAccessControl = 0x00000004
};

#define SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION 0

/* 56 bytes on LP64. */
typedef struct {
    uint32_t version; /* SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION */
    SecKeyImportExportFlags flags;
    CFTypeRef passphrase; /* CFString or CFData */
    CFStringRef alertTitle;
    CFStringRef alertPrompt;
    SecAccessRef accessRef;
    CFArrayRef keyUsage;
    CFArrayRef keyAttributes;
} SecItemImportExportKeyParameters;

/* The older form of the parameters, for SecKeychainItemExport: 48 bytes on LP64. */
typedef struct {
    uint32_t version; /* SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION */
    SecKeyImportExportFlags flags;
    CFTypeRef passphrase; /* CFString or CFData */
    CFStringRef alertTitle;
    CFStringRef alertPrompt;
    SecAccessRef accessRef;
    uint32_t keyUsage;      /* CSSM_KEYUSE */
    uint32_t keyAttributes; /* CSSM_KEYATTR_FLAGS */
} SecKeyImportExportParameters;

CF_EXPORT const CFStringRef kSecImportExportPassphrase; /* "passphrase" */
CF_EXPORT const CFStringRef kSecImportExportKeychain;   /* "keychain" */
CF_EXPORT const CFStringRef kSecImportExportAccess;     /* "access" */
CF_EXPORT const CFStringRef kSecImportItemLabel;        /* "label" */
CF_EXPORT const CFStringRef kSecImportItemKeyID;        /* "keyid" */
CF_EXPORT const CFStringRef kSecImportItemTrust;        /* "trust" */
CF_EXPORT const CFStringRef kSecImportItemCertChain;    /* "chain" */
CF_EXPORT const CFStringRef kSecImportItemIdentity;     /* "identity" */

CF_EXPORT OSStatus SecItemImport(CFDataRef importedData, CFStringRef fileNameOrExtension,
                                 SecExternalFormat *inputFormat, SecExternalItemType *itemType,
                                 SecItemImportExportFlags flags,
                                 const SecItemImportExportKeyParameters *keyParams,
                                 SecKeychainRef importKeychain, CFArrayRef *outItems);
CF_EXPORT OSStatus SecItemExport(CFTypeRef secItemOrArray, SecExternalFormat outputFormat,
                                 SecItemImportExportFlags flags,
                                 const SecItemImportExportKeyParameters *keyParams,
                                 CFDataRef *exportedData);
CF_EXPORT OSStatus SecKeychainItemExport(CFTypeRef keychainItemOrArray,
                                         SecExternalFormat outputFormat,
                                         SecItemImportExportFlags flags,
                                         const SecKeyImportExportParameters *keyParams,
                                         CFDataRef *exportedData);
CF_EXPORT OSStatus SecPKCS12Import(CFDataRef pkcs12_data, CFDictionaryRef options,
                                   CFArrayRef *items);

CF_EXTERN_C_END

#endif
