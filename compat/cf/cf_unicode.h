/*
 * Unicode helpers shared by the CFString files: UTF-8 and UTF-16 code
 * points, and a growable byte buffer to build converted text in.
 */
#ifndef SECTRANS_CF_UNICODE_H
#define SECTRANS_CF_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CF_UNICODE_MAX 0x10FFFFu

static inline bool cf_is_high_surrogate(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static inline bool cf_is_low_surrogate(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

static inline bool cf_is_surrogate(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDFFF;
}

/* UTF-16 code units of a scalar value: 1 or 2. */
static inline int cf_utf16_units(uint32_t cp)
{
    return cp >= 0x10000 ? 2 : 1;
}

static inline uint32_t cf_high_surrogate_of(uint32_t cp)
{
    return 0xD800 + ((cp - 0x10000) >> 10);
}

static inline uint32_t cf_low_surrogate_of(uint32_t cp)
{
    return 0xDC00 + ((cp - 0x10000) & 0x3FF);
}

static inline uint32_t cf_combine_surrogates(uint32_t high, uint32_t low)
{
    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}

/*
 * Decodes one code point of UTF-8 that is already known to be valid (the
 * text of a CFString); returns the number of bytes it took.
 */
static inline size_t cf_utf8_decode(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] < 0xE0) {
        *cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] < 0xF0) {
        *cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
          ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

/* Encodes a scalar value as UTF-8 into `out` (room for 4); returns the length. */
static inline size_t cf_utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A growable byte buffer; after a failed allocation every append is ignored. */
struct cf_bytebuf {
    unsigned char *bytes;
    size_t len;
    size_t cap;
    bool failed;
};

static inline bool cf_bytebuf_append(struct cf_bytebuf *b, const void *p, size_t n)
{
    if (b->failed)
        return false;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *bytes = realloc(b->bytes, cap);
        if (bytes == NULL) {
            b->failed = true;
            return false;
        }
        b->bytes = bytes;
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, p, n);
    b->len += n;
    return true;
}

static inline void cf_bytebuf_free(struct cf_bytebuf *b)
{
    free(b->bytes);
    *b = (struct cf_bytebuf){0};
}

#endif
