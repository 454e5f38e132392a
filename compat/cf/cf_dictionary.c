/*
 * CFDictionary and CFMutableDictionary: hash tables whose key and value
 * callbacks are given per dictionary, as in CF. Open addressing with linear
 * probing and backward-shift deletion; NULL key callbacks mean pointer
 * identity and the address as hash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_dictionary.h"
#include "cf_string.h"

struct cf_dict_slot {
    const void *key;
    const void *value;
    CFHashCode hash;
    bool used;
};

struct cf_dictionary {
    struct cf_object base;
    bool is_mutable;
    CFIndex count;
    CFIndex capacity_limit; /* mutable only: the limit asked for, 0 = none */
    size_t capacity;        /* slots: a power of two, or 0 */
    struct cf_dict_slot *slots;
    CFDictionaryKeyCallBacks key_callbacks;
    CFDictionaryValueCallBacks value_callbacks;
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

const CFDictionaryKeyCallBacks kCFTypeDictionaryKeyCallBacks = {
    0, cf_type_retain, cf_type_release, CFCopyDescription, CFEqual, CFHash,
};
/* CF copies string keys: a mutable one is copied, an immutable one retained. */
const CFDictionaryKeyCallBacks kCFCopyStringDictionaryKeyCallBacks = {
    0, cf_string_key_copy, cf_type_release, CFCopyDescription, CFEqual, CFHash,
};
const CFDictionaryValueCallBacks kCFTypeDictionaryValueCallBacks = {
    0, cf_type_retain, cf_type_release, CFCopyDescription, CFEqual,
};

static bool cf_dictionary_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_dictionary_hash(CFTypeRef cf);
static CFStringRef cf_dictionary_copy_description(CFTypeRef cf);
static void cf_dictionary_finalize(CFTypeRef cf);

const struct cf_class cf_dictionary_class = {
    .name = "CFDictionary",
    .finalize = cf_dictionary_finalize,
    .equal = cf_dictionary_equal,
    .hash = cf_dictionary_hash,
    .copy_description = cf_dictionary_copy_description,
};

CFTypeID CFDictionaryGetTypeID(void)
{
    return CF_TYPE_ID_DICTIONARY;
}

static struct cf_dictionary *cf_dictionary_of(CFDictionaryRef d)
{
    d = cf_own(d);
    return cf_is_type(d, CF_TYPE_ID_DICTIONARY) ? (struct cf_dictionary *)d : NULL;
}

static struct cf_dictionary *cf_mutable_dictionary_of(CFMutableDictionaryRef d)
{
    struct cf_dictionary *dict = cf_dictionary_of(d);
    return dict != NULL && dict->is_mutable ? dict : NULL;
}

static CFHashCode key_hash(const struct cf_dictionary *d, const void *key)
{
    if (d->key_callbacks.hash != NULL)
        return d->key_callbacks.hash(key);
    return (CFHashCode)(uintptr_t)key;
}

static bool keys_equal(const struct cf_dictionary *d, const void *a, const void *b)
{
    return a == b || (d->key_callbacks.equal != NULL && d->key_callbacks.equal(a, b));
}

/* Spread the callback's hash: CF hashes (lengths, small ints) cluster. */
static size_t home_slot(CFHashCode hash, size_t capacity)
{
    uint64_t h = (uint64_t)hash * 0x9e3779b97f4a7c15u;
    return (size_t)(h >> 32) & (capacity - 1);
}

/* The slot holding `key`, or SIZE_MAX. */
static size_t find_slot(const struct cf_dictionary *d, const void *key)
{
    if (d->capacity == 0)
        return SIZE_MAX;
    CFHashCode hash = key_hash(d, key);
    size_t mask = d->capacity - 1;
    for (size_t i = home_slot(hash, d->capacity); d->slots[i].used; i = (i + 1) & mask)
        if (d->slots[i].hash == hash && keys_equal(d, d->slots[i].key, key))
            return i;
    return SIZE_MAX;
}

static void place(struct cf_dict_slot *slots, size_t capacity, struct cf_dict_slot slot)
{
    size_t mask = capacity - 1;
    size_t i = home_slot(slot.hash, capacity);
    while (slots[i].used)
        i = (i + 1) & mask;
    slots[i] = slot;
}

static bool reserve(struct cf_dictionary *d, CFIndex count)
{
    if (d->capacity_limit > 0 && count > d->capacity_limit)
        return false;
    if ((size_t)count * 2 <= d->capacity)
        return true;
    size_t capacity = d->capacity ? d->capacity : 8;
    while ((size_t)count * 2 > capacity)
        capacity *= 2;
    struct cf_dict_slot *slots = calloc(capacity, sizeof(*slots));
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < d->capacity; i++)
        if (d->slots[i].used)
            place(slots, capacity, d->slots[i]);
    free(d->slots);
    d->slots = slots;
    d->capacity = capacity;
    return true;
}

static void release_entry(const struct cf_dictionary *d, const struct cf_dict_slot *slot)
{
    if (d->key_callbacks.release != NULL)
        d->key_callbacks.release(NULL, slot->key);
    if (d->value_callbacks.release != NULL)
        d->value_callbacks.release(NULL, slot->value);
}

static const void *retain_key(const struct cf_dictionary *d, const void *key)
{
    return d->key_callbacks.retain != NULL ? d->key_callbacks.retain(NULL, key) : key;
}

static const void *retain_value(const struct cf_dictionary *d, const void *value)
{
    return d->value_callbacks.retain != NULL ? d->value_callbacks.retain(NULL, value) : value;
}

/* Adds or replaces; the caller has reserved room for one more entry. */
static void store(struct cf_dictionary *d, const void *key, const void *value, bool replace,
                  bool add)
{
    size_t at = find_slot(d, key);
    if (at != SIZE_MAX) {
        if (!replace)
            return;
        const void *old = d->slots[at].value;
        d->slots[at].value = retain_value(d, value);
        if (d->value_callbacks.release != NULL)
            d->value_callbacks.release(NULL, old);
        return;
    }
    if (!add)
        return;
    struct cf_dict_slot slot = {
        .key = retain_key(d, key),
        .value = retain_value(d, value),
        .hash = key_hash(d, key),
        .used = true,
    };
    place(d->slots, d->capacity, slot);
    d->count++;
}

static void cf_dictionary_finalize(CFTypeRef cf)
{
    struct cf_dictionary *d = (struct cf_dictionary *)cf;
    for (size_t i = 0; i < d->capacity; i++)
        if (d->slots[i].used)
            release_entry(d, &d->slots[i]);
    free(d->slots);
}

static struct cf_dictionary *cf_dictionary_new(bool is_mutable, CFIndex limit,
                                               const CFDictionaryKeyCallBacks *keys,
                                               const CFDictionaryValueCallBacks *values)
{
    if (limit < 0 || (keys != NULL && keys->version != 0) ||
        (values != NULL && values->version != 0))
        return NULL;
    struct cf_dictionary *d = cf_object_create(CF_TYPE_ID_DICTIONARY, sizeof(*d));
    if (d == NULL)
        return NULL;
    d->is_mutable = is_mutable;
    d->capacity_limit = limit;
    if (keys != NULL)
        d->key_callbacks = *keys;
    if (values != NULL)
        d->value_callbacks = *values;
    return d;
}

CFDictionaryRef CFDictionaryCreate(CFAllocatorRef allocator, const void **keys, const void **values,
                                   CFIndex numValues, const CFDictionaryKeyCallBacks *keyCallBacks,
                                   const CFDictionaryValueCallBacks *valueCallBacks)
{
    (void)allocator;
    if (numValues < 0 || (numValues > 0 && (keys == NULL || values == NULL)))
        return NULL;
    struct cf_dictionary *d = cf_dictionary_new(false, 0, keyCallBacks, valueCallBacks);
    if (d == NULL || !reserve(d, numValues)) {
        CFRelease(d);
        return NULL;
    }
    /* A repeated key keeps the last value, as CF does. */
    for (CFIndex i = 0; i < numValues; i++)
        store(d, keys[i], values[i], true, true);
    return (CFDictionaryRef)d;
}

static struct cf_dictionary *cf_dictionary_copy(bool is_mutable, CFIndex limit,
                                                CFDictionaryRef source)
{
    const struct cf_dictionary *src = cf_dictionary_of(source);
    if (src == NULL || (limit > 0 && limit < src->count))
        return NULL;
    struct cf_dictionary *d =
        cf_dictionary_new(is_mutable, limit, &src->key_callbacks, &src->value_callbacks);
    if (d == NULL || !reserve(d, src->count)) {
        CFRelease(d);
        return NULL;
    }
    for (size_t i = 0; i < src->capacity; i++)
        if (src->slots[i].used)
            store(d, src->slots[i].key, src->slots[i].value, true, true);
    return d;
}

CFDictionaryRef CFDictionaryCreateCopy(CFAllocatorRef allocator, CFDictionaryRef theDict)
{
    (void)allocator;
    const struct cf_dictionary *src = cf_dictionary_of(theDict);
    if (src != NULL && !src->is_mutable)
        return CFRetain(src); /* a Foundation dictionary: its immutable import */
    return (CFDictionaryRef)cf_dictionary_copy(false, 0, theDict);
}

CFMutableDictionaryRef CFDictionaryCreateMutable(CFAllocatorRef allocator, CFIndex capacity,
                                                 const CFDictionaryKeyCallBacks *keyCallBacks,
                                                 const CFDictionaryValueCallBacks *valueCallBacks)
{
    (void)allocator;
    return (CFMutableDictionaryRef)cf_dictionary_new(true, capacity, keyCallBacks, valueCallBacks);
}

CFMutableDictionaryRef CFDictionaryCreateMutableCopy(CFAllocatorRef allocator, CFIndex capacity,
                                                     CFDictionaryRef theDict)
{
    (void)allocator;
    return (CFMutableDictionaryRef)cf_dictionary_copy(true, capacity, theDict);
}

CFIndex CFDictionaryGetCount(CFDictionaryRef theDict)
{
    const struct cf_dictionary *d = cf_dictionary_of(theDict);
    return d != NULL ? d->count : 0;
}

Boolean CFDictionaryGetValueIfPresent(CFDictionaryRef theDict, const void *key, const void **value)
{
    const struct cf_dictionary *d = cf_dictionary_of(theDict);
    size_t at = d != NULL ? find_slot(d, key) : SIZE_MAX;
    if (at == SIZE_MAX)
        return false;
    if (value != NULL)
        *value = d->slots[at].value;
    return true;
}

const void *CFDictionaryGetValue(CFDictionaryRef theDict, const void *key)
{
    const void *value = NULL;
    CFDictionaryGetValueIfPresent(theDict, key, &value);
    return value;
}

Boolean CFDictionaryContainsKey(CFDictionaryRef theDict, const void *key)
{
    return CFDictionaryGetValueIfPresent(theDict, key, NULL);
}

void CFDictionaryGetKeysAndValues(CFDictionaryRef theDict, const void **keys, const void **values)
{
    const struct cf_dictionary *d = cf_dictionary_of(theDict);
    if (d == NULL)
        return;
    CFIndex n = 0;
    for (size_t i = 0; i < d->capacity; i++) {
        if (!d->slots[i].used)
            continue;
        if (keys != NULL)
            keys[n] = d->slots[i].key;
        if (values != NULL)
            values[n] = d->slots[i].value;
        n++;
    }
}

void CFDictionaryApplyFunction(CFDictionaryRef theDict, CFDictionaryApplierFunction applier,
                               void *context)
{
    const struct cf_dictionary *d = cf_dictionary_of(theDict);
    if (d == NULL || applier == NULL)
        return;
    for (size_t i = 0; i < d->capacity; i++)
        if (d->slots[i].used)
            applier(d->slots[i].key, d->slots[i].value, context);
}

/* False when `theDict` is not mutable or could not grow; nothing then changes. */
static bool cf_dictionary_put(CFMutableDictionaryRef theDict, const void *key, const void *value,
                              bool replace, bool add)
{
    struct cf_dictionary *d = cf_mutable_dictionary_of(theDict);
    if (d == NULL || !reserve(d, d->count + 1))
        return false;
    store(d, key, value, replace, add);
    return true;
}

bool cf_dictionary_set_value(CFMutableDictionaryRef dict, const void *key, const void *value)
{
    return cf_dictionary_put(dict, key, value, true, true);
}

void CFDictionaryAddValue(CFMutableDictionaryRef theDict, const void *key, const void *value)
{
    (void)cf_dictionary_put(theDict, key, value, false, true);
}

void CFDictionarySetValue(CFMutableDictionaryRef theDict, const void *key, const void *value)
{
    (void)cf_dictionary_put(theDict, key, value, true, true);
}

void CFDictionaryReplaceValue(CFMutableDictionaryRef theDict, const void *key, const void *value)
{
    (void)cf_dictionary_put(theDict, key, value, true, false);
}

void CFDictionaryRemoveValue(CFMutableDictionaryRef theDict, const void *key)
{
    struct cf_dictionary *d = cf_mutable_dictionary_of(theDict);
    size_t hole = d != NULL ? find_slot(d, key) : SIZE_MAX;
    if (hole == SIZE_MAX)
        return;
    struct cf_dict_slot removed = d->slots[hole];
    size_t mask = d->capacity - 1;
    for (size_t i = (hole + 1) & mask; d->slots[i].used; i = (i + 1) & mask) {
        size_t home = home_slot(d->slots[i].hash, d->capacity);
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            d->slots[hole] = d->slots[i];
            hole = i;
        }
    }
    d->slots[hole].used = false;
    d->count--;
    release_entry(d, &removed);
}

void CFDictionaryRemoveAllValues(CFMutableDictionaryRef theDict)
{
    struct cf_dictionary *d = cf_mutable_dictionary_of(theDict);
    if (d == NULL)
        return;
    struct cf_dict_slot *slots = d->slots;
    size_t capacity = d->capacity;
    d->slots = NULL;
    d->capacity = 0;
    d->count = 0;
    for (size_t i = 0; i < capacity; i++)
        if (slots[i].used)
            release_entry(d, &slots[i]);
    free(slots);
}

static bool cf_dictionary_equal(CFTypeRef x, CFTypeRef y)
{
    const struct cf_dictionary *a = x, *b = y;
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->capacity; i++) {
        if (!a->slots[i].used)
            continue;
        const void *other = NULL;
        if (!CFDictionaryGetValueIfPresent(y, a->slots[i].key, &other))
            return false;
        const void *mine = a->slots[i].value;
        if (mine != other &&
            (a->value_callbacks.equal == NULL || !a->value_callbacks.equal(mine, other)))
            return false;
    }
    return true;
}

static CFHashCode cf_dictionary_hash(CFTypeRef cf)
{
    return (CFHashCode)((const struct cf_dictionary *)cf)->count;
}

static CFStringRef describe(CFStringRef (*fn)(const void *), const void *item)
{
    return fn != NULL ? fn(item) : cf_string_create_format("<%p>", item);
}

static CFStringRef cf_dictionary_copy_description(CFTypeRef cf)
{
    const struct cf_dictionary *d = cf;
    CFStringRef text =
        cf_string_create_format("<CFDictionary %p [%s]>{count = %ld, entries =>", cf,
                                d->is_mutable ? "mutable" : "immutable", (long)d->count);
    for (size_t i = 0; i < d->capacity; i++) {
        if (!d->slots[i].used)
            continue;
        CFStringRef k = describe(d->key_callbacks.copyDescription, d->slots[i].key);
        CFStringRef v = describe(d->value_callbacks.copyDescription, d->slots[i].value);
        text = cf_string_append_format(text, "\n\t%s : %s", cf_string_text(k), cf_string_text(v));
        CFRelease(k);
        CFRelease(v);
    }
    return cf_string_append_format(text, "\n}");
}
