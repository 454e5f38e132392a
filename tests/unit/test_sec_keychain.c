/*
 * The keychain emulation: file keychains made, imported into, reopened,
 * locked and unlocked (right and wrong passwords), searched, deleted;
 * identities found from a certificate; the default keychain and the search
 * list; exports and their round trips; damaged files; NULL and hostile
 * arguments. Every test works in a temporary directory of its own.
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cert_factory.h"
#include "scratch_dir.h"
#include "sec_internal.h"
#include "st_test.h"

static struct factory_ca_leaf pki;
static SecCertificateRef leaf_cert, ca_cert;
static char dir[SCRATCH_DIR_SIZE];

static const struct cert_spec ca_spec = {"Keychain CA", NULL, true, -1, 3650, EKU_NONE, NULL};
static const struct cert_spec leaf_spec = {"kc.test", "DNS:kc.test", false, -1,
                                           365,       EKU_SERVER,    NULL};

static void setup(void)
{
    factory_ca_leaf_create(&pki, &ca_spec, KEY_EC256, &leaf_spec, KEY_RSA2048);
    leaf_cert = factory_sec_cert(pki.leaf);
    ca_cert = factory_sec_cert(pki.ca);
    scratch_dir_create(dir, "kc");
}

/* Empties and removes the test's directory: nothing may be left behind. */
static void teardown(void)
{
    scratch_dir_remove(dir);
    CFRelease(leaf_cert);
    CFRelease(ca_cert);
    factory_ca_leaf_free(&pki);
}

static const char *path_in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The leaf, its key and the CA as PKCS#12 with the friendly name "label". */
static CFDataRef p12_data(const char *pass)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, pki.ca);
    PKCS12 *p12 = PKCS12_create(pass, "label", pki.leaf_key, pki.leaf, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ck_assert_ptr_nonnull(p12);
    unsigned char *der = NULL;
    int len = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    return data;
}

static CFDictionaryRef dict2(CFTypeRef k1, CFTypeRef v1, CFTypeRef k2, CFTypeRef v2)
{
    const void *keys[] = {k1, k2}, *values[] = {v1, v2};
    return CFDictionaryCreate(NULL, keys, values, k2 != NULL ? 2 : 1,
                              &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
}

/* Imports the test PKCS#12 into `keychain` (NULL: no keychain option: the default). */
static void import_p12(SecKeychainRef keychain)
{
    CFDataRef data = p12_data("p12pass");
    CFStringRef pass = CFSTR("p12pass");
    CFDictionaryRef options = dict2(kSecImportExportPassphrase, pass,
                                    keychain != NULL ? kSecImportExportKeychain : NULL, keychain);
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import(data, options, &items), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(items), 1);
    CFRelease(items);
    CFRelease(options);
    CFRelease(data);
}

static SecKeychainRef create_keychain(const char *name, const char *password)
{
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(
        SecKeychainCreate(path_in_dir(name), (UInt32)strlen(password), password, false, NULL, &kc),
        errSecSuccess);
    ck_assert_ptr_nonnull(kc);
    return kc;
}

static void check_identity_key(SecIdentityRef identity, X509 *cert, EVP_PKEY *key)
{
    SecCertificateRef c = NULL;
    SecKeyRef k = NULL;
    ck_assert_int_eq(SecIdentityCopyCertificate(identity, &c), errSecSuccess);
    ck_assert_int_eq(SecIdentityCopyPrivateKey(identity, &k), errSecSuccess);
    SecCertificateRef expected = factory_sec_cert(cert);
    ck_assert(CFEqual(c, expected));
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(k), key), 1);
    CFRelease(expected);
    CFRelease(c);
    CFRelease(k);
}

static SecKeychainStatus status_of(SecKeychainRef kc)
{
    SecKeychainStatus st = 0xdead;
    ck_assert_int_eq(SecKeychainGetStatus(kc, &st), errSecSuccess);
    return st;
}

START_TEST(create_import_reopen_unlock)
{
    const char *path = path_in_dir("login.keychain");
    SecKeychainRef kc = create_keychain("login.keychain", "kcpass");
    ck_assert_uint_eq(CFGetTypeID(kc), SecKeychainGetTypeID());
    ck_assert(file_exists(path));
    ck_assert_uint_eq(status_of(kc),
                      kSecUnlockStateStatus | kSecReadPermStatus | kSecWritePermStatus);
    SecKeychainRef again = NULL;
    ck_assert_int_eq(SecKeychainCreate(path, 6, "kcpass", false, NULL, &again),
                     errSecDuplicateKeychain);
    ck_assert_ptr_null(again);

    import_p12(kc);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(kc, leaf_cert, &identity), errSecSuccess);
    check_identity_key(identity, pki.leaf, pki.leaf_key);
    CFRelease(identity);
    CFRelease(kc);

    /* A fresh object reads the file; it opens locked. */
    SecKeychainRef reopened = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &reopened), errSecSuccess);
    ck_assert(!(status_of(reopened) & kSecUnlockStateStatus));
    identity = (SecIdentityRef)(uintptr_t)1;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(reopened, leaf_cert, &identity),
                     errSecInteractionNotAllowed);
    ck_assert_ptr_null(identity);
    ck_assert_int_eq(SecKeychainUnlock(reopened, 5, "wrong", true), errSecAuthFailed);
    ck_assert_int_eq(SecKeychainUnlock(reopened, 0, NULL, false), errSecInteractionNotAllowed);
    ck_assert(!(status_of(reopened) & kSecUnlockStateStatus));
    ck_assert_int_eq(SecKeychainUnlock(reopened, 6, "kcpass", true), errSecSuccess);
    ck_assert(status_of(reopened) & kSecUnlockStateStatus);
    ck_assert_int_eq(SecKeychainUnlock(reopened, 6, "kcpass", true), errSecSuccess);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(reopened, leaf_cert, &identity),
                     errSecSuccess);
    check_identity_key(identity, pki.leaf, pki.leaf_key);
    CFRelease(identity);

    /* The same keychain in an array; the CA has no key: no identity. */
    CFArrayRef list = CFArrayCreate(NULL, (const void **)&reopened, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(list, ca_cert, &identity),
                     errSecItemNotFound);
    ck_assert_ptr_null(identity);
    CFRelease(list);

    /* Locking forgets the keys again. */
    ck_assert_int_eq(SecKeychainLock(reopened), errSecSuccess);
    ck_assert(!(status_of(reopened) & kSecUnlockStateStatus));
    ck_assert_int_eq(SecIdentityCreateWithCertificate(reopened, leaf_cert, &identity),
                     errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainDelete(reopened), errSecSuccess);
    ck_assert(!file_exists(path));
    CFRelease(reopened);
}
END_TEST

/* The file holds the key encrypted under the keychain password, readable with it alone. */
START_TEST(file_keeps_keys_encrypted)
{
    const char *path = path_in_dir("enc.keychain");
    SecKeychainRef kc = create_keychain("enc.keychain", "s3cret pass");
    import_p12(kc);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char text[32768];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "sectrans-keychain 2\n"));
    /* Hex is lower case: bindings are MACs over the file's own text, so it never changes. */
    const char *kdf = strstr(text, "\nkdf pbkdf2-sha256 ");
    ck_assert_ptr_nonnull(kdf);
    kdf = strchr(kdf + strlen("\nkdf pbkdf2-sha256 "), ' ');
    ck_assert_ptr_nonnull(kdf);
    ck_assert_uint_eq(strspn(kdf + 1, "0123456789abcdef "), 2 * (16 + 32) + 1);
    int hex_attributes = 0;
    for (const char *line = strstr(text, "\nattr "); line != NULL;
         line = strstr(line + 1, "\nattr ")) {
        if (line[6] != 's' && line[6] != 'd')
            continue; /* numbers and booleans are decimal */
        const char *value = strchr(line + 8, ' ');
        ck_assert_ptr_nonnull(value);
        ck_assert_uint_eq(strspn(value + 1, "0123456789abcdef"), strcspn(value + 1, "\n"));
        hex_attributes++;
    }
    ck_assert_int_gt(hex_attributes, 0);
    ck_assert_ptr_null(strstr(text, "BEGIN PRIVATE KEY"));
    ck_assert_ptr_null(strstr(text, "BEGIN RSA PRIVATE KEY"));
    char *begin = strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----");
    ck_assert_ptr_nonnull(begin);
    BIO *bio = BIO_new_mem_buf(begin, -1);
    EVP_PKEY *wrong = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"nope");
    ck_assert_ptr_null(wrong);
    BIO_free(bio);
    bio = BIO_new_mem_buf(begin, -1);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"s3cret pass");
    BIO_free(bio);
    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(EVP_PKEY_eq(key, pki.leaf_key), 1);
    EVP_PKEY_free(key);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 077, 0);
    /* Deleting takes it out of the search list too (created keychains join it). */
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

START_TEST(missing_file)
{
    SecKeychainRef kc = NULL;
    const char *path = path_in_dir("absent.keychain");
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    SecKeychainStatus st = 0;
    ck_assert_int_eq(SecKeychainGetStatus(kc, &st), errSecNoSuchKeychain);
    ck_assert_int_eq(SecKeychainUnlock(kc, 1, "x", true), errSecNoSuchKeychain);
    ck_assert_int_eq(SecKeychainLock(kc), errSecNoSuchKeychain);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(kc, leaf_cert, &identity),
                     errSecNoSuchKeychain);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecNoSuchKeychain);
    char buf[128];
    UInt32 len = sizeof(buf);
    ck_assert_int_eq(SecKeychainGetPath(kc, &len, buf), errSecSuccess);
    ck_assert_str_eq(buf, path);
    ck_assert_uint_eq(len, strlen(path));
    len = 4;
    ck_assert_int_eq(SecKeychainGetPath(kc, &len, buf), errSecBufferTooSmall);
    ck_assert_uint_eq(len, strlen(path));
    ck_assert(!file_exists(path));
    /* Another object makes the file: this one sees it from then on. */
    SecKeychainRef maker = create_keychain("absent.keychain", "pw");
    ck_assert_int_eq(SecKeychainGetStatus(kc, &st), errSecSuccess);
    ck_assert(CFEqual(kc, maker));
    ck_assert_int_eq(SecKeychainDelete(maker), errSecSuccess);
    CFRelease(maker);
    CFRelease(kc);
}
END_TEST

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65535, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/*
 * tests/data/keychain-format-2.keychain was written by an earlier release
 * (commit d95c4ec): password "fixture", a generic and an internet password,
 * an EC private key and its certificate. Every later release must read it
 * as it is: the format, the key derivation and the bindings are a promise.
 */
START_TEST(file_from_an_earlier_release_still_opens)
{
    size_t len = 0;
    char *text = read_all(KEYCHAIN_FORMAT_2_FIXTURE, &len);
    const char *path = path_in_dir("earlier.keychain");
    write_file(path, text, len);
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    ck_assert_int_eq(SecKeychainUnlock(kc, 5, "wrong", true), errSecAuthFailed);
    ck_assert_int_eq(SecKeychainUnlock(kc, 7, "fixture", true), errSecSuccess);

    UInt32 n = 0;
    void *data = NULL;
    ck_assert_int_eq(
        SecKeychainFindGenericPassword(kc, 16, "sectrans-fixture", 5, "alice", &n, &data, NULL),
        errSecSuccess);
    ck_assert_uint_eq(n, 26);
    ck_assert_int_eq(memcmp(data, "old format, still readable", n), 0);
    SecKeychainItemFreeContent(NULL, data);
    ck_assert_int_eq(SecKeychainFindInternetPassword(
                         kc, 12, "example.test", 0, NULL, 3, "bob", 6, "/login", 443,
                         kSecProtocolTypeHTTPS, kSecAuthenticationTypeDefault, &n, &data, NULL),
                     errSecSuccess);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(memcmp(data, "hunter2", n), 0);
    SecKeychainItemFreeContent(NULL, data);

    /* The key decrypts, is bound to its item, and pairs with the certificate. */
    const void *keys[] = {kSecClass, kSecMatchSearchList, kSecReturnRef};
    CFArrayRef list = CFArrayCreate(NULL, (const void **)&kc, 1, &kCFTypeArrayCallBacks);
    const void *values[] = {kSecClassCertificate, list, kCFBooleanTrue};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 3, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef cert = NULL;
    ck_assert_int_eq(SecItemCopyMatching(query, &cert), errSecSuccess);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(kc, (SecCertificateRef)cert, &identity),
                     errSecSuccess);
    SecKeyRef key = NULL;
    ck_assert_int_eq(SecIdentityCopyPrivateKey(identity, &key), errSecSuccess);
    CFDataRef message = CFDataCreate(NULL, (const UInt8 *)"signed by the old key", 21);
    CFDataRef signature =
        SecKeyCreateSignature(key, kSecKeyAlgorithmECDSASignatureMessageX962SHA256, message, NULL);
    ck_assert_ptr_nonnull(signature);
    SecKeyRef public_key = SecCertificateCopyKey((SecCertificateRef)cert);
    ck_assert(SecKeyVerifySignature(public_key, kSecKeyAlgorithmECDSASignatureMessageX962SHA256,
                                    message, signature, NULL));
    CFRelease(public_key);
    CFRelease(signature);
    CFRelease(message);
    CFRelease(key);
    CFRelease(identity);
    CFRelease(cert);
    CFRelease(query);
    CFRelease(list);

    /* Unlocking did not rewrite it: a version 2 file stays byte for byte as it was. */
    size_t now_len = 0;
    char *now = read_all(path, &now_len);
    ck_assert_uint_eq(now_len, len);
    ck_assert_int_eq(memcmp(now, text, len), 0);
    free(now);
    free(text);
    CFRelease(kc);
}
END_TEST

/* Opens `path` and reads it: errSecInvalidKeychain or success, never anything worse. */
static OSStatus probe(const char *path)
{
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    SecKeychainStatus st = 0;
    OSStatus status = SecKeychainGetStatus(kc, &st);
    OSStatus unlock = SecKeychainUnlock(kc, 2, "pw", true);
    ck_assert(unlock == status || unlock == errSecAuthFailed || unlock == errSecInvalidKeychain);
    SecIdentityRef identity = NULL;
    OSStatus found = SecIdentityCreateWithCertificate(kc, leaf_cert, &identity);
    if (identity != NULL)
        CFRelease(identity);
    ck_assert(found == errSecSuccess || found == errSecItemNotFound || found == status ||
              found == errSecInteractionNotAllowed);
    CFRelease(kc);
    return status;
}

START_TEST(damaged_files)
{
    const char *good = path_in_dir("good.keychain");
    SecKeychainRef kc = create_keychain("good.keychain", "pw");
    import_p12(kc);
    size_t len = 0;
    char *text = read_all(good, &len);
    ck_assert_int_eq(probe(good), errSecSuccess);

    const char *bad = path_in_dir("bad.keychain");
    static const char *const garbage[] = {
        "",
        "\n\n\n",
        "not a keychain\n",
        "sectrans-keychain 2\nkdf pbkdf2-sha256 1000 00 00\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 99999999999 "
        "00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 zz 00\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\nitem unicorn\nend\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\n"
        "item certificate\npem\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        "end\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\n"
        "item generic-password\nattr s svce zz\nend\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\n"
        "item generic-password\nattr q svce 00\nend\n",
        "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 00000000000000000000000000000000 "
        "0000000000000000000000000000000000000000000000000000000000000000\n"
        "item private-key\npem\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
    };
    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
        write_file(bad, garbage[i], strlen(garbage[i]));
        ck_assert_msg(probe(bad) == errSecInvalidKeychain, "garbage %zu", i);
        /* Bad hex or PEM is our verdict, not a stray error on the caller's OpenSSL queue. */
        ck_assert_msg(ERR_peek_error() == 0, "garbage %zu left an OpenSSL error", i);
    }
    /* A NUL byte inside. */
    write_file(bad, "sectrans-keychain 1\n\0", 21);
    ck_assert_int_eq(probe(bad), errSecInvalidKeychain);

    /* Every truncation of a real file: valid up to an item's end, invalid otherwise. */
    for (size_t cut = 0; cut < len; cut += 13) {
        write_file(bad, text, cut);
        OSStatus status = probe(bad);
        ck_assert_msg(status == errSecSuccess || status == errSecInvalidKeychain, "cut %zu: %d",
                      cut, (int)status);
    }

    /* A damaged encrypted key: the password checks out, the key does not decrypt. */
    char *enc = strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    ck_assert_ptr_nonnull(enc);
    enc[strlen("-----BEGIN ENCRYPTED PRIVATE KEY-----\n") + 10] = '!'; /* not base64 */
    write_file(bad, text, len);
    SecKeychainRef damaged = NULL;
    ck_assert_int_eq(SecKeychainOpen(bad, &damaged), errSecSuccess);
    ck_assert_int_eq(SecKeychainUnlock(damaged, 2, "pw", true), errSecInvalidKeychain);
    ck_assert(!(status_of(damaged) & kSecUnlockStateStatus));
    CFRelease(damaged);
    free(text);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

/* --- Secrets bound to their items --- */

static void add_password(SecKeychainRef kc, const char *account, const char *secret)
{
    CFStringRef acct = CFStringCreateWithCString(NULL, account, kCFStringEncodingUTF8);
    CFDataRef data = CFDataCreate(NULL, (const UInt8 *)secret, (CFIndex)strlen(secret));
    const void *keys[] = {kSecClass, kSecAttrService, kSecAttrAccount, kSecValueData,
                          kSecUseKeychain};
    const void *values[] = {kSecClassGenericPassword, CFSTR("bound.test"), acct, data, kc};
    CFDictionaryRef add = CFDictionaryCreate(NULL, keys, values, 5, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecSuccess);
    CFRelease(add);
    CFRelease(data);
    CFRelease(acct);
}

/* SecItemCopyMatching's status for an account's data; the data in `out` (NUL-terminated). */
static OSStatus password_of(SecKeychainRef kc, const char *account, char *out, size_t cap)
{
    CFStringRef acct = CFStringCreateWithCString(NULL, account, kCFStringEncodingUTF8);
    const void *keys[] = {kSecClass, kSecAttrAccount, kSecReturnData, kSecUseKeychain};
    const void *values[] = {kSecClassGenericPassword, acct, kCFBooleanTrue, kc};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 4, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef data = NULL;
    OSStatus status = SecItemCopyMatching(query, &data);
    out[0] = '\0';
    if (data != NULL) {
        size_t n = (size_t)CFDataGetLength(data);
        ck_assert_uint_lt(n, cap);
        memcpy(out, CFDataGetBytePtr(data), n);
        out[n] = '\0';
        CFRelease(data);
    }
    CFRelease(query);
    CFRelease(acct);
    return status;
}

static void add_private_key(SecKeychainRef kc, EVP_PKEY *pkey, CFStringRef label)
{
    SecKeyRef key = sec_key_from_pkey(pkey, true);
    const void *keys[] = {kSecClass, kSecValueRef, kSecAttrLabel, kSecUseKeychain};
    const void *values[] = {kSecClassKey, key, label, kc};
    CFDictionaryRef add = CFDictionaryCreate(NULL, keys, values, 4, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecSuccess);
    CFRelease(add);
    CFRelease(key);
}

/* The private key a keychain holds under `label`, or NULL. */
static EVP_PKEY *private_key_labelled(SecKeychainRef kc, CFStringRef label)
{
    const void *keys[] = {kSecClass, kSecAttrLabel, kSecReturnRef, kSecUseKeychain};
    const void *values[] = {kSecClassKey, label, kCFBooleanTrue, kc};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 4, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef key = NULL;
    OSStatus status = SecItemCopyMatching(query, &key);
    CFRelease(query);
    if (status != errSecSuccess)
        return NULL;
    EVP_PKEY *pkey = sec_key_pkey(key);
    EVP_PKEY_up_ref(pkey);
    CFRelease(key);
    return pkey;
}

/* Where the n-th (from 0) occurrence of `what` starts in `text`, failing the test if absent. */
static char *nth(char *text, const char *what, int n)
{
    char *at = strstr(text, what);
    for (; at != NULL && n > 0; n--)
        at = strstr(at + 1, what);
    ck_assert_ptr_nonnull(at);
    return at;
}

/* Swaps two equal-length spans of `text`. */
static void swap_equal(char *a, char *b, size_t len)
{
    char tmp[1024];
    ck_assert_uint_le(len, sizeof(tmp));
    memcpy(tmp, a, len);
    memcpy(a, b, len);
    memcpy(b, tmp, len);
}

/* `text` with the spans [a, a_end) and [b, b_end) exchanged (a before b); a new string. */
static char *swap_spans(const char *text, const char *a, const char *a_end, const char *b,
                        const char *b_end)
{
    size_t total = strlen(text);
    char *out = malloc(total + 1), *w = out;
    ck_assert_ptr_nonnull(out);
    memcpy(w, text, (size_t)(a - text)), w += a - text;
    memcpy(w, b, (size_t)(b_end - b)), w += b_end - b;
    memcpy(w, a_end, (size_t)(b - a_end)), w += b - a_end;
    memcpy(w, a, (size_t)(a_end - a)), w += a_end - a;
    memcpy(w, b_end, total - (size_t)(b_end - text) + 1);
    return out;
}

/* A fresh object for `path` (tampered or not) unlocked with "pw": the status. */
static OSStatus unlock_fresh(const char *path, SecKeychainRef *out)
{
    ck_assert_int_eq(SecKeychainOpen(path, out), errSecSuccess);
    return SecKeychainUnlock(*out, 2, "pw", true);
}

/*
 * Someone who can write the file moves secrets between items: the password
 * data of two accounts, the key blocks of two private keys, or the labels of
 * two keys. Unlocking the file fails (errSecInvalidKeychain) and no secret
 * is ever handed out for the wrong item; the untouched file reads back right.
 */
START_TEST(secrets_are_bound_to_their_items)
{
    char path[128], tampered[128]; /* path_in_dir's buffer is reused */
    snprintf(path, sizeof(path), "%s", path_in_dir("bound.keychain"));
    snprintf(tampered, sizeof(tampered), "%s", path_in_dir("tampered.keychain"));
    SecKeychainRef kc = create_keychain("bound.keychain", "pw");
    add_password(kc, "alice", "secret-A");
    add_password(kc, "bob", "secret-B");
    EVP_PKEY *key_two = factory_key(KEY_EC256);
    add_private_key(kc, pki.ca_key, CFSTR("key-one"));
    add_private_key(kc, key_two, CFSTR("key-two"));
    size_t len = 0;
    char *text = read_all(path, &len);
    char buf[64];

    /* Untouched: every secret where it belongs. */
    write_file(tampered, text, len);
    SecKeychainRef fresh = NULL;
    ck_assert_int_eq(unlock_fresh(tampered, &fresh), errSecSuccess);
    ck_assert_int_eq(password_of(fresh, "alice", buf, sizeof(buf)), errSecSuccess);
    ck_assert_str_eq(buf, "secret-A");
    EVP_PKEY *got = private_key_labelled(fresh, CFSTR("key-two"));
    ck_assert_int_eq(EVP_PKEY_eq(got, key_two), 1);
    EVP_PKEY_free(got);
    CFRelease(fresh);

    /* The two passwords' ciphertexts swapped (same length: in place). */
    char *copy = strdup(text);
    char *a = nth(copy, "\nsecret ", 0), *b = nth(copy, "\nsecret ", 1);
    size_t line = strcspn(a + 1, "\n");
    ck_assert_uint_eq(line, strcspn(b + 1, "\n"));
    swap_equal(a + 1, b + 1, line);
    write_file(tampered, copy, len);
    ck_assert_int_eq(unlock_fresh(tampered, &fresh), errSecInvalidKeychain);
    ck_assert_int_eq(password_of(fresh, "alice", buf, sizeof(buf)), errSecInteractionNotAllowed);
    ck_assert_str_eq(buf, "");
    CFRelease(fresh);
    free(copy);

    /* The two private keys' blocks (encrypted key, public half, bind) swapped. */
    char *one = nth(text, "item private-key\n", 0), *two = nth(text, "item private-key\n", 1);
    char *one_pem = strstr(one, "\npem\n") + 1, *two_pem = strstr(two, "\npem\n") + 1;
    char *one_end = strstr(one_pem, "\nend\n") + 1, *two_end = strstr(two_pem, "\nend\n") + 1;
    copy = swap_spans(text, one_pem, one_end, two_pem, two_end);
    write_file(tampered, copy, strlen(copy));
    ck_assert_int_eq(unlock_fresh(tampered, &fresh), errSecInvalidKeychain);
    ck_assert_ptr_null(private_key_labelled(fresh, CFSTR("key-one")));
    CFRelease(fresh);
    free(copy);

    /* The keys' labels swapped instead: each key would answer to the other's name. */
    copy = strdup(text);
    a = strstr(nth(copy, "item private-key\n", 0), "attr s labl ");
    b = strstr(nth(copy, "item private-key\n", 1), "attr s labl ");
    line = strcspn(a, "\n");
    ck_assert_uint_eq(line, strcspn(b, "\n"));
    swap_equal(a, b, line);
    write_file(tampered, copy, len);
    ck_assert_int_eq(unlock_fresh(tampered, &fresh), errSecInvalidKeychain);
    CFRelease(fresh);
    free(copy);

    /* A label changed through the API is sealed again and still reads back. */
    const void *k[] = {kSecClass, kSecAttrAccount, kSecUseKeychain};
    const void *v[] = {kSecClassGenericPassword, CFSTR("alice"), kc};
    CFDictionaryRef query = CFDictionaryCreate(NULL, k, v, 3, &kCFTypeDictionaryKeyCallBacks,
                                               &kCFTypeDictionaryValueCallBacks);
    CFDictionaryRef change = dict2(kSecAttrLabel, CFSTR("Alice's"), NULL, NULL);
    ck_assert_int_eq(SecItemUpdate(query, change), errSecSuccess);
    ck_assert_int_eq(unlock_fresh(path, &fresh), errSecSuccess);
    ck_assert_int_eq(password_of(fresh, "alice", buf, sizeof(buf)), errSecSuccess);
    ck_assert_str_eq(buf, "secret-A");
    CFRelease(fresh);
    /* Locked, a change of what the secret is bound to cannot be sealed. */
    CFDictionaryRef cert_add = dict2(kSecClass, kSecClassCertificate, kSecValueRef, ca_cert);
    CFMutableDictionaryRef in_kc = CFDictionaryCreateMutableCopy(NULL, 0, cert_add);
    CFDictionarySetValue(in_kc, kSecUseKeychain, kc);
    ck_assert_int_eq(SecItemAdd(in_kc, NULL), errSecSuccess);
    ck_assert_int_eq(SecKeychainLock(kc), errSecSuccess);
    CFDictionaryRef again = dict2(kSecAttrLabel, CFSTR("Alice again"), NULL, NULL);
    ck_assert_int_eq(SecItemUpdate(query, again), errSecInteractionNotAllowed);
    /* A certificate has no secret: relabelling it needs no unlock. */
    ck_assert_int_eq(SecItemUpdate(in_kc, again), errSecSuccess);
    CFRelease(in_kc);
    CFRelease(cert_add);
    CFRelease(again);
    CFRelease(change);
    CFRelease(query);

    unlink(tampered);
    free(text);
    EVP_PKEY_free(key_two);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

static void hex_into(char *out, const unsigned char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void append_bio(char *text, size_t cap, BIO *bio)
{
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    ck_assert_uint_lt(strlen(text) + (size_t)n, cap);
    strncat(text, p, (size_t)n);
    BIO_free(bio);
}

/*
 * A version 1 file (secrets without binding), written here as sectrans
 * wrote it, opens and unlocks; the first unlock rewrites it as version 2,
 * which reads back the same.
 */
START_TEST(version_1_file_is_upgraded)
{
    static const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    unsigned char derived[64];
    ck_assert_int_eq(
        PKCS5_PBKDF2_HMAC("pw", 2, salt, sizeof(salt), 1000, EVP_sha256(), 64, derived), 1);
    /* The password data: AES-256-GCM under the second half, no associated data. */
    static const char secret[] = "v1-secret";
    unsigned char sealed[12 + sizeof(secret) - 1 + 16];
    ck_assert_int_eq(RAND_bytes(sealed, 12), 1);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    ck_assert_int_eq(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, derived + 32, sealed), 1);
    ck_assert_int_eq(EVP_EncryptUpdate(ctx, sealed + 12, &n, (const unsigned char *)secret,
                                       (int)sizeof(secret) - 1),
                     1);
    ck_assert_int_eq(EVP_EncryptFinal_ex(ctx, sealed + 12 + n, &n), 1);
    ck_assert_int_eq(
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed + sizeof(sealed) - 16), 1);
    EVP_CIPHER_CTX_free(ctx);

    static char text[16384];
    char hex[256];
    strcpy(text, "sectrans-keychain 1\nkdf pbkdf2-sha256 1000 ");
    hex_into(hex, salt, sizeof(salt));
    strcat(text, hex);
    strcat(text, " ");
    hex_into(hex, derived, 32);
    strcat(text, hex);
    strcat(text, "\nitem generic-password\nattr s svce ");
    hex_into(hex, (const unsigned char *)"svc", 3);
    strcat(text, hex);
    strcat(text, "\nattr s acct ");
    hex_into(hex, (const unsigned char *)"alice", 5);
    strcat(text, hex);
    strcat(text, "\nsecret ");
    hex_into(hex, sealed, sizeof(sealed));
    strcat(text, hex);
    strcat(text, "\nend\nitem private-key\nattr s labl ");
    hex_into(hex, (const unsigned char *)"old key", 7);
    strcat(text, hex);
    strcat(text, "\npem\n");
    BIO *bio = BIO_new(BIO_s_mem());
    ck_assert_int_eq(
        PEM_write_bio_PKCS8PrivateKey(bio, pki.ca_key, EVP_aes_256_cbc(), "pw", 2, NULL, NULL), 1);
    append_bio(text, sizeof(text), bio);
    strcat(text, "public\n");
    bio = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PUBKEY(bio, pki.ca_key), 1);
    append_bio(text, sizeof(text), bio);
    strcat(text, "end\n");
    OPENSSL_cleanse(derived, sizeof(derived));

    const char *path = path_in_dir("old.keychain");
    write_file(path, text, strlen(text));
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    ck_assert_uint_eq(status_of(kc) & kSecUnlockStateStatus, 0);
    char buf[64];
    ck_assert_int_eq(password_of(kc, "alice", buf, sizeof(buf)), errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainUnlock(kc, 2, "pw", true), errSecSuccess);
    ck_assert_int_eq(password_of(kc, "alice", buf, sizeof(buf)), errSecSuccess);
    ck_assert_str_eq(buf, "v1-secret");

    size_t len = 0;
    char *now = read_all(path, &len);
    ck_assert(strncmp(now, "sectrans-keychain 2\n", 20) == 0);
    ck_assert_ptr_nonnull(strstr(now, "\nbind "));
    free(now);
    SecKeychainRef fresh = NULL;
    ck_assert_int_eq(unlock_fresh(path, &fresh), errSecSuccess);
    ck_assert_int_eq(password_of(fresh, "alice", buf, sizeof(buf)), errSecSuccess);
    ck_assert_str_eq(buf, "v1-secret");
    EVP_PKEY *key = private_key_labelled(fresh, CFSTR("old key"));
    ck_assert_int_eq(EVP_PKEY_eq(key, pki.ca_key), 1);
    EVP_PKEY_free(key);
    CFRelease(fresh);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

START_TEST(default_keychain_and_search_list)
{
    SecKeychainRef def = NULL, def2 = NULL;
    ck_assert_int_eq(SecKeychainCopyDefault(&def), errSecSuccess);
    ck_assert_int_eq(SecKeychainCopyDefault(&def2), errSecSuccess);
    ck_assert_ptr_eq(def, def2);
    CFRelease(def2);
    ck_assert_uint_eq(status_of(def) & kSecUnlockStateStatus, kSecUnlockStateStatus);
    char buf[64];
    UInt32 len = sizeof(buf);
    ck_assert_int_eq(SecKeychainGetPath(def, &len, buf), errSecNoSuchKeychain);
    /* The in-memory default has no password: it is always open. */
    ck_assert_int_eq(SecKeychainLock(NULL), errSecSuccess);
    ck_assert_uint_eq(status_of(NULL) & kSecUnlockStateStatus, kSecUnlockStateStatus);
    ck_assert_int_eq(SecKeychainUnlock(NULL, 0, NULL, false), errSecSuccess);

    /* SecPKCS12Import without a keychain stores into the default one, as on macOS. */
    import_p12(NULL);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity), errSecSuccess);
    CFRelease(identity);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(def, leaf_cert, &identity), errSecSuccess);
    CFRelease(identity);

    CFArrayRef list = NULL;
    ck_assert_int_eq(SecKeychainCopySearchList(&list), errSecSuccess);
    CFIndex before = CFArrayGetCount(list);
    ck_assert(CFArrayContainsValue(list, CFRangeMake(0, before), def));

    /* A new keychain joins the search list; deleting it takes it out again. */
    SecKeychainRef kc = create_keychain("made.keychain", "pw");
    CFArrayRef grown = NULL;
    ck_assert_int_eq(SecKeychainCopySearchList(&grown), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(grown), before + 1);
    ck_assert(CFArrayContainsValue(grown, CFRangeMake(0, before + 1), kc));
    CFRelease(grown);

    /* A new default receives what is added without a keychain. */
    ck_assert_int_eq(SecKeychainSetDefault(kc), errSecSuccess);
    SecKeychainRef now = NULL;
    ck_assert_int_eq(SecKeychainCopyDefault(&now), errSecSuccess);
    ck_assert_ptr_eq(now, kc);
    CFRelease(now);
    CFDictionaryRef add = dict2(kSecClass, kSecClassCertificate, kSecValueRef, ca_cert);
    ck_assert_int_eq(SecItemAdd(add, NULL), errSecSuccess);
    CFRelease(add);
    SecKeychainSearchRef search = NULL;
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(kc, kSecCertificateItemClass, NULL, &search),
        errSecSuccess);
    SecKeychainItemRef item = NULL;
    ck_assert_int_eq(SecKeychainSearchCopyNext(search, &item), errSecSuccess);
    ck_assert(CFEqual(item, ca_cert));
    CFRelease(item);
    ck_assert_int_eq(SecKeychainSearchCopyNext(search, &item), errSecItemNotFound);
    CFRelease(search);

    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    ck_assert_int_eq(SecKeychainCopyDefault(&now), errSecSuccess);
    ck_assert_ptr_eq(now, def);
    CFRelease(now);
    ck_assert_int_eq(SecKeychainCopySearchList(&grown), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(grown), before);
    CFRelease(grown);

    /* Setting the list: an empty one still leaves the default searched. */
    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecKeychainSetSearchList(empty), errSecSuccess);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity), errSecSuccess);
    CFRelease(identity);
    ck_assert_int_eq(SecKeychainSetSearchList(list), errSecSuccess);
    CFRelease(empty);
    CFRelease(list);
    CFRelease(kc);

    /* Clean up the default keychain for the tests after this one. */
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)leaf_cert), errSecSuccess);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity),
                     errSecSuccess); /* the key is still there, the certificate is given */
    CFRelease(identity);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)ca_cert), errSecSuccess);
    CFDictionaryRef del = dict2(kSecClass, kSecClassKey, kSecAttrLabel, CFSTR("label"));
    ck_assert_int_eq(SecItemDelete(del), errSecSuccess);
    CFRelease(del);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, &identity),
                     errSecItemNotFound);
    CFRelease(def);
}
END_TEST

static SecKeychainAttributeList *label_list(const char *label, size_t len)
{
    static SecKeychainAttribute attr;
    static SecKeychainAttributeList list = {1, &attr};
    attr.tag = kSecLabelItemAttr;
    attr.length = (UInt32)len;
    attr.data = (void *)label;
    return &list;
}

static int count_search(CFTypeRef keychains, SecItemClass cls, SecKeychainAttributeList *attrs)
{
    SecKeychainSearchRef search = NULL;
    ck_assert_int_eq(SecKeychainSearchCreateFromAttributes(keychains, cls, attrs, &search),
                     errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(search), SecKeychainSearchGetTypeID());
    int n = 0;
    SecKeychainItemRef item = NULL;
    OSStatus status;
    while ((status = SecKeychainSearchCopyNext(search, &item)) == errSecSuccess) {
        n++;
        CFRelease(item);
    }
    ck_assert_int_eq(status, errSecItemNotFound);
    ck_assert_ptr_null(item);
    ck_assert_int_eq(SecKeychainSearchCopyNext(search, &item), errSecItemNotFound);
    CFRelease(search);
    return n;
}

START_TEST(legacy_search_and_item_delete)
{
    SecKeychainRef kc = create_keychain("search.keychain", "pw");
    import_p12(kc);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, NULL), 2);
    ck_assert_int_eq(count_search(kc, kSecPrivateKeyItemClass, NULL), 1);
    ck_assert_int_eq(count_search(kc, kSecPublicKeyItemClass, NULL), 0);
    ck_assert_int_eq(count_search(kc, kSecGenericPasswordItemClass, NULL), 0);
    ck_assert_int_eq(count_search(kc, kSecSymmetricKeyItemClass, NULL), 0);
    /* By label, with and without the C string's NUL, as callers pass it. */
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, label_list("label", 5)), 1);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, label_list("label", 6)), 1);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, label_list("Keychain CA", 11)), 1);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, label_list("other", 5)), 0);

    SecKeychainSearchRef search = NULL;
    ck_assert_int_eq(SecKeychainSearchCreateFromAttributes(kc, kSecCertificateItemClass,
                                                           label_list("label", 5), &search),
                     errSecSuccess);
    SecKeychainItemRef item = NULL;
    ck_assert_int_eq(SecKeychainSearchCopyNext(search, &item), errSecSuccess);
    /* Items are the certificate objects themselves. */
    ck_assert_uint_eq(CFGetTypeID(item), SecCertificateGetTypeID());
    ck_assert(CFEqual(item, leaf_cert));
    CFRelease(search);

    ck_assert_int_eq(SecKeychainItemDelete(item), errSecSuccess);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, NULL), 1);
    ck_assert_int_eq(SecKeychainItemDelete(item), errSecInvalidItemRef);
    CFRelease(item);

    /* A locked keychain's private key is deleted by its public half. */
    ck_assert_int_eq(SecKeychainLock(kc), errSecSuccess);
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(kc, kSecPrivateKeyItemClass, NULL, &search),
        errSecInteractionNotAllowed);
    SecKeyRef key = sec_key_from_pkey(pki.leaf_key, true);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)key), errSecSuccess);
    CFRelease(key);
    ck_assert_int_eq(SecKeychainUnlock(kc, 2, "pw", true), errSecSuccess);
    ck_assert_int_eq(count_search(kc, kSecPrivateKeyItemClass, NULL), 0);

    /* And the file agrees. */
    SecKeychainRef other = NULL;
    ck_assert_int_eq(SecKeychainOpen(path_in_dir("search.keychain"), &other), errSecSuccess);
    ck_assert_int_eq(count_search(other, kSecCertificateItemClass, NULL), 1);
    ck_assert_int_eq(count_search(other, kSecPrivateKeyItemClass, NULL), 0);
    CFRelease(other);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

START_TEST(import_into_keychain)
{
    SecKeychainRef kc = create_keychain("import.keychain", "pw");
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, pki.leaf);
    PEM_write_bio_PrivateKey(bio, pki.leaf_key, NULL, NULL, 0, NULL, NULL);
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    CFDataRef pem = CFDataCreate(NULL, (const UInt8 *)p, n);
    BIO_free(bio);
    CFArrayRef items = NULL;
    ck_assert_int_eq(
        SecItemImport(pem, NULL, NULL, NULL, 0, NULL, (SecKeychainRef)CFSTR("kc"), &items),
        errSecInvalidKeychain);
    ck_assert_int_eq(SecItemImport(pem, NULL, NULL, NULL, 0, NULL, kc, &items), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(items), 2);
    CFRelease(items);
    /* Again: the items are there already, which is not an error. */
    ck_assert_int_eq(SecItemImport(pem, NULL, NULL, NULL, 0, NULL, kc, NULL), errSecSuccess);
    SecIdentityRef identity = NULL;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(kc, leaf_cert, &identity), errSecSuccess);
    check_identity_key(identity, pki.leaf, pki.leaf_key);
    CFRelease(identity);
    ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, NULL), 1);

    /* A PKCS#12 keychain option of the wrong type is refused. */
    CFDataRef p12 = p12_data("x");
    CFDictionaryRef options =
        dict2(kSecImportExportPassphrase, CFSTR("x"), kSecImportExportKeychain, CFSTR("kc"));
    ck_assert_int_eq(SecPKCS12Import(p12, options, &items), errSecParam);
    ck_assert_ptr_null(items);
    CFRelease(options);
    CFRelease(p12);
    CFRelease(pem);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

static CFDataRef export_ok(CFTypeRef items, SecExternalFormat format,
                           SecItemImportExportFlags flags, CFStringRef pass)
{
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                               .passphrase = pass};
    CFDataRef data = NULL;
    ck_assert_int_eq(SecItemExport(items, format, flags, &params, &data), errSecSuccess);
    ck_assert_ptr_nonnull(data);
    ck_assert_int_gt(CFDataGetLength(data), 0);
    return data;
}

static CFArrayRef import_ok(CFDataRef data, CFStringRef pass, SecExternalFormat expected)
{
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                               .passphrase = pass};
    SecExternalFormat format = kSecFormatUnknown;
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(data, NULL, &format, NULL, 0, &params, NULL, &items),
                     errSecSuccess);
    ck_assert_int_eq(format, expected);
    return items;
}

START_TEST(export_round_trips)
{
    SecKeyRef key = sec_key_from_pkey(pki.leaf_key, true);
    SecIdentityRef identity = SecIdentityCreate(NULL, leaf_cert, key);
    ck_assert_ptr_nonnull(identity);

    /* PKCS#12 (also kSecFormatUnknown's choice for one identity) back through SecPKCS12Import. */
    const void *both[] = {identity, ca_cert};
    CFArrayRef pair = CFArrayCreate(NULL, both, 2, &kCFTypeArrayCallBacks);
    for (int i = 0; i < 2; i++) {
        CFDataRef p12 = export_ok(i == 0 ? (CFTypeRef)pair : (CFTypeRef)identity,
                                  i == 0 ? kSecFormatPKCS12 : kSecFormatUnknown, 0, CFSTR("pw"));
        SecKeychainRef kc = create_keychain(i == 0 ? "p12a.keychain" : "p12b.keychain", "pw");
        CFDictionaryRef options =
            dict2(kSecImportExportPassphrase, CFSTR("pw"), kSecImportExportKeychain, kc);
        CFArrayRef items = NULL;
        ck_assert_int_eq(SecPKCS12Import(p12, options, &items), errSecSuccess);
        CFDictionaryRef item = CFArrayGetValueAtIndex(items, 0);
        check_identity_key((SecIdentityRef)CFDictionaryGetValue(item, kSecImportItemIdentity),
                           pki.leaf, pki.leaf_key);
        CFArrayRef chain = CFDictionaryGetValue(item, kSecImportItemCertChain);
        ck_assert_int_eq(CFArrayGetCount(chain), (i == 0 ? 2 : 1));
        ck_assert(CFEqual(CFDictionaryGetValue(item, kSecImportItemLabel), CFSTR("kc.test")));
        ck_assert_int_eq(count_search(kc, kSecCertificateItemClass, NULL), (i == 0 ? 2 : 1));
        ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
        CFRelease(kc);
        CFRelease(items);
        CFRelease(options);
        CFRelease(p12);
    }

    /* One certificate: DER, and PEM with armour. */
    CFDataRef der = export_ok(leaf_cert, kSecFormatUnknown, 0, NULL);
    CFDataRef expected = SecCertificateCopyData(leaf_cert);
    ck_assert(CFEqual(der, expected));
    CFRelease(expected);
    CFRelease(der);
    CFDataRef pem = export_ok(leaf_cert, kSecFormatX509Cert, kSecItemPemArmour, NULL);
    CFArrayRef items = import_ok(pem, NULL, kSecFormatX509Cert);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(items, 0), leaf_cert));
    CFRelease(items);
    CFRelease(pem);

    /* A private key, plain and wrapped. */
    CFDataRef plain = export_ok(key, kSecFormatOpenSSL, 0, NULL);
    items = import_ok(plain, NULL, kSecFormatOpenSSL);
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(CFArrayGetValueAtIndex(items, 0)), pki.leaf_key), 1);
    CFRelease(items);
    CFRelease(plain);
    CFDataRef wrapped = export_ok(key, kSecFormatWrappedPKCS8, kSecItemPemArmour, CFSTR("k"));
    ck_assert_ptr_nonnull(strstr((const char *)CFDataGetBytePtr(wrapped), "ENCRYPTED"));
    items = import_ok(wrapped, CFSTR("k"), kSecFormatOpenSSL);
    ck_assert_int_eq(EVP_PKEY_eq(sec_key_pkey(CFArrayGetValueAtIndex(items, 0)), pki.leaf_key), 1);
    CFRelease(items);
    CFRelease(wrapped);

    /* A PEM sequence of everything, and PKCS#7 of the certificates. */
    CFDataRef seq = export_ok(pair, kSecFormatUnknown, 0, NULL);
    items = import_ok(seq, NULL, kSecFormatPEMSequence);
    ck_assert_int_eq(CFArrayGetCount(items), 3);
    CFRelease(items);
    CFRelease(seq);
    CFDataRef p7 = export_ok(pair, kSecFormatPKCS7, 0, NULL);
    const unsigned char *p = CFDataGetBytePtr(p7);
    PKCS7 *parsed = d2i_PKCS7(NULL, &p, CFDataGetLength(p7));
    ck_assert_ptr_nonnull(parsed);
    ck_assert_int_eq(sk_X509_num(parsed->d.sign->cert), 2);
    PKCS7_free(parsed);
    CFRelease(p7);

    /* The legacy entry point and its parameter block. */
    SecKeyImportExportParameters old = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION,
                                        .passphrase = CFSTR("pw")};
    CFDataRef legacy = NULL;
    ck_assert_int_eq(SecKeychainItemExport(identity, kSecFormatPKCS12, 0, &old, &legacy),
                     errSecSuccess);
    ck_assert_int_gt(CFDataGetLength(legacy), 0);
    CFRelease(legacy);

    CFRelease(pair);
    CFRelease(identity);
    CFRelease(key);
}
END_TEST

START_TEST(export_refusals)
{
    SecKeyRef key = sec_key_from_pkey(pki.leaf_key, true);
    SecKeyRef pub = SecCertificateCopyKey(leaf_cert);
    SecIdentityRef identity = SecIdentityCreate(NULL, leaf_cert, key);
    SecItemImportExportKeyParameters params = {.version = SEC_KEY_IMPORT_EXPORT_PARAMS_VERSION};
    CFDataRef data = (CFDataRef)(uintptr_t)1;
    ck_assert_int_eq(SecItemExport(leaf_cert, kSecFormatX509Cert, 0, NULL, NULL), errSecParam);
    ck_assert_int_eq(SecItemExport(NULL, kSecFormatX509Cert, 0, NULL, &data), errSecParam);
    ck_assert_ptr_null(data);
    ck_assert_int_eq(SecItemExport(CFSTR("x"), kSecFormatUnknown, 0, NULL, &data), errSecParam);
    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecItemExport(empty, kSecFormatUnknown, 0, NULL, &data), errSecParam);
    CFRelease(empty);
    const void *mixed[] = {leaf_cert, CFSTR("x")};
    CFArrayRef bad = CFArrayCreate(NULL, mixed, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecItemExport(bad, kSecFormatPEMSequence, 0, NULL, &data), errSecParam);
    CFRelease(bad);
    ck_assert_int_eq(SecItemExport(identity, kSecFormatPKCS12, 0, NULL, &data),
                     errSecPassphraseRequired);
    ck_assert_int_eq(SecItemExport(identity, kSecFormatPKCS12, 0, &params, &data),
                     errSecPassphraseRequired);
    ck_assert_int_eq(SecItemExport(key, kSecFormatWrappedPKCS8, 0, NULL, &data),
                     errSecPassphraseRequired);
    ck_assert_int_eq(SecItemExport(pub, kSecFormatWrappedPKCS8, 0, NULL, &data), errSecParam);
    ck_assert_int_eq(SecItemExport(key, kSecFormatX509Cert, 0, NULL, &data), errSecParam);
    ck_assert_int_eq(SecItemExport(leaf_cert, kSecFormatOpenSSL, 0, NULL, &data), errSecParam);
    ck_assert_int_eq(SecItemExport(leaf_cert, kSecFormatSSH, 0, NULL, &data),
                     errSecUnsupportedFormat);
    params.version = 7;
    ck_assert_int_eq(SecItemExport(leaf_cert, kSecFormatX509Cert, 0, &params, &data), errSecParam);
    ck_assert_int_eq(SecKeychainItemExport(leaf_cert, kSecFormatX509Cert, 0, NULL, NULL),
                     errSecParam);
    ck_assert_ptr_null(data);
    /* A public key exports on its own. */
    ck_assert_int_eq(SecItemExport(pub, kSecFormatUnknown, kSecItemPemArmour, NULL, &data),
                     errSecSuccess);
    ck_assert_ptr_nonnull(strstr((const char *)CFDataGetBytePtr(data), "PUBLIC KEY"));
    CFRelease(data);
    CFRelease(identity);
    CFRelease(pub);
    CFRelease(key);
}
END_TEST

START_TEST(null_and_hostile_arguments)
{
    SecKeychainRef kc = (SecKeychainRef)(uintptr_t)1;
    CFStringRef str = CFSTR("not a keychain");
    ck_assert_int_eq(SecKeychainCreate(NULL, 2, "pw", false, NULL, &kc), errSecParam);
    ck_assert_ptr_null(kc);
    ck_assert_int_eq(SecKeychainCreate("", 2, "pw", false, NULL, &kc), errSecParam);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("x"), 2, "pw", false, NULL, NULL), errSecParam);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("x"), 5, NULL, false, NULL, &kc), errSecParam);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("x"), 0, NULL, false, NULL, &kc), errSecParam);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("x"), 0, NULL, true, NULL, &kc),
                     errSecInteractionNotAllowed);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("x"), 0xFFFFFFFF, "pw", false, NULL, &kc),
                     errSecParam);
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("no/such/dir"), 2, "pw", false, NULL, &kc),
                     errSecIO);
    ck_assert(!file_exists(path_in_dir("x")));
    ck_assert_int_eq(SecKeychainOpen(NULL, &kc), errSecParam);
    ck_assert_int_eq(SecKeychainOpen("x", NULL), errSecParam);
    ck_assert_int_eq(SecKeychainDelete(NULL), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainDelete((SecKeychainRef)str), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainUnlock((SecKeychainRef)str, 2, "pw", true), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainUnlock(NULL, 3, NULL, true), errSecParam);
    ck_assert_int_eq(SecKeychainLock((SecKeychainRef)str), errSecInvalidKeychain);
    SecKeychainStatus st;
    ck_assert_int_eq(SecKeychainGetStatus((SecKeychainRef)str, &st), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainGetStatus(NULL, NULL), errSecParam);
    char buf[8];
    UInt32 len = sizeof(buf);
    ck_assert_int_eq(SecKeychainGetPath(NULL, NULL, buf), errSecParam);
    ck_assert_int_eq(SecKeychainGetPath(NULL, &len, NULL), errSecParam);
    ck_assert_int_eq(SecKeychainGetPath((SecKeychainRef)str, &len, buf), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainCopyDefault(NULL), errSecParam);
    ck_assert_int_eq(SecKeychainSetDefault(NULL), errSecParam);
    ck_assert_int_eq(SecKeychainSetDefault((SecKeychainRef)str), errSecInvalidKeychain);
    ck_assert_int_eq(SecKeychainCopySearchList(NULL), errSecParam);
    ck_assert_int_eq(SecKeychainSetSearchList(NULL), errSecParam);
    ck_assert_int_eq(SecKeychainSetSearchList((CFArrayRef)str), errSecParam);
    CFArrayRef strings = CFArrayCreate(NULL, (const void **)&str, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecKeychainSetSearchList(strings), errSecInvalidKeychain);
    SecIdentityRef identity = (SecIdentityRef)(uintptr_t)1;
    ck_assert_int_eq(SecIdentityCreateWithCertificate(strings, leaf_cert, &identity),
                     errSecInvalidKeychain);
    ck_assert_ptr_null(identity);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(str, leaf_cert, &identity),
                     errSecInvalidKeychain);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, NULL, &identity), errSecParam);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, (SecCertificateRef)str, &identity),
                     errSecParam);
    ck_assert_int_eq(SecIdentityCreateWithCertificate(NULL, leaf_cert, NULL), errSecParam);

    Boolean allowed = 7;
    ck_assert_int_eq(SecKeychainGetUserInteractionAllowed(NULL), errSecParam);
    ck_assert_int_eq(SecKeychainGetUserInteractionAllowed(&allowed), errSecSuccess);
    ck_assert_int_eq(allowed, TRUE);
    ck_assert_int_eq(SecKeychainSetUserInteractionAllowed(FALSE), errSecSuccess);
    ck_assert_int_eq(SecKeychainGetUserInteractionAllowed(&allowed), errSecSuccess);
    ck_assert_int_eq(allowed, FALSE);
    ck_assert_int_eq(SecKeychainSetUserInteractionAllowed(TRUE), errSecSuccess);

    ck_assert_int_eq(SecKeychainItemDelete(NULL), errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)str), errSecInvalidItemRef);
    ck_assert_int_eq(SecKeychainItemDelete((SecKeychainItemRef)ca_cert), errSecInvalidItemRef);

    SecKeychainSearchRef search = (SecKeychainSearchRef)(uintptr_t)1;
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(NULL, kSecCertificateItemClass, NULL, NULL),
        errSecParam);
    ck_assert_int_eq(SecKeychainSearchCreateFromAttributes(NULL, 0x1234, NULL, &search),
                     errSecNoSuchClass);
    ck_assert_ptr_null(search);
    SecKeychainAttributeList no_attrs = {3, NULL};
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(NULL, kSecCertificateItemClass, &no_attrs, &search),
        errSecParam);
    SecKeychainAttribute null_data = {kSecLabelItemAttr, 4, NULL};
    SecKeychainAttributeList bad_attr = {1, &null_data};
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(NULL, kSecCertificateItemClass, &bad_attr, &search),
        errSecParam);
    ck_assert_int_eq(
        SecKeychainSearchCreateFromAttributes(str, kSecCertificateItemClass, NULL, &search),
        errSecInvalidKeychain);
    SecKeychainItemRef item = (SecKeychainItemRef)(uintptr_t)1;
    ck_assert_int_eq(SecKeychainSearchCopyNext(NULL, &item), errSecInvalidSearchRef);
    ck_assert_ptr_null(item);
    ck_assert_int_eq(SecKeychainSearchCopyNext((SecKeychainSearchRef)str, &item),
                     errSecInvalidSearchRef);
    ck_assert_int_eq(SecKeychainSearchCopyNext(NULL, NULL), errSecParam);

    SecAccessRef access = (SecAccessRef)(uintptr_t)1;
    ck_assert_int_eq(SecAccessCreate(NULL, NULL, &access), errSecParam);
    ck_assert_ptr_null(access);
    ck_assert_int_eq(SecAccessCreate(CFSTR("app"), (CFArrayRef)str, &access), errSecParam);
    ck_assert_int_eq(SecAccessCreate(CFSTR("app"), NULL, NULL), errSecParam);
    ck_assert_int_eq(SecAccessCreate(CFSTR("app"), strings, &access), errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(access), SecAccessGetTypeID());
    ck_assert_uint_ne(SecAccessGetTypeID(), SecKeychainGetTypeID());
    /* An access object is accepted where the API takes one. */
    ck_assert_int_eq(SecKeychainCreate(path_in_dir("acl.keychain"), 2, "pw", false, access, &kc),
                     errSecSuccess);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
    CFRelease(access);
    CFRelease(strings);
}
END_TEST

/* Threads adding to and reading one file keychain at once. */
struct worker {
    SecKeychainRef kc;
    int index;
};

static void *add_passwords(void *arg)
{
    const struct worker *w = arg;
    for (int i = 0; i < 20; i++) {
        char account[32];
        snprintf(account, sizeof(account), "user-%d-%d", w->index, i);
        CFStringRef acct = CFStringCreateWithCString(NULL, account, kCFStringEncodingUTF8);
        CFDataRef secret = CFDataCreate(NULL, (const UInt8 *)account, (CFIndex)strlen(account));
        const void *keys[] = {kSecClass, kSecAttrService, kSecAttrAccount, kSecValueData,
                              kSecUseKeychain};
        const void *values[] = {kSecClassGenericPassword, CFSTR("svc"), acct, secret, w->kc};
        CFDictionaryRef add =
            CFDictionaryCreate(NULL, keys, values, 5, &kCFTypeDictionaryKeyCallBacks,
                               &kCFTypeDictionaryValueCallBacks);
        if (SecItemAdd(add, NULL) != errSecSuccess)
            abort();
        CFTypeRef found = NULL;
        const void *qkeys[] = {kSecClass, kSecAttrAccount, kSecReturnData, kSecUseKeychain};
        const void *qvalues[] = {kSecClassGenericPassword, acct, kCFBooleanTrue, w->kc};
        CFDictionaryRef query =
            CFDictionaryCreate(NULL, qkeys, qvalues, 4, &kCFTypeDictionaryKeyCallBacks,
                               &kCFTypeDictionaryValueCallBacks);
        if (SecItemCopyMatching(query, &found) != errSecSuccess || !CFEqual(found, secret))
            abort();
        CFRelease(found);
        CFRelease(query);
        CFRelease(add);
        CFRelease(secret);
        CFRelease(acct);
    }
    return NULL;
}

START_TEST(threads_share_a_keychain)
{
    SecKeychainRef kc = create_keychain("threads.keychain", "pw");
    pthread_t threads[4];
    struct worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i] = (struct worker){kc, i};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, add_passwords, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    ck_assert_int_eq(count_search(kc, kSecGenericPasswordItemClass, NULL), 80);
    SecKeychainRef other = NULL;
    ck_assert_int_eq(SecKeychainOpen(path_in_dir("threads.keychain"), &other), errSecSuccess);
    ck_assert_int_eq(count_search(other, kSecGenericPasswordItemClass, NULL), 80);
    CFRelease(other);
    ck_assert_int_eq(SecKeychainDelete(kc), errSecSuccess);
    CFRelease(kc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_keychain");
    TCase *tc = tcase_create("keychain");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, create_import_reopen_unlock);
    tcase_add_test(tc, file_keeps_keys_encrypted);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, damaged_files);
    tcase_add_test(tc, secrets_are_bound_to_their_items);
    tcase_add_test(tc, version_1_file_is_upgraded);
    tcase_add_test(tc, default_keychain_and_search_list);
    tcase_add_test(tc, legacy_search_and_item_delete);
    tcase_add_test(tc, import_into_keychain);
    tcase_add_test(tc, export_round_trips);
    tcase_add_test(tc, export_refusals);
    tcase_add_test(tc, null_and_hostile_arguments);
    tcase_add_test(tc, threads_share_a_keychain);
    tcase_add_test(tc, file_from_an_earlier_release_still_opens);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
