/*
 * The keychain file: a versioned text format of our own.
 *
 *   sectrans-keychain 2
 *   kdf pbkdf2-sha256 <iterations> <salt hex> <check hex>
 *   item certificate|private-key|public-key|generic-password|internet-password
 *   attr s|d|n|b <attribute key> <value: UTF-8 or bytes in hex, integer, 0/1>
 *   pem              followed by a PEM block: the certificate, public key, or the
 *                    private key as encrypted PKCS#8 (AES-256-CBC, PBKDF2)
 *   public           followed by a PEM block: a private key's public half
 *   bind <hex>       a private key's HMAC-SHA256 over its binding and the two blocks
 *   secret <hex>     password data, AES-256-GCM: 12-byte IV, ciphertext, tag; the
 *                    binding is the associated data
 *   end
 *
 * PBKDF2-HMAC-SHA256 of the password gives 64 bytes: the first half is the
 * check value stored in the file (a wrong password is told apart without
 * touching any item), the second half the key that seals password data.
 * Private keys are encrypted with the password itself, so `openssl pkey`
 * reads them with the keychain password. Certificates, public keys and
 * attributes are stored in clear, as Apple's keychains keep attributes.
 *
 * Each secret is bound to its item (item_binding): someone who can write
 * the file cannot move a password or a key to another item; unlocking such
 * a file fails with errSecInvalidKeychain. Version 1 files had no binding:
 * they are read as they are and rewritten as version 2 when first unlocked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf_dictionary.h"
#include "cf_string.h"
#include "sec_keychain.h"

#define FILE_MAGIC_V1      "sectrans-keychain 1"
#define FILE_MAGIC         "sectrans-keychain 2"
#define FILE_VERSION       2
#define KDF_ITERATIONS     65536
#define KDF_MIN_ITERATIONS 1000
#define KDF_MAX_ITERATIONS 2000000
#define MAX_FILE_SIZE      (64L * 1024 * 1024)
#define MAX_KEY_NAME       64
#define GCM_IV_BYTES       12
#define GCM_TAG_BYTES      16

/* --- Text being built, and hex --- */

/*
 * A memory BIO that remembers whether a write to it failed, so a whole
 * item or file is built first and its failure checked once. It never holds
 * a plaintext secret: keys and password data are sealed before they are
 * written here.
 */
struct text {
    BIO *bio; /* made on the first write */
    bool failed;
};

/* The BIO to write into (PEM, or text_append); NULL once the text has failed. */
static BIO *text_bio(struct text *t)
{
    if (t->bio == NULL && !t->failed)
        t->bio = BIO_new(BIO_s_mem());
    if (t->bio == NULL)
        t->failed = true;
    return t->failed ? NULL : t->bio;
}

static void text_append(struct text *t, const char *s, size_t n)
{
    if (n == 0)
        return;
    BIO *bio = text_bio(t);
    if (bio == NULL || n > INT_MAX || BIO_write(bio, s, (int)n) != (int)n)
        t->failed = true;
}

static void text_puts(struct text *t, const char *s)
{
    text_append(t, s, strlen(s));
}

/* What has been written so far (not NUL-terminated), and its length. */
static const char *text_data(const struct text *t, size_t *len)
{
    char *p = NULL;
    long n = t->bio != NULL ? BIO_get_mem_data(t->bio, &p) : 0;
    *len = n > 0 ? (size_t)n : 0;
    return *len > 0 ? p : "";
}

/* The text as a new NUL-terminated string (free()), NULL when empty; the text is freed. */
static char *text_take(struct text *t, bool *out_of_memory)
{
    size_t len = 0;
    const char *p = text_data(t, &len);
    char *copy = len > 0 ? strndup(p, len) : NULL;
    *out_of_memory = len > 0 && copy == NULL;
    BIO_free(t->bio);
    t->bio = NULL;
    return copy;
}

static void text_free(struct text *t)
{
    BIO_free(t->bio);
    t->bio = NULL;
}

/* Lower-case hex, as the file has always been written (bindings are computed over it). */
static void text_hex(struct text *t, const unsigned char *bytes, size_t n)
{
    if (n == 0 || t->failed)
        return;
    size_t size = 2 * n + 1, len = 0;
    char *hex = n <= (SIZE_MAX - 1) / 2 ? OPENSSL_malloc(size) : NULL;
    if (hex == NULL || OPENSSL_buf2hexstr_ex(hex, size, &len, bytes, n, '\0') != 1) {
        t->failed = true;
    } else {
        for (char *c = hex; *c != '\0'; c++)
            if (*c >= 'A' && *c <= 'F')
                *c = (char)(*c - 'A' + 'a');
        text_append(t, hex, len - 1);
    }
    OPENSSL_free(hex);
}

/*
 * Decodes exactly `n` bytes from the hex digits at `s` (a string of 2n
 * digits) into `out`; false if it is anything else. OpenSSL's complaints
 * about bad digits are not left on the caller's error queue.
 */
static bool hex_decode_exact(const char *s, unsigned char *out, size_t n)
{
    size_t len = 0;
    ERR_set_mark();
    bool ok = strlen(s) == 2 * n && OPENSSL_hexstr2buf_ex(out, n, &len, s, '\0') == 1 && len == n;
    ERR_pop_to_mark();
    return ok;
}

/* The bytes of the `n` hex digits at `s` (not NUL-terminated) as new memory (free()); NULL if they
 * are not hex. */
static unsigned char *hex_decode(const char *s, size_t n, size_t *out_len)
{
    char *digits = n % 2 == 0 ? strndup(s, n) : NULL;
    unsigned char *out = digits != NULL ? malloc(n / 2 + 1) : NULL;
    bool ok = out != NULL && strlen(digits) == n;
    ERR_set_mark();
    ok = ok && OPENSSL_hexstr2buf_ex(out, n / 2 + 1, out_len, digits, '\0') == 1;
    ERR_pop_to_mark();
    free(digits);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}

/* --- Key derivation and password-data sealing --- */

static bool derive(struct sec_keychain *kc, const void *password, size_t length,
                   unsigned char check[SEC_KEYCHAIN_CHECK_BYTES],
                   unsigned char item_key[SEC_KEYCHAIN_ITEM_KEY_BYTES])
{
    unsigned char out[SEC_KEYCHAIN_CHECK_BYTES + SEC_KEYCHAIN_ITEM_KEY_BYTES];
    bool ok = PKCS5_PBKDF2_HMAC(length > 0 ? password : "", (int)length, kc->salt, sizeof(kc->salt),
                                (int)kc->kdf_iterations, EVP_sha256(), sizeof(out), out) == 1;
    memcpy(check, out, SEC_KEYCHAIN_CHECK_BYTES);
    memcpy(item_key, out + SEC_KEYCHAIN_CHECK_BYTES, SEC_KEYCHAIN_ITEM_KEY_BYTES);
    OPENSSL_cleanse(out, sizeof(out));
    return ok;
}

/* Remembers the password and item key: the keychain is unlocked. */
static bool keep_password(struct sec_keychain *kc, const void *password, size_t length,
                          const unsigned char *item_key)
{
    unsigned char *copy = malloc(length + 1);
    if (copy == NULL)
        return false;
    memcpy(copy, password, length);
    copy[length] = '\0';
    kc->password = copy;
    kc->password_len = length;
    memcpy(kc->item_key, item_key, SEC_KEYCHAIN_ITEM_KEY_BYTES);
    kc->unlocked = true;
    return true;
}

/* AES-256-GCM under the item key, `aad` bound: IV, ciphertext, tag; NULL on failure. */
static unsigned char *seal_bytes(const struct sec_keychain *kc, const struct text *aad,
                                 const unsigned char *plain, size_t n, size_t *out_len)
{
    size_t aad_n = 0;
    const char *aad_p = aad != NULL ? text_data(aad, &aad_n) : NULL;
    unsigned char *out = malloc(GCM_IV_BYTES + n + GCM_TAG_BYTES);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0, aad_len = 0;
    bool ok =
        out != NULL && ctx != NULL && RAND_bytes(out, GCM_IV_BYTES) == 1 &&
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, kc->item_key, out) == 1 &&
        (aad == NULL ||
         EVP_EncryptUpdate(ctx, NULL, &aad_len, (const unsigned char *)aad_p, (int)aad_n) == 1) &&
        EVP_EncryptUpdate(ctx, out + GCM_IV_BYTES, &len, plain, (int)n) == 1 &&
        EVP_EncryptFinal_ex(ctx, out + GCM_IV_BYTES + len, &fin) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG_BYTES, out + GCM_IV_BYTES + n) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) {
        free(out);
        return NULL;
    }
    *out_len = GCM_IV_BYTES + n + GCM_TAG_BYTES;
    return out;
}

/* The plaintext of seal_bytes' output, if it is intact and was sealed with `aad` (NULL: none). */
static CFDataRef open_bytes(const struct sec_keychain *kc, const struct text *aad,
                            const unsigned char *sealed, size_t n)
{
    if (n < GCM_IV_BYTES + GCM_TAG_BYTES)
        return NULL;
    size_t plain_len = n - GCM_IV_BYTES - GCM_TAG_BYTES, aad_n = 0;
    const char *aad_p = aad != NULL ? text_data(aad, &aad_n) : NULL;
    unsigned char *plain = malloc(plain_len + 1);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0, aad_len = 0;
    bool ok = plain != NULL && ctx != NULL &&
              EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, kc->item_key, sealed) == 1 &&
              (aad == NULL || EVP_DecryptUpdate(ctx, NULL, &aad_len, (const unsigned char *)aad_p,
                                                (int)aad_n) == 1) &&
              EVP_DecryptUpdate(ctx, plain, &len, sealed + GCM_IV_BYTES, (int)plain_len) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG_BYTES,
                                  (void *)(sealed + n - GCM_TAG_BYTES)) == 1 &&
              EVP_DecryptFinal_ex(ctx, plain + len, &fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    CFDataRef out = ok ? CFDataCreate(NULL, plain, (CFIndex)plain_len) : NULL;
    if (plain != NULL)
        OPENSSL_cleanse(plain, plain_len + 1);
    free(plain);
    return out;
}

/* --- Sealing one entry --- */

static const char *kind_name(enum sec_item_kind kind);
static void write_attribute(struct text *t, CFStringRef key, CFTypeRef value);

/*
 * What an item's secret is bound to: its class, its label and application
 * tag, and what tells it apart from every other item wherever it sits in the
 * file (a password's primary-key attributes, a key's public half). Built
 * from the attributes as the file stores them, so a loaded item binds alike.
 */
static void item_binding(const struct sec_keychain_entry *e, struct text *t)
{
    text_puts(t, FILE_MAGIC " binding\nclass ");
    text_puts(t, kind_name(e->kind));
    text_puts(t, "\n");
    CFStringRef keys[2 + 7] = {kSecAttrLabel, kSecAttrApplicationTag};
    size_t n = 2;
    if (e->kind == SEC_ITEM_GENERIC_PASSWORD || e->kind == SEC_ITEM_INTERNET_PASSWORD)
        n += sec_password_key_attributes(e->kind, keys + 2);
    for (size_t i = 0; i < n; i++) {
        CFTypeRef value = CFDictionaryGetValue(e->attributes, keys[i]);
        if (value != NULL)
            write_attribute(t, keys[i], value);
    }
    unsigned char *spki = NULL;
    int len = e->public_key != NULL ? i2d_PUBKEY(e->public_key, &spki) : 0;
    if (len > 0) {
        text_puts(t, "public ");
        text_hex(t, spki, (size_t)len);
        text_puts(t, "\n");
    }
    OPENSSL_free(spki);
}

/* A private key's bind value: HMAC-SHA256 under a key of its own, over binding and blocks. */
static bool private_key_mac(const struct sec_keychain *kc, const struct sec_keychain_entry *e,
                            const char *blocks, size_t blocks_len,
                            unsigned char mac[SHA256_DIGEST_LENGTH])
{
    static const char purpose[] = "sectrans-keychain private-key binding";
    unsigned char key[SHA256_DIGEST_LENGTH];
    unsigned int key_len = 0, mac_len = 0;
    struct text data = {0};
    item_binding(e, &data);
    text_append(&data, blocks, blocks_len);
    size_t data_len = 0;
    const char *data_p = text_data(&data, &data_len);
    bool ok = !data.failed &&
              HMAC(EVP_sha256(), kc->item_key, sizeof(kc->item_key), (const unsigned char *)purpose,
                   sizeof(purpose) - 1, key, &key_len) != NULL &&
              HMAC(EVP_sha256(), key, key_len, (const unsigned char *)data_p, data_len, mac,
                   &mac_len) != NULL;
    OPENSSL_cleanse(key, sizeof(key));
    text_free(&data);
    return ok;
}

static const char *kind_name(enum sec_item_kind kind)
{
    static const char *const names[] = {"certificate", "private-key", "public-key",
                                        "generic-password", "internet-password"};
    return names[kind];
}

static bool kind_from_name(const char *name, enum sec_item_kind *kind)
{
    for (int k = SEC_ITEM_CERTIFICATE; k <= SEC_ITEM_INTERNET_PASSWORD; k++) {
        if (strcmp(name, kind_name((enum sec_item_kind)k)) == 0) {
            *kind = (enum sec_item_kind)k;
            return true;
        }
    }
    return false;
}

static void seal_private_key(const struct sec_keychain *kc, EVP_PKEY *pkey, struct text *t)
{
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(pkey);
    X509_SIG *sig =
        info != NULL ? PKCS8_encrypt(-1, EVP_aes_256_cbc(), (const char *)kc->password,
                                     (int)kc->password_len, NULL, 0, (int)kc->kdf_iterations, info)
                     : NULL;
    text_puts(t, "pem\n");
    BIO *bio = text_bio(t);
    if (sig == NULL || bio == NULL || PEM_write_bio_PKCS8(bio, sig) != 1)
        t->failed = true;
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(info);
}

static void seal_public_pem(EVP_PKEY *pkey, const char *marker, struct text *t)
{
    text_puts(t, marker);
    BIO *bio = text_bio(t);
    if (bio == NULL || PEM_write_bio_PUBKEY(bio, pkey) != 1)
        t->failed = true;
}

static void seal_certificate(X509 *x, struct text *t)
{
    text_puts(t, "pem\n");
    BIO *bio = text_bio(t);
    if (bio == NULL || PEM_write_bio_X509(bio, x) != 1)
        t->failed = true;
}

static void seal_secret(const struct sec_keychain *kc, const struct sec_keychain_entry *e,
                        struct text *t)
{
    size_t n = 0;
    struct text aad = {0};
    item_binding(e, &aad);
    unsigned char *sealed = aad.failed ? NULL
                                       : seal_bytes(kc, &aad, CFDataGetBytePtr(e->secret),
                                                    (size_t)CFDataGetLength(e->secret), &n);
    text_free(&aad);
    if (sealed == NULL) {
        t->failed = true;
        return;
    }
    text_puts(t, "secret ");
    text_hex(t, sealed, n);
    text_puts(t, "\n");
    free(sealed);
}

/* The "bind" line after a private key's blocks. */
static void seal_binding(const struct sec_keychain *kc, const struct sec_keychain_entry *e,
                         struct text *t)
{
    unsigned char mac[SHA256_DIGEST_LENGTH];
    size_t len = 0;
    const char *blocks = text_data(t, &len);
    if (t->failed || !private_key_mac(kc, e, blocks, len, mac)) {
        t->failed = true;
        return;
    }
    text_puts(t, "bind ");
    text_hex(t, mac, sizeof(mac));
    text_puts(t, "\n");
}

OSStatus sec_keychain_file_seal(struct sec_keychain *kc, struct sec_keychain_entry *entry)
{
    bool needs_key =
        entry->kind == SEC_ITEM_PRIVATE_KEY ||
        ((entry->kind == SEC_ITEM_GENERIC_PASSWORD || entry->kind == SEC_ITEM_INTERNET_PASSWORD) &&
         entry->secret != NULL);
    if (needs_key && !kc->unlocked)
        return errSecInteractionNotAllowed;
    struct text t = {0};
    switch (entry->kind) {
    case SEC_ITEM_CERTIFICATE: seal_certificate(sec_certificate_x509(entry->ref), &t); break;
    case SEC_ITEM_PRIVATE_KEY:
        seal_private_key(kc, sec_key_pkey(entry->ref), &t);
        seal_public_pem(entry->public_key, "public\n", &t);
        seal_binding(kc, entry, &t);
        break;
    case SEC_ITEM_PUBLIC_KEY: seal_public_pem(entry->public_key, "pem\n", &t); break;
    case SEC_ITEM_GENERIC_PASSWORD:
    case SEC_ITEM_INTERNET_PASSWORD:
        if (entry->secret != NULL)
            seal_secret(kc, entry, &t);
        break;
    }
    ERR_clear_error();
    bool out_of_memory = false;
    char *stored = t.failed ? NULL : text_take(&t, &out_of_memory);
    if (t.failed || out_of_memory) {
        text_free(&t);
        return errSecAllocate;
    }
    free(entry->stored);
    entry->stored = stored; /* NULL for a password without data */
    return errSecSuccess;
}

static bool same_binding(const struct sec_keychain_entry *a, const struct sec_keychain_entry *b)
{
    struct text x = {0}, y = {0};
    item_binding(a, &x);
    item_binding(b, &y);
    size_t x_len = 0, y_len = 0;
    const char *x_p = text_data(&x, &x_len), *y_p = text_data(&y, &y_len);
    bool same = !x.failed && !y.failed && x_len == y_len && memcmp(x_p, y_p, x_len) == 0;
    text_free(&x);
    text_free(&y);
    return same;
}

OSStatus sec_keychain_file_reseal(struct sec_keychain *kc, const struct sec_keychain_entry *old,
                                  struct sec_keychain_entry *updated)
{
    /* Certificates and public keys have no secret; version 1 files bind nothing. */
    bool has_secret = old->kind == SEC_ITEM_PRIVATE_KEY || old->kind >= SEC_ITEM_GENERIC_PASSWORD;
    if (!has_secret || kc->file_version < FILE_VERSION || same_binding(old, updated)) {
        updated->stored = strdup(old->stored);
        return updated->stored != NULL ? errSecSuccess : errSecAllocate;
    }
    /* A secret that is not readable cannot be sealed to its new binding. */
    bool unreadable = (old->kind == SEC_ITEM_PRIVATE_KEY && old->ref == NULL) ||
                      (old->kind >= SEC_ITEM_GENERIC_PASSWORD && old->secret == NULL);
    if (unreadable || !kc->unlocked)
        return errSecInteractionNotAllowed;
    return sec_keychain_file_seal(kc, updated);
}

/* --- Writing --- */

static bool attribute_key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > MAX_KEY_NAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

/* One "attr" line; values of other types stay in memory only. */
static void write_attribute(struct text *t, CFStringRef key, CFTypeRef value)
{
    const char *name = cf_string_utf8(key);
    if (name == NULL || !attribute_key_ok(name))
        return;
    char line[128];
    if (cf_is_type(value, CFStringGetTypeID())) {
        const char *s = cf_string_utf8(value);
        snprintf(line, sizeof(line), "attr s %s ", name);
        text_puts(t, line);
        text_hex(t, (const unsigned char *)s, strlen(s));
    } else if (cf_is_type(value, CFDataGetTypeID())) {
        snprintf(line, sizeof(line), "attr d %s ", name);
        text_puts(t, line);
        text_hex(t, CFDataGetBytePtr(value), (size_t)CFDataGetLength(value));
    } else if (cf_is_type(value, CFNumberGetTypeID())) {
        long long n = 0;
        CFNumberGetValue(value, kCFNumberLongLongType, &n);
        snprintf(line, sizeof(line), "attr n %s %lld", name, n);
        text_puts(t, line);
    } else if (cf_is_type(value, CFBooleanGetTypeID())) {
        snprintf(line, sizeof(line), "attr b %s %d", name, CFBooleanGetValue(value) ? 1 : 0);
        text_puts(t, line);
    } else {
        return;
    }
    text_puts(t, "\n");
}

static void write_entry(struct text *t, const struct sec_keychain_entry *e)
{
    text_puts(t, "item ");
    text_puts(t, kind_name(e->kind));
    text_puts(t, "\n");
    CFIndex n = CFDictionaryGetCount(e->attributes);
    const void **keys = malloc(sizeof(void *) * (size_t)(n + 1) * 2);
    if (keys == NULL) {
        t->failed = true;
        return;
    }
    const void **values = keys + n + 1;
    CFDictionaryGetKeysAndValues(e->attributes, keys, values);
    for (CFIndex i = 0; i < n; i++)
        if (cf_is_type(keys[i], CFStringGetTypeID()))
            write_attribute(t, keys[i], values[i]);
    free(keys);
    if (e->stored != NULL)
        text_puts(t, e->stored);
    text_puts(t, "end\n");
}

static void write_header(struct text *t, const struct sec_keychain *kc)
{
    char line[64];
    /* A version 1 file stays one until its first unlock rewrites its items. */
    text_puts(t, kc->file_version < FILE_VERSION ? FILE_MAGIC_V1 "\n" : FILE_MAGIC "\n");
    snprintf(line, sizeof(line), "kdf pbkdf2-sha256 %u ", (unsigned)kc->kdf_iterations);
    text_puts(t, line);
    text_hex(t, kc->salt, sizeof(kc->salt));
    text_puts(t, " ");
    text_hex(t, kc->check, sizeof(kc->check));
    text_puts(t, "\n");
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* A new file beside the keychain, renamed over it: readers never see half a file. */
static OSStatus replace_file(const char *path, const struct text *t)
{
    size_t len = strlen(path) + sizeof(".tmp-XXXXXX");
    char *tmp = malloc(len);
    if (tmp == NULL)
        return errSecAllocate;
    snprintf(tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    OSStatus status = errSecIO;
    if (fd >= 0) {
        size_t n = 0;
        const char *p = text_data(t, &n);
        bool ok = write_all(fd, p, n) && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
        if (ok && rename(tmp, path) == 0)
            status = errSecSuccess;
        else
            unlink(tmp);
    }
    free(tmp);
    return status;
}

OSStatus sec_keychain_file_save(struct sec_keychain *kc)
{
    struct text t = {0};
    write_header(&t, kc);
    for (size_t i = 0; i < kc->count; i++)
        write_entry(&t, &kc->entries[i]);
    OSStatus status = t.failed ? errSecAllocate : replace_file(kc->path, &t);
    text_free(&t);
    return status;
}

OSStatus sec_keychain_file_create(struct sec_keychain *kc, const void *password, size_t length)
{
    int fd = open(kc->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? errSecDuplicateKeychain : errSecIO;
    close(fd);
    unsigned char item_key[SEC_KEYCHAIN_ITEM_KEY_BYTES];
    kc->kdf_iterations = KDF_ITERATIONS;
    kc->file_version = FILE_VERSION;
    OSStatus status = errSecAllocate;
    if (RAND_bytes(kc->salt, sizeof(kc->salt)) == 1 &&
        derive(kc, password, length, kc->check, item_key) &&
        keep_password(kc, password, length, item_key)) {
        kc->loaded = true;
        status = sec_keychain_file_save(kc);
    }
    OPENSSL_cleanse(item_key, sizeof(item_key));
    if (status != errSecSuccess) {
        sec_keychain_file_lock(kc);
        kc->loaded = false;
        unlink(kc->path);
    }
    return status;
}

/* --- Reading --- */

/* The whole file as a NUL-terminated string. */
static OSStatus read_file(const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT || errno == ENOTDIR ? errSecNoSuchKeychain : errSecIO;
    /* Running out of memory is errSecAllocate, not an entry left on the caller's error queue. */
    ERR_set_mark();
    struct text t = {0};
    char buf[4096];
    size_t n, len = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && !t.failed && len <= MAX_FILE_SIZE) {
        text_append(&t, buf, n);
        len += n;
    }
    bool error = ferror(f) != 0;
    fclose(f);
    const char *p = text_data(&t, &len);
    OSStatus status = errSecSuccess;
    if (error || t.failed || len > MAX_FILE_SIZE || len == 0 || memchr(p, '\0', len) != NULL) {
        status = t.failed ? errSecAllocate : error ? errSecIO : errSecInvalidKeychain;
        text_free(&t);
    } else {
        bool out_of_memory = false;
        *out = text_take(&t, &out_of_memory);
        status = out_of_memory ? errSecAllocate : errSecSuccess;
    }
    ERR_pop_to_mark();
    return status;
}

/* A line-by-line reader over a writable buffer: each line is NUL-terminated in place. */
struct lines {
    char *next;
};

static char *next_line(struct lines *l)
{
    if (l->next == NULL || *l->next == '\0')
        return NULL;
    char *line = l->next;
    char *nl = strchr(line, '\n');
    if (nl != NULL) {
        *nl = '\0';
        l->next = nl + 1;
    } else {
        l->next = NULL;
    }
    return line;
}

static bool parse_header(struct lines *l, struct sec_keychain *kc)
{
    char *magic = next_line(l), *kdf = next_line(l);
    if (magic == NULL || kdf == NULL)
        return false;
    if (strcmp(magic, FILE_MAGIC) == 0)
        kc->file_version = FILE_VERSION;
    else if (strcmp(magic, FILE_MAGIC_V1) == 0)
        kc->file_version = 1;
    else
        return false;
    char salt[2 * SEC_KEYCHAIN_SALT_BYTES + 2], check[2 * SEC_KEYCHAIN_CHECK_BYTES + 2];
    unsigned long iterations = 0;
    char tail;
    if (sscanf(kdf, "kdf pbkdf2-sha256 %lu %33s %65s %c", &iterations, salt, check, &tail) != 3 ||
        iterations < KDF_MIN_ITERATIONS || iterations > KDF_MAX_ITERATIONS)
        return false;
    kc->kdf_iterations = (uint32_t)iterations;
    return hex_decode_exact(salt, kc->salt, sizeof(kc->salt)) &&
           hex_decode_exact(check, kc->check, sizeof(kc->check));
}

/* Reads a PEM block (its lines up to "-----END ") into `t`; false if it does not end. */
static bool read_pem(struct lines *l, struct text *t)
{
    char *line = next_line(l);
    if (line == NULL || strncmp(line, "-----BEGIN ", 11) != 0)
        return false;
    for (; line != NULL; line = next_line(l)) {
        text_puts(t, line);
        text_puts(t, "\n");
        if (strncmp(line, "-----END ", 9) == 0)
            return !t->failed;
    }
    return false;
}

static CFTypeRef attribute_value(char type, const char *text)
{
    size_t n = 0;
    if (type == 'n' || type == 'b') {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno != 0 || end == text || *end != '\0')
            return NULL;
        if (type == 'b')
            return v == 0 || v == 1 ? CFRetain(v ? kCFBooleanTrue : kCFBooleanFalse) : NULL;
        return CFNumberCreate(NULL, kCFNumberLongLongType, &v);
    }
    unsigned char *bytes = hex_decode(text, strlen(text), &n);
    if (bytes == NULL)
        return NULL;
    CFTypeRef value = NULL;
    if (type == 's')
        value = cf_string_create_utf8((const char *)bytes, n);
    else if (type == 'd')
        value = CFDataCreate(NULL, bytes, (CFIndex)n);
    free(bytes);
    return value;
}

static bool parse_attribute(char *line, CFMutableDictionaryRef attributes)
{
    /* attr <type> <key> <value> */
    char *type = line + 5, *key = type + 2, *value;
    if (strlen(line) < 9 || type[1] != ' ' || (value = strchr(key, ' ')) == NULL)
        return false;
    *value++ = '\0';
    if (!attribute_key_ok(key))
        return false;
    CFStringRef k = cf_string_create_utf8(key, strlen(key));
    CFTypeRef v = attribute_value(type[0], value);
    /* A value that could not be stored must fail the load: the next save would lose it. */
    bool ok = k != NULL && v != NULL && cf_dictionary_set_value(attributes, k, v);
    if (k != NULL)
        CFRelease(k);
    if (v != NULL)
        CFRelease(v);
    return ok;
}

static EVP_PKEY *public_key_from_pem(const char *pem, size_t len)
{
    BIO *bio = len <= INT_MAX ? BIO_new_mem_buf(pem, (int)len) : NULL;
    EVP_PKEY *pkey = bio != NULL ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    return pkey;
}

/* The "pem" block of an item: sets the certificate or public key, or checks the encrypted key. */
static bool take_item_pem(struct sec_keychain_entry *e, const char *pem, size_t len)
{
    if (e->kind == SEC_ITEM_CERTIFICATE) {
        BIO *bio = len <= INT_MAX ? BIO_new_mem_buf(pem, (int)len) : NULL;
        X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
        e->ref = x != NULL ? sec_certificate_from_x509(x) : NULL;
        X509_free(x);
        return e->ref != NULL;
    }
    if (e->kind == SEC_ITEM_PUBLIC_KEY) {
        e->public_key = public_key_from_pem(pem, len);
        e->ref = e->public_key != NULL ? sec_key_from_pkey(e->public_key, false) : NULL;
        return e->ref != NULL;
    }
    static const char encrypted[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
    return e->kind == SEC_ITEM_PRIVATE_KEY && len >= sizeof(encrypted) - 1 &&
           memcmp(pem, encrypted, sizeof(encrypted) - 1) == 0;
}

/* A "bind <hex>" line: a private key's, once, after its public half, in a version 2 file. */
static bool bind_line_ok(const char *line, const struct sec_keychain_entry *e, unsigned version,
                         bool seen)
{
    const char *hex = line + 5;
    return version >= FILE_VERSION && !seen && e->kind == SEC_ITEM_PRIVATE_KEY &&
           e->public_key != NULL && strlen(hex) == 2 * SHA256_DIGEST_LENGTH &&
           strspn(hex, "0123456789abcdef") == 2 * SHA256_DIGEST_LENGTH;
}

/* The body lines of one item, through "end". */
static bool parse_item_body(struct lines *l, struct sec_keychain_entry *e, unsigned version)
{
    struct text stored = {0};
    bool ok = false, has_pem = false, has_secret = false, has_bind = false;
    for (char *line; (line = next_line(l)) != NULL;) {
        if (strcmp(line, "end") == 0) {
            ok = true;
            break;
        }
        if (strncmp(line, "attr ", 5) == 0) {
            if (!parse_attribute(line, e->attributes))
                break;
        } else if (strcmp(line, "pem") == 0 || strcmp(line, "public") == 0) {
            bool item_pem = line[1] == 'e';
            text_puts(&stored, item_pem ? "pem\n" : "public\n");
            size_t start = 0, len = 0;
            text_data(&stored, &start);
            /* One item block, and for a private key its public half after it. */
            if (!read_pem(l, &stored) || (item_pem ? has_pem : !has_pem))
                break;
            const char *pem = text_data(&stored, &len) + start;
            if (item_pem) {
                has_pem = true;
                if (!take_item_pem(e, pem, len - start))
                    break;
            } else if (e->kind != SEC_ITEM_PRIVATE_KEY || e->public_key != NULL ||
                       (e->public_key = public_key_from_pem(pem, len - start)) == NULL) {
                break;
            }
        } else if (strncmp(line, "bind ", 5) == 0) {
            if (!bind_line_ok(line, e, version, has_bind))
                break;
            has_bind = true;
            text_puts(&stored, line);
            text_puts(&stored, "\n");
        } else if (strncmp(line, "secret ", 7) == 0 && e->kind >= SEC_ITEM_GENERIC_PASSWORD &&
                   !has_secret && strspn(line + 7, "0123456789abcdef") == strlen(line + 7) &&
                   strlen(line + 7) >= 2 * (GCM_IV_BYTES + GCM_TAG_BYTES)) {
            has_secret = true;
            text_puts(&stored, line);
            text_puts(&stored, "\n");
        } else {
            break;
        }
    }
    ok = ok && !stored.failed;
    if (e->kind == SEC_ITEM_CERTIFICATE || e->kind == SEC_ITEM_PUBLIC_KEY)
        ok = ok && e->ref != NULL;
    if (e->kind == SEC_ITEM_PRIVATE_KEY)
        ok = ok && has_pem && e->public_key != NULL && (has_bind || version < FILE_VERSION);
    bool out_of_memory = false;
    if (ok)
        e->stored = text_take(&stored, &out_of_memory);
    text_free(&stored);
    return ok && !out_of_memory;
}

static bool parse_item(struct lines *l, const char *header, struct sec_keychain *kc)
{
    struct sec_keychain_entry e = {0};
    if (strncmp(header, "item ", 5) != 0 || !kind_from_name(header + 5, &e.kind))
        return false;
    e.attributes = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
    if (e.kind == SEC_ITEM_GENERIC_PASSWORD || e.kind == SEC_ITEM_INTERNET_PASSWORD)
        e.ref = sec_password_item_create(e.kind);
    bool ok = e.attributes != NULL && (e.kind < SEC_ITEM_GENERIC_PASSWORD || e.ref != NULL) &&
              parse_item_body(l, &e, kc->file_version) && sec_keychain_append_entry(kc, &e);
    if (!ok)
        sec_keychain_entry_clear(&e);
    return ok;
}

static void clear_entries(struct sec_keychain *kc)
{
    for (size_t i = 0; i < kc->count; i++)
        sec_keychain_entry_clear(&kc->entries[i]);
    kc->count = 0;
}

OSStatus sec_keychain_file_load(struct sec_keychain *kc)
{
    char *content = NULL;
    OSStatus status = read_file(kc->path, &content);
    if (status != errSecSuccess)
        return status;
    sec_keychain_file_lock(kc);
    clear_entries(kc);
    struct lines l = {content};
    bool ok = parse_header(&l, kc);
    for (char *line; ok && (line = next_line(&l)) != NULL;)
        ok = parse_item(&l, line, kc);
    free(content);
    ERR_clear_error();
    if (!ok) {
        clear_entries(kc);
        return errSecInvalidKeychain;
    }
    kc->loaded = true;
    return errSecSuccess;
}

/* --- Unlocking --- */

static int pass_callback(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    const struct sec_keychain *kc = u;
    if (kc->password_len > (size_t)size)
        return -1;
    memcpy(buf, kc->password, kc->password_len);
    return (int)kc->password_len;
}

/* A version 2 private key: its bind line matches its binding and blocks. */
static bool private_key_bound(const struct sec_keychain *kc, const struct sec_keychain_entry *e)
{
    const char *bind = strstr(e->stored, "\nbind ");
    unsigned char expected[SHA256_DIGEST_LENGTH], mac[SHA256_DIGEST_LENGTH];
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    if (bind == NULL || strcspn(bind + 6, "\n") != sizeof(hex) - 1)
        return false;
    memcpy(hex, bind + 6, sizeof(hex) - 1);
    hex[sizeof(hex) - 1] = '\0';
    return hex_decode_exact(hex, expected, sizeof(expected)) &&
           private_key_mac(kc, e, e->stored, (size_t)(bind + 1 - e->stored), mac) &&
           CRYPTO_memcmp(mac, expected, sizeof(mac)) == 0;
}

static bool decrypt_private_key(struct sec_keychain *kc, struct sec_keychain_entry *e)
{
    /* stored: "pem\n<encrypted key>public\n<public key>[bind <hex>\n]" */
    if (kc->file_version >= FILE_VERSION && !private_key_bound(kc, e))
        return false; /* moved here from another item, or altered */
    const char *pem = e->stored + 4;
    const char *end = strstr(pem, "public\n");
    BIO *bio = end != NULL ? BIO_new_mem_buf(pem, (int)(end - pem)) : NULL;
    EVP_PKEY *pkey =
        bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, pass_callback, (void *)kc) : NULL;
    BIO_free(bio);
    if (pkey != NULL && EVP_PKEY_eq(pkey, e->public_key) == 1)
        e->ref = sec_key_from_pkey(pkey, true);
    EVP_PKEY_free(pkey);
    return e->ref != NULL;
}

static bool decrypt_secret(struct sec_keychain *kc, struct sec_keychain_entry *e)
{
    const char *hex = e->stored + 7; /* "secret <hex>\n" */
    size_t n = strcspn(hex, "\n"), len = 0;
    unsigned char *sealed = hex_decode(hex, n, &len);
    struct text aad = {0};
    if (kc->file_version >= FILE_VERSION)
        item_binding(e, &aad); /* sealed for this item and no other */
    e->secret = sealed != NULL && !aad.failed
                    ? open_bytes(kc, kc->file_version >= FILE_VERSION ? &aad : NULL, sealed, len)
                    : NULL;
    text_free(&aad);
    free(sealed);
    return e->secret != NULL;
}

/* Makes the secrets readable; false if one does not decrypt (a damaged file). */
static bool decrypt_entries(struct sec_keychain *kc)
{
    for (size_t i = 0; i < kc->count; i++) {
        struct sec_keychain_entry *e = &kc->entries[i];
        bool ok = true;
        if (e->kind == SEC_ITEM_PRIVATE_KEY && e->ref == NULL)
            ok = decrypt_private_key(kc, e);
        else if (e->kind >= SEC_ITEM_GENERIC_PASSWORD && e->stored != NULL && e->secret == NULL)
            ok = decrypt_secret(kc, e);
        if (!ok)
            return false;
    }
    return true;
}

/*
 * Unlocked, a version 1 keychain becomes version 2: every item is sealed
 * again with its binding and the file rewritten. A file that cannot be
 * written (read-only) is left as it is; the keychain works from memory.
 */
static OSStatus upgrade_file(struct sec_keychain *kc)
{
    if (kc->file_version >= FILE_VERSION)
        return errSecSuccess;
    kc->file_version = FILE_VERSION;
    for (size_t i = 0; i < kc->count; i++) {
        struct sec_keychain_entry *e = &kc->entries[i];
        bool has_secret =
            e->kind == SEC_ITEM_PRIVATE_KEY ||
            (e->kind >= SEC_ITEM_GENERIC_PASSWORD && e->stored != NULL && e->secret != NULL);
        if (has_secret && sec_keychain_file_seal(kc, e) != errSecSuccess) {
            kc->file_version = 1;
            return errSecAllocate;
        }
    }
    (void)sec_keychain_file_save(kc);
    return errSecSuccess;
}

OSStatus sec_keychain_file_unlock(struct sec_keychain *kc, const void *password, size_t length)
{
    unsigned char check[SEC_KEYCHAIN_CHECK_BYTES], item_key[SEC_KEYCHAIN_ITEM_KEY_BYTES];
    OSStatus status = errSecAllocate;
    if (derive(kc, password, length, check, item_key)) {
        if (CRYPTO_memcmp(check, kc->check, sizeof(check)) != 0)
            status = errSecAuthFailed;
        else if (kc->unlocked)
            status = errSecSuccess;
        else if (keep_password(kc, password, length, item_key))
            status = decrypt_entries(kc) ? upgrade_file(kc) : errSecInvalidKeychain;
    }
    ERR_clear_error();
    OPENSSL_cleanse(check, sizeof(check));
    OPENSSL_cleanse(item_key, sizeof(item_key));
    if (status == errSecInvalidKeychain)
        sec_keychain_file_lock(kc);
    return status;
}

void sec_keychain_file_lock(struct sec_keychain *kc)
{
    if (kc->path == NULL)
        return; /* in memory: nothing is encrypted, nothing to forget */
    for (size_t i = 0; i < kc->count; i++) {
        struct sec_keychain_entry *e = &kc->entries[i];
        if (e->kind == SEC_ITEM_PRIVATE_KEY && e->ref != NULL) {
            CFRelease(e->ref);
            e->ref = NULL;
        }
        if (e->secret != NULL && e->kind >= SEC_ITEM_GENERIC_PASSWORD) {
            CFRelease(e->secret);
            e->secret = NULL;
        }
    }
    if (kc->password != NULL)
        OPENSSL_cleanse(kc->password, kc->password_len + 1);
    free(kc->password);
    kc->password = NULL;
    kc->password_len = 0;
    OPENSSL_cleanse(kc->item_key, sizeof(kc->item_key));
    kc->unlocked = false;
}
