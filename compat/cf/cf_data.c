/*
 * CFData and CFMutableData: byte buffers. An immutable CFData owns a copy of
 * its bytes; a mutable one grows as needed, up to its capacity when one was
 * given (0 = unbounded).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"

struct cf_data {
    struct cf_object base;
    bool is_mutable;
    CFIndex length;
    CFIndex capacity; /* mutable only: the limit asked for, 0 = none */
    size_t allocated;
    UInt8 *bytes;
};

static bool cf_data_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_data_hash(CFTypeRef cf);
static CFStringRef cf_data_copy_description(CFTypeRef cf);
static void cf_data_finalize(CFTypeRef cf);

const struct cf_class cf_data_class = {
    .name = "CFData",
    .finalize = cf_data_finalize,
    .equal = cf_data_equal,
    .hash = cf_data_hash,
    .copy_description = cf_data_copy_description,
};

CFTypeID CFDataGetTypeID(void)
{
    return CF_TYPE_ID_DATA;
}

static struct cf_data *cf_data_of(CFDataRef d)
{
    d = cf_own(d);
    return cf_is_type(d, CF_TYPE_ID_DATA) ? (struct cf_data *)d : NULL;
}

static struct cf_data *cf_mutable_data_of(CFMutableDataRef d)
{
    struct cf_data *data = cf_data_of(d);
    return data != NULL && data->is_mutable ? data : NULL;
}

static void cf_data_finalize(CFTypeRef cf)
{
    free(((struct cf_data *)cf)->bytes);
}

/* Makes room for `length` bytes; new bytes are zero. */
static bool cf_data_reserve(struct cf_data *d, CFIndex length)
{
    if (length < 0 || (d->capacity > 0 && length > d->capacity))
        return false;
    if ((size_t)length <= d->allocated)
        return true;
    size_t want = d->allocated ? d->allocated : 16;
    while (want < (size_t)length)
        want *= 2;
    UInt8 *bytes = realloc(d->bytes, want);
    if (bytes == NULL)
        return false;
    memset(bytes + d->allocated, 0, want - d->allocated);
    d->bytes = bytes;
    d->allocated = want;
    return true;
}

static struct cf_data *cf_data_new(bool is_mutable, CFIndex capacity, const UInt8 *bytes,
                                   CFIndex length)
{
    if (length < 0 || capacity < 0 || (bytes == NULL && length > 0))
        return NULL;
    struct cf_data *d = cf_object_create(CF_TYPE_ID_DATA, sizeof(*d));
    if (d == NULL)
        return NULL;
    d->is_mutable = is_mutable;
    d->capacity = capacity;
    if (!cf_data_reserve(d, length)) {
        CFRelease(d);
        return NULL;
    }
    if (length > 0)
        memcpy(d->bytes, bytes, (size_t)length);
    d->length = length;
    return d;
}

CFDataRef CFDataCreate(CFAllocatorRef allocator, const UInt8 *bytes, CFIndex length)
{
    (void)allocator;
    return (CFDataRef)cf_data_new(false, 0, bytes, length);
}

CFDataRef CFDataCreateCopy(CFAllocatorRef allocator, CFDataRef theData)
{
    (void)allocator;
    const struct cf_data *src = cf_data_of(theData);
    if (src == NULL)
        return NULL;
    /* An immutable source can be shared, as CF does. */
    if (!src->is_mutable)
        return CFRetain(src); /* a Foundation object: its immutable import */
    return (CFDataRef)cf_data_new(false, 0, src->bytes, src->length);
}

CFMutableDataRef CFDataCreateMutable(CFAllocatorRef allocator, CFIndex capacity)
{
    (void)allocator;
    return (CFMutableDataRef)cf_data_new(true, capacity, NULL, 0);
}

CFMutableDataRef CFDataCreateMutableCopy(CFAllocatorRef allocator, CFIndex capacity,
                                         CFDataRef theData)
{
    (void)allocator;
    const struct cf_data *src = cf_data_of(theData);
    if (src == NULL || (capacity > 0 && capacity < src->length))
        return NULL;
    return (CFMutableDataRef)cf_data_new(true, capacity, src->bytes, src->length);
}

CFIndex CFDataGetLength(CFDataRef theData)
{
    const struct cf_data *d = cf_data_of(theData);
    return d != NULL ? d->length : 0;
}

/* Never NULL for a data object, even an empty one: callers pass it to memcpy. */
const UInt8 *CFDataGetBytePtr(CFDataRef theData)
{
    const struct cf_data *d = cf_data_of(theData);
    if (d == NULL)
        return NULL;
    return d->bytes != NULL ? d->bytes : (const UInt8 *)"";
}

UInt8 *CFDataGetMutableBytePtr(CFMutableDataRef theData)
{
    struct cf_data *d = cf_mutable_data_of(theData);
    if (d == NULL || !cf_data_reserve(d, 1))
        return NULL;
    return d->bytes;
}

void CFDataGetBytes(CFDataRef theData, CFRange range, UInt8 *buffer)
{
    const struct cf_data *d = cf_data_of(theData);
    if (d == NULL || buffer == NULL || range.location < 0 || range.length < 0 ||
        range.location > d->length || range.length > d->length - range.location)
        return;
    if (range.length > 0)
        memcpy(buffer, d->bytes + range.location, (size_t)range.length);
}

void CFDataSetLength(CFMutableDataRef theData, CFIndex length)
{
    struct cf_data *d = cf_mutable_data_of(theData);
    if (d == NULL || !cf_data_reserve(d, length))
        return;
    if (length < d->length)
        memset(d->bytes + length, 0, (size_t)(d->length - length));
    d->length = length;
}

void CFDataAppendBytes(CFMutableDataRef theData, const UInt8 *bytes, CFIndex length)
{
    struct cf_data *d = cf_mutable_data_of(theData);
    if (d == NULL || length <= 0 || bytes == NULL || length > INTPTR_MAX - d->length ||
        !cf_data_reserve(d, d->length + length))
        return;
    memmove(d->bytes + d->length, bytes, (size_t)length);
    d->length += length;
}

static bool cf_data_equal(CFTypeRef a, CFTypeRef b)
{
    const struct cf_data *x = a, *y = b;
    return x->length == y->length &&
           (x->length == 0 || memcmp(x->bytes, y->bytes, (size_t)x->length) == 0);
}

/* FNV-1a over at most the first 80 bytes, as CF hashes only a prefix of large data. */
static CFHashCode cf_data_hash(CFTypeRef cf)
{
    const struct cf_data *d = cf;
    uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)d->length;
    for (CFIndex i = 0; i < d->length && i < 80; i++) {
        h ^= d->bytes[i];
        h *= 0x100000001b3u;
    }
    return (CFHashCode)h;
}

static CFStringRef cf_data_copy_description(CFTypeRef cf)
{
    const struct cf_data *d = cf;
    char hex[2 * 24 + 4] = "";
    size_t shown = d->length < 24 ? (size_t)d->length : 24;
    for (size_t i = 0; i < shown; i++)
        snprintf(hex + 2 * i, 3, "%02x", d->bytes[i]);
    if ((size_t)d->length > shown)
        strcat(hex, "...");
    return cf_string_create_format("<CFData %p [%s]>{length = %ld, bytes = 0x%s}", cf,
                                   d->is_mutable ? "mutable" : "immutable", (long)d->length, hex);
}
