/*
 * SecKeychainItem.h: item classes and attribute tags of the keychain API.
 * Certificates and keys found in a keychain are SecCertificateRef and
 * SecKeyRef objects themselves; passwords are SecKeychainItem objects.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYCHAINITEM_H_
#define _SECURITY_SECKEYCHAINITEM_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

/*
 * Item classes: four-character codes for passwords, CSSM record types for
 * certificates and keys. __extension__ lets the certificate class, above
 * INT_MAX, be an enumerator in ISO C as well.
 */
typedef FourCharCode SecItemClass;
__extension__ enum {
    kSecInternetPasswordItemClass = 0x696E6574,   /* 'inet' */
    kSecGenericPasswordItemClass = 0x67656E70,    /* 'genp' */
    kSecAppleSharePasswordItemClass = 0x61736870, /* 'ashp' */
    kSecCertificateItemClass = 0x80001000,
    kSecPublicKeyItemClass = 0x0000000F,
    kSecPrivateKeyItemClass = 0x00000010,
    kSecSymmetricKeyItemClass = 0x00000011
};

/* Attribute tags: the same four letters as the kSecAttr* dictionary keys. */
typedef FourCharCode SecItemAttr;
/* clang-format off */
CF_ENUM(FourCharCode){
    kSecCreationDateItemAttr = 0x63646174,       /* 'cdat' */
    kSecModDateItemAttr = 0x6D646174,            /* 'mdat' */
    kSecDescriptionItemAttr = 0x64657363,        /* 'desc' */
    kSecCommentItemAttr = 0x69636D74,            /* 'icmt' */
    kSecCreatorItemAttr = 0x63727472,            /* 'crtr' */
    kSecTypeItemAttr = 0x74797065,               /* 'type' */
    kSecScriptCodeItemAttr = 0x73637270,         /* 'scrp' */
    kSecLabelItemAttr = 0x6C61626C,              /* 'labl' */
    kSecInvisibleItemAttr = 0x696E7669,          /* 'invi' */
    kSecNegativeItemAttr = 0x6E656761,           /* 'nega' */
    kSecCustomIconItemAttr = 0x63757369,         /* 'cusi' */
    kSecAccountItemAttr = 0x61636374,            /* 'acct' */
    kSecServiceItemAttr = 0x73766365,            /* 'svce' */
    kSecGenericItemAttr = 0x67656E61,            /* 'gena' */
    kSecSecurityDomainItemAttr = 0x73646D6E,     /* 'sdmn' */
    kSecServerItemAttr = 0x73727672,             /* 'srvr' */
    kSecAuthenticationTypeItemAttr = 0x61747970, /* 'atyp' */
    kSecPortItemAttr = 0x706F7274,               /* 'port' */
    kSecPathItemAttr = 0x70617468,               /* 'path' */
    kSecVolumeItemAttr = 0x766C6D65,             /* 'vlme' */
    kSecAddressItemAttr = 0x61646472,            /* 'addr' */
    kSecSignatureItemAttr = 0x73736967,          /* 'ssig' */
    kSecProtocolItemAttr = 0x7074636C,           /* 'ptcl' */
    kSecCertificateType = 0x63747970,            /* 'ctyp' */
    kSecCertificateEncoding = 0x63656E63,        /* 'cenc' */
    kSecCrlType = 0x63727470,                    /* 'crtp' */
    kSecCrlEncoding = 0x63726E63,                /* 'crnc' */
    kSecAlias = 0x616C6973                      /* 'alis' */
};
/* clang-format on */

/* SecKeychainAttribute and SecKeychainAttributeList: SecBase.h, as in Apple's headers. */

/* The class of password items (certificates and keys keep their own classes). */
CF_EXPORT CFTypeID SecKeychainItemGetTypeID(void);
/* Removes the item from the keychain that holds it. */
CF_EXPORT OSStatus SecKeychainItemDelete(SecKeychainItemRef itemRef);
/* Changes the attributes listed (attrList may be NULL) and, when data is not NULL, the password. */
CF_EXPORT OSStatus SecKeychainItemModifyAttributesAndData(SecKeychainItemRef itemRef,
                                                          const SecKeychainAttributeList *attrList,
                                                          UInt32 length, const void *data);
/*
 * The attributes `info` names (NULL: none) and, when outData is not NULL,
 * the password; free them with SecKeychainItemFreeAttributesAndData.
 */
CF_EXPORT OSStatus SecKeychainItemCopyAttributesAndData(SecKeychainItemRef itemRef,
                                                        SecKeychainAttributeInfo *info,
                                                        SecItemClass *itemClass,
                                                        SecKeychainAttributeList **attrList,
                                                        UInt32 *length, void **outData);
CF_EXPORT OSStatus SecKeychainItemFreeAttributesAndData(SecKeychainAttributeList *attrList,
                                                        void *data);
/* Frees data and the value of each attribute of attrList (the list itself is the caller's). */
CF_EXPORT OSStatus SecKeychainItemFreeContent(SecKeychainAttributeList *attrList, void *data);

CF_EXTERN_C_END

#endif
