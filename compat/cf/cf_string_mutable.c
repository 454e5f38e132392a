/*
 * CFMutableString: a CFString whose UTF-8 text lives in a heap buffer that
 * grows as text is appended, and the copies between mutable and immutable
 * strings. Mutable strings share the CFString class (type ID, equality,
 * hash); only mutation needs to know the difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"

static const struct cf_string *string_of(CFStringRef s)
{
    s = cf_own(s);
    return cf_is_type(s, CF_TYPE_ID_STRING) ? (const struct cf_string *)s : NULL;
}

static struct cf_string *mutable_string_of(CFMutableStringRef s)
{
    struct cf_string *str = (struct cf_string *)string_of(s);
    return str != NULL && str->is_mutable ? str : NULL;
}

/* Room for `len` bytes of text and the terminating NUL. */
static bool reserve(struct cf_string *s, size_t len)
{
    if (len >= (size_t)INT32_MAX)
        return false;
    if (len < s->capacity)
        return true;
    size_t capacity = s->capacity ? s->capacity : 16;
    while (capacity <= len)
        capacity *= 2;
    char *bytes = realloc((char *)s->bytes, capacity);
    if (bytes == NULL)
        return false;
    s->bytes = bytes;
    s->capacity = capacity;
    return true;
}

static struct cf_string *mutable_new(CFIndex maxLength, size_t reserve_bytes)
{
    if (maxLength < 0)
        return NULL;
    struct cf_string *s = cf_object_create(CF_TYPE_ID_STRING, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->is_mutable = true;
    s->ascii = true;
    s->max_length = maxLength;
    if (!reserve(s, reserve_bytes)) {
        CFRelease(s);
        return NULL;
    }
    ((char *)s->bytes)[0] = '\0';
    return s;
}

/*
 * Appends the text of `src` (which may be `dst` itself). Text past the
 * string's maximum length is refused whole: CF leaves that case undefined.
 */
static void append_string(struct cf_string *dst, const struct cf_string *src)
{
    size_t old_len = (size_t)dst->byte_length, add = (size_t)src->byte_length;
    CFIndex units = dst->utf16_length + src->utf16_length;
    if (add == 0 || (dst->max_length > 0 && units > dst->max_length))
        return;
    if (add > SIZE_MAX - old_len || !reserve(dst, old_len + add))
        return;
    /* After the reserve: appending a string to itself reads the moved buffer. */
    const char *from = src == dst ? dst->bytes : src->bytes;
    char *to = (char *)dst->bytes;
    memmove(to + old_len, from, add);
    to[old_len + add] = '\0';
    dst->byte_length = (CFIndex)(old_len + add);
    dst->utf16_length = units;
    dst->ascii = dst->ascii && src->ascii;
}

/* Appends a string made for the purpose and releases it. */
static void append_and_release(struct cf_string *dst, CFStringRef made)
{
    const struct cf_string *src = string_of(made);
    if (src != NULL)
        append_string(dst, src);
    if (made != NULL)
        CFRelease(made);
}

CFStringRef CFStringCreateCopy(CFAllocatorRef alloc, CFStringRef theString)
{
    (void)alloc; /* every allocator is the default one */
    const struct cf_string *s = string_of(theString);
    if (s == NULL)
        return NULL;
    /* An immutable string is its own copy, as in CF. */
    if (!s->is_mutable)
        return CFRetain(s); /* a Foundation object: its immutable import */
    return cf_string_create_utf8(s->bytes, (size_t)s->byte_length);
}

CFMutableStringRef CFStringCreateMutable(CFAllocatorRef alloc, CFIndex maxLength)
{
    (void)alloc;
    return (CFMutableStringRef)mutable_new(maxLength, 0);
}

/* NULL if `theString` is longer than a non-zero `maxLength`. */
CFMutableStringRef CFStringCreateMutableCopy(CFAllocatorRef alloc, CFIndex maxLength,
                                             CFStringRef theString)
{
    (void)alloc;
    const struct cf_string *src = string_of(theString);
    if (src == NULL || (maxLength > 0 && src->utf16_length > maxLength))
        return NULL;
    struct cf_string *s = mutable_new(maxLength, (size_t)src->byte_length);
    if (s != NULL)
        append_string(s, src);
    return (CFMutableStringRef)s;
}

/* Appending to an immutable string (a crash in CF) does nothing. */
void CFStringAppend(CFMutableStringRef theString, CFStringRef appendedString)
{
    struct cf_string *dst = mutable_string_of(theString);
    const struct cf_string *src = string_of(appendedString);
    if (dst != NULL && src != NULL)
        append_string(dst, src);
}

/* Text invalid in `encoding` is not appended. */
void CFStringAppendCString(CFMutableStringRef theString, const char *cStr,
                           CFStringEncoding encoding)
{
    struct cf_string *dst = mutable_string_of(theString);
    if (dst != NULL && cStr != NULL)
        append_and_release(dst, CFStringCreateWithCString(kCFAllocatorDefault, cStr, encoding));
}

void CFStringAppendCharacters(CFMutableStringRef theString, const UniChar *chars, CFIndex numChars)
{
    struct cf_string *dst = mutable_string_of(theString);
    if (dst != NULL && chars != NULL && numChars > 0)
        append_and_release(dst, CFStringCreateWithCharacters(kCFAllocatorDefault, chars, numChars));
}

/* Keys that are strings are copied so that a caller's later edits cannot move them. */
const void *cf_string_key_copy(CFAllocatorRef allocator, const void *value)
{
    if (string_of(value) != NULL)
        return CFStringCreateCopy(allocator, value);
    return CFRetain(value);
}
