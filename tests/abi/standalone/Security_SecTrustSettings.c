/*
 * kSecTrustSettingsKeyUseAny is an enumerator in Apple's header, not a
 * macro, and unsigned: 0xffffffff in every C and C++ mode.
 */
#include <Security/SecTrustSettings.h>

#ifdef kSecTrustSettingsKeyUseAny
#error "kSecTrustSettingsKeyUseAny must be an enumerator, not a macro"
#endif
typedef char any_is_all_ones[((long)kSecTrustSettingsKeyUseAny == 0xffffffffL) ? 1 : -1];

int main(void)
{
    SecTrustSettingsKeyUsage usage = kSecTrustSettingsKeyUseAny;
    return usage == kSecTrustSettingsKeyUseSignature;
}
