/*
 * SecKeychainSearch.h: the legacy item search (one item at a time).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECKEYCHAINSEARCH_H_
#define _SECURITY_SECKEYCHAINSEARCH_H_

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecBase.h>
#include <Security/SecKeychainItem.h>

CF_EXTERN_C_BEGIN

CF_EXPORT CFTypeID SecKeychainSearchGetTypeID(void);
/* keychainOrArray NULL: the search list. attrList NULL: every item of the class. */
CF_EXPORT OSStatus SecKeychainSearchCreateFromAttributes(CFTypeRef keychainOrArray,
                                                         SecItemClass itemClass,
                                                         const SecKeychainAttributeList *attrList,
                                                         SecKeychainSearchRef *searchRef);
/* The next match (+1), or errSecItemNotFound after the last. */
CF_EXPORT OSStatus SecKeychainSearchCopyNext(SecKeychainSearchRef searchRef,
                                             SecKeychainItemRef *itemRef);

CF_EXTERN_C_END

#endif
