/*
 * libFuzzer target: SecItemImport in every input format and item type,
 * with and without a passphrase, PEM armour and a file-name hint; whatever
 * imports is exported again in the same format.
 *
 * Input: format byte, type/flags byte, then the data.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#define FORMAT_COUNT 15 /* kSecFormatUnknown .. kSecFormatSSHv2 */
#define TYPE_COUNT   6  /* kSecItemTypeUnknown .. kSecItemTypeAggregate */

static CFStringRef hint_for(unsigned choice)
{
    static const char *const hints[] = {NULL,   "item.pem", "item.p12", "item.der",
                                        "cert", "pem",      "x.p7b",    "key.pub"};
    const char *hint = hints[choice & 7];
    return hint != NULL ? CFStringCreateWithCString(NULL, hint, kCFStringEncodingUTF8) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    SecExternalFormat format = data[0] % FORMAT_COUNT;
    SecExternalItemType type = (data[1] & 7) % TYPE_COUNT;
    bool passphrase = data[1] & 8;
    SecItemImportExportFlags flags = (data[1] & 16) ? kSecItemPemArmour : 0;
    CFStringRef hint = hint_for(data[1] >> 5);
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                               .passphrase = CFSTR("fuzz")};
    CFDataRef bytes = CFDataCreate(NULL, data + 2, (CFIndex)size - 2);
    CFArrayRef items = NULL;
    OSStatus status = SecItemImport(bytes, hint, &format, &type, flags, passphrase ? &params : NULL,
                                    NULL, &items);
    if (status == errSecSuccess && items != NULL) {
        CFDataRef exported = NULL;
        if (SecItemExport(items, format, flags, passphrase ? &params : NULL, &exported) ==
                errSecSuccess &&
            exported != NULL)
            CFRelease(exported);
        CFRelease(items);
    }
    CFRelease(bytes);
    if (hint != NULL)
        CFRelease(hint);
    return 0;
}

/* --- Seeds: the identity in the formats SecItemImport reads. --- */

static void record_bio(const char *dir, const char *name, uint8_t format, uint8_t type_flags,
                       BIO *bio)
{
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    CFDataRef data = CFDataCreate(NULL, (const UInt8 *)p, n);
    uint8_t prefix[2] = {format, type_flags};
    fuzz_record_data(dir, name, prefix, 2, data);
    CFRelease(data);
    BIO_free(bio);
}

static void record_seeds(const char *dir)
{
    CFDataRef cert = fuzz_identity_der(), key = fuzz_identity_key_der();
    CFDataRef p12 = fuzz_identity_p12();
    uint8_t prefix[2] = {kSecFormatX509Cert, kSecItemTypeCertificate};
    fuzz_record_data(dir, "cert-der", prefix, 2, cert);
    prefix[0] = kSecFormatUnknown, prefix[1] = kSecItemTypeUnknown;
    fuzz_record_data(dir, "cert-der-guessed", prefix, 2, cert);
    prefix[0] = kSecFormatOpenSSL, prefix[1] = kSecItemTypePrivateKey;
    fuzz_record_data(dir, "key-der", prefix, 2, key);
    prefix[0] = kSecFormatPKCS12, prefix[1] = kSecItemTypeAggregate | 8;
    fuzz_record_data(dir, "identity-p12", prefix, 2, p12);

    const UInt8 *der = CFDataGetBytePtr(cert);
    X509 *x = d2i_X509(NULL, &der, CFDataGetLength(cert));
    const UInt8 *kder = CFDataGetBytePtr(key);
    EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &kder, CFDataGetLength(key));
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, x);
    PEM_write_bio_X509(bio, x);
    record_bio(dir, "cert-pem-sequence", kSecFormatPEMSequence, kSecItemTypeAggregate, bio);
    bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    record_bio(dir, "key-pem", kSecFormatUnknown, 16, bio);
    bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, pkey);
    record_bio(dir, "public-key-pem", kSecFormatOpenSSL, kSecItemTypePublicKey | 16, bio);
    bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_128_cbc(), "fuzz", 4, NULL, NULL);
    record_bio(dir, "key-pkcs8-encrypted", kSecFormatWrappedPKCS8, kSecItemTypePrivateKey | 8 | 16,
               bio);
    X509_free(x);
    EVP_PKEY_free(pkey);
    CFRelease(cert);
    CFRelease(key);
    CFRelease(p12);
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
    return 0;
}
