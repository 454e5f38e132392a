/*
 * Finite-field Diffie-Hellman settings: SSLSetDiffieHellmanParams (server),
 * SSLSetMinimumDHGroupSize (client) and SSLSetDHEEnabled (both).
 *
 * OpenSSL applies one security floor to everything; 10.15 judged the peer's
 * DH group by the app's minimum alone. A security callback on the SSL object
 * takes over the DH group check only (SSL_SECOP_TMP_DH) and leaves keys,
 * signatures, curves and versions to OpenSSL's own callback.
 */
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <stdlib.h>

#include "st_engine.h"

EVP_PKEY *st_dh_params_decode(const uint8_t *der, size_t len)
{
    EVP_PKEY *params = NULL;
    OSSL_DECODER_CTX *dec = OSSL_DECODER_CTX_new_for_pkey(
        &params, "DER", "type-specific", "DH", OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS, NULL, NULL);
    const unsigned char *p = der;
    size_t left = len;
    int ok = dec != NULL && OSSL_DECODER_from_data(dec, &p, &left) && left == 0;
    OSSL_DECODER_CTX_free(dec);
    ERR_clear_error();
    if (!ok) {
        EVP_PKEY_free(params);
        return NULL;
    }
    return params;
}

bool st_dh_params_valid(const uint8_t *der, size_t len)
{
    EVP_PKEY *params = st_dh_params_decode(der, len);
    EVP_PKEY_free(params);
    return params != NULL;
}

/*
 * The DH group check, per side: a server uses the parameters its app gave
 * at whatever size (10.15 did); a client with SSLSetMinimumDHGroupSize
 * accepts a group of at least that many bits. Everything else, and a client
 * without a minimum, goes to OpenSSL's default callback.
 */
static int st_dh_security_callback(const SSL *ssl, const SSL_CTX *ssl_ctx, int op, int bits,
                                   int nid, void *other, void *ex)
{
    const struct st_context *ctx = ssl != NULL ? st_engine_context_of(ssl) : NULL;
    if (ctx != NULL && (op & ~SSL_SECOP_PEER) == SSL_SECOP_TMP_DH && other != NULL) {
        if (ctx->server && ctx->dh_params != NULL)
            return 1;
        if (!ctx->server && ctx->min_dh_group_bits > 0)
            return EVP_PKEY_get_bits(other) >= (int)ctx->min_dh_group_bits;
    }
    const SSL_CTX *shared = ssl != NULL ? SSL_get_SSL_CTX(ssl) : ssl_ctx;
    int (*fallback)(const SSL *, const SSL_CTX *, int, int, int, void *, void *) =
        SSL_CTX_get_security_callback(shared);
    return fallback != NULL ? fallback(ssl, ssl_ctx, op, bits, nid, other, ex) : 1;
}

/* SSLSetDHEEnabled(false): the suites with ephemeral DH key exchange leave the list. */
ST_MUST_USE static OSStatus st_dh_remove_dhe_suites(SSL *ssl)
{
    STACK_OF(SSL_CIPHER) *ciphers = SSL_get_ciphers(ssl);
    char *list = NULL;
    size_t len = 0;
    bool removed = false;
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(ciphers, i);
        if (st_cipher_is_tls13(c))
            continue; /* set apart, by SSL_set_ciphersuites */
        if (SSL_CIPHER_get_kx_nid(c) == NID_kx_dhe) {
            removed = true;
            continue;
        }
        if (!st_cipher_list_append(&list, &len, SSL_CIPHER_get_name(c))) {
            free(list);
            return errSecAllocate;
        }
    }
    OSStatus status = errSecSuccess;
    if (removed) {
        /* Nothing left below TLS 1.3: only 1.3 can be spoken. */
        if (list == NULL) {
            if (SSL_is_dtls(ssl) || !SSL_set_min_proto_version(ssl, TLS1_3_VERSION))
                status = errSSLBadConfiguration;
        } else if (!SSL_set_cipher_list(ssl, list))
            status = errSSLBadConfiguration;
    }
    free(list);
    return status;
}

/* The server's group for DHE suites: SSLSetDiffieHellmanParams', or OpenSSL's by key size. */
ST_MUST_USE static OSStatus st_dh_apply_params(const struct st_context *ctx, SSL *ssl)
{
    if (ctx->dh_params == NULL) {
        SSL_set_dh_auto(ssl, 1);
        return errSecSuccess;
    }
    EVP_PKEY *params = st_dh_params_decode(ctx->dh_params, ctx->dh_params_len);
    if (params == NULL || !SSL_set0_tmp_dh_pkey(ssl, params)) {
        EVP_PKEY_free(params);
        return errSSLBadConfiguration;
    }
    return errSecSuccess;
}

OSStatus st_dh_configure(struct st_context *ctx, SSL *ssl)
{
    /* Before the parameters: setting them already runs the group check. */
    SSL_set_security_callback(ssl, st_dh_security_callback);
    if (!ctx->dhe_enabled) {
        OSStatus status = st_dh_remove_dhe_suites(ssl);
        if (status != errSecSuccess)
            return status;
    }
    return ctx->server ? st_dh_apply_params(ctx, ssl) : errSecSuccess;
}

bool st_dh_group_refused(const struct st_context *ctx)
{
    unsigned long err = ERR_peek_error();
    return !ctx->server && ERR_GET_LIB(err) == ERR_LIB_SSL &&
           ERR_GET_REASON(err) == SSL_R_DH_KEY_TOO_SMALL;
}
