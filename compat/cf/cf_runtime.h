/*
 * The CoreFoundation object runtime, internal interface.
 *
 * Every CF object the library hands out (strings, arrays, certificates,
 * trusts, SSL contexts...) starts with struct cf_object, so CFRetain,
 * CFRelease, CFGetTypeID, CFEqual, CFHash and CFCopyDescription work on all
 * of them through one class table.
 */
#ifndef SECTRANS_CF_RUNTIME_H
#define SECTRANS_CF_RUNTIME_H

#include <CoreFoundation/CoreFoundation.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "cf_export.h"

/* Hidden by default; the export tables mark the API (cf_export.h). */
#define CF_INTERNAL __attribute__((visibility("hidden")))

/*
 * Retain counts at or above this value mark an immortal object (CFSTR
 * constants, data symbols): retain and release leave it alone, as in
 * Apple's CF where constant strings report a huge retain count.
 */
#define CF_RETAIN_IMMORTAL ((long)1 << 62)

struct cf_object {
    /*
     * NULL in a C-only process. With an Objective-C runtime and Foundation
     * loaded, the class the object answers messages as (cf_bridge.c): the
     * first word of an object is its isa for the runtime. A first word that
     * is a class not ours marks a Foundation object passed in its place.
     */
    const void *isa;
    CFTypeID type_id;
    _Atomic long retain_count;
};

/* Initializer for an object with static storage that is never freed. */
#define CF_OBJECT_STATIC_INIT(type)                                                                \
    {                                                                                              \
        .type_id = (type), .retain_count = CF_RETAIN_IMMORTAL                                      \
    }

/*
 * Lists an object with static storage in the section cf_bridge.c walks to
 * give each one its Objective-C class once a runtime is found.
 */
#define CF_STATIC_OBJECT_REGISTER(object)                                                          \
    static void *object##_static_entry __attribute__((used, section("sectrans_cf_static"))) =      \
        &(object)

/*
 * A class: the behaviour CF's generic functions dispatch to. Any hook may be
 * NULL: equality then means identity, the hash is the address, and the
 * description is "<Name 0x...>".
 */
struct cf_class {
    const char *name;
    /* Releases what the object owns; the runtime frees the object itself. */
    void (*finalize)(CFTypeRef cf);
    /* Called only for two distinct objects of this class. */
    bool (*equal)(CFTypeRef a, CFTypeRef b);
    CFHashCode (*hash)(CFTypeRef cf);
    CFStringRef (*copy_description)(CFTypeRef cf);
};

/*
 * Type IDs of the CF classes defined in compat/cf/ are fixed, so that
 * constant objects can be initialized statically. Classes defined elsewhere
 * (Security objects, SSL contexts) register at run time and get IDs from
 * CF_TYPE_ID_FIRST_DYNAMIC on.
 */
enum cf_builtin_type_id {
    CF_TYPE_ID_NOT_A_TYPE = 0,
    CF_TYPE_ID_STRING = 7,
    CF_TYPE_ID_DICTIONARY = 18,
    CF_TYPE_ID_ARRAY = 19,
    CF_TYPE_ID_DATA = 20,
    CF_TYPE_ID_BOOLEAN = 21,
    CF_TYPE_ID_NUMBER = 22,
    CF_TYPE_ID_DATE = 42,
    CF_TYPE_ID_ERROR = 29,
    CF_TYPE_ID_FIRST_DYNAMIC = 64,
};

/*
 * Returns the type ID of `cls`, registering it the first time. `slot` caches
 * the ID (one static per class); the call is thread safe and, after the first
 * one, a single atomic load. Returns CF_TYPE_ID_NOT_A_TYPE if the class table
 * is full.
 */
CF_INTERNAL CFTypeID cf_type_id_for(_Atomic CFTypeID *slot, const struct cf_class *cls);

/*
 * Defines `CFTypeID fn(void)`, the public XGetTypeID of a class registered at
 * run time: the class is registered on the first call.
 */
#define CF_DEFINE_TYPE_ID_FUNCTION(fn, cls)                                                        \
    CFTypeID fn(void)                                                                              \
    {                                                                                              \
        static _Atomic CFTypeID type_id;                                                           \
        return cf_type_id_for(&type_id, &(cls));                                                   \
    }

/*
 * Allocates a zeroed object of `size` bytes (at least sizeof(struct
 * cf_object)) with retain count 1. Returns NULL when out of memory.
 */
CF_INTERNAL void *cf_object_create(CFTypeID type_id, size_t size);

/*
 * Retains `cf` unless its retain count already reached zero (its last
 * release is running or done), in one compare-and-swap. For lookups that
 * find an object in a registry its finalizer leaves: done while the
 * registry's lock is held, the object cannot be freed under the lookup.
 */
CF_INTERNAL bool cf_retain_if_alive(CFTypeRef cf);

/* True if `cf` is non-NULL and an instance of `type_id`. */
CF_INTERNAL bool cf_is_type(CFTypeRef cf, CFTypeID type_id);

#include "cf_bridge.h"

/*
 * `cf` itself, or for a Foundation object passed where a CF object is taken
 * (toll-free bridging), an equal CF object of ours that stays valid while the
 * Foundation object is (cf_bridge.c). The C-only cost is one load and test.
 */
static inline CFTypeRef cf_own(CFTypeRef cf)
{
    if (cf != NULL && ((const struct cf_object *)cf)->isa != NULL && cf_bridge_is_foreign(cf))
        return cf_bridge_import(cf);
    return cf;
}

#endif
