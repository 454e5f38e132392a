/*
 * CFString: strings stored as UTF-8, their conversions to and from the byte
 * encodings Secure Transport programs use (UTF-8, ASCII, Latin-1), and the
 * table behind CFSTR("...") constants. Mutable strings grow in
 * cf_string_mutable.c; UTF-16, comparison and the other encodings are in
 * cf_string_ops.c.
 */
#include "cf_string.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cf_string_finalize(CFTypeRef cf);
static bool cf_string_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_string_hash(CFTypeRef cf);
static CFStringRef cf_string_copy_description(CFTypeRef cf);

const struct cf_class cf_string_class = {
    .name = "CFString",
    .finalize = cf_string_finalize,
    .equal = cf_string_equal,
    .hash = cf_string_hash,
    .copy_description = cf_string_copy_description,
};

CFTypeID CFStringGetTypeID(void)
{
    return CF_TYPE_ID_STRING;
}

static const struct cf_string *cf_string_of(CFStringRef s)
{
    s = cf_own(s);
    return cf_is_type(s, CF_TYPE_ID_STRING) ? (const struct cf_string *)s : NULL;
}

/* Only a mutable string owns a buffer apart from the object. */
static void cf_string_finalize(CFTypeRef cf)
{
    const struct cf_string *s = cf;
    if (s->is_mutable)
        free((char *)s->bytes);
}

/*
 * Validates UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) and counts UTF-16 code units. Returns -1 for invalid input.
 */
static CFIndex utf8_utf16_length(const unsigned char *p, size_t len, bool *ascii)
{
    CFIndex units = 0;
    *ascii = true;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0)
                return -1; /* CF strings built from C strings hold no NUL */
            i++;
            units++;
            continue;
        }
        *ascii = false;
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i < n)
            return -1;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        units += cp >= 0x10000 ? 2 : 1;
        i += n;
    }
    return units;
}

/* Takes ownership of nothing: copies `len` bytes of valid UTF-8. */
static struct cf_string *cf_string_alloc(size_t len)
{
    if (len > (size_t)INT32_MAX)
        return NULL;
    struct cf_string *s = cf_object_create(CF_TYPE_ID_STRING, sizeof(struct cf_string) + len + 1);
    if (s != NULL)
        s->bytes = s->storage;
    return s;
}

bool cf_utf8_is_valid(const void *bytes, size_t len)
{
    bool ascii;
    return utf8_utf16_length(bytes, len, &ascii) >= 0;
}

CFStringRef cf_string_create_utf8(const char *bytes, size_t len)
{
    bool ascii;
    CFIndex units = utf8_utf16_length((const unsigned char *)bytes, len, &ascii);
    if (units < 0)
        return NULL;
    struct cf_string *s = cf_string_alloc(len);
    if (s == NULL)
        return NULL;
    memcpy(s->storage, bytes, len);
    s->storage[len] = '\0';
    s->byte_length = (CFIndex)len;
    s->utf16_length = units;
    s->ascii = ascii;
    return (CFStringRef)s;
}

/* Latin-1 bytes are code points U+0000..U+00FF: at most two UTF-8 bytes each. */
static CFStringRef cf_string_create_latin1(const unsigned char *bytes, size_t len)
{
    if (len > (size_t)INT32_MAX / 2)
        return NULL;
    struct cf_string *s = cf_string_alloc(2 * len);
    if (s == NULL)
        return NULL;
    size_t out = 0;
    s->ascii = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = bytes[i];
        if (c == 0) {
            CFRelease(s);
            return NULL;
        }
        if (c < 0x80) {
            s->storage[out++] = (char)c;
        } else {
            s->ascii = false;
            s->storage[out++] = (char)(0xC0 | (c >> 6));
            s->storage[out++] = (char)(0x80 | (c & 0x3F));
        }
    }
    s->storage[out] = '\0';
    s->byte_length = (CFIndex)out;
    s->utf16_length = (CFIndex)len;
    return (CFStringRef)s;
}

static CFStringRef cf_string_create_encoded(const unsigned char *bytes, size_t len,
                                            CFStringEncoding encoding)
{
    switch (encoding) {
    case kCFStringEncodingUTF8: return cf_string_create_utf8((const char *)bytes, len);
    case kCFStringEncodingASCII:
        for (size_t i = 0; i < len; i++)
            if (bytes[i] >= 0x80)
                return NULL;
        return cf_string_create_utf8((const char *)bytes, len);
    case kCFStringEncodingISOLatin1: return cf_string_create_latin1(bytes, len);
    default: return NULL;
    }
}

CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr,
                                      CFStringEncoding encoding)
{
    (void)alloc; /* every allocator is the default one */
    if (cStr == NULL)
        return NULL;
    return cf_string_create_encoded((const unsigned char *)cStr, strlen(cStr), encoding);
}

CFStringRef CFStringCreateWithBytes(CFAllocatorRef alloc, const UInt8 *bytes, CFIndex numBytes,
                                    CFStringEncoding encoding, Boolean isExternalRepresentation)
{
    (void)alloc;
    if (numBytes < 0 || (bytes == NULL && numBytes > 0))
        return NULL;
    size_t len = (size_t)numBytes;
    /* An external representation may start with a UTF-8 byte order mark. */
    if (isExternalRepresentation && encoding == kCFStringEncodingUTF8 && len >= 3 &&
        bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
        bytes += 3;
        len -= 3;
    }
    if (bytes == NULL)
        bytes = (const UInt8 *)"";
    if (cf_encoding_is_wide(encoding))
        return cf_string_create_wide(bytes, len, encoding);
    return cf_string_create_encoded(bytes, len, encoding);
}

CFStringRef cf_string_create_format(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    char *buf = malloc((size_t)len + 1);
    if (buf == NULL)
        return NULL;
    va_start(ap, format);
    vsnprintf(buf, (size_t)len + 1, format, ap);
    va_end(ap);
    CFStringRef s = cf_string_create_utf8(buf, (size_t)len);
    free(buf);
    return s;
}

CFStringRef cf_string_append_format(CFStringRef prefix, const char *format, ...)
{
    const char *head = cf_string_utf8(prefix);
    if (head == NULL)
        return NULL;
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    size_t head_len = strlen(head);
    char *buf = len >= 0 ? malloc(head_len + (size_t)len + 1) : NULL;
    CFStringRef result = NULL;
    if (buf != NULL) {
        memcpy(buf, head, head_len);
        va_start(ap, format);
        vsnprintf(buf + head_len, (size_t)len + 1, format, ap);
        va_end(ap);
        result = cf_string_create_utf8(buf, head_len + (size_t)len);
        free(buf);
    }
    CFRelease(prefix);
    return result;
}

const char *cf_string_utf8(CFStringRef s)
{
    const struct cf_string *str = cf_string_of(s);
    return str != NULL ? str->bytes : NULL;
}

CFIndex CFStringGetLength(CFStringRef theString)
{
    const struct cf_string *s = cf_string_of(theString);
    return s != NULL ? s->utf16_length : 0;
}

/* Writes the string as Latin-1; false if a character is above U+00FF or it does not fit. */
static bool cf_string_to_latin1(const struct cf_string *s, char *buffer, size_t size)
{
    size_t out = 0;
    const unsigned char *p = (const unsigned char *)s->bytes;
    for (CFIndex i = 0; i < s->byte_length; out++) {
        if (out + 1 >= size)
            return false;
        if (p[i] < 0x80) {
            buffer[out] = (char)p[i];
            i += 1;
        } else if (p[i] == 0xC2 || p[i] == 0xC3) {
            buffer[out] = (char)(((p[i] & 0x03) << 6) | (p[i + 1] & 0x3F));
            i += 2;
        } else {
            return false;
        }
    }
    buffer[out] = '\0';
    return true;
}

Boolean CFStringGetCString(CFStringRef theString, char *buffer, CFIndex bufferSize,
                           CFStringEncoding encoding)
{
    const struct cf_string *s = cf_string_of(theString);
    if (s == NULL || buffer == NULL || bufferSize <= 0)
        return false;
    switch (encoding) {
    case kCFStringEncodingASCII:
    case kCFStringEncodingUTF8:
        /* ASCII text is its own UTF-8. */
        if ((encoding == kCFStringEncodingASCII && !s->ascii) || s->byte_length >= bufferSize)
            return false;
        memcpy(buffer, s->bytes, (size_t)s->byte_length + 1);
        return true;
    case kCFStringEncodingISOLatin1: return cf_string_to_latin1(s, buffer, (size_t)bufferSize);
    default: return false;
    }
}

/* Apple may return NULL here for any string; callers fall back to CFStringGetCString. */
const char *CFStringGetCStringPtr(CFStringRef theString, CFStringEncoding encoding)
{
    const struct cf_string *s = cf_string_of(theString);
    if (s == NULL)
        return NULL;
    if (encoding == kCFStringEncodingUTF8 || (s->ascii && (encoding == kCFStringEncodingASCII ||
                                                           encoding == kCFStringEncodingISOLatin1)))
        return s->bytes;
    return NULL;
}

static bool cf_string_equal(CFTypeRef a, CFTypeRef b)
{
    const struct cf_string *x = a, *y = b;
    return x->byte_length == y->byte_length &&
           memcmp(x->bytes, y->bytes, (size_t)x->byte_length) == 0;
}

/* FNV-1a over the UTF-8 bytes: equal strings hash alike. */
static CFHashCode cf_bytes_hash(const char *bytes, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)bytes[i];
        h *= 0x100000001b3u;
    }
    return (CFHashCode)h;
}

static CFHashCode cf_string_hash(CFTypeRef cf)
{
    const struct cf_string *s = cf;
    return cf_bytes_hash(s->bytes, (size_t)s->byte_length);
}

/* A string describes itself; a mutable one through a copy that later edits leave alone. */
static CFStringRef cf_string_copy_description(CFTypeRef cf)
{
    return CFStringCreateCopy(kCFAllocatorDefault, cf);
}

/*
 * CFSTR("...") constants: one immortal string per distinct literal for the
 * life of the process, as Apple's CF does, so two CFSTR of the same text are
 * the same object. An open-addressing set keyed by the literal's bytes.
 */
struct constant_entry {
    CFHashCode hash;          /* of the literal's bytes */
    const char *literal;      /* the string's own bytes, or a copy if converted */
    struct cf_string *string; /* NULL: empty slot */
};

static pthread_mutex_t constant_lock = PTHREAD_MUTEX_INITIALIZER;
static struct constant_entry *constant_slots;
static size_t constant_capacity;
static size_t constant_count;

static bool constant_table_grow(void)
{
    size_t capacity = constant_capacity ? constant_capacity * 2 : 64;
    struct constant_entry *slots = calloc(capacity, sizeof(*slots));
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < constant_capacity; i++) {
        if (constant_slots[i].string == NULL)
            continue;
        size_t j = constant_slots[i].hash & (capacity - 1);
        while (slots[j].string != NULL)
            j = (j + 1) & (capacity - 1);
        slots[j] = constant_slots[i];
    }
    free(constant_slots);
    constant_slots = slots;
    constant_capacity = capacity;
    return true;
}

static bool constant_entry_make(struct constant_entry *e, const char *cStr, size_t len)
{
    /* Source files are UTF-8 today; older ones were Latin-1. */
    CFStringRef made = cf_string_create_utf8(cStr, len);
    const char *literal = NULL;
    if (made == NULL) {
        made = cf_string_create_latin1((const unsigned char *)cStr, len);
        literal = strdup(cStr);
        if (made == NULL || literal == NULL) {
            CFRelease(made);
            free((char *)literal);
            return false;
        }
    }
    e->string = (struct cf_string *)made;
    e->literal = literal != NULL ? literal : e->string->bytes;
    atomic_store_explicit(&e->string->base.retain_count, CF_RETAIN_IMMORTAL, memory_order_relaxed);
    return true;
}

CFStringRef __CFStringMakeConstantString(const char *cStr)
{
    if (cStr == NULL)
        return NULL;
    size_t len = strlen(cStr);
    CFHashCode hash = cf_bytes_hash(cStr, len);
    struct cf_string *found = NULL;

    pthread_mutex_lock(&constant_lock);
    if ((constant_count + 1) * 2 > constant_capacity && !constant_table_grow())
        goto out;
    size_t mask = constant_capacity - 1;
    size_t i = hash & mask;
    for (; constant_slots[i].string != NULL; i = (i + 1) & mask) {
        const struct constant_entry *e = &constant_slots[i];
        if (e->hash == hash && strcmp(e->literal, cStr) == 0) {
            found = e->string;
            goto out;
        }
    }
    constant_slots[i].hash = hash;
    if (constant_entry_make(&constant_slots[i], cStr, len)) {
        found = constant_slots[i].string;
        constant_count++;
    }
out:
    pthread_mutex_unlock(&constant_lock);
    return (CFStringRef)found;
}
