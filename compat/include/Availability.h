/*
 * Availability.h: OS version numbers and the availability annotations of
 * Apple's headers. On Linux every annotation expands to nothing: sectrans
 * marks nothing deprecated, so 10.15-era code builds without warnings.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef __AVAILABILITY__
#define __AVAILABILITY__

#define __MAC_10_0    1000
#define __MAC_10_1    1010
#define __MAC_10_2    1020
#define __MAC_10_3    1030
#define __MAC_10_4    1040
#define __MAC_10_5    1050
#define __MAC_10_6    1060
#define __MAC_10_7    1070
#define __MAC_10_8    1080
#define __MAC_10_9    1090
#define __MAC_10_10   101000
#define __MAC_10_10_2 101002
#define __MAC_10_10_3 101003
#define __MAC_10_11   101100
#define __MAC_10_11_2 101102
#define __MAC_10_11_3 101103
#define __MAC_10_11_4 101104
#define __MAC_10_12   101200
#define __MAC_10_12_1 101201
#define __MAC_10_12_2 101202
#define __MAC_10_12_4 101204
#define __MAC_10_13   101300
#define __MAC_10_13_1 101301
#define __MAC_10_13_2 101302
#define __MAC_10_13_4 101304
#define __MAC_10_14   101400
#define __MAC_10_14_1 101401
#define __MAC_10_14_4 101404
#define __MAC_10_15   101500
#define __MAC_10_15_1 101501
#define __MAC_10_15_4 101504
#define __MAC_NA      9999
#define __IPHONE_NA   99999

/* The SDK sectrans matches: macOS 10.15. A build may choose other values with -D. */
#ifndef __MAC_OS_X_VERSION_MIN_REQUIRED
#define __MAC_OS_X_VERSION_MIN_REQUIRED 101500
#endif
#ifndef __MAC_OS_X_VERSION_MAX_ALLOWED
#define __MAC_OS_X_VERSION_MAX_ALLOWED 101500
#endif

#define API_AVAILABLE_END
#define API_UNAVAILABLE_END
#define API_DEPRECATED_END
#define __OSX_UNAVAILABLE
#define __IOS_PROHIBITED
#define __IOS_UNAVAILABLE
#define __TVOS_PROHIBITED
#define __TVOS_UNAVAILABLE
#define __WATCHOS_PROHIBITED
#define __WATCHOS_UNAVAILABLE
#define __AVAILABILITY_INTERNAL_DEPRECATED

/*
 * The variadic annotations come last. C90 and C++98 have no variadic macros,
 * so -pedantic would flag their definitions in a program built that way:
 * the definitions are exempt from that one warning (in g++ before 13, whose
 * diagnostic pragmas do not reach the preprocessor, GCC PR 53431, by
 * treating the rest of this file as a system header, as Apple's SDK is).
 */
#if defined(__cplusplus) && __cplusplus < 201103L && defined(__GNUC__) && !defined(__clang__) &&   \
    __GNUC__ < 13
#pragma GCC system_header
#endif
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wvariadic-macros"
#endif
#define API_AVAILABLE(...)
#define API_UNAVAILABLE(...)
#define API_DEPRECATED(...)
#define API_DEPRECATED_WITH_REPLACEMENT(...)
#define API_AVAILABLE_BEGIN(...)
#define API_UNAVAILABLE_BEGIN(...)
#define API_DEPRECATED_BEGIN(...)
#define SPI_AVAILABLE(...)
#define __API_AVAILABLE(...)
#define __API_UNAVAILABLE(...)
#define __API_DEPRECATED(...)
#define __API_DEPRECATED_WITH_REPLACEMENT(...)
#define __OSX_AVAILABLE(...)
#define __OSX_AVAILABLE_STARTING(...)
#define __OSX_AVAILABLE_BUT_DEPRECATED(...)
#define __OSX_AVAILABLE_BUT_DEPRECATED_MSG(...)
#define __OSX_DEPRECATED(...)
#define __IOS_AVAILABLE(...)
#define __IOS_DEPRECATED(...)
#define __TVOS_AVAILABLE(...)
#define __WATCHOS_AVAILABLE(...)
#define __SECURETRANSPORT_API_DEPRECATED(...)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#endif
