/*
 * SecKey: a public or private key (RSA or EC), from a certificate or an
 * import. Keys know nothing of certificates: a certificate hands out its
 * key (sec_certificate.c).
 */
#include <openssl/core_names.h>

#include "cf_string.h"
#include "sec_internal.h"

static void sec_key_finalize(CFTypeRef cf);
static bool sec_key_equal(CFTypeRef a, CFTypeRef b);
static CFStringRef sec_key_copy_description(CFTypeRef cf);

static const struct cf_class sec_key_class = {
    .name = "SecKey",
    .finalize = sec_key_finalize,
    .equal = sec_key_equal,
    .copy_description = sec_key_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecKeyGetTypeID, sec_key_class)

EVP_PKEY *sec_key_pkey(CFTypeRef key)
{
    return cf_is_type(key, SecKeyGetTypeID()) ? ((struct sec_key *)key)->pkey : NULL;
}

SecKeyRef sec_key_from_pkey(EVP_PKEY *pkey, bool is_private)
{
    if (pkey == NULL || !EVP_PKEY_up_ref(pkey))
        return NULL;
    struct sec_key *k = cf_object_create(SecKeyGetTypeID(), sizeof(*k));
    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    k->pkey = pkey;
    k->is_private = is_private;
    return (SecKeyRef)k;
}

static void sec_key_finalize(CFTypeRef cf)
{
    EVP_PKEY_free(((struct sec_key *)cf)->pkey);
}

/* Keys compare by their public half: a private key equals its public key's twin too. */
static bool sec_key_equal(CFTypeRef a, CFTypeRef b)
{
    const struct sec_key *x = a, *y = b;
    return x->is_private == y->is_private && EVP_PKEY_eq(x->pkey, y->pkey) == 1;
}

/*
 * Apple's external representations: PKCS#1 for RSA keys, the X9.63 point
 * (plus the private scalar) for EC keys.
 */
CFDataRef SecKeyCopyExternalRepresentation(SecKeyRef key, CFErrorRef *error)
{
    EVP_PKEY *pkey = sec_key_pkey(key);
    CFDataRef data = NULL;
    if (pkey != NULL && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        unsigned char *der = NULL;
        int len = ((struct sec_key *)key)->is_private ? i2d_PrivateKey(pkey, &der)
                                                      : i2d_PublicKey(pkey, &der);
        if (len > 0)
            data = CFDataCreate(NULL, der, len);
        OPENSSL_clear_free(der, len > 0 ? (size_t)len : 0); /* a private key's PKCS#1 */
    } else if (pkey != NULL && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
        unsigned char point[200], *out = NULL;
        size_t point_len = 0;
        if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point),
                                            &point_len)) {
            BIGNUM *d = NULL;
            size_t scalar = ((struct sec_key *)key)->is_private &&
                                    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d)
                                ? (EVP_PKEY_get_bits(pkey) + 7) / 8
                                : 0;
            out = OPENSSL_malloc(point_len + scalar);
            if (out != NULL) {
                memcpy(out, point, point_len);
                if (scalar > 0)
                    BN_bn2binpad(d, out + point_len, (int)scalar);
                data = CFDataCreate(NULL, out, (CFIndex)(point_len + scalar));
            }
            OPENSSL_clear_free(out, point_len + scalar);
            BN_clear_free(d);
        }
    }
    if (data == NULL && error != NULL)
        *error = CFErrorCreate(NULL, kCFErrorDomainOSStatus, errSecParam, NULL);
    return data;
}

static CFStringRef sec_key_copy_description(CFTypeRef cf)
{
    const struct sec_key *k = cf;
    int type = EVP_PKEY_get_base_id(k->pkey);
    return cf_string_create_format("<SecKeyRef %s %s key: bits %d, addr: %p>",
                                   type == EVP_PKEY_RSA  ? "RSA"
                                   : type == EVP_PKEY_EC ? "EC"
                                                         : "other",
                                   k->is_private ? "private" : "public", EVP_PKEY_get_bits(k->pkey),
                                   cf);
}
