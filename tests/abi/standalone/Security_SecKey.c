/*
 * CSSM_KEYUSE_ANY is 0x80000000 in Apple's cssmtype.h: unsigned, so positive
 * when compared or widened, in every C and C++ mode.
 */
#include <Security/SecKey.h>

typedef char any_is_positive[(CSSM_KEYUSE_ANY > 0) ? 1 : -1];
typedef char any_widens_unsigned[((long)CSSM_KEYUSE_ANY == 0x80000000L) ? 1 : -1];

int main(void)
{
    CSSM_KEYUSE use = CSSM_KEYUSE_ANY;
    return use == CSSM_KEYUSE_SIGN;
}
