/*
 * CFURLAccess.h: reading the data and properties of the resource a URL
 * names (Apple deprecated it in 10.9 in favour of CFReadStream; programs of
 * that time still call it).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef __COREFOUNDATION_CFURLACCESS__
#define __COREFOUNDATION_CFURLACCESS__

#include <CoreFoundation/CFBase.h>
#include <CoreFoundation/CFArray.h>
#include <CoreFoundation/CFData.h>
#include <CoreFoundation/CFDictionary.h>
#include <CoreFoundation/CFString.h>
#include <CoreFoundation/CFURL.h>

CF_EXTERN_C_BEGIN

CF_EXPORT Boolean CFURLCreateDataAndPropertiesFromResource(CFAllocatorRef alloc, CFURLRef url,
                                                           CFDataRef *resourceData,
                                                           CFDictionaryRef *properties,
                                                           CFArrayRef desiredProperties,
                                                           SInt32 *errorCode);

/* The error codes of the calls that predate CFError. */
typedef CF_ENUM(CFIndex, CFURLError) {
    kCFURLUnknownError = -10L,
    kCFURLUnknownSchemeError = -11L,
    kCFURLResourceNotFoundError = -12L,
    kCFURLResourceAccessViolationError = -13L,
    kCFURLRemoteHostUnavailableError = -14L,
    kCFURLImproperArgumentsError = -15L,
    kCFURLUnknownPropertyKeyError = -16L,
    kCFURLPropertyKeyUnavailableError = -17L,
    kCFURLTimeoutError = -18L
};

/* Property keys of file: URLs and the types of their values. */
CF_EXPORT const CFStringRef kCFURLFileExists;               /* CFBoolean */
CF_EXPORT const CFStringRef kCFURLFileDirectoryContents;    /* CFArray of CFURL */
CF_EXPORT const CFStringRef kCFURLFileLength;               /* CFNumber, bytes */
CF_EXPORT const CFStringRef kCFURLFileLastModificationTime; /* CFDate */
CF_EXPORT const CFStringRef kCFURLFilePOSIXMode;            /* CFNumber, as in stat.h */
CF_EXPORT const CFStringRef kCFURLFileOwnerID;              /* CFNumber, the owner's uid */

CF_EXTERN_C_END

#endif
