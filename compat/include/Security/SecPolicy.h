/*
 * SecPolicy.h: the policies a trust evaluation applies.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECPOLICY_H_
#define _SECURITY_SECPOLICY_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecPolicyGetTypeID(void);
CF_EXPORT SecPolicyRef SecPolicyCreateBasicX509(void);
/* server: true to evaluate a server's certificate; hostname NULL: no name check. */
CF_EXPORT SecPolicyRef SecPolicyCreateSSL(Boolean server, CFStringRef hostname);
CF_EXPORT CFDictionaryRef SecPolicyCopyProperties(SecPolicyRef policyRef);

CF_EXTERN_C_END

#endif
