/*
 * A translation unit written the way macOS code is: it includes one umbrella
 * header (chosen with -DHEADER=...) and uses the macros and types such code
 * takes for granted. compile-headers.sh builds it in every C and C++ mode it
 * checks, C89 included, so it is written in C89.
 */
#include HEADER

#include <stdio.h>

typedef CF_ENUM(int, DemoColor) { kDemoRed = 1, kDemoBlue = 2 };

/* The one-argument form: no empty macro argument even in C89 and C++98. */
CF_ENUM(int){kDemoAnonymous = 3};

typedef CF_OPTIONS(uint32_t, DemoFlags) { kDemoFlagA = 1u << 0, kDemoFlagB = 1u << 1 };

CF_INLINE Boolean demo_is_blue(DemoColor c)
{
    return c == kDemoBlue ? TRUE : FALSE;
}

int main(void)
{
    CFStringRef name = CFSTR("header user");
    DemoFlags flags = kDemoFlagA | kDemoFlagB;
    CFRange range = CFRangeMake(0, 4);
#ifdef _SECURITY_SECURETRANSPORT_H_
    SSLContextRef ctx = NULL;
    SSLCipherSuite suite = TLS_AES_128_GCM_SHA256;
    printf("%p %u\n", (void *)ctx, (unsigned)suite);
#endif
#if TARGET_OS_OSX && !TARGET_OS_IPHONE && MAC_OS_X_VERSION_MIN_REQUIRED >= 101500
    printf("%p %u %ld %d\n", (const void *)name, (unsigned)flags, (long)range.length,
           demo_is_blue(kDemoBlue));
#endif
    return 0;
}
