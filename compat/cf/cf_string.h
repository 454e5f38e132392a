/*
 * CFString, internal interface: the representation and the helpers the rest
 * of the library uses to make and read strings.
 */
#ifndef SECTRANS_CF_STRING_H
#define SECTRANS_CF_STRING_H

#include <time.h>

#include "cf_runtime.h"

/*
 * A string is stored as NUL-terminated UTF-8, with its length in UTF-16 code
 * units (what CFStringGetLength reports) computed once.
 *
 * A mutable string (cf_string_mutable.c) keeps its text in a heap buffer of
 * `capacity` bytes that it owns and grows; the lengths follow every edit.
 */
struct cf_string {
    struct cf_object base;
    CFIndex utf16_length;
    CFIndex byte_length;
    bool ascii;
    bool is_mutable;
    CFIndex max_length; /* mutable only: the UTF-16 length limit, 0 = none */
    size_t capacity;    /* mutable only: bytes allocated at `bytes` */
    const char *bytes;
    char storage[]; /* where `bytes` points, except for constants and mutable strings */
};

/*
 * Defines an immortal constant string for an ASCII literal, e.g. a data
 * symbol of the API: CF_STRING_CONSTANT(kFoo, "foo") gives
 * `const CFStringRef kFoo`.
 */
#define CF_STRING_CONSTANT(symbol, literal)                                                        \
    static struct cf_string symbol##_object = {                                                    \
        .base = CF_OBJECT_STATIC_INIT(CF_TYPE_ID_STRING),                                          \
        .utf16_length = sizeof(literal) - 1,                                                       \
        .byte_length = sizeof(literal) - 1,                                                        \
        .ascii = true,                                                                             \
        .bytes = literal,                                                                          \
    };                                                                                             \
    CF_STATIC_OBJECT_REGISTER(symbol##_object);                                                    \
    const CFStringRef symbol = (CFStringRef)&symbol##_object

/* A new string from printf-style arguments (UTF-8). NULL on failure. */
CF_INTERNAL CFStringRef cf_string_create_format(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * `prefix` followed by printf-style text, as a new string; consumes `prefix`
 * (released). A NULL prefix or a failure gives NULL, so calls chain.
 */
CF_INTERNAL CFStringRef cf_string_append_format(CFStringRef prefix, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* A new string from `len` bytes of UTF-8. NULL if they are not valid UTF-8. */
CF_INTERNAL CFStringRef cf_string_create_utf8(const char *bytes, size_t len);

/* True if `len` bytes are valid UTF-8: tells a refusal from running out of memory. */
CF_INTERNAL bool cf_utf8_is_valid(const void *bytes, size_t len);

/* True for the encodings without a C-string form: UTF-16 and UTF-32, any byte order. */
CF_INTERNAL bool cf_encoding_is_wide(CFStringEncoding encoding);

/*
 * A new string from `len` bytes in one of those encodings, as
 * CFStringCreateWithBytes reads them (cf_string_ops.c). NULL if the bytes
 * are invalid or the encoding is not one of them.
 */
CF_INTERNAL CFStringRef cf_string_create_wide(const unsigned char *bytes, size_t len,
                                              CFStringEncoding encoding);

/*
 * The retain callback of kCFCopyStringDictionaryKeyCallBacks: an immutable
 * copy of a string key (the key itself when already immutable), a plain
 * retain for any other object (cf_string_mutable.c).
 */
CF_INTERNAL const void *cf_string_key_copy(CFAllocatorRef allocator, const void *value);

/* The NUL-terminated UTF-8 text of a string, or NULL if `s` is not one. */
CF_INTERNAL const char *cf_string_utf8(CFStringRef s);

/* The same, for printing: "(null)" when `s` is not a string. */
static inline const char *cf_string_text(CFStringRef s)
{
    const char *text = cf_string_utf8(s);
    return text != NULL ? text : "(null)";
}

/* A CFDate as Unix time (for OpenSSL); 0 when `date` is not a CFDate. */
CF_INTERNAL time_t cf_date_unix_time(CFDateRef date);

#endif
