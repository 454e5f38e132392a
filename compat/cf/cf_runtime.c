/*
 * The CoreFoundation object runtime: class table, reference counting and the
 * generic CF functions that dispatch on an object's class.
 */
#include "cf_runtime.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cf_string.h"

#define CF_TYPE_ID_LIMIT 128

/* Classes of compat/cf/, at their fixed IDs. */
extern const struct cf_class cf_string_class, cf_dictionary_class, cf_array_class, cf_data_class,
    cf_boolean_class, cf_number_class, cf_error_class, cf_date_class;

static _Atomic(const struct cf_class *) cf_classes[CF_TYPE_ID_LIMIT] = {
    [CF_TYPE_ID_STRING] = &cf_string_class,   [CF_TYPE_ID_DICTIONARY] = &cf_dictionary_class,
    [CF_TYPE_ID_ARRAY] = &cf_array_class,     [CF_TYPE_ID_DATA] = &cf_data_class,
    [CF_TYPE_ID_BOOLEAN] = &cf_boolean_class, [CF_TYPE_ID_NUMBER] = &cf_number_class,
    [CF_TYPE_ID_ERROR] = &cf_error_class,     [CF_TYPE_ID_DATE] = &cf_date_class,
};

static pthread_mutex_t cf_register_lock = PTHREAD_MUTEX_INITIALIZER;
static CFTypeID cf_next_dynamic_id = CF_TYPE_ID_FIRST_DYNAMIC;

/* Apple's CF: the default allocator is a variable whose value is NULL. */
const CFAllocatorRef kCFAllocatorDefault = NULL;

CFTypeID cf_type_id_for(_Atomic CFTypeID *slot, const struct cf_class *cls)
{
    CFTypeID id = atomic_load_explicit(slot, memory_order_acquire);
    if (id != CF_TYPE_ID_NOT_A_TYPE)
        return id;

    pthread_mutex_lock(&cf_register_lock);
    id = atomic_load_explicit(slot, memory_order_relaxed);
    if (id == CF_TYPE_ID_NOT_A_TYPE && cf_next_dynamic_id < CF_TYPE_ID_LIMIT) {
        id = cf_next_dynamic_id++;
        atomic_store_explicit(&cf_classes[id], cls, memory_order_release);
        atomic_store_explicit(slot, id, memory_order_release);
    }
    pthread_mutex_unlock(&cf_register_lock);
    return id;
}

static const struct cf_class *cf_class_of_id(CFTypeID id)
{
    if (id >= CF_TYPE_ID_LIMIT)
        return NULL;
    return atomic_load_explicit(&cf_classes[id], memory_order_acquire);
}

static const struct cf_class *cf_class_of(CFTypeRef cf)
{
    return cf_class_of_id(((const struct cf_object *)cf)->type_id);
}

void *cf_object_create(CFTypeID type_id, size_t size)
{
    if (size < sizeof(struct cf_object) || cf_class_of_id(type_id) == NULL)
        return NULL;
    struct cf_object *obj = calloc(1, size);
    if (obj == NULL)
        return NULL;
    obj->isa = cf_bridge_class_for(type_id);
    obj->type_id = type_id;
    atomic_init(&obj->retain_count, 1);
    return obj;
}

/* A Foundation object: true when it bridges to `type_id` (CF accessors import it). */
bool cf_is_type(CFTypeRef cf, CFTypeID type_id)
{
    if (cf == NULL)
        return false;
    const struct cf_object *obj = cf;
    if (obj->isa != NULL && cf_bridge_is_foreign(cf))
        return cf_bridge_type_id(cf) == type_id;
    return obj->type_id == type_id;
}

static bool cf_is_foreign(CFTypeRef cf)
{
    return ((const struct cf_object *)cf)->isa != NULL && cf_bridge_is_foreign(cf);
}

/* Real CF aborts on NULL; a NULL here is a no-op so that bad input never crashes. */
CFTypeRef CFRetain(CFTypeRef cf)
{
    if (cf == NULL)
        return NULL;
    if (cf_is_foreign(cf))
        return cf_bridge_retain(cf);
    struct cf_object *obj = (struct cf_object *)cf;
    if (atomic_load_explicit(&obj->retain_count, memory_order_relaxed) < CF_RETAIN_IMMORTAL)
        atomic_fetch_add_explicit(&obj->retain_count, 1, memory_order_relaxed);
    return cf;
}

bool cf_retain_if_alive(CFTypeRef cf)
{
    struct cf_object *obj = (struct cf_object *)cf;
    long count = atomic_load_explicit(&obj->retain_count, memory_order_relaxed);
    do {
        if (count <= 0)
            return false;
        if (count >= CF_RETAIN_IMMORTAL)
            return true;
    } while (!atomic_compare_exchange_weak_explicit(&obj->retain_count, &count, count + 1,
                                                    memory_order_relaxed, memory_order_relaxed));
    return true;
}

/*
 * NULL is tolerated for applications' sake only (10.15 crashes on it). The
 * library's own code never passes NULL: it tests first, so each call states
 * that it owns a reference.
 */
void CFRelease(CFTypeRef cf)
{
    if (cf == NULL)
        return;
    if (cf_is_foreign(cf)) {
        cf_bridge_release(cf);
        return;
    }
    struct cf_object *obj = (struct cf_object *)cf;
    if (atomic_load_explicit(&obj->retain_count, memory_order_relaxed) >= CF_RETAIN_IMMORTAL)
        return;
    /*
     * Release publishes our writes to whichever thread frees; acquire (on
     * the last release) makes the others' writes visible to the finalizer.
     * One acq_rel RMW rather than a separate fence, which ThreadSanitizer
     * does not model.
     */
    if (atomic_fetch_sub_explicit(&obj->retain_count, 1, memory_order_acq_rel) != 1)
        return;
    const struct cf_class *cls = cf_class_of(cf);
    if (cls != NULL && cls->finalize != NULL)
        cls->finalize(cf);
    free(obj);
}

CFIndex CFGetRetainCount(CFTypeRef cf)
{
    if (cf == NULL)
        return 0;
    if (cf_is_foreign(cf))
        return cf_bridge_retain_count(cf);
    const struct cf_object *obj = cf;
    return atomic_load_explicit(&obj->retain_count, memory_order_relaxed);
}

CFTypeID CFGetTypeID(CFTypeRef cf)
{
    if (cf == NULL)
        return CF_TYPE_ID_NOT_A_TYPE;
    if (cf_is_foreign(cf))
        return cf_bridge_type_id(cf);
    return ((const struct cf_object *)cf)->type_id;
}

Boolean CFEqual(CFTypeRef cf1, CFTypeRef cf2)
{
    if (cf1 == cf2)
        return cf1 != NULL;
    if (cf1 == NULL || cf2 == NULL)
        return false;
    /* Toll-free: an NSString equals the CFString of the same text. */
    cf1 = cf_own(cf1);
    cf2 = cf_own(cf2);
    if (cf1 == NULL || cf2 == NULL || CFGetTypeID(cf1) != CFGetTypeID(cf2))
        return false;
    const struct cf_class *cls = cf_class_of(cf1);
    return cls != NULL && cls->equal != NULL && cls->equal(cf1, cf2);
}

CFHashCode CFHash(CFTypeRef cf)
{
    cf = cf_own(cf);
    if (cf == NULL)
        return 0;
    const struct cf_class *cls = cf_class_of(cf);
    if (cls != NULL && cls->hash != NULL)
        return cls->hash(cf);
    return (CFHashCode)(uintptr_t)cf;
}

CFStringRef CFCopyDescription(CFTypeRef cf)
{
    cf = cf_own(cf);
    if (cf == NULL)
        return NULL;
    const struct cf_class *cls = cf_class_of(cf);
    if (cls != NULL && cls->copy_description != NULL)
        return cls->copy_description(cf);
    return cf_string_create_format("<%s %p>", cls != NULL ? cls->name : "CFType", cf);
}

CFStringRef CFCopyTypeIDDescription(CFTypeID type_id)
{
    const struct cf_class *cls = cf_class_of_id(type_id);
    if (cls == NULL)
        return NULL;
    return cf_string_create_format("%s", cls->name);
}
