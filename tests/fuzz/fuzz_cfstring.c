/*
 * libFuzzer target: CFStringCreateWithBytes in every encoding the library
 * knows (and unknown ones), with and without an external representation
 * (BOM), then the string converted back to every encoding.
 *
 * Input: encoding index, flags, then the bytes.
 */
#include <stdlib.h>

#include "fuzz_support.h"

static const CFStringEncoding encodings[] = {
    kCFStringEncodingMacRoman,
    kCFStringEncodingWindowsLatin1,
    kCFStringEncodingISOLatin1,
    kCFStringEncodingNextStepLatin,
    kCFStringEncodingASCII,
    kCFStringEncodingUTF8,
    kCFStringEncodingNonLossyASCII,
    kCFStringEncodingUTF16,
    kCFStringEncodingUTF16BE,
    kCFStringEncodingUTF16LE,
    kCFStringEncodingUTF32,
    kCFStringEncodingUTF32BE,
    kCFStringEncodingUTF32LE,
    0x0A01 /* unsupported: Shift-JIS */,
    0xFFFFFFFFu,
};
#define ENCODING_COUNT (sizeof(encodings) / sizeof(encodings[0]))

static void convert_back(CFStringRef s, CFStringEncoding encoding, uint8_t loss_byte)
{
    CFIndex length = CFStringGetLength(s), used = 0;
    uint8_t buf[512];
    CFStringGetBytes(s, CFRangeMake(0, length), encoding, loss_byte, false, buf, sizeof(buf),
                     &used);
    CFStringGetBytes(s, CFRangeMake(0, length), encoding, 0, true, NULL, 0, &used);
    char cbuf[64];
    CFStringGetCString(s, cbuf, sizeof(cbuf), encoding);
    CFStringGetCStringPtr(s, encoding);
    CFIndex max = CFStringGetMaximumSizeForEncoding(length, encoding);
    if (max > 0 && max < (1 << 20)) {
        char *whole = malloc((size_t)max + 1);
        if (whole != NULL)
            CFStringGetCString(s, whole, max + 1, encoding);
        free(whole);
    }
    CFDataRef external = CFStringCreateExternalRepresentation(NULL, s, encoding, loss_byte);
    if (external != NULL)
        CFRelease(external);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    CFStringEncoding encoding = encodings[data[0] % ENCODING_COUNT];
    uint8_t flags = data[1];
    CFStringRef s = CFStringCreateWithBytes(NULL, data + 2, (CFIndex)size - 2, encoding, flags & 1);
    if (s == NULL)
        return 0;
    CFIndex length = CFStringGetLength(s);
    if (length > 0) {
        CFStringGetCharacterAtIndex(s, length - 1);
        UniChar chars[16];
        CFStringGetCharacters(s, CFRangeMake(0, length < 16 ? length : 16), chars);
    }
    for (size_t i = 0; i < ENCODING_COUNT; i++)
        convert_back(s, encodings[i], (flags & 2) ? '?' : 0);
    CFMutableStringRef copy = CFStringCreateMutableCopy(NULL, 0, s);
    if (copy != NULL) {
        CFStringAppend(copy, s);
        CFStringCompare(copy, s, 0);
        CFStringHasPrefix(copy, s);
        CFStringHasSuffix(copy, s);
        CFRelease(copy);
    }
    char path[256];
    CFStringGetFileSystemRepresentation(s, path, sizeof(path));
    CFRelease(s);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        /* One seed per encoding: "h\u00e9llo \u20ac\U0001F600" encoded in it, with a BOM where it
         * has one. */
        CFStringRef text = CFStringCreateWithCString(
            NULL, "h\xc3\xa9llo \xe2\x82\xac\xf0\x9f\x98\x80 <\\>", kCFStringEncodingUTF8);
        for (size_t i = 0; i < ENCODING_COUNT; i++) {
            CFDataRef bytes = CFStringCreateExternalRepresentation(NULL, text, encodings[i], '?');
            if (bytes == NULL)
                continue;
            uint8_t prefix[2] = {(uint8_t)i, 1};
            char name[32];
            snprintf(name, sizeof(name), "encoding-%02zu", i);
            fuzz_record_data(dir, name, prefix, 2, bytes);
            CFRelease(bytes);
        }
        CFRelease(text);
        exit(0);
    }
    return 0;
}
