/*
 * What keys do: signatures, verification, encryption and decryption, named
 * by SecKeyAlgorithm (one table row each), and the legacy raw calls that
 * map a SecPadding onto those algorithms as Apple's unified SecKey does.
 */
#include <limits.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <string.h>

#include "sec_key_ops.h"

enum op { OP_SIGN, OP_VERIFY, OP_ENCRYPT, OP_DECRYPT };
enum scheme { RSA_RAW, RSA_PKCS1, RSA_OAEP, ECDSA_X962, ECDSA_RFC4754 };
/*
 * What the caller hands in: bytes used as they are, a digest whose length
 * must match `digest` (PKCS#1 wraps it in a DigestInfo), or a message that
 * is hashed with `digest` first.
 */
enum input { AS_IS, DIGEST, MESSAGE };

struct algorithm {
    const SecKeyAlgorithm *name;
    bool encryption;
    enum scheme scheme;
    enum input input;
    const char *digest;
};

#define SIGN(n, s, i, d)                                                                           \
    {                                                                                              \
        &kSecKeyAlgorithm##n, false, s, i, d                                                       \
    }
#define ENCRYPT(n, s, d)                                                                           \
    {                                                                                              \
        &kSecKeyAlgorithm##n, true, s, AS_IS, d                                                    \
    }
#define RSA_SIGN_SET(h)                                                                            \
    SIGN(RSASignatureDigestPKCS1v15##h, RSA_PKCS1, DIGEST, #h),                                    \
        SIGN(RSASignatureMessagePKCS1v15##h, RSA_PKCS1, MESSAGE, #h)
/* Apple does not check the length of an X9.62 digest: OpenSSL truncates long ones. */
#define ECDSA_SIGN_SET(h)                                                                          \
    SIGN(ECDSASignatureDigestX962##h, ECDSA_X962, AS_IS, NULL),                                    \
        SIGN(ECDSASignatureMessageX962##h, ECDSA_X962, MESSAGE, #h)

static const struct algorithm algorithms[] = {
    SIGN(RSASignatureRaw, RSA_RAW, AS_IS, NULL),
    SIGN(RSASignatureDigestPKCS1v15Raw, RSA_PKCS1, AS_IS, NULL),
    RSA_SIGN_SET(SHA1),
    RSA_SIGN_SET(SHA224),
    RSA_SIGN_SET(SHA256),
    RSA_SIGN_SET(SHA384),
    RSA_SIGN_SET(SHA512),
    SIGN(ECDSASignatureRFC4754, ECDSA_RFC4754, AS_IS, NULL),
    SIGN(ECDSASignatureDigestX962, ECDSA_X962, AS_IS, NULL),
    ECDSA_SIGN_SET(SHA1),
    ECDSA_SIGN_SET(SHA224),
    ECDSA_SIGN_SET(SHA256),
    ECDSA_SIGN_SET(SHA384),
    ECDSA_SIGN_SET(SHA512),
    ENCRYPT(RSAEncryptionRaw, RSA_RAW, NULL),
    ENCRYPT(RSAEncryptionPKCS1, RSA_PKCS1, NULL),
    ENCRYPT(RSAEncryptionOAEPSHA1, RSA_OAEP, "SHA1"),
    ENCRYPT(RSAEncryptionOAEPSHA224, RSA_OAEP, "SHA224"),
    ENCRYPT(RSAEncryptionOAEPSHA256, RSA_OAEP, "SHA256"),
    ENCRYPT(RSAEncryptionOAEPSHA384, RSA_OAEP, "SHA384"),
    ENCRYPT(RSAEncryptionOAEPSHA512, RSA_OAEP, "SHA512"),
};

static const struct algorithm *find_algorithm(CFTypeRef name)
{
    if (!cf_is_type(name, CFStringGetTypeID()))
        return NULL;
    for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
        if (CFEqual(name, *algorithms[i].name))
            return &algorithms[i];
    return NULL;
}

/* As Apple's: sign and decrypt need the private key, verify and encrypt the public one. */
static bool supports(const struct sec_key *k, enum op op, const struct algorithm *a)
{
    bool wants_encryption = op == OP_ENCRYPT || op == OP_DECRYPT;
    bool wants_private = op == OP_SIGN || op == OP_DECRYPT;
    int key_type =
        a->scheme == ECDSA_X962 || a->scheme == ECDSA_RFC4754 ? EVP_PKEY_EC : EVP_PKEY_RSA;
    return a->encryption == wants_encryption && k->is_private == wants_private &&
           EVP_PKEY_get_base_id(k->pkey) == key_type;
}

/* The algorithm of a call, or NULL (errSecParam) when the key cannot run it. */
static const struct algorithm *usable(SecKeyRef key, SecKeyAlgorithm name, enum op op,
                                      const struct sec_key **k)
{
    const struct algorithm *a = find_algorithm(name);
    *k = sec_key_of(key);
    return a != NULL && *k != NULL && supports(*k, op, a) ? a : NULL;
}

static bool is_data(CFTypeRef cf)
{
    return cf_is_type(cf, CFDataGetTypeID());
}

/* Bytes of a call's input, as an owned buffer (OPENSSL_free). */
struct bytes {
    unsigned char *p;
    size_t len;
};

static void bytes_free(struct bytes *b)
{
    OPENSSL_clear_free(b->p, b->len);
    b->p = NULL;
    b->len = 0;
}

/* `len` bytes right-aligned in a zeroed block of `block` bytes (raw RSA's input). */
static bool left_pad(const unsigned char *in, size_t len, size_t block, struct bytes *out)
{
    if (len > block || (out->p = OPENSSL_zalloc(block)) == NULL)
        return false;
    memcpy(out->p + block - len, in, len);
    out->len = block;
    return true;
}

/* What the primitive signs or verifies: the message's digest, padded raw input, or a copy. */
static bool operation_input(const struct sec_key *k, const struct algorithm *a, CFDataRef data,
                            struct bytes *out)
{
    const unsigned char *in = CFDataGetBytePtr(data);
    size_t len = (size_t)CFDataGetLength(data);
    out->p = NULL;
    out->len = 0;
    if (a->input == MESSAGE) {
        unsigned int n = 0;
        out->p = OPENSSL_malloc(EVP_MAX_MD_SIZE);
        if (out->p == NULL ||
            !EVP_Digest(in, len, out->p, &n, EVP_get_digestbyname(a->digest), NULL)) {
            bytes_free(out);
            return false;
        }
        out->len = n;
        return true;
    }
    if (a->scheme == RSA_RAW)
        return left_pad(in, len, (size_t)EVP_PKEY_get_size(k->pkey), out);
    out->p = OPENSSL_malloc(len > 0 ? len : 1);
    if (out->p == NULL)
        return false;
    if (len > 0)
        memcpy(out->p, in, len);
    out->len = len;
    return true;
}

/* Sets the scheme's padding and digests on a context after its *_init. */
static bool configure(EVP_PKEY_CTX *ctx, const struct algorithm *a)
{
    const EVP_MD *md = a->digest != NULL ? EVP_get_digestbyname(a->digest) : NULL;
    switch (a->scheme) {
    case RSA_RAW: return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0;
    case RSA_PKCS1:
        if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)
            return false;
        /* A named digest makes OpenSSL check the length and add the DigestInfo. */
        return a->encryption || md == NULL || EVP_PKEY_CTX_set_signature_md(ctx, md) > 0;
    case RSA_OAEP:
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
               EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) > 0 &&
               EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0;
    case ECDSA_X962:
    case ECDSA_RFC4754: return true;
    }
    return false;
}

typedef int (*op_init)(EVP_PKEY_CTX *);
typedef int (*op_run)(EVP_PKEY_CTX *, unsigned char *, size_t *, const unsigned char *, size_t);

/* Runs sign, encrypt or decrypt, which share one shape in OpenSSL. */
static bool run(EVP_PKEY *pkey, const struct algorithm *a, op_init init, op_run fn,
                const struct bytes *in, struct bytes *out)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    size_t len = 0, allocated = 0;
    bool ok = ctx != NULL && init(ctx) == 1 && configure(ctx, a) &&
              fn(ctx, NULL, &len, in->p, in->len) == 1 &&
              (out->p = OPENSSL_malloc(allocated = len)) != NULL &&
              fn(ctx, out->p, &len, in->p, in->len) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        /* A failed decryption may have left part of a plaintext behind. */
        OPENSSL_clear_free(out->p, out->p != NULL ? allocated : 0);
        out->p = NULL;
        ERR_clear_error();
        return false;
    }
    out->len = len;
    return true;
}

/* Bytes of one EC field element: how wide r and s are in an RFC 4754 signature. */
static size_t field_bytes(EVP_PKEY *pkey)
{
    return (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
}

/* DER ECDSA-Sig-Value -> r||s, each left-padded to the field size. */
static bool der_to_rfc4754(EVP_PKEY *pkey, struct bytes *sig)
{
    size_t n = field_bytes(pkey);
    const unsigned char *p = sig->p;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)sig->len);
    unsigned char *raw = s != NULL ? OPENSSL_malloc(2 * n) : NULL;
    bool ok = raw != NULL && BN_bn2binpad(ECDSA_SIG_get0_r(s), raw, (int)n) == (int)n &&
              BN_bn2binpad(ECDSA_SIG_get0_s(s), raw + n, (int)n) == (int)n;
    ECDSA_SIG_free(s);
    bytes_free(sig);
    if (!ok) {
        OPENSSL_free(raw);
        return false;
    }
    sig->p = raw;
    sig->len = 2 * n;
    return true;
}

/* r||s -> DER, for verification; false for a signature of the wrong size. */
static bool rfc4754_to_der(EVP_PKEY *pkey, const unsigned char *raw, size_t len, struct bytes *der)
{
    size_t n = field_bytes(pkey);
    if (len != 2 * n)
        return false;
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)n, NULL), *sv = BN_bin2bn(raw + n, (int)n, NULL);
    if (s == NULL || r == NULL || sv == NULL || !ECDSA_SIG_set0(s, r, sv)) {
        BN_free(r);
        BN_free(sv);
        ECDSA_SIG_free(s);
        return false;
    }
    unsigned char *out = NULL;
    int der_len = i2d_ECDSA_SIG(s, &out);
    ECDSA_SIG_free(s);
    if (der_len <= 0)
        return false;
    der->p = out;
    der->len = (size_t)der_len;
    return true;
}

static CFDataRef data_from(struct bytes *b)
{
    CFDataRef data = b->p != NULL ? CFDataCreate(NULL, b->p, (CFIndex)b->len) : NULL;
    bytes_free(b);
    return data;
}

CFDataRef SecKeyCreateSignature(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef dataToSign,
                                CFErrorRef *error)
{
    const struct sec_key *k;
    const struct algorithm *a = usable(key, algorithm, OP_SIGN, &k);
    struct bytes in = {NULL, 0}, sig = {NULL, 0};
    bool ok = a != NULL && is_data(dataToSign) && operation_input(k, a, dataToSign, &in) &&
              run(k->pkey, a, EVP_PKEY_sign_init, EVP_PKEY_sign, &in, &sig) &&
              (a->scheme != ECDSA_RFC4754 || der_to_rfc4754(k->pkey, &sig));
    bytes_free(&in);
    CFDataRef result = ok ? data_from(&sig) : NULL;
    bytes_free(&sig);
    if (result == NULL)
        sec_set_error(error, errSecParam);
    return result;
}

/* 1 valid, 0 not valid (a mismatch, or a signature that does not even parse). */
static int verify(const struct sec_key *k, const struct algorithm *a, const struct bytes *in,
                  CFDataRef signature)
{
    const unsigned char *sig = CFDataGetBytePtr(signature);
    size_t sig_len = (size_t)CFDataGetLength(signature);
    struct bytes der = {NULL, 0};
    if (a->scheme == ECDSA_RFC4754) {
        if (!rfc4754_to_der(k->pkey, sig, sig_len, &der))
            return 0;
        sig = der.p;
        sig_len = der.len;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
    int ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 && configure(ctx, a) &&
             EVP_PKEY_verify(ctx, sig, sig_len, in->p, in->len) == 1;
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der.p);
    ERR_clear_error();
    return ok;
}

/* A signature that does not match is errSecVerifyFailed; unusable arguments errSecParam. */
Boolean SecKeyVerifySignature(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef signedData,
                              CFDataRef signature, CFErrorRef *error)
{
    const struct sec_key *k;
    const struct algorithm *a = usable(key, algorithm, OP_VERIFY, &k);
    struct bytes in = {NULL, 0};
    if (a == NULL || !is_data(signedData) || !is_data(signature)) {
        sec_set_error(error, errSecParam);
        return false;
    }
    /* Raw RSA input longer than the modulus cannot match any signature. */
    bool ok = operation_input(k, a, signedData, &in) && verify(k, a, &in, signature);
    bytes_free(&in);
    if (!ok)
        sec_set_error(error, errSecVerifyFailed);
    return ok;
}

/* Encryption and decryption: one shape, the primitive differs. */
static CFDataRef encrypt_or_decrypt(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef input,
                                    enum op op, CFErrorRef *error)
{
    const struct sec_key *k;
    const struct algorithm *a = usable(key, algorithm, op, &k);
    struct bytes in = {NULL, 0}, out = {NULL, 0};
    bool ok =
        a != NULL && is_data(input) && operation_input(k, a, input, &in) &&
        (op == OP_ENCRYPT ? run(k->pkey, a, EVP_PKEY_encrypt_init, EVP_PKEY_encrypt, &in, &out)
                          : run(k->pkey, a, EVP_PKEY_decrypt_init, EVP_PKEY_decrypt, &in, &out));
    bytes_free(&in);
    CFDataRef result = ok ? data_from(&out) : NULL;
    bytes_free(&out);
    if (result == NULL)
        sec_set_error(error, errSecParam);
    return result;
}

CFDataRef SecKeyCreateEncryptedData(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef plaintext,
                                    CFErrorRef *error)
{
    return encrypt_or_decrypt(key, algorithm, plaintext, OP_ENCRYPT, error);
}

CFDataRef SecKeyCreateDecryptedData(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef ciphertext,
                                    CFErrorRef *error)
{
    return encrypt_or_decrypt(key, algorithm, ciphertext, OP_DECRYPT, error);
}

Boolean SecKeyIsAlgorithmSupported(SecKeyRef key, SecKeyOperationType operation,
                                   SecKeyAlgorithm algorithm)
{
    const struct sec_key *k;
    if (operation < kSecKeyOperationTypeSign || operation > kSecKeyOperationTypeDecrypt)
        return false;
    return usable(key, algorithm, (enum op)operation, &k) != NULL;
}

/*
 * The legacy raw calls. On macOS kSecPaddingPKCS1SHA* hash their input (the
 * CSSM implementation did); kSecPaddingPKCS1 signs the bytes as they are.
 * EC keys treat every padding but kSecPaddingSigRaw as X9.62.
 */
static SecKeyAlgorithm signature_algorithm(SecKeyRef key, SecPadding padding)
{
    switch (EVP_PKEY_get_base_id(sec_key_pkey(key))) {
    case EVP_PKEY_RSA:
        switch (padding) {
        case kSecPaddingNone: return kSecKeyAlgorithmRSASignatureRaw;
        case kSecPaddingPKCS1: return kSecKeyAlgorithmRSASignatureDigestPKCS1v15Raw;
        case kSecPaddingPKCS1SHA1: return kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA1;
        case kSecPaddingPKCS1SHA224: return kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA224;
        case kSecPaddingPKCS1SHA256: return kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256;
        case kSecPaddingPKCS1SHA384: return kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA384;
        case kSecPaddingPKCS1SHA512: return kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA512;
        default: return NULL;
        }
    case EVP_PKEY_EC:
        return padding == kSecPaddingSigRaw ? kSecKeyAlgorithmECDSASignatureRFC4754
                                            : kSecKeyAlgorithmECDSASignatureDigestX962;
    default: return NULL;
    }
}

static SecKeyAlgorithm encryption_algorithm(SecKeyRef key, SecPadding padding)
{
    if (EVP_PKEY_get_base_id(sec_key_pkey(key)) != EVP_PKEY_RSA)
        return NULL;
    switch (padding) {
    case kSecPaddingNone: return kSecKeyAlgorithmRSAEncryptionRaw;
    case kSecPaddingPKCS1: return kSecKeyAlgorithmRSAEncryptionPKCS1;
    case kSecPaddingOAEP: return kSecKeyAlgorithmRSAEncryptionOAEPSHA1;
    default: return NULL;
    }
}

/* Copies `result` from byte `skip` on into the caller's buffer (*len in/out). */
static OSStatus copy_out(CFDataRef result, size_t skip, uint8_t *out, size_t *len)
{
    size_t n = (size_t)CFDataGetLength(result) - skip;
    OSStatus status = errSecParam;
    if (n <= *len) {
        memcpy(out, CFDataGetBytePtr(result) + skip, n);
        *len = n;
        status = errSecSuccess;
    }
    CFRelease(result);
    return status;
}

/* The input of a raw call as CFData; NULL for a NULL pointer with a length. */
static CFDataRef raw_input(const uint8_t *bytes, size_t len)
{
    if ((bytes == NULL && len > 0) || len > (size_t)LONG_MAX)
        return NULL;
    return CFDataCreate(NULL, bytes, (CFIndex)len);
}

OSStatus SecKeyRawSign(SecKeyRef key, SecPadding padding, const uint8_t *dataToSign,
                       size_t dataToSignLen, uint8_t *sig, size_t *sigLen)
{
    SecKeyAlgorithm algorithm = sec_key_pkey(key) ? signature_algorithm(key, padding) : NULL;
    CFDataRef in = raw_input(dataToSign, dataToSignLen);
    if (algorithm == NULL || in == NULL || sig == NULL || sigLen == NULL) {
        if (in != NULL)
            CFRelease(in);
        return errSecParam;
    }
    CFErrorRef error = NULL;
    CFDataRef result = SecKeyCreateSignature(key, algorithm, in, &error);
    CFRelease(in);
    return result != NULL ? copy_out(result, 0, sig, sigLen) : sec_error_take_status(error);
}

/* A signature that does not match is errSSLCrypto, as the legacy call always reported. */
OSStatus SecKeyRawVerify(SecKeyRef key, SecPadding padding, const uint8_t *signedData,
                         size_t signedDataLen, const uint8_t *sig, size_t sigLen)
{
    SecKeyAlgorithm algorithm = sec_key_pkey(key) ? signature_algorithm(key, padding) : NULL;
    CFDataRef in = raw_input(signedData, signedDataLen);
    CFDataRef signature = raw_input(sig, sigLen);
    OSStatus status = errSecParam;
    if (algorithm != NULL && in != NULL && signature != NULL) {
        CFErrorRef error = NULL;
        SecKeyVerifySignature(key, algorithm, in, signature, &error);
        status = sec_error_take_status(error);
        if (status == errSecVerifyFailed)
            status = errSSLCrypto;
    }
    if (in != NULL)
        CFRelease(in);
    if (signature != NULL)
        CFRelease(signature);
    return status;
}

OSStatus SecKeyEncrypt(SecKeyRef key, SecPadding padding, const uint8_t *plainText,
                       size_t plainTextLen, uint8_t *cipherText, size_t *cipherTextLen)
{
    SecKeyAlgorithm algorithm = sec_key_pkey(key) ? encryption_algorithm(key, padding) : NULL;
    CFDataRef in = raw_input(plainText, plainTextLen);
    if (algorithm == NULL || in == NULL || cipherText == NULL || cipherTextLen == NULL) {
        if (in != NULL)
            CFRelease(in);
        return errSecParam;
    }
    CFErrorRef error = NULL;
    CFDataRef result = SecKeyCreateEncryptedData(key, algorithm, in, &error);
    CFRelease(in);
    return result != NULL ? copy_out(result, 0, cipherText, cipherTextLen)
                          : sec_error_take_status(error);
}

/* Raw decryption strips the block's leading zero bytes, as the legacy call promised. */
OSStatus SecKeyDecrypt(SecKeyRef key, SecPadding padding, const uint8_t *cipherText,
                       size_t cipherTextLen, uint8_t *plainText, size_t *plainTextLen)
{
    SecKeyAlgorithm algorithm = sec_key_pkey(key) ? encryption_algorithm(key, padding) : NULL;
    CFDataRef in = raw_input(cipherText, cipherTextLen);
    if (algorithm == NULL || in == NULL || plainText == NULL || plainTextLen == NULL) {
        if (in != NULL)
            CFRelease(in);
        return errSecParam;
    }
    CFErrorRef error = NULL;
    CFDataRef result = SecKeyCreateDecryptedData(key, algorithm, in, &error);
    CFRelease(in);
    if (result == NULL)
        return sec_error_take_status(error);
    size_t skip = 0;
    const UInt8 *p = CFDataGetBytePtr(result);
    while (padding == kSecPaddingNone && skip < (size_t)CFDataGetLength(result) && p[skip] == 0)
        skip++;
    return copy_out(result, skip, plainText, plainTextLen);
}
