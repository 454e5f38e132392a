/*
 * CFAvailability.h: CF_ENUM, CF_OPTIONS and the availability and Swift
 * annotations CoreFoundation headers use. The enum macros always use the
 * portable form `T Name; enum { ... }` (C compilers before C23 have no fixed
 * enum types), so a CF_ENUM's storage is exactly its declared type.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef __COREFOUNDATION_CFAVAILABILITY__
#define __COREFOUNDATION_CFAVAILABILITY__

#include <Availability.h>
#include <AvailabilityMacros.h>
#include <TargetConditionals.h>

#define __CF_NAMED_ENUM(_type, _name)                                                              \
    _type _name;                                                                                   \
    enum
#define __CF_ANON_ENUM(_type) enum
#define CF_OPTIONS(_type, _name)                                                                   \
    _type _name;                                                                                   \
    enum
#define CF_REFINED_FOR_SWIFT
#define CF_NOESCAPE
#define NS_REFINED_FOR_SWIFT

/*
 * The variadic macros come last. C90 and C++98 have no variadic macros, so
 * -pedantic would flag their definitions in a program built that way: the
 * definitions are exempt from that one warning (in g++ before 13, whose
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
#define __CF_ENUM_PICK(_1, _2, NAME, ...) NAME
/* CF_ENUM(T) { ... } or typedef CF_ENUM(T, Name) { ... }; */
#define CF_ENUM(...)                                                                               \
    __CF_ENUM_PICK(__VA_ARGS__, __CF_NAMED_ENUM, __CF_ANON_ENUM, __CF_ENUM_FILLER)(__VA_ARGS__)
#define CF_CLOSED_ENUM(...) CF_ENUM(__VA_ARGS__)
#define CF_AVAILABLE(...)
#define CF_AVAILABLE_MAC(...)
#define CF_AVAILABLE_IOS(...)
#define CF_DEPRECATED(...)
#define CF_DEPRECATED_MAC(...)
#define CF_DEPRECATED_IOS(...)
#define CF_ENUM_AVAILABLE(...)
#define CF_ENUM_AVAILABLE_MAC(...)
#define CF_ENUM_AVAILABLE_IOS(...)
#define CF_ENUM_DEPRECATED(...)
#define CF_SWIFT_NAME(...)
#define CF_SWIFT_UNAVAILABLE(...)
#define NS_SWIFT_NAME(...)
#define NS_SWIFT_UNAVAILABLE(...)
/* Annotations CFBase.h's users write; no effect here. */
#define CF_BRIDGED_TYPE(...)
#define CF_BRIDGED_MUTABLE_TYPE(...)
#define CF_RELATED_TYPE(...)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#endif
