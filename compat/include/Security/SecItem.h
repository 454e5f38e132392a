/*
 * SecItem.h: the item query dictionary keys and functions.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECITEM_H_
#define _SECURITY_SECITEM_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

/* Item classes (values of kSecClass). */
CF_EXPORT const CFStringRef kSecClass;
CF_EXPORT const CFStringRef kSecClassCertificate;
CF_EXPORT const CFStringRef kSecClassIdentity;
CF_EXPORT const CFStringRef kSecClassKey;
CF_EXPORT const CFStringRef kSecClassGenericPassword;
CF_EXPORT const CFStringRef kSecClassInternetPassword;

/* Search options. */
CF_EXPORT const CFStringRef kSecMatchLimit;
CF_EXPORT const CFStringRef kSecMatchLimitOne;
CF_EXPORT const CFStringRef kSecMatchLimitAll;
CF_EXPORT const CFStringRef kSecMatchPolicy;
CF_EXPORT const CFStringRef kSecMatchSearchList;
CF_EXPORT const CFStringRef kSecMatchItemList;

/* What a search returns. */
CF_EXPORT const CFStringRef kSecReturnRef;
CF_EXPORT const CFStringRef kSecReturnData;
CF_EXPORT const CFStringRef kSecReturnAttributes;
CF_EXPORT const CFStringRef kSecReturnPersistentRef;

/* Item values. */
CF_EXPORT const CFStringRef kSecValueRef;
CF_EXPORT const CFStringRef kSecValueData;
CF_EXPORT const CFStringRef kSecValuePersistentRef;

/* Where items are stored and searched. */
CF_EXPORT const CFStringRef kSecUseKeychain;

/* Attributes. */
CF_EXPORT const CFStringRef kSecAttrLabel;
CF_EXPORT const CFStringRef kSecAttrDescription;
CF_EXPORT const CFStringRef kSecAttrComment;
CF_EXPORT const CFStringRef kSecAttrGeneric;
CF_EXPORT const CFStringRef kSecAttrService;
CF_EXPORT const CFStringRef kSecAttrAccount;
CF_EXPORT const CFStringRef kSecAttrServer;
CF_EXPORT const CFStringRef kSecAttrSecurityDomain;
CF_EXPORT const CFStringRef kSecAttrProtocol;
CF_EXPORT const CFStringRef kSecAttrAuthenticationType;
CF_EXPORT const CFStringRef kSecAttrPort;
CF_EXPORT const CFStringRef kSecAttrPath;
CF_EXPORT const CFStringRef kSecAttrProtocolFTP;
CF_EXPORT const CFStringRef kSecAttrProtocolFTPAccount;
CF_EXPORT const CFStringRef kSecAttrProtocolHTTP;
CF_EXPORT const CFStringRef kSecAttrProtocolIRC;
CF_EXPORT const CFStringRef kSecAttrProtocolNNTP;
CF_EXPORT const CFStringRef kSecAttrProtocolPOP3;
CF_EXPORT const CFStringRef kSecAttrProtocolSMTP;
CF_EXPORT const CFStringRef kSecAttrProtocolSOCKS;
CF_EXPORT const CFStringRef kSecAttrProtocolIMAP;
CF_EXPORT const CFStringRef kSecAttrProtocolLDAP;
CF_EXPORT const CFStringRef kSecAttrProtocolSSH;
CF_EXPORT const CFStringRef kSecAttrProtocolFTPS;
CF_EXPORT const CFStringRef kSecAttrProtocolHTTPS;
CF_EXPORT const CFStringRef kSecAttrProtocolHTTPProxy;
CF_EXPORT const CFStringRef kSecAttrProtocolHTTPSProxy;
CF_EXPORT const CFStringRef kSecAttrProtocolSMB;
CF_EXPORT const CFStringRef kSecAttrProtocolIMAPS;
CF_EXPORT const CFStringRef kSecAttrProtocolPOP3S;
CF_EXPORT const CFStringRef kSecAttrProtocolAppleTalk;
CF_EXPORT const CFStringRef kSecAttrProtocolAFP;
CF_EXPORT const CFStringRef kSecAttrProtocolTelnet;
CF_EXPORT const CFStringRef kSecAttrProtocolFTPProxy;
CF_EXPORT const CFStringRef kSecAttrProtocolCIFS;
CF_EXPORT const CFStringRef kSecAttrProtocolRTSP;
CF_EXPORT const CFStringRef kSecAttrProtocolRTSPProxy;
CF_EXPORT const CFStringRef kSecAttrProtocolDAAP;
CF_EXPORT const CFStringRef kSecAttrProtocolEPPC;
CF_EXPORT const CFStringRef kSecAttrProtocolIPP;
CF_EXPORT const CFStringRef kSecAttrProtocolNNTPS;
CF_EXPORT const CFStringRef kSecAttrProtocolLDAPS;
CF_EXPORT const CFStringRef kSecAttrProtocolTelnetS;
CF_EXPORT const CFStringRef kSecAttrProtocolIRCS;
CF_EXPORT const CFStringRef kSecAttrProtocolCVSpserver;
CF_EXPORT const CFStringRef kSecAttrProtocolSVN;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeNTLM;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeMSN;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeDPA;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeRPA;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeHTTPBasic;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeHTTPDigest;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeHTMLForm;
CF_EXPORT const CFStringRef kSecAttrAuthenticationTypeDefault;
CF_EXPORT const CFStringRef kSecAttrAccessible;
CF_EXPORT const CFStringRef kSecAttrAccessibleWhenUnlocked;
CF_EXPORT const CFStringRef kSecAttrAccessibleAfterFirstUnlock;
CF_EXPORT const CFStringRef kSecAttrSubject;
CF_EXPORT const CFStringRef kSecAttrIssuer;
CF_EXPORT const CFStringRef kSecAttrSerialNumber;
CF_EXPORT const CFStringRef kSecAttrPublicKeyHash;
CF_EXPORT const CFStringRef kSecAttrApplicationLabel;
CF_EXPORT const CFStringRef kSecAttrApplicationTag;
CF_EXPORT const CFStringRef kSecAttrCanEncrypt;
CF_EXPORT const CFStringRef kSecAttrCanDecrypt;
CF_EXPORT const CFStringRef kSecAttrCanDerive;
CF_EXPORT const CFStringRef kSecAttrCanSign;
CF_EXPORT const CFStringRef kSecAttrCanVerify;
CF_EXPORT const CFStringRef kSecAttrCanWrap;
CF_EXPORT const CFStringRef kSecAttrCanUnwrap;
CF_EXPORT const CFStringRef kSecAttrKeyType;
CF_EXPORT const CFStringRef kSecAttrKeyTypeRSA;
CF_EXPORT const CFStringRef kSecAttrKeyTypeEC;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECSECPrimeRandom;
CF_EXPORT const CFStringRef kSecAttrKeyTypeECDSA;
CF_EXPORT const CFStringRef kSecAttrKeyClass;
CF_EXPORT const CFStringRef kSecAttrKeyClassPublic;
CF_EXPORT const CFStringRef kSecAttrKeyClassPrivate;
CF_EXPORT const CFStringRef kSecAttrKeyClassSymmetric;
CF_EXPORT const CFStringRef kSecAttrKeySizeInBits;
CF_EXPORT const CFStringRef kSecAttrIsPermanent;

CF_EXPORT OSStatus SecItemCopyMatching(CFDictionaryRef query, CFTypeRef *result);
CF_EXPORT OSStatus SecItemAdd(CFDictionaryRef attributes, CFTypeRef *result);
CF_EXPORT OSStatus SecItemUpdate(CFDictionaryRef query, CFDictionaryRef attributesToUpdate);
CF_EXPORT OSStatus SecItemDelete(CFDictionaryRef query);

CF_EXTERN_C_END

#endif
