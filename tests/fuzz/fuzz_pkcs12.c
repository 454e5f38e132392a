/*
 * libFuzzer target: SecPKCS12Import. The first byte picks the passphrase
 * (none, the right one "fuzz", a wrong one, an empty one), the rest is the
 * PKCS#12 file; every item of the result is read back.
 */
#include "fuzz_support.h"

static CFDictionaryRef options_for(uint8_t choice)
{
    static const char *const passwords[] = {NULL, "fuzz", "wrong", ""};
    const char *password = passwords[choice & 3];
    if (password == NULL)
        return CFDictionaryCreate(NULL, NULL, NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                  &kCFTypeDictionaryValueCallBacks);
    CFStringRef value = CFStringCreateWithCString(NULL, password, kCFStringEncodingUTF8);
    const void *keys[] = {kSecImportExportPassphrase};
    const void *values[] = {value};
    CFDictionaryRef options = CFDictionaryCreate(
        NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFRelease(value);
    return options;
}

static void read_item(CFDictionaryRef item)
{
    SecIdentityRef identity = (SecIdentityRef)CFDictionaryGetValue(item, kSecImportItemIdentity);
    if (identity != NULL) {
        SecCertificateRef cert = NULL;
        if (SecIdentityCopyCertificate(identity, &cert) == errSecSuccess)
            CFRelease(cert);
        SecKeyRef key = NULL;
        if (SecIdentityCopyPrivateKey(identity, &key) == errSecSuccess)
            CFRelease(key);
    }
    CFArrayRef chain = CFDictionaryGetValue(item, kSecImportItemCertChain);
    if (chain != NULL)
        CFArrayGetCount(chain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    CFDictionaryRef options = options_for(data[0]);
    CFDataRef p12 = CFDataCreate(NULL, data + 1, (CFIndex)size - 1);
    CFArrayRef items = NULL;
    if (SecPKCS12Import(p12, options, &items) == errSecSuccess && items != NULL) {
        for (CFIndex i = 0; i < CFArrayGetCount(items); i++)
            read_item(CFArrayGetValueAtIndex(items, i));
        CFRelease(items);
    }
    CFRelease(p12);
    CFRelease(options);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        CFDataRef p12 = fuzz_identity_p12();
        static const uint8_t right = 1, wrong = 2;
        fuzz_record_data(dir, "identity-right-password", &right, 1, p12);
        fuzz_record_data(dir, "identity-wrong-password", &wrong, 1, p12);
        CFRelease(p12);
        exit(0);
    }
    return 0;
}
