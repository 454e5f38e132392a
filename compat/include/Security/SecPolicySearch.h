/*
 * SecPolicySearch.h: the legacy way to get a policy, by its CDSA object
 * identifier (CSSMOID_APPLE_TP_SSL, CSSMOID_APPLE_X509_BASIC, ...).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECPOLICYSEARCH_H_
#define _SECURITY_SECPOLICYSEARCH_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>
#include <Security/cssmapple.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecPolicySearchGetTypeID(void);
/* policyOID NULL: every policy; value is unused (SecPolicySetValue sets it). */
CF_EXPORT OSStatus SecPolicySearchCreate(CSSM_CERT_TYPE certType, const CSSM_OID *policyOID,
                                         const CSSM_DATA *value, SecPolicySearchRef *searchRef);
/* The next policy (+1); errSecPolicyNotFound when there are no more. */
CF_EXPORT OSStatus SecPolicySearchCopyNext(SecPolicySearchRef searchRef, SecPolicyRef *policyRef);

CF_EXTERN_C_END

#endif
