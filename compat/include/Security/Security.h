/*
 * Security.h: the Security framework subset sectrans provides.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECURITY_H_
#define _SECURITY_SECURITY_H_

#include <Security/SecBase.h>
#include <Security/CipherSuite.h>
#include <Security/SecCertificate.h>
#include <Security/SecCertificateOIDs.h>
#include <Security/SecIdentity.h>
#include <Security/SecImportExport.h>
#include <Security/SecItem.h>
#include <Security/SecKey.h>
#include <Security/SecKeychain.h>
#include <Security/SecKeychainItem.h>
#include <Security/SecKeychainSearch.h>
#include <Security/SecAccess.h>
#include <Security/SecPolicy.h>
#include <Security/SecPolicySearch.h>
#include <Security/SecProtocolTypes.h>
#include <Security/SecRandom.h>
#include <Security/SecTrust.h>
#include <Security/SecTrustSettings.h>
#include <Security/cssmapple.h>
#include <Security/SecureTransport.h>

#endif
