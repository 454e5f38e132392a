/*
 * The string constants of SecPKCS12Import and SecItemImport: import options
 * and result keys. Apple's values; callers compare by content.
 */
#include "cf_string.h"
#include "sec_internal.h"

CF_STRING_CONSTANT(kSecImportExportPassphrase, "passphrase");
CF_STRING_CONSTANT(kSecImportExportKeychain, "keychain");
CF_STRING_CONSTANT(kSecImportExportAccess, "access");
CF_STRING_CONSTANT(kSecImportItemLabel, "label");
CF_STRING_CONSTANT(kSecImportItemKeyID, "keyid");
CF_STRING_CONSTANT(kSecImportItemTrust, "trust");
CF_STRING_CONSTANT(kSecImportItemCertChain, "chain");
CF_STRING_CONSTANT(kSecImportItemIdentity, "identity");
