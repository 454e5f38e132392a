/*
 * CFArray and CFMutableArray: ordered collections whose element callbacks
 * (retain, release, describe, compare) are given per array, as in CF. NULL
 * callbacks mean raw pointers that are neither retained nor compared beyond
 * identity.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"

struct cf_array {
    struct cf_object base;
    bool is_mutable;
    CFIndex count;
    CFIndex capacity; /* mutable only: the limit asked for, 0 = none */
    size_t allocated;
    CFArrayCallBacks callbacks;
    const void **values;
};

static const void *cf_type_retain(CFAllocatorRef allocator, const void *value)
{
    (void)allocator;
    return CFRetain(value);
}

static void cf_type_release(CFAllocatorRef allocator, const void *value)
{
    (void)allocator;
    CFRelease(value);
}

const CFArrayCallBacks kCFTypeArrayCallBacks = {
    .version = 0,
    .retain = cf_type_retain,
    .release = cf_type_release,
    .copyDescription = CFCopyDescription,
    .equal = CFEqual,
};

static bool cf_array_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_array_hash(CFTypeRef cf);
static CFStringRef cf_array_copy_description(CFTypeRef cf);
static void cf_array_finalize(CFTypeRef cf);

const struct cf_class cf_array_class = {
    .name = "CFArray",
    .finalize = cf_array_finalize,
    .equal = cf_array_equal,
    .hash = cf_array_hash,
    .copy_description = cf_array_copy_description,
};

CFTypeID CFArrayGetTypeID(void)
{
    return CF_TYPE_ID_ARRAY;
}

static struct cf_array *cf_array_of(CFArrayRef a)
{
    a = cf_own(a);
    return cf_is_type(a, CF_TYPE_ID_ARRAY) ? (struct cf_array *)a : NULL;
}

static struct cf_array *cf_mutable_array_of(CFMutableArrayRef a)
{
    struct cf_array *array = cf_array_of(a);
    return array != NULL && array->is_mutable ? array : NULL;
}

static const void *cf_array_retain_value(const struct cf_array *a, const void *value)
{
    return a->callbacks.retain != NULL ? a->callbacks.retain(NULL, value) : value;
}

static void cf_array_release_value(const struct cf_array *a, const void *value)
{
    if (a->callbacks.release != NULL)
        a->callbacks.release(NULL, value);
}

static bool cf_array_values_equal(const struct cf_array *a, const void *x, const void *y)
{
    if (x == y)
        return true;
    return a->callbacks.equal != NULL && a->callbacks.equal(x, y);
}

static void cf_array_finalize(CFTypeRef cf)
{
    struct cf_array *a = (struct cf_array *)cf;
    for (CFIndex i = 0; i < a->count; i++)
        cf_array_release_value(a, a->values[i]);
    free(a->values);
}

static bool cf_array_reserve(struct cf_array *a, CFIndex count)
{
    if (count < 0 || (a->capacity > 0 && count > a->capacity))
        return false;
    if ((size_t)count <= a->allocated)
        return true;
    size_t want = a->allocated ? a->allocated : 8;
    while (want < (size_t)count)
        want *= 2;
    if (want > SIZE_MAX / sizeof(*a->values))
        return false;
    const void **values = realloc(a->values, want * sizeof(*values));
    if (values == NULL)
        return false;
    a->values = values;
    a->allocated = want;
    return true;
}

static struct cf_array *cf_array_new(bool is_mutable, CFIndex capacity,
                                     const CFArrayCallBacks *callbacks)
{
    /* Only version 0 exists; anything else is not a callbacks structure we know. */
    if (capacity < 0 || (callbacks != NULL && callbacks->version != 0))
        return NULL;
    struct cf_array *a = cf_object_create(CF_TYPE_ID_ARRAY, sizeof(*a));
    if (a == NULL)
        return NULL;
    a->is_mutable = is_mutable;
    a->capacity = capacity;
    if (callbacks != NULL)
        a->callbacks = *callbacks;
    return a;
}

/* Appends with the array's retain; the caller has reserved room. */
static void cf_array_push(struct cf_array *a, const void *value)
{
    a->values[a->count++] = cf_array_retain_value(a, value);
}

CFArrayRef CFArrayCreate(CFAllocatorRef allocator, const void **values, CFIndex numValues,
                         const CFArrayCallBacks *callBacks)
{
    (void)allocator;
    if (numValues < 0 || (values == NULL && numValues > 0))
        return NULL;
    struct cf_array *a = cf_array_new(false, 0, callBacks);
    if (a == NULL || !cf_array_reserve(a, numValues)) {
        CFRelease(a);
        return NULL;
    }
    for (CFIndex i = 0; i < numValues; i++)
        cf_array_push(a, values[i]);
    return (CFArrayRef)a;
}

static struct cf_array *cf_array_copy(bool is_mutable, CFIndex capacity, CFArrayRef source)
{
    const struct cf_array *src = cf_array_of(source);
    if (src == NULL || (capacity > 0 && capacity < src->count))
        return NULL;
    struct cf_array *a = cf_array_new(is_mutable, capacity, &src->callbacks);
    if (a == NULL || !cf_array_reserve(a, src->count)) {
        CFRelease(a);
        return NULL;
    }
    for (CFIndex i = 0; i < src->count; i++)
        cf_array_push(a, src->values[i]);
    return a;
}

CFArrayRef CFArrayCreateCopy(CFAllocatorRef allocator, CFArrayRef theArray)
{
    (void)allocator;
    const struct cf_array *src = cf_array_of(theArray);
    if (src != NULL && !src->is_mutable)
        return CFRetain(src); /* a Foundation array: its immutable import */
    return (CFArrayRef)cf_array_copy(false, 0, theArray);
}

CFMutableArrayRef CFArrayCreateMutable(CFAllocatorRef allocator, CFIndex capacity,
                                       const CFArrayCallBacks *callBacks)
{
    (void)allocator;
    return (CFMutableArrayRef)cf_array_new(true, capacity, callBacks);
}

CFMutableArrayRef CFArrayCreateMutableCopy(CFAllocatorRef allocator, CFIndex capacity,
                                           CFArrayRef theArray)
{
    (void)allocator;
    return (CFMutableArrayRef)cf_array_copy(true, capacity, theArray);
}

CFIndex CFArrayGetCount(CFArrayRef theArray)
{
    const struct cf_array *a = cf_array_of(theArray);
    return a != NULL ? a->count : 0;
}

/* Out of range: NULL (CF itself aborts). */
const void *CFArrayGetValueAtIndex(CFArrayRef theArray, CFIndex idx)
{
    const struct cf_array *a = cf_array_of(theArray);
    if (a == NULL || idx < 0 || idx >= a->count)
        return NULL;
    return a->values[idx];
}

static bool cf_range_valid(CFRange range, CFIndex count)
{
    return range.location >= 0 && range.length >= 0 && range.location <= count &&
           range.length <= count - range.location;
}

void CFArrayGetValues(CFArrayRef theArray, CFRange range, const void **values)
{
    const struct cf_array *a = cf_array_of(theArray);
    if (a == NULL || values == NULL || !cf_range_valid(range, a->count))
        return;
    if (range.length > 0)
        memcpy(values, a->values + range.location, (size_t)range.length * sizeof(*values));
}

CFIndex CFArrayGetFirstIndexOfValue(CFArrayRef theArray, CFRange range, const void *value)
{
    const struct cf_array *a = cf_array_of(theArray);
    if (a == NULL || !cf_range_valid(range, a->count))
        return kCFNotFound;
    for (CFIndex i = range.location; i < range.location + range.length; i++)
        if (cf_array_values_equal(a, a->values[i], value))
            return i;
    return kCFNotFound;
}

Boolean CFArrayContainsValue(CFArrayRef theArray, CFRange range, const void *value)
{
    return CFArrayGetFirstIndexOfValue(theArray, range, value) != kCFNotFound;
}

void CFArrayApplyFunction(CFArrayRef theArray, CFRange range, CFArrayApplierFunction applier,
                          void *context)
{
    const struct cf_array *a = cf_array_of(theArray);
    if (a == NULL || applier == NULL || !cf_range_valid(range, a->count))
        return;
    for (CFIndex i = range.location; i < range.location + range.length; i++)
        applier(a->values[i], context);
}

void CFArrayInsertValueAtIndex(CFMutableArrayRef theArray, CFIndex idx, const void *value)
{
    struct cf_array *a = cf_mutable_array_of(theArray);
    if (a == NULL || idx < 0 || idx > a->count || !cf_array_reserve(a, a->count + 1))
        return;
    memmove(a->values + idx + 1, a->values + idx, (size_t)(a->count - idx) * sizeof(*a->values));
    a->values[idx] = cf_array_retain_value(a, value);
    a->count++;
}

void CFArrayAppendValue(CFMutableArrayRef theArray, const void *value)
{
    CFArrayInsertValueAtIndex(theArray, CFArrayGetCount(theArray), value);
}

void CFArrayAppendArray(CFMutableArrayRef theArray, CFArrayRef otherArray, CFRange otherRange)
{
    struct cf_array *a = cf_mutable_array_of(theArray);
    const struct cf_array *other = cf_array_of(otherArray);
    if (a == NULL || other == NULL || !cf_range_valid(otherRange, other->count) ||
        !cf_array_reserve(a, a->count + otherRange.length))
        return;
    /* Reserved first, so appending an array to itself reads stable storage. */
    for (CFIndex i = 0; i < otherRange.length; i++)
        cf_array_push(a, other->values[otherRange.location + i]);
}

/* Setting the index just past the end appends, as in CF. */
void CFArraySetValueAtIndex(CFMutableArrayRef theArray, CFIndex idx, const void *value)
{
    struct cf_array *a = cf_mutable_array_of(theArray);
    if (a == NULL || idx < 0 || idx > a->count)
        return;
    if (idx == a->count) {
        CFArrayAppendValue(theArray, value);
        return;
    }
    const void *old = a->values[idx];
    a->values[idx] = cf_array_retain_value(a, value);
    cf_array_release_value(a, old);
}

void CFArrayRemoveValueAtIndex(CFMutableArrayRef theArray, CFIndex idx)
{
    struct cf_array *a = cf_mutable_array_of(theArray);
    if (a == NULL || idx < 0 || idx >= a->count)
        return;
    const void *old = a->values[idx];
    memmove(a->values + idx, a->values + idx + 1,
            (size_t)(a->count - idx - 1) * sizeof(*a->values));
    a->count--;
    cf_array_release_value(a, old);
}

void CFArrayRemoveAllValues(CFMutableArrayRef theArray)
{
    struct cf_array *a = cf_mutable_array_of(theArray);
    if (a == NULL)
        return;
    CFIndex count = a->count;
    a->count = 0;
    for (CFIndex i = 0; i < count; i++)
        cf_array_release_value(a, a->values[i]);
}

static bool cf_array_equal(CFTypeRef x, CFTypeRef y)
{
    const struct cf_array *a = x, *b = y;
    if (a->count != b->count)
        return false;
    for (CFIndex i = 0; i < a->count; i++)
        if (!cf_array_values_equal(a, a->values[i], b->values[i]))
            return false;
    return true;
}

static CFHashCode cf_array_hash(CFTypeRef cf)
{
    return (CFHashCode)((const struct cf_array *)cf)->count;
}

static CFStringRef cf_array_copy_description(CFTypeRef cf)
{
    const struct cf_array *a = cf;
    CFStringRef text =
        cf_string_create_format("<CFArray %p [%s]>{count = %ld, values = (", cf,
                                a->is_mutable ? "mutable" : "immutable", (long)a->count);
    for (CFIndex i = 0; i < a->count; i++) {
        CFStringRef d = a->callbacks.copyDescription != NULL
                            ? a->callbacks.copyDescription(a->values[i])
                            : cf_string_create_format("<%p>", a->values[i]);
        text = cf_string_append_format(text, "\n\t%ld : %s", (long)i, cf_string_text(d));
        CFRelease(d);
    }
    return cf_string_append_format(text, "\n)}");
}
