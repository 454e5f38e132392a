/*
 * The item query keys and values (SecItem.h), with Apple's string values:
 * programs and bindings may compare them by content or build them with
 * CFSTR, so the text matters as much as the symbol.
 */
#include "cf_string.h"
#include "sec_keychain.h"

/* Item classes. */
CF_STRING_CONSTANT(kSecClass, "class");
CF_STRING_CONSTANT(kSecClassCertificate, "cert");
CF_STRING_CONSTANT(kSecClassKey, "keys");
CF_STRING_CONSTANT(kSecClassIdentity, "idnt");
CF_STRING_CONSTANT(kSecClassGenericPassword, "genp");
CF_STRING_CONSTANT(kSecClassInternetPassword, "inet");

/* Search options. */
CF_STRING_CONSTANT(kSecMatchLimit, "m_Limit");
CF_STRING_CONSTANT(kSecMatchLimitOne, "m_LimitOne");
CF_STRING_CONSTANT(kSecMatchLimitAll, "m_LimitAll");
CF_STRING_CONSTANT(kSecMatchPolicy, "m_Policy");
CF_STRING_CONSTANT(kSecMatchSearchList, "m_SearchList");
CF_STRING_CONSTANT(kSecMatchItemList, "m_ItemList");

/* Results. */
CF_STRING_CONSTANT(kSecReturnRef, "r_Ref");
CF_STRING_CONSTANT(kSecReturnData, "r_Data");
CF_STRING_CONSTANT(kSecReturnAttributes, "r_Attributes");
CF_STRING_CONSTANT(kSecReturnPersistentRef, "r_PersistentRef");

/* Values. */
CF_STRING_CONSTANT(kSecValueRef, "v_Ref");
CF_STRING_CONSTANT(kSecValueData, "v_Data");
CF_STRING_CONSTANT(kSecValuePersistentRef, "v_PersistentRef");

CF_STRING_CONSTANT(kSecUseKeychain, "u_Keychain");

/* Attributes. */
CF_STRING_CONSTANT(kSecAttrLabel, "labl");
CF_STRING_CONSTANT(kSecAttrDescription, "desc");
CF_STRING_CONSTANT(kSecAttrComment, "icmt");
CF_STRING_CONSTANT(kSecAttrGeneric, "gena");
CF_STRING_CONSTANT(kSecAttrService, "svce");
CF_STRING_CONSTANT(kSecAttrAccount, "acct");
CF_STRING_CONSTANT(kSecAttrServer, "srvr");
CF_STRING_CONSTANT(kSecAttrSecurityDomain, "sdmn");
CF_STRING_CONSTANT(kSecAttrProtocol, "ptcl");
CF_STRING_CONSTANT(kSecAttrAuthenticationType, "atyp");
CF_STRING_CONSTANT(kSecAttrPort, "port");
CF_STRING_CONSTANT(kSecAttrPath, "path");
/* kSecAttrProtocol and kSecAttrAuthenticationType values: Apple's four letters. */
CF_STRING_CONSTANT(kSecAttrProtocolFTP, "ftp ");
CF_STRING_CONSTANT(kSecAttrProtocolFTPAccount, "ftpa");
CF_STRING_CONSTANT(kSecAttrProtocolHTTP, "http");
CF_STRING_CONSTANT(kSecAttrProtocolIRC, "irc ");
CF_STRING_CONSTANT(kSecAttrProtocolNNTP, "nntp");
CF_STRING_CONSTANT(kSecAttrProtocolPOP3, "pop3");
CF_STRING_CONSTANT(kSecAttrProtocolSMTP, "smtp");
CF_STRING_CONSTANT(kSecAttrProtocolSOCKS, "sox ");
CF_STRING_CONSTANT(kSecAttrProtocolIMAP, "imap");
CF_STRING_CONSTANT(kSecAttrProtocolLDAP, "ldap");
CF_STRING_CONSTANT(kSecAttrProtocolSSH, "ssh ");
CF_STRING_CONSTANT(kSecAttrProtocolFTPS, "ftps");
CF_STRING_CONSTANT(kSecAttrProtocolHTTPS, "htps");
CF_STRING_CONSTANT(kSecAttrProtocolHTTPProxy, "htpx");
CF_STRING_CONSTANT(kSecAttrProtocolHTTPSProxy, "htsx");
CF_STRING_CONSTANT(kSecAttrProtocolSMB, "smb ");
CF_STRING_CONSTANT(kSecAttrProtocolIMAPS, "imps");
CF_STRING_CONSTANT(kSecAttrProtocolPOP3S, "pops");
CF_STRING_CONSTANT(kSecAttrProtocolAppleTalk, "atlk");
CF_STRING_CONSTANT(kSecAttrProtocolAFP, "afp ");
CF_STRING_CONSTANT(kSecAttrProtocolTelnet, "teln");
CF_STRING_CONSTANT(kSecAttrProtocolFTPProxy, "ftpx");
CF_STRING_CONSTANT(kSecAttrProtocolCIFS, "cifs");
CF_STRING_CONSTANT(kSecAttrProtocolRTSP, "rtsp");
CF_STRING_CONSTANT(kSecAttrProtocolRTSPProxy, "rtsx");
CF_STRING_CONSTANT(kSecAttrProtocolDAAP, "daap");
CF_STRING_CONSTANT(kSecAttrProtocolEPPC, "eppc");
CF_STRING_CONSTANT(kSecAttrProtocolIPP, "ipp ");
CF_STRING_CONSTANT(kSecAttrProtocolNNTPS, "ntps");
CF_STRING_CONSTANT(kSecAttrProtocolLDAPS, "ldps");
CF_STRING_CONSTANT(kSecAttrProtocolTelnetS, "tels");
CF_STRING_CONSTANT(kSecAttrProtocolIRCS, "ircs");
CF_STRING_CONSTANT(kSecAttrProtocolCVSpserver, "cvsp");
CF_STRING_CONSTANT(kSecAttrProtocolSVN, "svn ");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeNTLM, "ntlm");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeMSN, "msna");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeDPA, "dpaa");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeRPA, "rpaa");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeHTTPBasic, "http");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeHTTPDigest, "httd");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeHTMLForm, "form");
CF_STRING_CONSTANT(kSecAttrAuthenticationTypeDefault, "dflt");
CF_STRING_CONSTANT(kSecAttrAccessible, "pdmn");
CF_STRING_CONSTANT(kSecAttrAccessibleWhenUnlocked, "ak");
CF_STRING_CONSTANT(kSecAttrAccessibleAfterFirstUnlock, "ck");
CF_STRING_CONSTANT(kSecAttrSubject, "subj");
CF_STRING_CONSTANT(kSecAttrIssuer, "issr");
CF_STRING_CONSTANT(kSecAttrSerialNumber, "slnr");
CF_STRING_CONSTANT(kSecAttrPublicKeyHash, "pkhh");
CF_STRING_CONSTANT(kSecAttrApplicationLabel, "klbl");
CF_STRING_CONSTANT(kSecAttrApplicationTag, "atag");
CF_STRING_CONSTANT(kSecAttrCanEncrypt, "encr");
CF_STRING_CONSTANT(kSecAttrCanDecrypt, "decr");
CF_STRING_CONSTANT(kSecAttrCanDerive, "drve");
CF_STRING_CONSTANT(kSecAttrCanSign, "sign");
CF_STRING_CONSTANT(kSecAttrCanVerify, "vrfy");
CF_STRING_CONSTANT(kSecAttrCanWrap, "wrap");
CF_STRING_CONSTANT(kSecAttrCanUnwrap, "unwp");

/* Same text as kSecAttrKeyClass, kSecAttrKeyType... (defined with the key operations). */
CF_STRING_CONSTANT(sec_attr_key_class, "kcls");
CF_STRING_CONSTANT(sec_attr_key_class_public, "0");
CF_STRING_CONSTANT(sec_attr_key_class_private, "1");
CF_STRING_CONSTANT(sec_attr_key_type, "type");
CF_STRING_CONSTANT(sec_attr_key_type_rsa, "42");
CF_STRING_CONSTANT(sec_attr_key_type_ec, "73");
CF_STRING_CONSTANT(sec_attr_key_size, "bsiz");

CFStringRef sec_item_kind_class(enum sec_item_kind kind)
{
    switch (kind) {
    case SEC_ITEM_CERTIFICATE: return kSecClassCertificate;
    case SEC_ITEM_PRIVATE_KEY:
    case SEC_ITEM_PUBLIC_KEY: return kSecClassKey;
    case SEC_ITEM_GENERIC_PASSWORD: return kSecClassGenericPassword;
    case SEC_ITEM_INTERNET_PASSWORD: return kSecClassInternetPassword;
    }
    return NULL;
}
