/*
 * kSecKeyUsageCritical is 1u << 31 in Apple's header: unsigned, so positive
 * when compared or widened, in every C and C++ mode (a negative array size
 * fails the build).
 */
#include <Security/SecCertificate.h>

typedef char critical_is_positive[(kSecKeyUsageCritical > 0) ? 1 : -1];
typedef char critical_widens_unsigned[((long)kSecKeyUsageCritical == 0x80000000L) ? 1 : -1];
typedef char critical_is_32_bits[(sizeof(kSecKeyUsageCritical) == 4) ? 1 : -1];

int main(void)
{
    SecKeyUsage usage = kSecKeyUsageCritical | kSecKeyUsageDigitalSignature;
    return usage == kSecKeyUsageAll;
}
