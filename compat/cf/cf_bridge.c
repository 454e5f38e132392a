/*
 * Toll-free bridging with Foundation objects, for Objective-C programs built
 * against gnustep-base (GNU Objective-C runtime).
 *
 * Nothing here links against the runtime: its public functions are found
 * with dlsym when the library loads (or at the first object creation). In a
 * C-only process they are absent, every object's isa stays NULL and the rest
 * of compat/cf pays one load and test per call.
 *
 * Two directions:
 *  - our objects get an isa: a class registered at run time, a subclass of
 *    the matching Foundation class (NSString, NSArray...) whose primitive
 *    methods call CF, so Foundation's own code (isEqual:, hash, description,
 *    collections) works on them; retain and release are CFRetain and
 *    CFRelease, one count for both worlds;
 *  - a Foundation object passed where a CF object is taken (its first word
 *    is a class not ours) is retained and released through its own methods,
 *    and read through an equal CF object of ours (cf_bridge_import),
 *    autoreleased so that +0 results taken from it stay valid as long as
 *    Foundation's own +0 results would.
 */
#include "cf_bridge.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_runtime.h"
#include "cf_string.h"

struct objc_runtime {
    void *(*get_class)(const char *name);
    void *(*msg_lookup)(const void *receiver, void *sel);
    void *(*register_sel)(const char *name);
    void *(*superclass)(void *cls);
    void *(*allocate_class_pair)(void *super_class, const char *name, size_t extra);
    signed char (*add_method)(void *cls, void *sel, void *imp, const char *types);
    void (*register_class_pair)(void *cls);
};

/* Foundation classes we subclass or recognise. */
struct foundation_classes {
    void *object, *string, *array, *dictionary, *data, *number, *autorelease_pool;
};

/* Our classes, the isa of our objects. */
enum own_class {
    OWN_STRING,
    OWN_ARRAY,
    OWN_DICTIONARY,
    OWN_DATA,
    OWN_NUMBER,
    OWN_BOOLEAN,
    OWN_ERROR,
    OWN_OTHER,
    OWN_COUNT
};

/*
 * BRIDGE_UNKNOWN until decided: a runtime may be there before Foundation's
 * classes are (our constructor can run before gnustep-base's).
 */
enum bridge_state { BRIDGE_UNKNOWN, BRIDGE_NONE, BRIDGE_ACTIVE };
static _Atomic int bridge_state = BRIDGE_UNKNOWN;
static pthread_mutex_t bridge_lock = PTHREAD_MUTEX_INITIALIZER;
static bool bridge_try_init(void);
static struct objc_runtime rt;
static struct foundation_classes ns;
static void *own_classes[OWN_COUNT];

/* Selectors sent to Foundation objects. */
static struct {
    void *retain, *release, *retain_count, *autorelease, *utf8, *length, *bytes, *count, *object_at,
        *all_keys, *object_for_key, *objc_type, *long_long_value, *double_value, *bool_value,
        *object_enumerator;
} sel;

/* Sends a message through the GNU runtime: look the method up, call it. */
#define SEND(type, receiver, selector, ...)                                                        \
    ((type)rt.msg_lookup((receiver), (selector)))((receiver), (selector), ##__VA_ARGS__)

typedef const void *(*msg_id_fn)(const void *, void *);
typedef unsigned long (*msg_ulong_fn)(const void *, void *);
typedef const void *(*msg_id_ulong_fn)(const void *, void *, unsigned long);
typedef const void *(*msg_id_id_fn)(const void *, void *, const void *);
typedef const char *(*msg_cstr_fn)(const void *, void *);
typedef long long (*msg_ll_fn)(const void *, void *);
typedef double (*msg_double_fn)(const void *, void *);
typedef signed char (*msg_bool_fn)(const void *, void *);

static void *isa_of(const void *obj)
{
    return *(void *const *)obj;
}

static bool is_subclass(void *cls, void *ancestor)
{
    for (int depth = 0; cls != NULL && depth < 64; depth++) {
        if (cls == ancestor)
            return true;
        cls = rt.superclass(cls);
    }
    return false;
}

bool cf_bridge_is_foreign(CFTypeRef cf)
{
    /* A Foundation object may come before any object of ours was made. */
    if (!bridge_try_init())
        return false;
    void *isa = isa_of(cf);
    for (int i = 0; i < OWN_COUNT; i++)
        if (isa == own_classes[i])
            return false;
    return true;
}

CFTypeRef cf_bridge_retain(CFTypeRef foreign)
{
    return SEND(msg_id_fn, foreign, sel.retain);
}

void cf_bridge_release(CFTypeRef foreign)
{
    SEND(msg_id_fn, foreign, sel.release);
}

CFIndex cf_bridge_retain_count(CFTypeRef foreign)
{
    return (CFIndex)SEND(msg_ulong_fn, foreign, sel.retain_count);
}

/*
 * gnustep-base's class of @YES and @NO, looked up until found: the bridge may
 * start before the module defining it is loaded.
 */
static void *bool_number_class(void)
{
    static _Atomic(void *) found;
    void *cls = atomic_load_explicit(&found, memory_order_acquire);
    if (cls == NULL) {
        cls = rt.get_class("NSBoolNumber");
        atomic_store_explicit(&found, cls, memory_order_release);
    }
    return cls;
}

CFTypeID cf_bridge_type_id(CFTypeRef foreign)
{
    void *cls = isa_of(foreign);
    if (is_subclass(cls, ns.string))
        return CF_TYPE_ID_STRING;
    if (is_subclass(cls, ns.array))
        return CF_TYPE_ID_ARRAY;
    if (is_subclass(cls, ns.dictionary))
        return CF_TYPE_ID_DICTIONARY;
    if (is_subclass(cls, ns.data))
        return CF_TYPE_ID_DATA;
    void *bool_number = bool_number_class();
    if (bool_number != NULL && is_subclass(cls, bool_number))
        return CF_TYPE_ID_BOOLEAN;
    if (is_subclass(cls, ns.number))
        return CF_TYPE_ID_NUMBER;
    return CF_TYPE_ID_NOT_A_TYPE;
}

/* ---- Foundation to CF: fresh copies ---------------------------------- */

/*
 * Collections are imported shallow: their elements stay what they are (a
 * Foundation element is itself accepted everywhere), retained, so an element
 * read from the import is the one the Foundation collection holds.
 */
static CFTypeRef import_element(CFTypeRef value)
{
    return value != NULL ? CFRetain(value) : NULL;
}

static CFTypeRef import_array(CFTypeRef foreign)
{
    unsigned long n = SEND(msg_ulong_fn, foreign, sel.count);
    const void **values = calloc(n > 0 ? n : 1, sizeof(*values));
    if (values == NULL)
        return NULL;
    CFArrayRef array = NULL;
    unsigned long done = 0;
    for (; done < n; done++) {
        values[done] = import_element(SEND(msg_id_ulong_fn, foreign, sel.object_at, done));
        if (values[done] == NULL)
            break;
    }
    if (done == n)
        array = CFArrayCreate(NULL, values, (CFIndex)n, &kCFTypeArrayCallBacks);
    for (unsigned long i = 0; i < done; i++)
        CFRelease(values[i]);
    free(values);
    return array;
}

static CFTypeRef import_dictionary(CFTypeRef foreign)
{
    const void *keys_array = SEND(msg_id_fn, foreign, sel.all_keys);
    unsigned long n = keys_array != NULL ? SEND(msg_ulong_fn, keys_array, sel.count) : 0;
    const void **keys = calloc(n > 0 ? 2 * n : 1, sizeof(*keys));
    if (keys == NULL)
        return NULL;
    const void **values = keys + n;
    CFDictionaryRef dict = NULL;
    unsigned long done = 0;
    for (; done < n; done++) {
        const void *key = SEND(msg_id_ulong_fn, keys_array, sel.object_at, done);
        keys[done] = import_element(key);
        values[done] = import_element(SEND(msg_id_id_fn, foreign, sel.object_for_key, key));
        if (keys[done] == NULL || values[done] == NULL) {
            CFRelease(keys[done]);
            CFRelease(values[done]);
            break;
        }
    }
    if (done == n)
        dict = CFDictionaryCreate(NULL, keys, values, (CFIndex)n, &kCFTypeDictionaryKeyCallBacks,
                                  &kCFTypeDictionaryValueCallBacks);
    for (unsigned long i = 0; i < done; i++) {
        CFRelease(keys[i]);
        CFRelease(values[i]);
    }
    free(keys);
    return dict;
}

static CFTypeRef import_number(CFTypeRef foreign)
{
    const char *type = SEND(msg_cstr_fn, foreign, sel.objc_type);
    if (type != NULL && (type[0] == 'f' || type[0] == 'd')) {
        double d = SEND(msg_double_fn, foreign, sel.double_value);
        return CFNumberCreate(NULL, kCFNumberDoubleType, &d);
    }
    long long ll = SEND(msg_ll_fn, foreign, sel.long_long_value);
    return CFNumberCreate(NULL, kCFNumberLongLongType, &ll);
}

/* +1, an equal CF object of ours for a Foundation object; NULL if not bridged. */
static CFTypeRef import_fresh(CFTypeRef foreign)
{
    switch (cf_bridge_type_id(foreign)) {
    case CF_TYPE_ID_STRING: {
        const char *text = SEND(msg_cstr_fn, foreign, sel.utf8);
        return text != NULL ? cf_string_create_utf8(text, strlen(text)) : NULL;
    }
    case CF_TYPE_ID_DATA: {
        unsigned long len = SEND(msg_ulong_fn, foreign, sel.length);
        const void *bytes = SEND(msg_id_fn, foreign, sel.bytes);
        if (bytes == NULL && len > 0)
            return NULL;
        return CFDataCreate(NULL, bytes, (CFIndex)len);
    }
    case CF_TYPE_ID_ARRAY: return import_array(foreign);
    case CF_TYPE_ID_DICTIONARY: return import_dictionary(foreign);
    case CF_TYPE_ID_BOOLEAN:
        return SEND(msg_bool_fn, foreign, sel.bool_value) ? kCFBooleanTrue : kCFBooleanFalse;
    case CF_TYPE_ID_NUMBER: return import_number(foreign);
    default: return NULL;
    }
}

/*
 * The import is autoreleased: a +0 result taken from it (CFDataGetBytePtr,
 * an element) stays valid until the current autorelease pool drains, the
 * lifetime Foundation code gives such results.
 */
CFTypeRef cf_bridge_import(CFTypeRef foreign)
{
    CFTypeRef own = import_fresh(foreign);
    if (own != NULL)
        SEND(msg_id_fn, own, sel.autorelease);
    return own;
}

/* ---- CF answering as Foundation: the methods of our classes ----------- */

struct fast_enumeration_state {
    unsigned long state;
    const void **items;
    unsigned long *mutations;
    unsigned long extra[5];
};

static void *autoreleased(CFTypeRef cf)
{
    return cf != NULL ? (void *)SEND(msg_id_fn, cf, sel.autorelease) : NULL;
}

static const void *m_retain(const void *self, void *cmd)
{
    (void)cmd;
    return CFRetain(self);
}

static void m_release(const void *self, void *cmd)
{
    (void)cmd;
    CFRelease(self);
}

static unsigned long m_retain_count(const void *self, void *cmd)
{
    (void)cmd;
    return (unsigned long)CFGetRetainCount(self);
}

/* Never reached through CFRelease; Foundation code calling it must not free our memory. */
static void m_dealloc(const void *self, void *cmd)
{
    (void)self;
    (void)cmd;
}

static void *m_zone(const void *self, void *cmd)
{
    (void)self;
    (void)cmd;
    return NULL;
}

/* Immutable objects copy as themselves; mutable ones as an immutable copy. */
static const void *m_copy_with_zone(const void *self, void *cmd, void *zone)
{
    (void)cmd;
    (void)zone;
    switch (CFGetTypeID(self)) {
    case CF_TYPE_ID_STRING: return CFStringCreateCopy(NULL, self);
    case CF_TYPE_ID_ARRAY: return CFArrayCreateCopy(NULL, self);
    case CF_TYPE_ID_DICTIONARY: return CFDictionaryCreateCopy(NULL, self);
    case CF_TYPE_ID_DATA: return CFDataCreateCopy(NULL, self);
    default: return CFRetain(self);
    }
}

static unsigned long m_hash(const void *self, void *cmd)
{
    (void)cmd;
    return CFHash(self);
}

static signed char m_is_equal(const void *self, void *cmd, const void *other)
{
    (void)cmd;
    return other != NULL && CFEqual(self, other);
}

static void *m_description(const void *self, void *cmd)
{
    (void)cmd;
    return autoreleased(CFCopyDescription(self));
}

static unsigned long m_string_length(const void *self, void *cmd)
{
    (void)cmd;
    return (unsigned long)CFStringGetLength(self);
}

static unsigned short m_string_character_at(const void *self, void *cmd, unsigned long index)
{
    (void)cmd;
    return CFStringGetCharacterAtIndex(self, (CFIndex)index);
}

static void m_string_get_characters(const void *self, void *cmd, UniChar *buffer, CFRange range)
{
    (void)cmd;
    CFStringGetCharacters(self, range, buffer);
}

static const char *m_string_utf8(const void *self, void *cmd)
{
    (void)cmd;
    return cf_string_utf8(self);
}

static unsigned long m_array_count(const void *self, void *cmd)
{
    (void)cmd;
    return (unsigned long)CFArrayGetCount(self);
}

static const void *m_array_object_at(const void *self, void *cmd, unsigned long index)
{
    (void)cmd;
    if (index >= (unsigned long)CFArrayGetCount(self))
        return NULL;
    return CFArrayGetValueAtIndex(self, (CFIndex)index);
}

static unsigned long m_array_enumerate(const void *self, void *cmd,
                                       struct fast_enumeration_state *state, const void **buffer,
                                       unsigned long len)
{
    (void)cmd;
    unsigned long n = (unsigned long)CFArrayGetCount(self);
    if (state->state >= n || len == 0)
        return 0;
    unsigned long chunk = n - state->state < len ? n - state->state : len;
    CFArrayGetValues(self, CFRangeMake((CFIndex)state->state, (CFIndex)chunk), buffer);
    state->items = buffer;
    state->mutations = &state->extra[0];
    state->state += chunk;
    return chunk;
}

static unsigned long m_dictionary_count(const void *self, void *cmd)
{
    (void)cmd;
    return (unsigned long)CFDictionaryGetCount(self);
}

static const void *m_dictionary_object_for_key(const void *self, void *cmd, const void *key)
{
    (void)cmd;
    return key != NULL ? CFDictionaryGetValue(self, key) : NULL;
}

/* The keys as an autoreleased array of ours. */
static const void *dictionary_keys(const void *self)
{
    CFIndex n = CFDictionaryGetCount(self);
    const void **keys = calloc(n > 0 ? (size_t)n : 1, sizeof(*keys));
    if (keys == NULL)
        return NULL;
    CFDictionaryGetKeysAndValues(self, keys, NULL);
    CFArrayRef array = CFArrayCreate(NULL, keys, n, &kCFTypeArrayCallBacks);
    free(keys);
    return autoreleased(array);
}

static const void *m_dictionary_all_keys(const void *self, void *cmd)
{
    (void)cmd;
    return dictionary_keys(self);
}

static const void *m_dictionary_key_enumerator(const void *self, void *cmd)
{
    (void)cmd;
    const void *keys = dictionary_keys(self);
    return keys != NULL ? SEND(msg_id_fn, keys, sel.object_enumerator) : NULL;
}

static unsigned long m_dictionary_enumerate(const void *self, void *cmd,
                                            struct fast_enumeration_state *state,
                                            const void **buffer, unsigned long len)
{
    (void)cmd;
    unsigned long n = (unsigned long)CFDictionaryGetCount(self);
    if (state->state >= n || len == 0)
        return 0;
    const void **keys = calloc(n, sizeof(*keys));
    if (keys == NULL)
        return 0;
    CFDictionaryGetKeysAndValues(self, keys, NULL);
    unsigned long chunk = n - state->state < len ? n - state->state : len;
    memcpy(buffer, keys + state->state, chunk * sizeof(*keys));
    free(keys);
    state->items = buffer;
    state->mutations = &state->extra[0];
    state->state += chunk;
    return chunk;
}

static unsigned long m_data_length(const void *self, void *cmd)
{
    (void)cmd;
    return (unsigned long)CFDataGetLength(self);
}

static const void *m_data_bytes(const void *self, void *cmd)
{
    (void)cmd;
    return CFDataGetBytePtr(self);
}

static bool number_is_float(const void *self)
{
    if (CFGetTypeID(self) != CF_TYPE_ID_NUMBER)
        return false;
    switch (CFNumberGetType(self)) {
    case kCFNumberFloat32Type:
    case kCFNumberFloat64Type:
    case kCFNumberFloatType:
    case kCFNumberDoubleType:
    case kCFNumberCGFloatType: return true;
    default: return false;
    }
}

static long long number_ll(const void *self)
{
    if (CFGetTypeID(self) == CF_TYPE_ID_BOOLEAN)
        return CFBooleanGetValue(self);
    if (number_is_float(self)) {
        double d = 0;
        CFNumberGetValue(self, kCFNumberDoubleType, &d);
        return (long long)d;
    }
    long long ll = 0;
    CFNumberGetValue(self, kCFNumberLongLongType, &ll);
    return ll;
}

static double number_double(const void *self)
{
    if (!number_is_float(self))
        return (double)number_ll(self);
    double d = 0;
    CFNumberGetValue(self, kCFNumberDoubleType, &d);
    return d;
}

static const char *m_number_objc_type(const void *self, void *cmd)
{
    (void)cmd;
    if (CFGetTypeID(self) == CF_TYPE_ID_BOOLEAN)
        return "c";
    return number_is_float(self) ? "d" : "q";
}

static void m_number_get_value(const void *self, void *cmd, void *out)
{
    (void)cmd;
    if (CFGetTypeID(self) == CF_TYPE_ID_BOOLEAN) {
        *(signed char *)out = (signed char)CFBooleanGetValue(self);
    } else if (number_is_float(self)) {
        double d = number_double(self);
        memcpy(out, &d, sizeof(d));
    } else {
        long long ll = number_ll(self);
        memcpy(out, &ll, sizeof(ll));
    }
}

static long long m_number_ll(const void *self, void *cmd)
{
    (void)cmd;
    return number_ll(self);
}

static int m_number_int(const void *self, void *cmd)
{
    (void)cmd;
    return (int)number_ll(self);
}

static signed char m_number_bool(const void *self, void *cmd)
{
    (void)cmd;
    return number_is_float(self) ? number_double(self) != 0 : number_ll(self) != 0;
}

static double m_number_double(const void *self, void *cmd)
{
    (void)cmd;
    return number_double(self);
}

static float m_number_float(const void *self, void *cmd)
{
    (void)cmd;
    return (float)number_double(self);
}

static const void *m_error_domain(const void *self, void *cmd)
{
    (void)cmd;
    return CFErrorGetDomain((CFErrorRef)self);
}

static long m_error_code(const void *self, void *cmd)
{
    (void)cmd;
    return CFErrorGetCode((CFErrorRef)self);
}

static void *m_error_user_info(const void *self, void *cmd)
{
    (void)cmd;
    return autoreleased(CFErrorCopyUserInfo((CFErrorRef)self));
}

static void *m_error_description(const void *self, void *cmd)
{
    (void)cmd;
    return autoreleased(CFErrorCopyDescription((CFErrorRef)self));
}

/* ---- Setting up ------------------------------------------------------- */

struct method {
    const char *name;
    void *imp;
    const char *types;
};

static bool add_methods(void *cls, const struct method *methods, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        void *s = rt.register_sel(methods[i].name);
        if (s == NULL || !rt.add_method(cls, s, methods[i].imp, methods[i].types))
            return false;
    }
    return true;
}

#define FN(f) ((void *)(uintptr_t)(f))

static const struct method common_methods[] = {
    {"retain", FN(m_retain), "@@:"},
    {"release", FN(m_release), "v@:"},
    {"retainCount", FN(m_retain_count), "Q@:"},
    {"dealloc", FN(m_dealloc), "v@:"},
    {"zone", FN(m_zone), "^v@:"},
    {"copyWithZone:", FN(m_copy_with_zone), "@@:^v"},
};

/* For classes whose Foundation superclass has no value semantics of its own. */
static const struct method identity_methods[] = {
    {"hash", FN(m_hash), "Q@:"},
    {"isEqual:", FN(m_is_equal), "c@:@"},
    {"description", FN(m_description), "@@:"},
};

static const struct method string_methods[] = {
    {"length", FN(m_string_length), "Q@:"},
    {"characterAtIndex:", FN(m_string_character_at), "S@:Q"},
    {"getCharacters:range:", FN(m_string_get_characters), "v@:^S{_NSRange=QQ}"},
    {"UTF8String", FN(m_string_utf8), "*@:"},
};

static const struct method array_methods[] = {
    {"count", FN(m_array_count), "Q@:"},
    {"objectAtIndex:", FN(m_array_object_at), "@@:Q"},
    {"countByEnumeratingWithState:objects:count:", FN(m_array_enumerate), "Q@:^v^@Q"},
};

static const struct method dictionary_methods[] = {
    {"count", FN(m_dictionary_count), "Q@:"},
    {"objectForKey:", FN(m_dictionary_object_for_key), "@@:@"},
    {"allKeys", FN(m_dictionary_all_keys), "@@:"},
    {"keyEnumerator", FN(m_dictionary_key_enumerator), "@@:"},
    {"countByEnumeratingWithState:objects:count:", FN(m_dictionary_enumerate), "Q@:^v^@Q"},
};

static const struct method data_methods[] = {
    {"length", FN(m_data_length), "Q@:"},
    {"bytes", FN(m_data_bytes), "r^v@:"},
};

/* NSNumber leaves its description to subclasses: the value as printf shows it. */
static void *m_number_description(const void *self, void *cmd)
{
    (void)cmd;
    if (number_is_float(self))
        return autoreleased(cf_string_create_format("%.17g", number_double(self)));
    return autoreleased(cf_string_create_format("%lld", number_ll(self)));
}

/* NSNumber's compare: (its isEqual: and hash rest on it), by value. */
static long m_number_compare(const void *self, void *cmd, const void *other)
{
    (void)cmd;
    if (other == NULL)
        return 1;
    const char *type = SEND(msg_cstr_fn, other, sel.objc_type);
    if (number_is_float(self) || (type != NULL && (type[0] == 'f' || type[0] == 'd'))) {
        double a = number_double(self), b = SEND(msg_double_fn, other, sel.double_value);
        return a < b ? -1 : a > b ? 1 : 0;
    }
    long long a = number_ll(self), b = SEND(msg_ll_fn, other, sel.long_long_value);
    return a < b ? -1 : a > b ? 1 : 0;
}

static void *m_number_description_with_locale(const void *self, void *cmd, const void *locale)
{
    (void)locale;
    return m_number_description(self, cmd);
}

static const struct method number_methods[] = {
    {"objCType", FN(m_number_objc_type), "r*@:"},
    {"getValue:", FN(m_number_get_value), "v@:^v"},
    {"longLongValue", FN(m_number_ll), "q@:"},
    {"longValue", FN(m_number_ll), "q@:"},
    {"integerValue", FN(m_number_ll), "q@:"},
    {"unsignedLongLongValue", FN(m_number_ll), "Q@:"},
    {"unsignedLongValue", FN(m_number_ll), "Q@:"},
    {"unsignedIntegerValue", FN(m_number_ll), "Q@:"},
    {"intValue", FN(m_number_int), "i@:"},
    {"unsignedIntValue", FN(m_number_int), "I@:"},
    {"boolValue", FN(m_number_bool), "c@:"},
    {"doubleValue", FN(m_number_double), "d@:"},
    {"floatValue", FN(m_number_float), "f@:"},
    {"description", FN(m_number_description), "@@:"},
    {"descriptionWithLocale:", FN(m_number_description_with_locale), "@@:@"},
    {"compare:", FN(m_number_compare), "q@:@"},
};

static const struct method error_methods[] = {
    {"domain", FN(m_error_domain), "@@:"},
    {"code", FN(m_error_code), "q@:"},
    {"userInfo", FN(m_error_user_info), "@@:"},
    {"localizedDescription", FN(m_error_description), "@@:"},
};

#define ADD(cls, list) add_methods((cls), (list), sizeof(list) / sizeof((list)[0]))

static void *make_class(void *super_class, const char *name, const struct method *own, size_t n,
                        bool identity)
{
    void *cls = rt.allocate_class_pair(super_class, name, 0);
    if (cls == NULL)
        return NULL;
    if (!ADD(cls, common_methods) || !add_methods(cls, own, n) ||
        (identity && !ADD(cls, identity_methods)))
        return NULL; /* a half-built class is left unregistered */
    rt.register_class_pair(cls);
    return cls;
}

#define MAKE(super_class, name, list, identity)                                                    \
    make_class((super_class), (name), (list), sizeof(list) / sizeof((list)[0]), (identity))

static bool find_runtime(void)
{
    rt.get_class = (void *(*)(const char *))dlsym(RTLD_DEFAULT, "objc_getClass");
    rt.msg_lookup = (void *(*)(const void *, void *))dlsym(RTLD_DEFAULT, "objc_msg_lookup");
    rt.register_sel = (void *(*)(const char *))dlsym(RTLD_DEFAULT, "sel_registerName");
    rt.superclass = (void *(*)(void *))dlsym(RTLD_DEFAULT, "class_getSuperclass");
    rt.allocate_class_pair =
        (void *(*)(void *, const char *, size_t))dlsym(RTLD_DEFAULT, "objc_allocateClassPair");
    rt.add_method = (signed char (*)(void *, void *, void *, const char *))dlsym(RTLD_DEFAULT,
                                                                                 "class_addMethod");
    rt.register_class_pair = (void (*)(void *))dlsym(RTLD_DEFAULT, "objc_registerClassPair");
    return rt.get_class != NULL && rt.msg_lookup != NULL && rt.register_sel != NULL &&
           rt.superclass != NULL && rt.allocate_class_pair != NULL && rt.add_method != NULL &&
           rt.register_class_pair != NULL;
}

static bool find_foundation(void)
{
    ns.object = rt.get_class("NSObject");
    ns.string = rt.get_class("NSString");
    ns.array = rt.get_class("NSArray");
    ns.dictionary = rt.get_class("NSDictionary");
    ns.data = rt.get_class("NSData");
    ns.number = rt.get_class("NSNumber");
    ns.autorelease_pool = rt.get_class("NSAutoreleasePool");
    return ns.object != NULL && ns.string != NULL && ns.array != NULL && ns.dictionary != NULL &&
           ns.data != NULL && ns.number != NULL && ns.autorelease_pool != NULL;
}

static void register_selectors(void)
{
    sel.retain = rt.register_sel("retain");
    sel.release = rt.register_sel("release");
    sel.retain_count = rt.register_sel("retainCount");
    sel.autorelease = rt.register_sel("autorelease");
    sel.utf8 = rt.register_sel("UTF8String");
    sel.length = rt.register_sel("length");
    sel.bytes = rt.register_sel("bytes");
    sel.count = rt.register_sel("count");
    sel.object_at = rt.register_sel("objectAtIndex:");
    sel.all_keys = rt.register_sel("allKeys");
    sel.object_for_key = rt.register_sel("objectForKey:");
    sel.objc_type = rt.register_sel("objCType");
    sel.long_long_value = rt.register_sel("longLongValue");
    sel.double_value = rt.register_sel("doubleValue");
    sel.bool_value = rt.register_sel("boolValue");
    sel.object_enumerator = rt.register_sel("objectEnumerator");
}

static const void *class_for(CFTypeID type_id);

/* Objects with static storage, listed by CF_STATIC_OBJECT_REGISTER. */
extern void *__start_sectrans_cf_static[] __attribute__((weak, visibility("hidden")));
extern void *__stop_sectrans_cf_static[] __attribute__((weak, visibility("hidden")));

static void give_static_objects_classes(void)
{
    if (__start_sectrans_cf_static == NULL)
        return;
    for (void **entry = __start_sectrans_cf_static; entry < __stop_sectrans_cf_static; entry++) {
        struct cf_object *obj = *entry;
        obj->isa = class_for(obj->type_id);
    }
}

/* Registers our classes; false (nothing registered) if one cannot be. */
static bool make_own_classes(void)
{
    own_classes[OWN_STRING] = MAKE(ns.string, "SecTransCFString", string_methods, false);
    own_classes[OWN_ARRAY] = MAKE(ns.array, "SecTransCFArray", array_methods, false);
    own_classes[OWN_DICTIONARY] =
        MAKE(ns.dictionary, "SecTransCFDictionary", dictionary_methods, false);
    own_classes[OWN_DATA] = MAKE(ns.data, "SecTransCFData", data_methods, false);
    own_classes[OWN_NUMBER] = MAKE(ns.number, "SecTransCFNumber", number_methods, false);
    own_classes[OWN_BOOLEAN] = MAKE(ns.number, "SecTransCFBoolean", number_methods, false);
    /* NSError keeps its state in ivars we lack: answer its accessors from NSObject. */
    own_classes[OWN_ERROR] = MAKE(ns.object, "SecTransCFError", error_methods, true);
    own_classes[OWN_OTHER] = make_class(ns.object, "SecTransCFType", NULL, 0, true);
    for (int i = 0; i < OWN_COUNT; i++)
        if (own_classes[i] == NULL) {
            memset(own_classes, 0, sizeof(own_classes));
            return false;
        }
    return true;
}

/*
 * Called with bridge_lock held, runtime found: decides once Foundation's
 * classes are all there.
 */
static void bridge_init_locked(void)
{
    if (!find_foundation())
        return;
    register_selectors();
    if (!make_own_classes()) {
        atomic_store(&bridge_state, BRIDGE_NONE);
        return;
    }
    give_static_objects_classes();
    atomic_store(&bridge_state, BRIDGE_ACTIVE);
}

/* True once active. In a C-only process: one atomic load after the first call. */
static bool bridge_try_init(void)
{
    int state = atomic_load(&bridge_state);
    if (state != BRIDGE_UNKNOWN)
        return state == BRIDGE_ACTIVE;
    pthread_mutex_lock(&bridge_lock);
    if (atomic_load(&bridge_state) == BRIDGE_UNKNOWN) {
        if (!find_runtime())
            atomic_store(&bridge_state, BRIDGE_NONE);
        else
            bridge_init_locked();
    }
    pthread_mutex_unlock(&bridge_lock);
    return atomic_load(&bridge_state) == BRIDGE_ACTIVE;
}

static const void *class_for(CFTypeID type_id)
{
    switch (type_id) {
    case CF_TYPE_ID_STRING: return own_classes[OWN_STRING];
    case CF_TYPE_ID_ARRAY: return own_classes[OWN_ARRAY];
    case CF_TYPE_ID_DICTIONARY: return own_classes[OWN_DICTIONARY];
    case CF_TYPE_ID_DATA: return own_classes[OWN_DATA];
    case CF_TYPE_ID_NUMBER: return own_classes[OWN_NUMBER];
    case CF_TYPE_ID_BOOLEAN: return own_classes[OWN_BOOLEAN];
    case CF_TYPE_ID_ERROR: return own_classes[OWN_ERROR];
    default: return own_classes[OWN_OTHER];
    }
}

const void *cf_bridge_class_for(CFTypeID type_id)
{
    return bridge_try_init() ? class_for(type_id) : NULL;
}

/*
 * The GNU runtime's hook for each class it loads: chained, it lets us
 * register our classes as soon as gnustep-base has loaded the ones we
 * subclass, before main, so that objects with static storage
 * (kCFBooleanTrue, kSecImportExportPassphrase...) answer messages even when
 * a program sends them one before any call into CF.
 */
typedef void (*load_callback_fn)(void *cls, void *category);
static load_callback_fn previous_load_callback;

static void on_class_loaded(void *cls, void *category)
{
    if (previous_load_callback != NULL)
        previous_load_callback(cls, category);
    if (category == NULL && atomic_load(&bridge_state) == BRIDGE_UNKNOWN)
        bridge_try_init();
}

__attribute__((constructor)) static void bridge_at_load(void)
{
    if (bridge_try_init() || atomic_load(&bridge_state) != BRIDGE_UNKNOWN)
        return;
    load_callback_fn *hook = (load_callback_fn *)dlsym(RTLD_DEFAULT, "_objc_load_callback");
    if (hook != NULL) {
        previous_load_callback = *hook;
        *hook = on_class_loaded;
    }
}

bool cf_bridge_active(void)
{
    return bridge_try_init();
}
