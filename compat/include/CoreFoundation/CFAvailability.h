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

#define __CF_ENUM_PICK(_1, _2, NAME, ...) NAME
#define __CF_NAMED_ENUM(_type, _name)                                                              \
    _type _name;                                                                                   \
    enum
#define __CF_ANON_ENUM(_type) enum
/* CF_ENUM(T) { ... } or typedef CF_ENUM(T, Name) { ... }; */
#define CF_ENUM(...)          __CF_ENUM_PICK(__VA_ARGS__, __CF_NAMED_ENUM, __CF_ANON_ENUM, )(__VA_ARGS__)
#define CF_CLOSED_ENUM(...)   CF_ENUM(__VA_ARGS__)
#define CF_OPTIONS(_type, _name)                                                                   \
    _type _name;                                                                                   \
    enum

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
#define CF_REFINED_FOR_SWIFT
#define CF_NOESCAPE
#define NS_REFINED_FOR_SWIFT
#define NS_SWIFT_NAME(...)
#define NS_SWIFT_UNAVAILABLE(...)

#endif
