/*
 * CFString operations beyond creation from C strings: UTF-16 characters in
 * and out, conversion to bytes in the Unicode encodings (with a byte order
 * mark and a loss byte, as CF does), comparison, prefix and suffix tests,
 * and the file system representation.
 *
 * Strings hold UTF-8 while CF counts in UTF-16 code units, so the functions
 * that take a range walk the UTF-8 text keeping a UTF-16 index beside it.
 * The encodings supported are ASCII, ISO Latin-1, UTF-8, UTF-16 and UTF-32
 * (either byte order, or the host order with a byte order mark).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_string.h"
#include "cf_unicode.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CF_HOST_BIG_ENDIAN true
#define CF_UTF16_HOST      kCFStringEncodingUTF16BE
#else
#define CF_HOST_BIG_ENDIAN false
#define CF_UTF16_HOST      kCFStringEncodingUTF16LE
#endif

static const struct cf_string *string_of(CFStringRef s)
{
    s = cf_own(s);
    return cf_is_type(s, CF_TYPE_ID_STRING) ? (const struct cf_string *)s : NULL;
}

/* True if `range` lies within the UTF-16 length of `s`. */
static bool range_is_valid(const struct cf_string *s, CFRange range)
{
    return range.location >= 0 && range.length >= 0 &&
           range.location <= s->utf16_length - range.length;
}

/* ---- Encodings ---- */

enum cf_form { CF_FORM_ASCII, CF_FORM_LATIN1, CF_FORM_UTF8, CF_FORM_UTF16, CF_FORM_UTF32 };

struct cf_encoding_info {
    enum cf_form form;
    bool big_endian;
    /* The generic UTF-8/16/32 encodings: a byte order mark in external representations. */
    bool generic;
};

/* The encodings supported; "host" order is the byte order of this machine. */
static const struct {
    CFStringEncoding encoding;
    struct cf_encoding_info info;
} encodings[] = {
    {kCFStringEncodingASCII, {CF_FORM_ASCII, false, false}},
    {kCFStringEncodingISOLatin1, {CF_FORM_LATIN1, false, false}},
    {kCFStringEncodingUTF8, {CF_FORM_UTF8, false, true}},
    {kCFStringEncodingUTF16, {CF_FORM_UTF16, CF_HOST_BIG_ENDIAN, true}},
    {kCFStringEncodingUTF16BE, {CF_FORM_UTF16, true, false}},
    {kCFStringEncodingUTF16LE, {CF_FORM_UTF16, false, false}},
    {kCFStringEncodingUTF32, {CF_FORM_UTF32, CF_HOST_BIG_ENDIAN, true}},
    {kCFStringEncodingUTF32BE, {CF_FORM_UTF32, true, false}},
    {kCFStringEncodingUTF32LE, {CF_FORM_UTF32, false, false}},
};

static bool encoding_lookup(CFStringEncoding encoding, struct cf_encoding_info *info)
{
    for (size_t i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
        if (encodings[i].encoding == encoding) {
            *info = encodings[i].info;
            return true;
        }
    }
    return false;
}

static uint32_t read_unit(const unsigned char *p, size_t width, bool big_endian)
{
    uint32_t v = 0;
    for (size_t i = 0; i < width; i++)
        v |= (uint32_t)p[big_endian ? width - 1 - i : i] << (8 * i);
    return v;
}

static void write_unit(unsigned char *p, uint32_t v, size_t width, bool big_endian)
{
    for (size_t i = 0; i < width; i++)
        p[big_endian ? width - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/*
 * Reads UTF-16 or UTF-32 code units into UTF-8. CF's rules: a trailing
 * partial unit is ignored; the generic encodings take their byte order from
 * a leading byte order mark (dropped) and are big-endian without one.
 * CFStrings here cannot hold unpaired surrogates or U+0000: those fail.
 */
static bool wide_to_utf8(const unsigned char *bytes, size_t len,
                         const struct cf_encoding_info *info, struct cf_bytebuf *out)
{
    size_t width = info->form == CF_FORM_UTF16 ? 2 : 4;
    size_t count = len / width, i = 0;
    bool big = info->big_endian;
    if (info->generic) {
        big = true;
        if (count > 0 && read_unit(bytes, width, true) == 0xFEFF) {
            i = 1;
        } else if (count > 0 && read_unit(bytes, width, false) == 0xFEFF) {
            big = false;
            i = 1;
        }
    }
    for (; i < count; i++) {
        uint32_t cp = read_unit(bytes + i * width, width, big);
        if (width == 2 && cf_is_high_surrogate(cp) && i + 1 < count) {
            uint32_t low = read_unit(bytes + (i + 1) * width, width, big);
            if (cf_is_low_surrogate(low)) {
                cp = cf_combine_surrogates(cp, low);
                i++;
            }
        }
        if (cp == 0 || cf_is_surrogate(cp) || cp > CF_UNICODE_MAX)
            return false;
        unsigned char utf8[4];
        if (!cf_bytebuf_append(out, utf8, cf_utf8_encode(cp, utf8)))
            return false;
    }
    return true;
}

bool cf_encoding_is_wide(CFStringEncoding encoding)
{
    struct cf_encoding_info info;
    return encoding_lookup(encoding, &info) &&
           (info.form == CF_FORM_UTF16 || info.form == CF_FORM_UTF32);
}

CFStringRef cf_string_create_wide(const unsigned char *bytes, size_t len, CFStringEncoding encoding)
{
    struct cf_encoding_info info = {0};
    if (!cf_encoding_is_wide(encoding))
        return NULL;
    encoding_lookup(encoding, &info);
    struct cf_bytebuf utf8 = {0};
    CFStringRef s = NULL;
    if (wide_to_utf8(bytes, len, &info, &utf8))
        s = cf_string_create_utf8(utf8.len > 0 ? (const char *)utf8.bytes : "", utf8.len);
    cf_bytebuf_free(&utf8);
    return s;
}

/*
 * Writes one piece of text (a scalar value, or a lone surrogate where a
 * range cuts a pair) in `info`'s form; returns its byte length, 0 if the
 * form cannot represent it.
 */
static size_t encode_piece(const struct cf_encoding_info *info, uint32_t value, unsigned char *out)
{
    bool lone_surrogate = cf_is_surrogate(value);
    switch (info->form) {
    case CF_FORM_ASCII:
    case CF_FORM_LATIN1:
        if (value >= (info->form == CF_FORM_ASCII ? 0x80u : 0x100u))
            return 0;
        out[0] = (unsigned char)value;
        return 1;
    case CF_FORM_UTF8: return lone_surrogate ? 0 : cf_utf8_encode(value, out);
    case CF_FORM_UTF16:
        if (value < 0x10000) {
            write_unit(out, value, 2, info->big_endian);
            return 2;
        }
        write_unit(out, cf_high_surrogate_of(value), 2, info->big_endian);
        write_unit(out + 2, cf_low_surrogate_of(value), 2, info->big_endian);
        return 4;
    case CF_FORM_UTF32:
        if (lone_surrogate)
            return 0;
        write_unit(out, value, 4, info->big_endian);
        return 4;
    }
    return 0;
}

/* ---- Walking a UTF-16 range of the UTF-8 text ---- */

struct walk {
    const unsigned char *p, *end;
    CFIndex unit;  /* UTF-16 index of `p` */
    CFIndex start; /* the range */
    CFIndex limit;
};

static void walk_start(struct walk *w, const struct cf_string *s, CFRange range)
{
    w->p = (const unsigned char *)s->bytes;
    w->end = w->p + s->byte_length;
    w->unit = 0;
    w->start = range.location;
    w->limit = range.location + range.length;
    if (range.length == 0) {
        w->p = w->end; /* nothing to walk, even from inside a pair */
        return;
    }
    if (s->ascii) {
        w->p += range.location;
        w->unit = range.location;
        return;
    }
    while (w->p < w->end) {
        uint32_t cp;
        size_t n = cf_utf8_decode(w->p, &cp);
        if (w->unit + cf_utf16_units(cp) > w->start)
            break;
        w->p += n;
        w->unit += cf_utf16_units(cp);
    }
}

/* The next piece of the range and its UTF-16 length; false at the end. */
static bool walk_next(struct walk *w, uint32_t *value, CFIndex *units)
{
    if (w->unit >= w->limit || w->p >= w->end)
        return false;
    uint32_t cp;
    w->p += cf_utf8_decode(w->p, &cp);
    *units = 1;
    if (cp < 0x10000) {
        *value = cp;
        w->unit += 1;
    } else if (w->unit < w->start) {
        *value = cf_low_surrogate_of(cp); /* the range starts inside the pair */
        w->unit += 2;
    } else if (w->unit + 2 > w->limit) {
        *value = cf_high_surrogate_of(cp); /* the range ends inside the pair */
        w->unit = w->limit;
    } else {
        *value = cp;
        *units = 2;
        w->unit += 2;
    }
    return true;
}

/*
 * CFStringGetBytes: converts the range until the end, the first piece the
 * encoding cannot hold (unless `loss_byte` stands in for it) or the first
 * that does not fit. `buffer` NULL measures only. Returns the UTF-16 units
 * converted; *used gets the bytes.
 */
static CFIndex encode_range(const struct cf_string *s, CFRange range,
                            const struct cf_encoding_info *info, UInt8 loss_byte, bool external,
                            UInt8 *buffer, CFIndex max, CFIndex *used)
{
    CFIndex written = 0, converted = 0;
    unsigned char piece[4];
    *used = 0;
    if (external && info->generic) {
        size_t n = encode_piece(info, 0xFEFF, piece);
        if (buffer != NULL && (CFIndex)n > max)
            return 0;
        if (buffer != NULL)
            memcpy(buffer, piece, n);
        written = (CFIndex)n;
    }
    struct walk w;
    walk_start(&w, s, range);
    uint32_t value;
    CFIndex units;
    while (walk_next(&w, &value, &units)) {
        size_t n = encode_piece(info, value, piece);
        if (n == 0) {
            if (loss_byte == 0)
                break;
            piece[0] = loss_byte;
            n = 1;
        }
        if (buffer != NULL && (CFIndex)n > max - written)
            break;
        if (buffer != NULL)
            memcpy(buffer + written, piece, n);
        written += (CFIndex)n;
        converted += units;
    }
    *used = written;
    return converted;
}

CFIndex CFStringGetBytes(CFStringRef theString, CFRange range, CFStringEncoding encoding,
                         UInt8 lossByte, Boolean isExternalRepresentation, UInt8 *buffer,
                         CFIndex maxBufLen, CFIndex *usedBufLen)
{
    const struct cf_string *s = string_of(theString);
    struct cf_encoding_info info;
    CFIndex used = 0, converted = 0;
    if (s != NULL && range_is_valid(s, range) && encoding_lookup(encoding, &info) &&
        (buffer == NULL || maxBufLen >= 0))
        converted = encode_range(s, range, &info, lossByte, isExternalRepresentation != 0, buffer,
                                 maxBufLen, &used);
    if (usedBufLen != NULL)
        *usedBufLen = used;
    return converted;
}

/* NULL unless every character converts (with `lossByte` standing in where allowed). */
CFDataRef CFStringCreateExternalRepresentation(CFAllocatorRef alloc, CFStringRef theString,
                                               CFStringEncoding encoding, UInt8 lossByte)
{
    const struct cf_string *s = string_of(theString);
    struct cf_encoding_info info;
    if (s == NULL || !encoding_lookup(encoding, &info))
        return NULL;
    CFRange all = CFRangeMake(0, s->utf16_length);
    CFIndex size;
    if (encode_range(s, all, &info, lossByte, true, NULL, 0, &size) != s->utf16_length)
        return NULL;
    UInt8 *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (bytes == NULL)
        return NULL;
    encode_range(s, all, &info, lossByte, true, bytes, size, &size);
    CFDataRef data = CFDataCreate(alloc, bytes, size);
    free(bytes);
    return data;
}

/* ---- UTF-16 characters ---- */

CFStringRef CFStringCreateWithCharacters(CFAllocatorRef alloc, const UniChar *chars,
                                         CFIndex numChars)
{
    (void)alloc; /* every allocator is the default one */
    if (numChars < 0 || (chars == NULL && numChars > 0) ||
        (size_t)numChars > SIZE_MAX / sizeof(UniChar))
        return NULL;
    const unsigned char *bytes = chars != NULL ? (const unsigned char *)chars : (const UInt8 *)"";
    return cf_string_create_wide(bytes, (size_t)numChars * sizeof(UniChar), CF_UTF16_HOST);
}

/* A range that cuts a surrogate pair yields the half inside it, as in CF. */
void CFStringGetCharacters(CFStringRef theString, CFRange range, UniChar *buffer)
{
    const struct cf_string *s = string_of(theString);
    struct cf_encoding_info info;
    if (s == NULL || buffer == NULL || !range_is_valid(s, range))
        return;
    encoding_lookup(CF_UTF16_HOST, &info);
    CFIndex used;
    encode_range(s, range, &info, 0, false, (UInt8 *)buffer, range.length * 2, &used);
}

/* 0 for an index outside the string (CF raises there). */
UniChar CFStringGetCharacterAtIndex(CFStringRef theString, CFIndex idx)
{
    UniChar c = 0;
    CFStringGetCharacters(theString, CFRangeMake(idx, 1), &c);
    return c;
}

/* CF never promises this pointer; the text is UTF-8, so there is none. */
const UniChar *CFStringGetCharactersPtr(CFStringRef theString)
{
    (void)theString;
    return NULL;
}

/* ---- Sizes and the file system representation ---- */

/* The most bytes one UTF-16 unit can take in `encoding` (CF's table). */
static CFIndex max_bytes_per_unit(CFStringEncoding encoding)
{
    if (encoding == kCFStringEncodingUTF8)
        return 3;
    if (encoding == kCFStringEncodingUTF32 || encoding == kCFStringEncodingUTF32BE ||
        encoding == kCFStringEncodingUTF32LE)
        return 4;
    switch (encoding & 0xFFF) { /* the base encoding, without the byte order variant */
    case kCFStringEncodingUnicode: return 2;
    case kCFStringEncodingNonLossyASCII: return 6;
    default: return 1;
    }
}

/* kCFNotFound for a negative length or one whose size overflows. */
CFIndex CFStringGetMaximumSizeForEncoding(CFIndex length, CFStringEncoding encoding)
{
    CFIndex per_unit = max_bytes_per_unit(encoding);
    if (length < 0 || length > LONG_MAX / per_unit)
        return kCFNotFound;
    return length * per_unit;
}

/* Text stored as UTF-8 needs no conversion for any encoding that reads it directly. */
CFStringEncoding CFStringGetFastestEncoding(CFStringRef theString)
{
    const struct cf_string *s = string_of(theString);
    if (s == NULL)
        return kCFStringEncodingInvalidId;
    return s->ascii ? kCFStringEncodingASCII : kCFStringEncodingUTF8;
}

/* Linux file names are bytes; CF writes them as UTF-8, without normalizing. */
Boolean CFStringGetFileSystemRepresentation(CFStringRef string, char *buffer, CFIndex maxBufLen)
{
    const struct cf_string *s = string_of(string);
    if (s == NULL || buffer == NULL || maxBufLen <= s->byte_length)
        return false;
    memcpy(buffer, s->bytes, (size_t)s->byte_length + 1);
    return true;
}

CFIndex CFStringGetMaximumSizeOfFileSystemRepresentation(CFStringRef string)
{
    const struct cf_string *s = string_of(string);
    if (s == NULL)
        return kCFNotFound;
    CFIndex size = CFStringGetMaximumSizeForEncoding(s->utf16_length, kCFStringEncodingUTF8);
    return size >= 0 && size < LONG_MAX ? size + 1 : kCFNotFound;
}

/* ---- Comparison ---- */

/* Upper case to lower case for Latin Extended-A, whose pairs alternate. */
static uint32_t fold_latin_extended_a(uint32_t c)
{
    if (c == 0x130)
        return 'i';
    if (c == 0x178)
        return 0xFF;
    if (c == 0x17F)
        return 's';
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    bool even_upper = (c <= 0x137 && c != 0x131) || (c >= 0x14A && c <= 0x177);
    if ((odd_upper && c % 2 == 1) || (even_upper && c % 2 == 0))
        return c + 1;
    return c;
}

/* Blocks where each upper-case letter at an even code point precedes its lower case. */
static bool in_even_odd_block(uint32_t c)
{
    return (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F) ||
           (c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF);
}

/*
 * Simple case folding for the Latin, Greek, Cyrillic and Armenian letters
 * and the full-width Latin ones; other characters compare as they are.
 */
static uint32_t fold_case(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c == 0xB5)
        return 0x3BC;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F)
        return fold_latin_extended_a(c);
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if ((c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c == 0x3C2)
        return 0x3C3; /* final sigma */
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (in_even_odd_block(c))
        return c % 2 == 0 ? c + 1 : c;
    if (c >= 0x531 && c <= 0x556)
        return c + 48;
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    return c;
}

/*
 * A key that orders code points as their UTF-16 forms order: surrogate
 * pairs (U+10000 and up) sort between U+D7FF and U+E000.
 */
static uint32_t utf16_order(uint32_t cp)
{
    if (cp >= 0x10000)
        return 0xD800 + (cp - 0x10000);
    if (cp >= 0xE000)
        return cp + 0x100000;
    return cp;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Compares two runs of ASCII digits by value and moves both cursors past them. */
static int compare_numbers(const unsigned char **pa, const unsigned char *ea,
                           const unsigned char **pb, const unsigned char *eb)
{
    const unsigned char *a = *pa, *b = *pb;
    while (a < ea && *a == '0')
        a++;
    while (b < eb && *b == '0')
        b++;
    const unsigned char *a_end = a, *b_end = b;
    while (a_end < ea && is_digit(*a_end))
        a_end++;
    while (b_end < eb && is_digit(*b_end))
        b_end++;
    size_t la = (size_t)(a_end - a), lb = (size_t)(b_end - b);
    *pa = a_end;
    *pb = b_end;
    if (la != lb)
        return la < lb ? -1 : 1;
    int c = memcmp(a, b, la);
    return (c > 0) - (c < 0);
}

static CFComparisonResult compare_text(const struct cf_string *x, const struct cf_string *y,
                                       CFStringCompareFlags flags)
{
    const unsigned char *a = (const unsigned char *)x->bytes, *ea = a + x->byte_length;
    const unsigned char *b = (const unsigned char *)y->bytes, *eb = b + y->byte_length;
    bool fold = (flags & kCFCompareCaseInsensitive) != 0;
    bool numeric = (flags & kCFCompareNumerically) != 0;
    while (a < ea && b < eb) {
        if (numeric && is_digit(*a) && is_digit(*b)) {
            int r = compare_numbers(&a, ea, &b, eb);
            if (r != 0)
                return r < 0 ? kCFCompareLessThan : kCFCompareGreaterThan;
            continue;
        }
        uint32_t ca, cb;
        a += cf_utf8_decode(a, &ca);
        b += cf_utf8_decode(b, &cb);
        if (fold) {
            ca = fold_case(ca);
            cb = fold_case(cb);
        }
        if (ca != cb)
            return utf16_order(ca) < utf16_order(cb) ? kCFCompareLessThan : kCFCompareGreaterThan;
    }
    if (a < ea)
        return kCFCompareGreaterThan;
    return b < eb ? kCFCompareLessThan : kCFCompareEqualTo;
}

/*
 * Non-localized comparison by UTF-16 code units, as CF's default. Honoured:
 * kCFCompareCaseInsensitive, kCFCompareNumerically, kCFCompareForcedOrdering;
 * the other flags do not change the order of the texts this library holds
 * enough to matter and are ignored. Where CF would crash, a non-string
 * sorts before every string.
 */
CFComparisonResult CFStringCompare(CFStringRef theString1, CFStringRef theString2,
                                   CFStringCompareFlags compareOptions)
{
    const struct cf_string *x = string_of(theString1), *y = string_of(theString2);
    if (x == NULL || y == NULL) {
        if (x == y)
            return kCFCompareEqualTo;
        return x == NULL ? kCFCompareLessThan : kCFCompareGreaterThan;
    }
    if (x == y)
        return kCFCompareEqualTo;
    CFComparisonResult r = compare_text(x, y, compareOptions);
    /* Forced ordering: texts equal under the options still order by their characters. */
    if (r == kCFCompareEqualTo && (compareOptions & kCFCompareForcedOrdering))
        r = compare_text(x, y, 0);
    return r;
}

/*
 * Whole code points match when the UTF-8 bytes do. An empty prefix or
 * suffix is not found, as in CF (its search finds no empty string).
 */
Boolean CFStringHasPrefix(CFStringRef theString, CFStringRef prefix)
{
    const struct cf_string *s = string_of(theString), *p = string_of(prefix);
    return s != NULL && p != NULL && p->byte_length > 0 && p->byte_length <= s->byte_length &&
           memcmp(s->bytes, p->bytes, (size_t)p->byte_length) == 0;
}

Boolean CFStringHasSuffix(CFStringRef theString, CFStringRef suffix)
{
    const struct cf_string *s = string_of(theString), *p = string_of(suffix);
    return s != NULL && p != NULL && p->byte_length > 0 && p->byte_length <= s->byte_length &&
           memcmp(s->bytes + (s->byte_length - p->byte_length), p->bytes, (size_t)p->byte_length) ==
               0;
}
