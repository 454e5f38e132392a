/*
 * <Security/SecItem.h> on its own declares the key attributes Apple's
 * SecItem.h declares (compile-headers.sh builds this in every C and C++ mode).
 */
#include <Security/SecItem.h>

int main(void)
{
    const CFStringRef *keys[3];
    keys[0] = &kSecAttrIsPermanent;
    keys[1] = &kSecAttrKeyClassSymmetric;
    keys[2] = &kSecAttrKeySizeInBits;
    return keys[0] == keys[1] || keys[1] == keys[2];
}
