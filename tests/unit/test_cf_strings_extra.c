/*
 * CFString beyond C strings, through the public API: UTF-16 characters in
 * and out, bytes and external representations in the Unicode encodings and
 * Latin-1 (round trips, byte order marks, loss bytes), comparison orders,
 * prefixes and suffixes, sizes, mutable strings and copies, and
 * kCFCopyStringDictionaryKeyCallBacks. Bad arguments get NULL, 0 or no
 * effect, and retain counts come back to where they were (AddressSanitizer
 * and valgrind run this suite for leaks).
 */
#include <CoreFoundation/CoreFoundation.h>
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) ((CFIndex)(sizeof(a) / sizeof((a)[0])))

/* "Aé€😀": one, two, three and four UTF-8 bytes; the last a UTF-16 pair. */
static const UniChar sample_utf16[] = {0x0041, 0x00E9, 0x20AC, 0xD83D, 0xDE00};
static const char sample_utf8[] = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";

static char text_buf[256];

/* The UTF-8 text of `s` (valid until the next call). */
static const char *text(CFStringRef s)
{
    ck_assert_ptr_nonnull(s);
    ck_assert(CFStringGetCString(s, text_buf, sizeof(text_buf), kCFStringEncodingUTF8));
    return text_buf;
}

static CFStringRef utf8(const char *s)
{
    CFStringRef str = CFStringCreateWithCString(NULL, s, kCFStringEncodingUTF8);
    ck_assert_ptr_nonnull(str);
    return str;
}

static CFStringRef sample(void)
{
    CFStringRef s = CFStringCreateWithCharacters(NULL, sample_utf16, COUNT(sample_utf16));
    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(characters_round_trip)
{
    CFStringRef s = sample();
    ck_assert_uint_eq(CFGetTypeID(s), CFStringGetTypeID());
    ck_assert_int_eq(CFStringGetLength(s), 5);
    ck_assert_str_eq(text(s), sample_utf8);

    CFStringRef same = utf8(sample_utf8);
    ck_assert(CFEqual(s, same));
    ck_assert_uint_eq(CFHash(s), CFHash(same));

    UniChar back[5] = {0};
    CFStringGetCharacters(s, CFRangeMake(0, 5), back);
    ck_assert_mem_eq(back, sample_utf16, sizeof(back));
    for (CFIndex i = 0; i < 5; i++)
        ck_assert_uint_eq(CFStringGetCharacterAtIndex(s, i), sample_utf16[i]);
    /* CF may always decline to give a direct pointer. */
    ck_assert_ptr_null(CFStringGetCharactersPtr(s));

    CFStringRef empty = CFStringCreateWithCharacters(NULL, NULL, 0);
    ck_assert_ptr_nonnull(empty);
    ck_assert_int_eq(CFStringGetLength(empty), 0);
    ck_assert_int_eq(CFGetRetainCount(s), 1);
    CFRelease(empty);
    CFRelease(same);
    CFRelease(s);
}
END_TEST

START_TEST(characters_bad_input)
{
    const UniChar lone_high[] = {'a', 0xD800, 'b'};
    const UniChar lone_low[] = {0xDC00};
    const UniChar reversed[] = {0xDE00, 0xD83D};
    const UniChar nul[] = {'a', 0};
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, lone_high, 3));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, lone_high, 2));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, lone_low, 1));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, reversed, 2));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, nul, 2));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, NULL, 1));
    ck_assert_ptr_null(CFStringCreateWithCharacters(NULL, sample_utf16, -1));

    CFStringRef s = sample();
    UniChar buf[3] = {7, 7, 7};
    /* A range that cuts the pair gives the half inside it, as CF does. */
    CFStringGetCharacters(s, CFRangeMake(3, 1), buf);
    ck_assert_uint_eq(buf[0], 0xD83D);
    CFStringGetCharacters(s, CFRangeMake(4, 1), buf);
    ck_assert_uint_eq(buf[0], 0xDE00);
    buf[0] = 7;
    CFStringGetCharacters(s, CFRangeMake(4, 0), buf);
    ck_assert_uint_eq(buf[0], 7);
    /* Ranges outside the string, NULL buffers and non-strings do nothing. */
    CFStringGetCharacters(s, CFRangeMake(4, 2), buf);
    CFStringGetCharacters(s, CFRangeMake(-1, 1), buf);
    CFStringGetCharacters(s, CFRangeMake(0, -1), buf);
    CFStringGetCharacters(s, CFRangeMake(LONG_MAX, LONG_MAX), buf);
    CFStringGetCharacters(NULL, CFRangeMake(0, 1), buf);
    CFStringGetCharacters((CFStringRef)kCFBooleanTrue, CFRangeMake(0, 1), buf);
    CFStringGetCharacters(s, CFRangeMake(0, 1), NULL);
    ck_assert_uint_eq(buf[0], 7);
    ck_assert_uint_eq(CFStringGetCharacterAtIndex(s, 5), 0);
    ck_assert_uint_eq(CFStringGetCharacterAtIndex(s, -1), 0);
    ck_assert_uint_eq(CFStringGetCharacterAtIndex(NULL, 0), 0);
    ck_assert_ptr_null(CFStringGetCharactersPtr(NULL));
    CFRelease(s);
}
END_TEST

struct bytes_case {
    CFStringEncoding encoding;
    Boolean external;
    const char *bytes;
    CFIndex len;
};

/* "A€😀" in every Unicode encoding; the generic ones little-endian (x86, arm64). */
static const struct bytes_case unicode_cases[] = {
    {kCFStringEncodingUTF8, false, "A\xE2\x82\xAC\xF0\x9F\x98\x80", 8},
    {kCFStringEncodingUTF8, true,
     "\xEF\xBB\xBF"
     "A\xE2\x82\xAC\xF0\x9F\x98\x80",
     11},
    {kCFStringEncodingUTF16BE, false, "\0A\x20\xAC\xD8\x3D\xDE\x00", 8},
    {kCFStringEncodingUTF16BE, true, "\0A\x20\xAC\xD8\x3D\xDE\x00", 8},
    {kCFStringEncodingUTF16LE, false, "A\0\xAC\x20\x3D\xD8\x00\xDE", 8},
    {kCFStringEncodingUTF16, false, "A\0\xAC\x20\x3D\xD8\x00\xDE", 8},
    {kCFStringEncodingUTF16, true,
     "\xFF\xFE"
     "A\0\xAC\x20\x3D\xD8\x00\xDE",
     10},
    {kCFStringEncodingUTF32BE, false, "\0\0\0A\0\0\x20\xAC\0\x01\xF6\x00", 12},
    {kCFStringEncodingUTF32LE, false, "A\0\0\0\xAC\x20\0\0\x00\xF6\x01\0", 12},
    {kCFStringEncodingUTF32, true,
     "\xFF\xFE\0\0"
     "A\0\0\0\xAC\x20\0\0\x00\xF6\x01\0",
     16},
};

START_TEST(bytes_in_unicode_encodings)
{
    const struct bytes_case *c = &unicode_cases[_i];
    CFStringRef s = utf8("A\xE2\x82\xAC\xF0\x9F\x98\x80");
    UInt8 buf[32];
    CFIndex used = -1;
    CFIndex n = CFStringGetBytes(s, CFRangeMake(0, 4), c->encoding, 0, c->external, buf,
                                 sizeof(buf), &used);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(used, c->len);
    ck_assert_mem_eq(buf, c->bytes, (size_t)c->len);

    /* NULL buffer: the size only. */
    used = -1;
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(0, 4), c->encoding, 0, c->external, NULL, 0, &used), 4);
    ck_assert_int_eq(used, c->len);

    /* Back to the same string (external representations name their byte order). */
    if (c->external || c->encoding != kCFStringEncodingUTF16) {
        CFStringRef back = CFStringCreateWithBytes(NULL, (const UInt8 *)c->bytes, c->len,
                                                   c->encoding, c->external);
        ck_assert_ptr_nonnull(back);
        ck_assert(CFEqual(back, s));
        CFRelease(back);
    }
    CFDataRef ext = CFStringCreateExternalRepresentation(NULL, s, c->encoding, 0);
    ck_assert_ptr_nonnull(ext);
    CFStringRef again = CFStringCreateWithBytes(NULL, CFDataGetBytePtr(ext), CFDataGetLength(ext),
                                                c->encoding, true);
    ck_assert_ptr_nonnull(again);
    ck_assert(CFEqual(again, s));
    if (c->external)
        ck_assert_int_eq(CFDataGetLength(ext), c->len);
    CFRelease(again);
    CFRelease(ext);
    CFRelease(s);
}
END_TEST

START_TEST(bytes_partial_and_lossy)
{
    CFStringRef s = utf8("caf\xC3\xA9 \xE2\x82\xAC!"); /* "café €!" */
    UInt8 buf[16];
    CFIndex used;

    /* Latin-1 holds é but not €: the conversion stops there without a loss byte. */
    ck_assert_int_eq(CFStringGetBytes(s, CFRangeMake(0, 7), kCFStringEncodingISOLatin1, 0, false,
                                      buf, sizeof(buf), &used),
                     5);
    ck_assert_int_eq(used, 5);
    ck_assert_mem_eq(buf, "caf\xE9 ", 5);
    ck_assert_int_eq(CFStringGetBytes(s, CFRangeMake(0, 7), kCFStringEncodingISOLatin1, '?', false,
                                      buf, sizeof(buf), &used),
                     7);
    ck_assert_int_eq(used, 7);
    ck_assert_mem_eq(buf, "caf\xE9 ?!", 7);
    ck_assert_int_eq(CFStringGetBytes(s, CFRangeMake(0, 7), kCFStringEncodingASCII, '_', false, buf,
                                      sizeof(buf), &used),
                     7);
    ck_assert_mem_eq(buf, "caf_ _!", 7);

    /* A buffer too small stops at a character boundary. */
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(0, 7), kCFStringEncodingUTF8, 0, false, buf, 4, &used), 3);
    ck_assert_int_eq(used, 3);
    ck_assert_int_eq(CFStringGetBytes(s, CFRangeMake(3, 2), kCFStringEncodingUTF8, 0, false, buf,
                                      sizeof(buf), NULL),
                     2);
    ck_assert_mem_eq(buf, "\xC3\xA9 ", 3);

    /* A loss byte also stands for a supplementary character, once. */
    CFStringRef emoji = utf8("a\xF0\x9F\x98\x80z");
    ck_assert_int_eq(CFStringGetBytes(emoji, CFRangeMake(0, 4), kCFStringEncodingISOLatin1, '?',
                                      false, buf, sizeof(buf), &used),
                     4);
    ck_assert_int_eq(used, 3);
    ck_assert_mem_eq(buf, "a?z", 3);
    /* Half a pair cannot be UTF-8: lost, or the end of the conversion. */
    ck_assert_int_eq(CFStringGetBytes(emoji, CFRangeMake(0, 2), kCFStringEncodingUTF8, 0, false,
                                      buf, sizeof(buf), &used),
                     1);
    ck_assert_int_eq(CFStringGetBytes(emoji, CFRangeMake(2, 2), kCFStringEncodingUTF8, '#', false,
                                      buf, sizeof(buf), &used),
                     2);
    ck_assert_mem_eq(buf, "#z", 2);

    CFDataRef latin1 = CFStringCreateExternalRepresentation(NULL, s, kCFStringEncodingISOLatin1, 0);
    ck_assert_ptr_null(latin1);
    latin1 = CFStringCreateExternalRepresentation(NULL, s, kCFStringEncodingISOLatin1, '?');
    ck_assert_ptr_nonnull(latin1);
    ck_assert_int_eq(CFDataGetLength(latin1), 7);
    ck_assert_mem_eq(CFDataGetBytePtr(latin1), "caf\xE9 ?!", 7);
    CFStringRef from_latin1 = CFStringCreateWithBytes(NULL, CFDataGetBytePtr(latin1), 7,
                                                      kCFStringEncodingISOLatin1, true);
    ck_assert_str_eq(text(from_latin1), "caf\xC3\xA9 ?!");
    CFRelease(from_latin1);
    CFRelease(latin1);
    CFRelease(emoji);
    CFRelease(s);
}
END_TEST

START_TEST(bytes_bad_input)
{
    CFStringRef s = utf8("abc");
    UInt8 buf[8] = {0};
    CFIndex used = 99;
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(2, 2), kCFStringEncodingUTF8, 0, false, buf, 8, &used), 0);
    ck_assert_int_eq(used, 0);
    used = 99;
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(-1, 1), kCFStringEncodingUTF8, 0, false, buf, 8, &used), 0);
    ck_assert_int_eq(used, 0);
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(0, 3), kCFStringEncodingUTF8, 0, false, buf, -1, &used), 0);
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(0, 3), kCFStringEncodingMacRoman, 0, false, buf, 8, &used),
        0);
    ck_assert_int_eq(
        CFStringGetBytes(NULL, CFRangeMake(0, 0), kCFStringEncodingUTF8, 0, false, buf, 8, &used),
        0);
    ck_assert_int_eq(CFStringGetBytes((CFStringRef)kCFBooleanTrue, CFRangeMake(0, 1),
                                      kCFStringEncodingUTF8, 0, false, buf, 8, &used),
                     0);
    /* A byte order mark that does not fit: nothing. */
    ck_assert_int_eq(
        CFStringGetBytes(s, CFRangeMake(0, 3), kCFStringEncodingUTF16, 0, true, buf, 1, &used), 0);
    ck_assert_int_eq(used, 0);
    ck_assert_ptr_null(CFStringCreateExternalRepresentation(NULL, NULL, kCFStringEncodingUTF8, 0));
    ck_assert_ptr_null(CFStringCreateExternalRepresentation(NULL, s, 0x12345678, 0));

    /* Reading UTF-16 and UTF-32: byte order rules and bad units. */
    const struct {
        const char *bytes;
        CFIndex len;
        CFStringEncoding encoding;
        const char *expect; /* NULL: rejected */
    } reads[] = {
        {"\0A\0B", 4, kCFStringEncodingUTF16, "AB"}, /* no mark: big-endian */
        {"\xFE\xFF\0A", 4, kCFStringEncodingUTF16, "A"},
        {"\xFF\xFE"
         "A\0",
         4, kCFStringEncodingUTF16, "A"},
        {"\xFF\xFE"
         "A\0",
         4, kCFStringEncodingUTF16LE,
         "\xEF\xBB\xBF"
         "A"},                                       /* kept: a character */
        {"\0A\0", 3, kCFStringEncodingUTF16BE, "A"}, /* odd byte ignored */
        {"\0\0\0A", 4, kCFStringEncodingUTF32, "A"},
        {"\xD8\x00\0A", 4, kCFStringEncodingUTF16BE, NULL},
        {"\0\x11\0\0", 4, kCFStringEncodingUTF32BE, NULL},
        {"\0\0\xD8\0", 4, kCFStringEncodingUTF32BE, NULL},
        {"\0A\0\0", 4, kCFStringEncodingUTF16BE, NULL},
        {"", 0, kCFStringEncodingUTF16, ""},
    };
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
        CFStringRef r = CFStringCreateWithBytes(NULL, (const UInt8 *)reads[i].bytes, reads[i].len,
                                                reads[i].encoding, false);
        if (reads[i].expect == NULL) {
            ck_assert_msg(r == NULL, "case %zu", i);
            continue;
        }
        ck_assert_msg(r != NULL, "case %zu", i);
        ck_assert_str_eq(text(r), reads[i].expect);
        CFRelease(r);
    }
    CFRelease(s);
}
END_TEST

START_TEST(sizes_and_file_system_representation)
{
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF8), 30);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF16), 20);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF16LE), 20);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF32BE), 40);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingISOLatin1), 10);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingASCII), 10);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingNonLossyASCII), 60);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(0, kCFStringEncodingUTF8), 0);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(-1, kCFStringEncodingUTF8), kCFNotFound);
    ck_assert_int_eq(CFStringGetMaximumSizeForEncoding(LONG_MAX / 2, kCFStringEncodingUTF8),
                     kCFNotFound);

    CFStringRef s = sample(); /* 5 UTF-16 units, 10 UTF-8 bytes */
    CFIndex max = CFStringGetMaximumSizeOfFileSystemRepresentation(s);
    ck_assert_int_eq(max, 16);
    char buf[32];
    memset(buf, 'x', sizeof(buf));
    ck_assert(CFStringGetFileSystemRepresentation(s, buf, max));
    ck_assert_str_eq(buf, sample_utf8);
    ck_assert(CFStringGetFileSystemRepresentation(s, buf, 11));
    ck_assert(!CFStringGetFileSystemRepresentation(s, buf, 10));
    ck_assert(!CFStringGetFileSystemRepresentation(s, NULL, 32));
    ck_assert(!CFStringGetFileSystemRepresentation(s, buf, 0));
    ck_assert(!CFStringGetFileSystemRepresentation(NULL, buf, 32));
    ck_assert_int_eq(CFStringGetMaximumSizeOfFileSystemRepresentation(NULL), kCFNotFound);
    ck_assert_int_eq(CFStringGetMaximumSizeOfFileSystemRepresentation(CFSTR("")), 1);

    /* The fastest encoding reads the text in place. */
    CFStringEncoding fast = CFStringGetFastestEncoding(s);
    ck_assert_uint_eq(fast, kCFStringEncodingUTF8);
    ck_assert_ptr_nonnull(CFStringGetCStringPtr(s, fast));
    fast = CFStringGetFastestEncoding(CFSTR("plain"));
    ck_assert_uint_eq(fast, kCFStringEncodingASCII);
    ck_assert_str_eq(CFStringGetCStringPtr(CFSTR("plain"), fast), "plain");
    ck_assert_uint_eq(CFStringGetFastestEncoding(NULL), kCFStringEncodingInvalidId);
    ck_assert_uint_eq(CFStringGetFastestEncoding((CFStringRef)kCFBooleanFalse),
                      kCFStringEncodingInvalidId);
    CFRelease(s);
}
END_TEST

struct compare_case {
    const char *a, *b;
    CFStringCompareFlags flags;
    CFComparisonResult expect;
};

static const struct compare_case compare_cases[] = {
    {"a", "b", 0, kCFCompareLessThan},
    {"b", "a", 0, kCFCompareGreaterThan},
    {"abc", "abc", 0, kCFCompareEqualTo},
    {"ab", "abc", 0, kCFCompareLessThan},
    {"", "a", 0, kCFCompareLessThan},
    {"", "", 0, kCFCompareEqualTo},
    {"B", "a", 0, kCFCompareLessThan}, /* literal: upper case first */
    {"B", "a", kCFCompareCaseInsensitive, kCFCompareGreaterThan},
    {"HeLLo", "hello", kCFCompareCaseInsensitive, kCFCompareEqualTo},
    {"HeLLo", "hello", kCFCompareCaseInsensitive | kCFCompareForcedOrdering, kCFCompareLessThan},
    {"\xC3\x89T\xC3\x89", "\xC3\xA9t\xC3\xA9", kCFCompareCaseInsensitive, kCFCompareEqualTo},
    {"\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x9F\xCE\xA3", "\xCF\x83\xCE\xBF\xCF\x86\xCE\xBF\xCF\x82",
     kCFCompareCaseInsensitive, kCFCompareEqualTo}, /* ΣΟΦΟΣ, σοφος with final sigma */
    {"\xD0\x9C\xD0\x98\xD0\xA0", "\xD0\xBC\xD0\xB8\xD1\x80", kCFCompareCaseInsensitive,
     kCFCompareEqualTo}, /* МИР */
    {"\xC5\x81\xC3\xB3"
     "d\xC5\xBA",
     "\xC5\x82\xC3\x93"
     "D\xC5\xB9",
     kCFCompareCaseInsensitive, kCFCompareEqualTo}, /* Łódź */
    {"\xC3\xA9", "f", 0, kCFCompareGreaterThan},
    {"file9", "file10", 0, kCFCompareGreaterThan},
    {"file9", "file10", kCFCompareNumerically, kCFCompareLessThan},
    {"v2.10.1", "v2.9.7", kCFCompareNumerically, kCFCompareGreaterThan},
    {"a007b", "a7b", kCFCompareNumerically, kCFCompareEqualTo},
    {"a7b", "a7c", kCFCompareNumerically, kCFCompareLessThan},
    {"x100", "X99", kCFCompareNumerically | kCFCompareCaseInsensitive, kCFCompareGreaterThan},
    {"12", "12a", kCFCompareNumerically, kCFCompareLessThan},
    /* UTF-16 order: U+FF21 sorts after the pair for U+1F600 (code point order is the reverse). */
    {"\xEF\xBC\xA1", "\xF0\x9F\x98\x80", 0, kCFCompareGreaterThan},
    {"\xED\x9F\xBF", "\xF0\x9F\x98\x80", 0, kCFCompareLessThan},
    /* Flags that do not change the order here are accepted. */
    {"abc", "abd", kCFCompareBackwards | kCFCompareLocalized | kCFCompareNonliteral,
     kCFCompareLessThan},
};

START_TEST(compare_orderings)
{
    const struct compare_case *c = &compare_cases[_i];
    CFStringRef a = utf8(c->a), b = utf8(c->b);
    ck_assert_msg(CFStringCompare(a, b, c->flags) == c->expect, "\"%s\" vs \"%s\" flags %lu", c->a,
                  c->b, (unsigned long)c->flags);
    /* Antisymmetric. */
    ck_assert_int_eq(CFStringCompare(b, a, c->flags), -c->expect);
    ck_assert_int_eq(CFStringCompare(a, a, c->flags), kCFCompareEqualTo);
    CFRelease(a);
    CFRelease(b);
}
END_TEST

START_TEST(compare_odd_arguments)
{
    CFStringRef a = CFSTR("a");
    ck_assert_int_eq(CFStringCompare(NULL, a, 0), kCFCompareLessThan);
    ck_assert_int_eq(CFStringCompare(a, NULL, 0), kCFCompareGreaterThan);
    ck_assert_int_eq(CFStringCompare(NULL, NULL, 0), kCFCompareEqualTo);
    ck_assert_int_eq(CFStringCompare((CFStringRef)kCFBooleanTrue, a, 0), kCFCompareLessThan);
    ck_assert_int_eq(CFStringCompare(a, a, ~(CFStringCompareFlags)0), kCFCompareEqualTo);

    /* A mutable string compares by its text. */
    CFMutableStringRef m = CFStringCreateMutable(NULL, 0);
    CFStringAppendCString(m, "a", kCFStringEncodingASCII);
    ck_assert_int_eq(CFStringCompare(m, a, 0), kCFCompareEqualTo);
    CFStringAppendCString(m, "a", kCFStringEncodingASCII);
    ck_assert_int_eq(CFStringCompare(m, a, 0), kCFCompareGreaterThan);
    CFRelease(m);
}
END_TEST

START_TEST(prefix_and_suffix)
{
    CFStringRef s = sample();
    CFStringRef head = utf8("A\xC3\xA9"), tail = utf8("\xF0\x9F\x98\x80");
    ck_assert(CFStringHasPrefix(s, head));
    ck_assert(!CFStringHasSuffix(s, head));
    ck_assert(CFStringHasSuffix(s, tail));
    ck_assert(!CFStringHasPrefix(s, tail));
    ck_assert(CFStringHasPrefix(s, s));
    ck_assert(CFStringHasSuffix(s, s));
    ck_assert(CFStringHasPrefix(CFSTR("https://host"), CFSTR("https://")));
    ck_assert(!CFStringHasPrefix(CFSTR("http"), CFSTR("https")));
    ck_assert(!CFStringHasPrefix(CFSTR("Https"), CFSTR("https"))); /* literal */
    ck_assert(CFStringHasSuffix(CFSTR("cert.pem"), CFSTR(".pem")));
    /* CF finds no empty string. */
    ck_assert(!CFStringHasPrefix(s, CFSTR("")));
    ck_assert(!CFStringHasSuffix(s, CFSTR("")));
    ck_assert(!CFStringHasPrefix(NULL, head));
    ck_assert(!CFStringHasPrefix(s, NULL));
    ck_assert(!CFStringHasSuffix((CFStringRef)kCFBooleanTrue, tail));
    CFRelease(tail);
    CFRelease(head);
    CFRelease(s);
}
END_TEST

START_TEST(mutable_strings)
{
    CFMutableStringRef m = CFStringCreateMutable(kCFAllocatorDefault, 0);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(CFGetTypeID(m), CFStringGetTypeID());
    ck_assert_int_eq(CFStringGetLength(m), 0);
    ck_assert_str_eq(text(m), "");

    CFStringAppendCString(m, "caf", kCFStringEncodingASCII);
    CFStringAppendCString(m, "\xE9", kCFStringEncodingISOLatin1);
    CFStringAppend(m, CFSTR(" au lait "));
    const UniChar smile[] = {0xD83D, 0xDE00};
    CFStringAppendCharacters(m, smile, 2);
    ck_assert_str_eq(text(m), "caf\xC3\xA9 au lait \xF0\x9F\x98\x80");
    ck_assert_int_eq(CFStringGetLength(m), 15);
    ck_assert_uint_eq(CFStringGetCharacterAtIndex(m, 3), 0xE9);
    ck_assert_str_eq(CFStringGetCStringPtr(m, kCFStringEncodingUTF8), text(m));

    /* Equal to the immutable string of the same text, with the same hash. */
    CFStringRef same = utf8("caf\xC3\xA9 au lait \xF0\x9F\x98\x80");
    ck_assert(CFEqual(m, same));
    ck_assert(CFEqual(same, m));
    ck_assert_uint_eq(CFHash(m), CFHash(same));

    /* A copy is immutable and keeps its text when the original changes. */
    CFStringRef copy = CFStringCreateCopy(NULL, m);
    ck_assert_ptr_nonnull(copy);
    ck_assert_ptr_ne(copy, m);
    CFStringRef description = CFCopyDescription(m);
    ck_assert_ptr_ne(description, m);
    CFStringAppend(m, CFSTR("!"));
    ck_assert(CFEqual(copy, same));
    ck_assert(CFEqual(description, same));
    ck_assert(!CFEqual(m, same));
    CFStringAppend((CFMutableStringRef)copy, CFSTR("?")); /* immutable: no effect */
    ck_assert(CFEqual(copy, same));

    /* Appending to itself, and growth over many appends. */
    CFMutableStringRef twice = CFStringCreateMutableCopy(NULL, 0, CFSTR("ab\xC3\xA9"));
    ck_assert_ptr_nonnull(twice);
    CFStringAppend(twice, twice);
    ck_assert_str_eq(text(twice), "ab\xC3\xA9"
                                  "ab\xC3\xA9");
    ck_assert_int_eq(CFStringGetLength(twice), 6);
    CFMutableStringRef big = CFStringCreateMutable(NULL, 0);
    for (int i = 0; i < 1000; i++)
        CFStringAppendCString(big, "xyz", kCFStringEncodingUTF8);
    ck_assert_int_eq(CFStringGetLength(big), 3000);
    ck_assert(CFStringHasSuffix(big, CFSTR("zxyz")));

    ck_assert_int_eq(CFGetRetainCount(m), 1);
    ck_assert_int_eq(CFGetRetainCount(copy), 1);
    CFRelease(big);
    CFRelease(twice);
    CFRelease(description);
    CFRelease(copy);
    CFRelease(same);
    CFRelease(m);
}
END_TEST

START_TEST(mutable_limits_and_bad_input)
{
    /* An immutable string is its own copy. */
    CFStringRef s = utf8("abc");
    CFStringRef copy = CFStringCreateCopy(NULL, s);
    ck_assert_ptr_eq(copy, s);
    ck_assert_int_eq(CFGetRetainCount(s), 2);
    CFRelease(copy);
    ck_assert_int_eq(CFGetRetainCount(s), 1);

    /* The maximum length holds: text beyond it is refused. */
    CFMutableStringRef m = CFStringCreateMutable(NULL, 3);
    CFStringAppendCString(m, "ab", kCFStringEncodingUTF8);
    CFStringAppendCString(m, "cd", kCFStringEncodingUTF8);
    ck_assert_str_eq(text(m), "ab");
    CFStringAppendCString(m, "c", kCFStringEncodingUTF8);
    ck_assert_str_eq(text(m), "abc");
    ck_assert_ptr_null(CFStringCreateMutableCopy(NULL, 2, s));
    CFMutableStringRef exact = CFStringCreateMutableCopy(NULL, 3, s);
    ck_assert_ptr_nonnull(exact);
    ck_assert(CFEqual(exact, s));

    /* Invalid text, NULLs and non-strings change nothing. */
    CFStringAppendCString(m, "\xFF", kCFStringEncodingUTF8);
    CFStringAppendCString(exact, "\xFF", kCFStringEncodingUTF8);
    CFStringAppendCString(exact, "\xC3\xA9", kCFStringEncodingASCII);
    CFStringAppendCString(exact, NULL, kCFStringEncodingUTF8);
    CFStringAppendCString(exact, "x", 0x12345678);
    CFStringAppend(exact, NULL);
    CFStringAppend(exact, (CFStringRef)kCFBooleanTrue);
    const UniChar lone[] = {0xD800};
    CFStringAppendCharacters(exact, lone, 1);
    CFStringAppendCharacters(exact, NULL, 1);
    CFStringAppendCharacters(exact, lone, -1);
    ck_assert(CFEqual(exact, s));
    CFStringAppend(NULL, s);
    CFStringAppendCString(NULL, "x", kCFStringEncodingUTF8);
    CFStringAppendCharacters(NULL, lone, 1);
    CFStringAppend((CFMutableStringRef)s, CFSTR("d")); /* immutable */
    CFStringAppendCString((CFMutableStringRef)kCFBooleanTrue, "x", kCFStringEncodingUTF8);
    ck_assert_str_eq(text(s), "abc");

    ck_assert_ptr_null(CFStringCreateMutable(NULL, -1));
    ck_assert_ptr_null(CFStringCreateMutableCopy(NULL, 0, NULL));
    ck_assert_ptr_null(CFStringCreateMutableCopy(NULL, -1, s));
    ck_assert_ptr_null(CFStringCreateMutableCopy(NULL, 0, (CFStringRef)kCFBooleanTrue));
    ck_assert_ptr_null(CFStringCreateCopy(NULL, NULL));
    ck_assert_ptr_null(CFStringCreateCopy(NULL, (CFStringRef)kCFBooleanTrue));

    /* UTF-16 and UTF-32 are read from bytes, not from C strings. */
    ck_assert_ptr_null(CFStringCreateWithCString(NULL, "\xFE\xFF", kCFStringEncodingUTF16));
    CFMutableStringRef target = CFStringCreateMutable(NULL, 0);
    CFStringAppendCString(target, "\xFE\xFF", kCFStringEncodingUTF16);
    ck_assert_int_eq(CFStringGetLength(target), 0);
    CFRelease(target);

    CFRelease(exact);
    CFRelease(m);
    CFRelease(s);
}
END_TEST

START_TEST(copy_string_dictionary_keys)
{
    const CFDictionaryKeyCallBacks *cb = &kCFCopyStringDictionaryKeyCallBacks;
    ck_assert_int_eq(cb->version, 0);
    ck_assert_ptr_nonnull(cb->retain);
    ck_assert_ptr_nonnull(cb->release);
    ck_assert_ptr_nonnull(cb->equal);
    ck_assert_ptr_nonnull(cb->hash);
    ck_assert_ptr_nonnull(cb->copyDescription);

    CFMutableDictionaryRef d =
        CFDictionaryCreateMutable(NULL, 0, cb, &kCFTypeDictionaryValueCallBacks);
    CFMutableStringRef key = CFStringCreateMutableCopy(NULL, 0, CFSTR("name"));
    CFStringRef fixed = utf8("fixed");
    CFDictionarySetValue(d, key, kCFBooleanTrue);
    CFDictionarySetValue(d, fixed, kCFBooleanFalse);
    /* The mutable key was copied, the immutable one retained. */
    ck_assert_int_eq(CFGetRetainCount(key), 1);
    ck_assert_int_eq(CFGetRetainCount(fixed), 2);
    const void *keys[2], *values[2];
    CFDictionaryGetKeysAndValues(d, keys, values);
    for (int i = 0; i < 2; i++) {
        ck_assert_ptr_ne(keys[i], key);
        if (CFEqual(keys[i], fixed))
            ck_assert_ptr_eq(keys[i], fixed);
    }
    /* Changing the caller's string leaves the dictionary's key alone. */
    CFStringAppend(key, CFSTR("-changed"));
    ck_assert_ptr_eq(CFDictionaryGetValue(d, CFSTR("name")), kCFBooleanTrue);
    ck_assert_ptr_null(CFDictionaryGetValue(d, key));

    /* Other objects as keys are retained. */
    CFDataRef data = CFDataCreate(NULL, (const UInt8 *)"k", 1);
    CFDictionarySetValue(d, data, kCFBooleanTrue);
    ck_assert_int_eq(CFGetRetainCount(data), 2);
    CFRelease(d);
    ck_assert_int_eq(CFGetRetainCount(data), 1);
    ck_assert_int_eq(CFGetRetainCount(fixed), 1);
    CFRelease(data);
    CFRelease(fixed);
    CFRelease(key);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_strings_extra");
    TCase *tc = tcase_create("strings");
    tcase_add_test(tc, characters_round_trip);
    tcase_add_test(tc, characters_bad_input);
    tcase_add_loop_test(tc, bytes_in_unicode_encodings, 0, (int)COUNT(unicode_cases));
    tcase_add_test(tc, bytes_partial_and_lossy);
    tcase_add_test(tc, bytes_bad_input);
    tcase_add_test(tc, sizes_and_file_system_representation);
    tcase_add_loop_test(tc, compare_orderings, 0, (int)COUNT(compare_cases));
    tcase_add_test(tc, compare_odd_arguments);
    tcase_add_test(tc, prefix_and_suffix);
    tcase_add_test(tc, mutable_strings);
    tcase_add_test(tc, mutable_limits_and_bad_input);
    tcase_add_test(tc, copy_string_dictionary_keys);
    suite_add_tcase(s, tc);

    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
