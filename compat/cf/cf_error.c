/*
 * CFError: a domain, a code and a user-info dictionary. Errors Security
 * functions return are in kCFErrorDomainOSStatus with the OSStatus as code.
 */
#include "cf_string.h"

CF_STRING_CONSTANT(kCFErrorDomainPOSIX, "NSPOSIXErrorDomain");
CF_STRING_CONSTANT(kCFErrorDomainOSStatus, "NSOSStatusErrorDomain");
CF_STRING_CONSTANT(kCFErrorDomainMach, "NSMachErrorDomain");
CF_STRING_CONSTANT(kCFErrorDomainCocoa, "NSCocoaErrorDomain");
CF_STRING_CONSTANT(kCFErrorLocalizedDescriptionKey, "NSLocalizedDescription");
CF_STRING_CONSTANT(kCFErrorDescriptionKey, "NSDescription");
CF_STRING_CONSTANT(kCFErrorUnderlyingErrorKey, "NSUnderlyingError");

struct cf_error {
    struct cf_object base;
    CFStringRef domain;
    CFIndex code;
    CFDictionaryRef user_info;
};

static void cf_error_finalize(CFTypeRef cf);
static bool cf_error_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_error_hash(CFTypeRef cf);
static CFStringRef cf_error_copy_description(CFTypeRef cf);

const struct cf_class cf_error_class = {
    .name = "CFError",
    .finalize = cf_error_finalize,
    .equal = cf_error_equal,
    .hash = cf_error_hash,
    .copy_description = cf_error_copy_description,
};

CFTypeID CFErrorGetTypeID(void)
{
    return CF_TYPE_ID_ERROR;
}

static const struct cf_error *cf_error_of(CFErrorRef e)
{
    e = (CFErrorRef)cf_own(e);
    return cf_is_type(e, CF_TYPE_ID_ERROR) ? (const struct cf_error *)e : NULL;
}

CFErrorRef CFErrorCreate(CFAllocatorRef allocator, CFErrorDomain domain, CFIndex code,
                         CFDictionaryRef userInfo)
{
    (void)allocator;
    domain = cf_own(domain);
    userInfo = (CFDictionaryRef)cf_own(userInfo);
    if (!cf_is_type(domain, CF_TYPE_ID_STRING) ||
        (userInfo != NULL && !cf_is_type(userInfo, CF_TYPE_ID_DICTIONARY)))
        return NULL;
    struct cf_error *e = cf_object_create(CF_TYPE_ID_ERROR, sizeof(*e));
    if (e == NULL)
        return NULL;
    e->domain = CFRetain(domain);
    e->code = code;
    e->user_info = userInfo != NULL ? CFDictionaryCreateCopy(NULL, userInfo) : NULL;
    return (CFErrorRef)e;
}

static void cf_error_finalize(CFTypeRef cf)
{
    struct cf_error *e = (struct cf_error *)cf;
    CFRelease(e->domain);
    CFRelease(e->user_info);
}

CFErrorDomain CFErrorGetDomain(CFErrorRef err)
{
    const struct cf_error *e = cf_error_of(err);
    return e != NULL ? e->domain : NULL;
}

CFIndex CFErrorGetCode(CFErrorRef err)
{
    const struct cf_error *e = cf_error_of(err);
    return e != NULL ? e->code : 0;
}

/* Never NULL for an error: an empty dictionary when none was given. */
CFDictionaryRef CFErrorCopyUserInfo(CFErrorRef err)
{
    const struct cf_error *e = cf_error_of(err);
    if (e == NULL)
        return NULL;
    if (e->user_info != NULL)
        return CFRetain(e->user_info);
    return CFDictionaryCreate(NULL, NULL, NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

/*
 * The user info's localized description or description if present (CF's
 * order), else a sentence built from the domain and code.
 */
CFStringRef CFErrorCopyDescription(CFErrorRef err)
{
    const struct cf_error *e = cf_error_of(err);
    if (e == NULL)
        return NULL;
    CFStringRef keys[] = {kCFErrorLocalizedDescriptionKey, kCFErrorDescriptionKey};
    for (size_t i = 0; i < 2 && e->user_info != NULL; i++) {
        CFTypeRef text = CFDictionaryGetValue(e->user_info, keys[i]);
        if (cf_is_type(text, CF_TYPE_ID_STRING))
            return CFRetain(text);
    }
    return cf_string_create_format("The operation couldn't be completed. (%s error %ld.)",
                                   cf_string_text(e->domain), (long)e->code);
}

static bool cf_error_equal(CFTypeRef a, CFTypeRef b)
{
    const struct cf_error *x = a, *y = b;
    return x->code == y->code && CFEqual(x->domain, y->domain) &&
           (x->user_info == y->user_info || CFEqual(x->user_info, y->user_info));
}

static CFHashCode cf_error_hash(CFTypeRef cf)
{
    return (CFHashCode)((const struct cf_error *)cf)->code;
}

static CFStringRef cf_error_copy_description(CFTypeRef cf)
{
    const struct cf_error *e = cf;
    CFStringRef text = CFErrorCopyDescription((CFErrorRef)cf);
    CFStringRef d =
        cf_string_create_format("Error Domain=%s Code=%ld \"%s\"", cf_string_text(e->domain),
                                (long)e->code, cf_string_text(text));
    CFRelease(text);
    return d;
}
