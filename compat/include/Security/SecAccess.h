/*
 * SecAccess.h: access control lists of keychain items. sectrans accepts
 * them and ignores them: its keychains belong to the process.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECACCESS_H_
#define _SECURITY_SECACCESS_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecAccessGetTypeID(void);
CF_EXPORT OSStatus SecAccessCreate(CFStringRef descriptor, CFArrayRef trustedlist,
                                   SecAccessRef *accessRef);

CF_EXTERN_C_END

#endif
