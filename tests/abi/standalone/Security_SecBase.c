/*
 * <Security/SecBase.h> on its own declares the keychain attribute types, as
 * Apple's does (compile-headers.sh builds this in every C and C++ mode).
 */
#include <Security/SecBase.h>

int main(void)
{
    SecKeychainAttribute attr;
    SecKeychainAttributeList list;
    SecKeychainAttributePtr first = &attr;
    SecKeychainStatus status = 0;
    SecKeychainAttributeInfo info;
    SecACLRef acl = NULL;
    SecPasswordRef password = NULL;
    attr.tag = 0;
    attr.length = 0;
    attr.data = NULL;
    list.count = 1;
    list.attr = first;
    info.count = 0;
    info.tag = NULL;
    info.format = NULL;
    return (int)(list.count + status + info.count) - 1 + (acl != NULL) + (password != NULL);
}
