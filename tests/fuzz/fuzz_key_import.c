/*
 * libFuzzer target: key import from Apple's external representations
 * (SecKeyCreateWithData, SecKeyCreateFromData), then everything that reads
 * the key back.
 *
 * Input: one options byte (bit 0 EC/RSA, bit 1 private/public, bit 2 which
 * function, bit 3 a key size attribute, bit 4 no key type at all), then the key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

static CFDictionaryRef attributes_for(uint8_t options)
{
    const void *keys[3], *values[3];
    CFIndex n = 0;
    int bits = (options & 1) ? 2048 : 256;
    CFNumberRef size = CFNumberCreate(NULL, kCFNumberIntType, &bits);
    if (!(options & 16)) {
        keys[n] = kSecAttrKeyType;
        values[n++] = (options & 1) ? kSecAttrKeyTypeRSA : kSecAttrKeyTypeECSECPrimeRandom;
    }
    keys[n] = kSecAttrKeyClass;
    values[n++] = (options & 2) ? kSecAttrKeyClassPrivate : kSecAttrKeyClassPublic;
    if (options & 8) {
        keys[n] = kSecAttrKeySizeInBits;
        values[n++] = size;
    }
    CFDictionaryRef dict = CFDictionaryCreate(NULL, keys, values, n, &kCFTypeDictionaryKeyCallBacks,
                                              &kCFTypeDictionaryValueCallBacks);
    CFRelease(size);
    return dict;
}

static void release(CFTypeRef object)
{
    if (object != NULL)
        CFRelease(object);
}

static void read_key(SecKeyRef key)
{
    CFErrorRef error = NULL;
    release(SecKeyCopyExternalRepresentation(key, &error));
    release(error);
    release(SecKeyCopyAttributes(key));
    release(SecKeyCopyPublicKey(key));
    SecKeyGetBlockSize(key);
    SecKeyIsAlgorithmSupported(key, kSecKeyOperationTypeSign,
                               kSecKeyAlgorithmECDSASignatureMessageX962SHA256);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    CFDictionaryRef attributes = attributes_for(data[0]);
    CFDataRef bytes = CFDataCreate(NULL, data + 1, (CFIndex)size - 1);
    CFErrorRef error = NULL;
    SecKeyRef key = (data[0] & 4) ? SecKeyCreateFromData(attributes, bytes, &error)
                                  : SecKeyCreateWithData(bytes, attributes, &error);
    release(error);
    if (key != NULL) {
        read_key(key);
        CFRelease(key);
    }
    CFRelease(bytes);
    CFRelease(attributes);
    return 0;
}

/* Seeds: the external representations of an EC and an RSA key, both halves. */
static void record_key(const char *dir, const char *name, uint8_t options, EVP_PKEY *pkey)
{
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(pkey, &der);
    CFDataRef key_data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    SecExternalFormat format = kSecFormatOpenSSL;
    SecExternalItemType type = kSecItemTypePrivateKey;
    CFArrayRef items = NULL;
    if (SecItemImport(key_data, NULL, &format, &type, 0, NULL, NULL, &items) != errSecSuccess)
        abort();
    SecKeyRef key = (SecKeyRef)CFArrayGetValueAtIndex(items, 0);
    SecKeyRef public_key = SecKeyCopyPublicKey(key);
    CFDataRef private_rep = SecKeyCopyExternalRepresentation(key, NULL);
    CFDataRef public_rep = SecKeyCopyExternalRepresentation(public_key, NULL);
    char file[64];
    uint8_t private_options = options | 2;
    snprintf(file, sizeof(file), "%s-private", name);
    fuzz_record_data(dir, file, &private_options, 1, private_rep);
    snprintf(file, sizeof(file), "%s-public", name);
    fuzz_record_data(dir, file, &options, 1, public_rep);
    uint8_t legacy = options | 4;
    snprintf(file, sizeof(file), "%s-public-legacy", name);
    fuzz_record_data(dir, file, &legacy, 1, public_rep);
    CFRelease(private_rep);
    CFRelease(public_rep);
    CFRelease(public_key);
    CFRelease(items);
    CFRelease(key_data);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
        record_key(dir, "ec", 0, ec);
        record_key(dir, "rsa", 1, rsa);
        EVP_PKEY_free(ec);
        EVP_PKEY_free(rsa);
        exit(0);
    }
    return 0;
}
