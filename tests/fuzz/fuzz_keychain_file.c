/*
 * libFuzzer target: the keychain file loader (compat/sec/keychain/sec_keychain_file.c).
 * The input (after one options byte) is written as a keychain file, opened,
 * optionally unlocked with "fuzz", and searched for every item class.
 *
 * The seeds are real keychains, made with SecKeychainCreate and SecItemImport
 * /SecItemAdd, whose key derivation is cut to the loader's minimum so that
 * every unlock costs a millisecond, not a hundred.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "keychain/sec_keychain.h"

#define FAST_KDF_ITERATIONS 1000

static char path[64];

static void remove_file(void)
{
    unlink(path);
}

static void search(SecKeychainRef keychain, CFStringRef item_class)
{
    CFArrayRef list = CFArrayCreate(NULL, (const void **)&keychain, 1, &kCFTypeArrayCallBacks);
    const void *keys[] = {kSecClass, kSecMatchSearchList, kSecMatchLimit, kSecReturnAttributes,
                          kSecReturnRef};
    const void *values[] = {item_class, list, kSecMatchLimitAll, kCFBooleanTrue, kCFBooleanTrue};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 5, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef result = NULL;
    if (SecItemCopyMatching(query, &result) == errSecSuccess && result != NULL)
        CFRelease(result);
    CFRelease(query);
    CFRelease(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();
    SecKeychainRef keychain = NULL;
    if (SecKeychainOpen(path, &keychain) != errSecSuccess)
        abort();
    SecKeychainStatus status = 0;
    SecKeychainGetStatus(keychain, &status);
    if (data[0] & 1)
        SecKeychainUnlock(keychain, 4, "fuzz", true);
    const CFStringRef classes[] = {kSecClassCertificate, kSecClassKey, kSecClassIdentity,
                                   kSecClassGenericPassword, kSecClassInternetPassword};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        search(keychain, classes[i]);
    SecKeychainLock(keychain);
    CFRelease(keychain);
    return 0;
}

/* --- Seeds --- */

/* Re-derives the keychain's password check with fewer iterations, before any item is sealed. */
static void use_fast_kdf(SecKeychainRef keychain)
{
    struct sec_keychain *kc = sec_keychain_of(keychain);
    unsigned char out[SEC_KEYCHAIN_CHECK_BYTES + SEC_KEYCHAIN_ITEM_KEY_BYTES];
    if (kc == NULL || PKCS5_PBKDF2_HMAC("fuzz", 4, kc->salt, sizeof(kc->salt), FAST_KDF_ITERATIONS,
                                        EVP_sha256(), sizeof(out), out) != 1)
        abort();
    kc->kdf_iterations = FAST_KDF_ITERATIONS;
    memcpy(kc->check, out, SEC_KEYCHAIN_CHECK_BYTES);
    memcpy(kc->item_key, out + SEC_KEYCHAIN_CHECK_BYTES, SEC_KEYCHAIN_ITEM_KEY_BYTES);
}

static void add_password(SecKeychainRef keychain)
{
    CFDataRef secret = CFDataCreate(NULL, (const UInt8 *)"hunter2", 7);
    const void *keys[] = {kSecClass, kSecAttrService, kSecValueData, kSecUseKeychain};
    const void *values[] = {kSecClassGenericPassword, CFSTR("fuzz"), secret, keychain};
    CFDictionaryRef item = CFDictionaryCreate(NULL, keys, values, 4, &kCFTypeDictionaryKeyCallBacks,
                                              &kCFTypeDictionaryValueCallBacks);
    if (SecItemAdd(item, NULL) != errSecSuccess)
        abort();
    CFRelease(item);
    CFRelease(secret);
}

static void import_identity(SecKeychainRef keychain)
{
    CFDataRef p12 = fuzz_identity_p12();
    SecExternalFormat format = kSecFormatPKCS12;
    SecExternalItemType type = kSecItemTypeAggregate;
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                               .passphrase = CFSTR("fuzz")};
    CFArrayRef items = NULL;
    if (SecItemImport(p12, NULL, &format, &type, 0, &params, keychain, &items) != errSecSuccess)
        abort();
    CFRelease(items);
    CFRelease(p12);
}

static void record_file(const char *dir, const char *name, const char *from, uint8_t options)
{
    FILE *f = fopen(from, "rb");
    static uint8_t buf[1 << 16];
    buf[0] = options;
    size_t n = f != NULL ? fread(buf + 1, 1, sizeof(buf) - 1, f) : 0;
    if (f == NULL || n == 0)
        abort();
    fclose(f);
    fuzz_record_write(dir, name, buf, n + 1);
}

static void record_seeds(const char *dir)
{
    char file[4096];
    snprintf(file, sizeof(file), "%s/.seed.keychain", dir);
    unlink(file);
    SecKeychainRef keychain = NULL;
    if (SecKeychainCreate(file, 4, "fuzz", false, NULL, &keychain) != errSecSuccess)
        abort();
    use_fast_kdf(keychain);
    add_password(keychain);
    record_file(dir, "password-only", file, 1);
    import_identity(keychain);
    record_file(dir, "identity-and-password", file, 1);
    record_file(dir, "identity-locked", file, 0);
    SecKeychainDelete(keychain);
    CFRelease(keychain);
    unlink(file);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        record_seeds(dir);
        exit(0);
    }
    snprintf(path, sizeof(path), "/tmp/sectrans-fuzz-keychain-%ld", (long)getpid());
    atexit(remove_file);
    return 0;
}
