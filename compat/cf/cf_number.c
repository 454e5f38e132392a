/*
 * CFNumber and CFBoolean. A number keeps its value as a 64-bit integer or a
 * double, with the CFNumberType it was created with; CFNumberGetValue
 * converts to the type asked for and reports whether that was exact.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cf_string.h"

struct cf_boolean {
    struct cf_object base;
    bool value;
};

static CFStringRef cf_boolean_copy_description(CFTypeRef cf);

const struct cf_class cf_boolean_class = {
    .name = "CFBoolean",
    .copy_description = cf_boolean_copy_description,
};

static struct cf_boolean cf_boolean_true = {CF_OBJECT_STATIC_INIT(CF_TYPE_ID_BOOLEAN), true};
static struct cf_boolean cf_boolean_false = {CF_OBJECT_STATIC_INIT(CF_TYPE_ID_BOOLEAN), false};
CF_STATIC_OBJECT_REGISTER(cf_boolean_true);
CF_STATIC_OBJECT_REGISTER(cf_boolean_false);
const CFBooleanRef kCFBooleanTrue = (CFBooleanRef)&cf_boolean_true;
const CFBooleanRef kCFBooleanFalse = (CFBooleanRef)&cf_boolean_false;

CFTypeID CFBooleanGetTypeID(void)
{
    return CF_TYPE_ID_BOOLEAN;
}

Boolean CFBooleanGetValue(CFBooleanRef boolean)
{
    boolean = cf_own(boolean);
    return cf_is_type(boolean, CF_TYPE_ID_BOOLEAN) && ((const struct cf_boolean *)boolean)->value;
}

static CFStringRef cf_boolean_copy_description(CFTypeRef cf)
{
    return cf_string_create_format("<CFBoolean %p [%s]>", cf,
                                   ((const struct cf_boolean *)cf)->value ? "true" : "false");
}

struct cf_number {
    struct cf_object base;
    CFNumberType type;
    bool is_float;
    int64_t i;
    double d;
};

static bool cf_number_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_number_hash(CFTypeRef cf);
static CFStringRef cf_number_copy_description(CFTypeRef cf);

const struct cf_class cf_number_class = {
    .name = "CFNumber",
    .equal = cf_number_equal,
    .hash = cf_number_hash,
    .copy_description = cf_number_copy_description,
};

CFTypeID CFNumberGetTypeID(void)
{
    return CF_TYPE_ID_NUMBER;
}

/* Size in bytes and kind of each CFNumberType; 0 for values that are not a type. */
static size_t number_type_size(CFNumberType type, bool *is_float)
{
    *is_float = false;
    switch (type) {
    case kCFNumberSInt8Type:
    case kCFNumberCharType: return 1;
    case kCFNumberSInt16Type:
    case kCFNumberShortType: return 2;
    case kCFNumberSInt32Type:
    case kCFNumberIntType: return 4;
    case kCFNumberSInt64Type:
    case kCFNumberLongType:
    case kCFNumberLongLongType:
    case kCFNumberCFIndexType:
    case kCFNumberNSIntegerType: return 8;
    case kCFNumberFloat32Type:
    case kCFNumberFloatType: *is_float = true; return 4;
    case kCFNumberFloat64Type:
    case kCFNumberDoubleType:
    case kCFNumberCGFloatType: *is_float = true; return 8;
    default: return 0;
    }
}

CFNumberRef CFNumberCreate(CFAllocatorRef allocator, CFNumberType theType, const void *valuePtr)
{
    (void)allocator;
    bool is_float;
    size_t size = number_type_size(theType, &is_float);
    if (size == 0 || valuePtr == NULL)
        return NULL;
    struct cf_number *n = cf_object_create(CF_TYPE_ID_NUMBER, sizeof(*n));
    if (n == NULL)
        return NULL;
    n->type = theType;
    n->is_float = is_float;
    if (is_float) {
        if (size == 4) {
            float f;
            memcpy(&f, valuePtr, sizeof(f));
            n->d = f;
        } else {
            memcpy(&n->d, valuePtr, sizeof(n->d));
        }
    } else {
        int8_t i8;
        int16_t i16;
        int32_t i32;
        switch (size) {
        case 1:
            memcpy(&i8, valuePtr, 1);
            n->i = i8;
            break;
        case 2:
            memcpy(&i16, valuePtr, 2);
            n->i = i16;
            break;
        case 4:
            memcpy(&i32, valuePtr, 4);
            n->i = i32;
            break;
        default: memcpy(&n->i, valuePtr, 8); break;
        }
    }
    return (CFNumberRef)n;
}

CFNumberType CFNumberGetType(CFNumberRef number)
{
    number = cf_own(number);
    return cf_is_type(number, CF_TYPE_ID_NUMBER) ? ((const struct cf_number *)number)->type : 0;
}

/* Writes the value as `theType`; false when the conversion lost anything. */
Boolean CFNumberGetValue(CFNumberRef number, CFNumberType theType, void *valuePtr)
{
    number = cf_own(number);
    if (!cf_is_type(number, CF_TYPE_ID_NUMBER) || valuePtr == NULL)
        return false;
    const struct cf_number *n = (const struct cf_number *)number;
    bool want_float;
    size_t size = number_type_size(theType, &want_float);
    if (size == 0)
        return false;
    if (want_float) {
        double d = n->is_float ? n->d : (double)n->i;
        if (size == 4) {
            float f = (float)d;
            memcpy(valuePtr, &f, sizeof(f));
            return isnan(d) || (double)f == d;
        }
        memcpy(valuePtr, &d, sizeof(d));
        return n->is_float || (int64_t)d == n->i;
    }
    int64_t v;
    bool exact = true;
    if (n->is_float) {
        if (!(n->d >= -9223372036854775808.0 && n->d < 9223372036854775808.0))
            return false;
        v = (int64_t)n->d;
        exact = (double)v == n->d;
    } else {
        v = n->i;
    }
    switch (size) {
    case 1: {
        int8_t x = (int8_t)v;
        memcpy(valuePtr, &x, 1);
        return exact && x == v;
    }
    case 2: {
        int16_t x = (int16_t)v;
        memcpy(valuePtr, &x, 2);
        return exact && x == v;
    }
    case 4: {
        int32_t x = (int32_t)v;
        memcpy(valuePtr, &x, 4);
        return exact && x == v;
    }
    default: memcpy(valuePtr, &v, 8); return exact;
    }
}

static bool cf_number_equal(CFTypeRef a, CFTypeRef b)
{
    const struct cf_number *x = a, *y = b;
    if (!x->is_float && !y->is_float)
        return x->i == y->i;
    double dx = x->is_float ? x->d : (double)x->i;
    double dy = y->is_float ? y->d : (double)y->i;
    return dx == dy;
}

static CFHashCode cf_number_hash(CFTypeRef cf)
{
    const struct cf_number *n = cf;
    /* Integral values hash alike whatever their type, so equal numbers hash equally. */
    if (n->is_float && !(n->d == floor(n->d) && fabs(n->d) < 9.2e18))
        return (CFHashCode)(n->d * 2654435761.0);
    return (CFHashCode)(n->is_float ? (int64_t)n->d : n->i);
}

static CFStringRef cf_number_copy_description(CFTypeRef cf)
{
    const struct cf_number *n = cf;
    if (n->is_float)
        return cf_string_create_format("<CFNumber %p [%g]>", cf, n->d);
    return cf_string_create_format("<CFNumber %p [%lld]>", cf, (long long)n->i);
}
