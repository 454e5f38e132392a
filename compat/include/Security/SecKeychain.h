/*
 * SecKeychain.h: keychains (sectrans emulates them in memory or in a file).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYCHAIN_H_
#define _SECURITY_SECKEYCHAIN_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

/* Bits of a SecKeychainStatus (the type itself: SecBase.h). */
/* clang-format off */
CF_ENUM(UInt32){
    kSecUnlockStateStatus = 1,
    kSecReadPermStatus = 2,
    kSecWritePermStatus = 4
};
/* clang-format on */

/* SecKeychainSetSettings/CopySettings; version must be SEC_KEYCHAIN_SETTINGS_VERS1. */
#define SEC_KEYCHAIN_SETTINGS_VERS1 1
typedef struct SecKeychainSettings {
    UInt32 version;
    Boolean lockOnSleep;
    Boolean useLockInterval;
    UInt32 lockInterval;
} SecKeychainSettings;

/* The protocol of an internet password: four letters, big-endian ('htps'); 0 matches any. */
typedef FourCharCode SecProtocolType;
/* clang-format off */
CF_ENUM(FourCharCode){
    kSecProtocolTypeFTP = 0x66747020,        /* 'ftp ' */
    kSecProtocolTypeFTPAccount = 0x66747061, /* 'ftpa' */
    kSecProtocolTypeHTTP = 0x68747470,       /* 'http' */
    kSecProtocolTypeIRC = 0x69726320,        /* 'irc ' */
    kSecProtocolTypeNNTP = 0x6E6E7470,       /* 'nntp' */
    kSecProtocolTypePOP3 = 0x706F7033,       /* 'pop3' */
    kSecProtocolTypeSMTP = 0x736D7470,       /* 'smtp' */
    kSecProtocolTypeSOCKS = 0x736F7820,      /* 'sox ' */
    kSecProtocolTypeIMAP = 0x696D6170,       /* 'imap' */
    kSecProtocolTypeLDAP = 0x6C646170,       /* 'ldap' */
    kSecProtocolTypeSSH = 0x73736820,        /* 'ssh ' */
    kSecProtocolTypeFTPS = 0x66747073,       /* 'ftps' */
    kSecProtocolTypeHTTPS = 0x68747073,      /* 'htps' */
    kSecProtocolTypeHTTPProxy = 0x68747078,  /* 'htpx' */
    kSecProtocolTypeHTTPSProxy = 0x68747378, /* 'htsx' */
    kSecProtocolTypeSMB = 0x736D6220,        /* 'smb ' */
    kSecProtocolTypeIMAPS = 0x696D7073,      /* 'imps' */
    kSecProtocolTypePOP3S = 0x706F7073,      /* 'pops' */
    kSecProtocolTypeAppleTalk = 0x61746C6B,  /* 'atlk' */
    kSecProtocolTypeAFP = 0x61667020,        /* 'afp ' */
    kSecProtocolTypeTelnet = 0x74656C6E,     /* 'teln' */
    kSecProtocolTypeFTPProxy = 0x66747078,   /* 'ftpx' */
    kSecProtocolTypeCIFS = 0x63696673,       /* 'cifs' */
    kSecProtocolTypeRTSP = 0x72747370,       /* 'rtsp' */
    kSecProtocolTypeRTSPProxy = 0x72747378,  /* 'rtsx' */
    kSecProtocolTypeDAAP = 0x64616170,       /* 'daap' */
    kSecProtocolTypeEPPC = 0x65707063,       /* 'eppc' */
    kSecProtocolTypeIPP = 0x69707020,        /* 'ipp ' */
    kSecProtocolTypeNNTPS = 0x6E747073,      /* 'ntps' */
    kSecProtocolTypeLDAPS = 0x6C647073,      /* 'ldps' */
    kSecProtocolTypeTelnetS = 0x74656C73,    /* 'tels' */
    kSecProtocolTypeIRCS = 0x69726373,       /* 'ircs' */
    kSecProtocolTypeCVSpserver = 0x63767370, /* 'cvsp' */
    kSecProtocolTypeSVN = 0x73766E20,        /* 'svn ' */
    kSecProtocolTypeAny = 0
};
/* clang-format on */

/*
 * The authentication type of an internet password. Apple's header stores
 * these four letters in memory order, so on a little-endian machine the
 * values are byte-swapped ('dflt' reads as 0x746C6664); 0 matches any.
 */
typedef FourCharCode SecAuthenticationType;
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) &&                                    \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SECTRANS_AUTH_TYPE_(a, b, c, d)                                                            \
    (((FourCharCode)(a) << 24) | ((FourCharCode)(b) << 16) | ((FourCharCode)(c) << 8) | (d))
#else
#define SECTRANS_AUTH_TYPE_(a, b, c, d)                                                            \
    (((FourCharCode)(d) << 24) | ((FourCharCode)(c) << 16) | ((FourCharCode)(b) << 8) | (a))
#endif
/* clang-format off */
CF_ENUM(FourCharCode){
    kSecAuthenticationTypeNTLM = SECTRANS_AUTH_TYPE_('n', 't', 'l', 'm'),
    kSecAuthenticationTypeMSN = SECTRANS_AUTH_TYPE_('m', 's', 'n', 'a'),
    kSecAuthenticationTypeDPA = SECTRANS_AUTH_TYPE_('d', 'p', 'a', 'a'),
    kSecAuthenticationTypeRPA = SECTRANS_AUTH_TYPE_('r', 'p', 'a', 'a'),
    kSecAuthenticationTypeHTTPBasic = SECTRANS_AUTH_TYPE_('h', 't', 't', 'p'),
    kSecAuthenticationTypeHTTPDigest = SECTRANS_AUTH_TYPE_('h', 't', 't', 'd'),
    kSecAuthenticationTypeHTMLForm = SECTRANS_AUTH_TYPE_('f', 'o', 'r', 'm'),
    kSecAuthenticationTypeDefault = SECTRANS_AUTH_TYPE_('d', 'f', 'l', 't'),
    kSecAuthenticationTypeAny = 0
};
/* clang-format on */

CF_EXPORT CFTypeID SecKeychainGetTypeID(void);

/*
 * A file keychain at pathName, made unlocked with the password; the file must
 * not exist yet. sectrans cannot prompt: promptUser without a password fails.
 */
CF_EXPORT OSStatus SecKeychainCreate(const char *pathName, UInt32 passwordLength,
                                     const void *password, Boolean promptUser,
                                     SecAccessRef initialAccess, SecKeychainRef *keychain);
/* A reference to the keychain file at pathName, which need not exist yet; it opens locked. */
CF_EXPORT OSStatus SecKeychainOpen(const char *pathName, SecKeychainRef *keychain);
/* Removes the keychain (or each keychain of an array) and its file. */
CF_EXPORT OSStatus SecKeychainDelete(SecKeychainRef keychainOrArray);
CF_EXPORT OSStatus SecKeychainUnlock(SecKeychainRef keychain, UInt32 passwordLength,
                                     const void *password, Boolean usePassword);
CF_EXPORT OSStatus SecKeychainLock(SecKeychainRef keychain);
CF_EXPORT OSStatus SecKeychainGetStatus(SecKeychainRef keychain, SecKeychainStatus *keychainStatus);
CF_EXPORT OSStatus SecKeychainSetSettings(SecKeychainRef keychain,
                                          const SecKeychainSettings *newSettings);
CF_EXPORT OSStatus SecKeychainCopySettings(SecKeychainRef keychain,
                                           SecKeychainSettings *outSettings);
CF_EXPORT OSStatus SecKeychainGetPath(SecKeychainRef keychain, UInt32 *ioPathLength,
                                      char *pathName);
CF_EXPORT OSStatus SecKeychainCopyDefault(SecKeychainRef *keychain);
CF_EXPORT OSStatus SecKeychainSetDefault(SecKeychainRef keychain);
CF_EXPORT OSStatus SecKeychainCopySearchList(CFArrayRef *searchList);
CF_EXPORT OSStatus SecKeychainSetSearchList(CFArrayRef searchList);
CF_EXPORT OSStatus SecKeychainSetUserInteractionAllowed(Boolean state);
CF_EXPORT OSStatus SecKeychainGetUserInteractionAllowed(Boolean *state);

/*
 * Password items. On a find, a NULL name or a zero port, protocol or
 * authentication type matches any value; the password comes back in memory
 * that SecKeychainItemFreeContent frees.
 */
CF_EXPORT OSStatus SecKeychainAddGenericPassword(SecKeychainRef keychain, UInt32 serviceNameLength,
                                                 const char *serviceName, UInt32 accountNameLength,
                                                 const char *accountName, UInt32 passwordLength,
                                                 const void *passwordData,
                                                 SecKeychainItemRef *itemRef);
CF_EXPORT OSStatus SecKeychainFindGenericPassword(CFTypeRef keychainOrArray,
                                                  UInt32 serviceNameLength, const char *serviceName,
                                                  UInt32 accountNameLength, const char *accountName,
                                                  UInt32 *passwordLength, void **passwordData,
                                                  SecKeychainItemRef *itemRef);
CF_EXPORT OSStatus SecKeychainAddInternetPassword(
    SecKeychainRef keychain, UInt32 serverNameLength, const char *serverName,
    UInt32 securityDomainLength, const char *securityDomain, UInt32 accountNameLength,
    const char *accountName, UInt32 pathLength, const char *path, UInt16 port,
    SecProtocolType protocol, SecAuthenticationType authenticationType, UInt32 passwordLength,
    const void *passwordData, SecKeychainItemRef *itemRef);
CF_EXPORT OSStatus SecKeychainFindInternetPassword(
    CFTypeRef keychainOrArray, UInt32 serverNameLength, const char *serverName,
    UInt32 securityDomainLength, const char *securityDomain, UInt32 accountNameLength,
    const char *accountName, UInt32 pathLength, const char *path, UInt16 port,
    SecProtocolType protocol, SecAuthenticationType authenticationType, UInt32 *passwordLength,
    void **passwordData, SecKeychainItemRef *itemRef);

CF_EXTERN_C_END

#endif
