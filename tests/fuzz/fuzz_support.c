/*
 * Fuzz harness support; see fuzz_support.h. The RAND method below exists
 * only in the fuzz executables, never in the library.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* RAND_set_rand_method: the one global seam */
#include "fuzz_support.h"

#include <Security/SecIdentityPriv.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- Randomness --- */

static struct fuzz_rng default_rng = {0x5ec7a115u};
static struct fuzz_rng *current_rng = &default_rng;

/* splitmix64: statistically fine and trivially reproducible; secrecy is not wanted here. */
static uint64_t rng_next(struct fuzz_rng *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int rng_bytes(unsigned char *out, int num)
{
    for (int i = 0; i < num; i += 8) {
        uint64_t v = rng_next(current_rng);
        int n = num - i < 8 ? num - i : 8;
        memcpy(out + i, &v, (size_t)n);
    }
    return 1;
}

static int rng_seed(const void *buf, int num)
{
    (void)buf, (void)num;
    return 1;
}

static int rng_add(const void *buf, int num, double entropy)
{
    (void)buf, (void)num, (void)entropy;
    return 1;
}

static int rng_status(void)
{
    return 1;
}

static RAND_METHOD fuzz_rand_method = {
    .seed = rng_seed,
    .bytes = rng_bytes,
    .add = rng_add,
    .pseudorand = rng_bytes,
    .status = rng_status,
};

void fuzz_rng_install(void)
{
    static bool installed;
    if (!installed && RAND_set_rand_method(&fuzz_rand_method) != 1)
        abort();
    installed = true;
}

void fuzz_rng_seed(struct fuzz_rng *rng, uint64_t seed)
{
    rng->state = seed;
}

void fuzz_rng_select(struct fuzz_rng *rng)
{
    current_rng = rng != NULL ? rng : &default_rng;
}

/* --- The identity --- */

static X509 *identity_x509;
static EVP_PKEY *identity_pkey;
static SecCertificateRef identity_cert;
static SecIdentityRef identity;

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz harness setup failed: %s\n", what);
        abort();
    }
}

static void add_extension(X509 *x, int nid, const char *value)
{
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    require(ext != NULL && X509_add_ext(x, ext, -1) == 1, "extension");
    X509_EXTENSION_free(ext);
}

static X509 *make_certificate(EVP_PKEY *key)
{
    X509 *x = X509_new();
    require(x != NULL, "X509_new");
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x5ec7);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    require(ASN1_TIME_set_string(X509_getm_notBefore(x), "20000101000000Z") == 1 &&
                ASN1_TIME_set_string(X509_getm_notAfter(x), "20991231235959Z") == 1,
            "validity");
    X509_set_pubkey(x, key);
    add_extension(x, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(x, NID_ext_key_usage, "serverAuth,clientAuth");
    add_extension(x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    require(X509_sign(x, key, EVP_sha256()) > 0, "X509_sign");
    return x;
}

static CFDataRef der_of(int len, unsigned char *der)
{
    require(len > 0, "DER encoding");
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    return data;
}

static void make_identity(void)
{
    if (identity_x509 != NULL)
        return;
    fuzz_rng_install();
    struct fuzz_rng rng;
    fuzz_rng_seed(&rng, 0x1de7717u);
    fuzz_rng_select(&rng);
    identity_pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    require(identity_pkey != NULL, "key");
    identity_x509 = make_certificate(identity_pkey);
    CFDataRef der = fuzz_identity_der();
    identity_cert = SecCertificateCreateWithData(NULL, der);
    CFRelease(der);
    CFDataRef key_der = fuzz_identity_key_der();
    SecExternalFormat format = kSecFormatOpenSSL;
    SecExternalItemType type = kSecItemTypePrivateKey;
    CFArrayRef items = NULL;
    require(SecItemImport(key_der, NULL, &format, &type, 0, NULL, NULL, &items) == errSecSuccess,
            "key import");
    CFRelease(key_der);
    identity = SecIdentityCreate(NULL, identity_cert, (SecKeyRef)CFArrayGetValueAtIndex(items, 0));
    require(identity_cert != NULL && identity != NULL, "identity");
    CFRelease(items);
    fuzz_rng_select(NULL);
}

SecCertificateRef fuzz_identity_certificate(void)
{
    make_identity();
    return identity_cert;
}

CFArrayRef fuzz_identity_array(void)
{
    make_identity();
    return CFArrayCreate(NULL, (const void **)&identity, 1, &kCFTypeArrayCallBacks);
}

CFArrayRef fuzz_identity_roots(void)
{
    make_identity();
    return CFArrayCreate(NULL, (const void **)&identity_cert, 1, &kCFTypeArrayCallBacks);
}

CFDataRef fuzz_identity_der(void)
{
    make_identity();
    unsigned char *der = NULL;
    return der_of(i2d_X509(identity_x509, &der), der);
}

CFDataRef fuzz_identity_key_der(void)
{
    make_identity();
    unsigned char *der = NULL;
    return der_of(i2d_PrivateKey(identity_pkey, &der), der);
}

CFDataRef fuzz_identity_p12(void)
{
    make_identity();
    PKCS12 *p12 = PKCS12_create("fuzz", "fuzz", identity_pkey, identity_x509, NULL, 0, 0, 0, 0, 0);
    require(p12 != NULL, "PKCS12_create");
    unsigned char *der = NULL;
    int len = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    return der_of(len, der);
}

/* --- Input --- */

uint8_t fuzz_take_u8(struct fuzz_input *in)
{
    if (in->size == 0)
        return 0;
    in->size--;
    return *in->data++;
}

uint16_t fuzz_take_u16(struct fuzz_input *in)
{
    uint16_t hi = fuzz_take_u8(in);
    return (uint16_t)(hi << 8 | fuzz_take_u8(in));
}

const uint8_t *fuzz_take_bytes(struct fuzz_input *in, size_t n, size_t *got)
{
    const uint8_t *p = in->data;
    *got = n < in->size ? n : in->size;
    in->data += *got;
    in->size -= *got;
    return p;
}

/* --- Seeds --- */

const char *fuzz_record_dir(void)
{
    const char *dir = getenv("SECTRANS_FUZZ_RECORD");
    return dir != NULL && *dir != '\0' ? dir : NULL;
}

void fuzz_record_write(const char *dir, const char *name, const void *data, size_t size)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    require(f != NULL && fwrite(data, 1, size, f) == size && fclose(f) == 0, path);
}

void fuzz_record_data(const char *dir, const char *name, const uint8_t *prefix, size_t prefix_len,
                      CFDataRef data)
{
    size_t n = (size_t)CFDataGetLength(data);
    uint8_t *buf = malloc(prefix_len + n + 1);
    require(buf != NULL, "malloc");
    if (prefix_len > 0)
        memcpy(buf, prefix, prefix_len);
    memcpy(buf + prefix_len, CFDataGetBytePtr(data), n);
    fuzz_record_write(dir, name, buf, prefix_len + n);
    free(buf);
}
