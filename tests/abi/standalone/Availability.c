/*
 * Availability.h has the point-release macros of Apple's 10.15 SDK, which
 * Qt and others compare against; #if on an undefined name would be 0.
 */
#include <Availability.h>

#if !defined(__MAC_10_13_4) || __MAC_10_13_4 != 101304 || __MAC_10_15_1 != 101501 ||               \
    __MAC_10_15_4 != 101504 || __MAC_10_10_2 != 101002 || __MAC_10_14_4 != 101404
#error "the 10.x.y point-release macros are missing or wrong"
#endif

int main(void)
{
    return __MAC_OS_X_VERSION_MAX_ALLOWED >= __MAC_10_13_4 ? 0 : 1;
}
