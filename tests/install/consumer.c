/* A program built against an installed sectrans, as a port would be. */
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecureTransport.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    SSLContextRef ctx = SSLCreateContext(kCFAllocatorDefault, kSSLClientSide, kSSLStreamType);
    if (ctx == NULL || CFGetTypeID(ctx) != SSLContextGetTypeID())
        return 1;
    char name[64];
    size_t len = sizeof(name);
    if (SSLSetPeerDomainName(ctx, "example.test", 12) != errSecSuccess ||
        SSLGetPeerDomainName(ctx, name, &len) != errSecSuccess || len != 12 ||
        memcmp(name, "example.test", 12) != 0)
        return 2;
    CFRelease(ctx);
    if (SSLSetPeerDomainName(ctx, "x", 1) != errSecParam) /* released: refused */
        return 3;
    printf("consumer ok\n");
    return 0;
}
