/*
 * Toll-free bridging with Foundation objects (cf_bridge.c), internal
 * interface. Included by cf_runtime.h, which defines CF_INTERNAL.
 */
#ifndef SECTRANS_CF_BRIDGE_H
#define SECTRANS_CF_BRIDGE_H

#include <CoreFoundation/CoreFoundation.h>
#include <stdbool.h>

#ifndef CF_INTERNAL
#define CF_INTERNAL __attribute__((visibility("hidden")))
#endif

/*
 * The isa our new objects of `type_id` get: NULL unless an Objective-C
 * runtime with Foundation is loaded. The first call looks for it.
 */
CF_INTERNAL const void *cf_bridge_class_for(CFTypeID type_id);

/* True once our classes are registered with a runtime. */
CF_INTERNAL bool cf_bridge_active(void);

/* True if `cf` (non-NULL, isa non-NULL) is a Foundation object, not ours. */
CF_INTERNAL bool cf_bridge_is_foreign(CFTypeRef cf);

/*
 * An equal CF object of ours for a Foundation object, +0 (autoreleased: valid
 * until the current autorelease pool drains). Collections are shallow: their
 * elements are the Foundation collection's. NULL when the class is not
 * bridged.
 */
CF_INTERNAL CFTypeRef cf_bridge_import(CFTypeRef foreign);

/* CF's generic functions on a Foundation object: its own methods. */
CF_INTERNAL CFTypeRef cf_bridge_retain(CFTypeRef foreign);
CF_INTERNAL void cf_bridge_release(CFTypeRef foreign);
CF_INTERNAL CFIndex cf_bridge_retain_count(CFTypeRef foreign);
CF_INTERNAL CFTypeID cf_bridge_type_id(CFTypeRef foreign);

#endif
