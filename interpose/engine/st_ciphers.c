/*
 * Cipher suites by IANA value (SSLCipherSuite is the wire code point, as
 * SSL_CIPHER_get_protocol_id reports it). The supported list is every suite
 * this OpenSSL offers except NULL encryption; the default list is
 * OpenSSL's own default (the system's security policy applies). Both are
 * computed once per process.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "st_engine.h"

enum { ST_CIPHER_MAX = 512 };

static uint16_t st_supported[ST_CIPHER_MAX];
static size_t st_supported_count;
static uint16_t st_defaults[2][ST_CIPHER_MAX];
static size_t st_defaults_count[2];
static SSL_CTX *st_cipher_catalog; /* keeps the SSL_CIPHERs of st_supported alive */
static pthread_once_t st_cipher_once = PTHREAD_ONCE_INIT;

bool st_cipher_is_pre_shared(const SSL_CIPHER *c)
{
    int kx = SSL_CIPHER_get_kx_nid(c);
    return kx == NID_kx_psk || kx == NID_kx_ecdhe_psk || kx == NID_kx_dhe_psk ||
           kx == NID_kx_rsa_psk || kx == NID_kx_srp;
}

/* Pre-shared-key, SRP and anonymous suites: usable when asked for, never by default. */
static bool st_cipher_needs_setup(const SSL_CIPHER *c)
{
    return st_cipher_is_pre_shared(c) || SSL_CIPHER_get_auth_nid(c) == NID_auth_null;
}

static size_t st_cipher_ids(STACK_OF(SSL_CIPHER) * ciphers, bool datagram, bool defaults,
                            uint16_t *out)
{
    size_t n = 0;
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers) && n < ST_CIPHER_MAX; i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(ciphers, i);
        /* DTLS has no 1.3 in OpenSSL 3.0. */
        if ((datagram && st_cipher_is_tls13(c)) || (defaults && st_cipher_needs_setup(c)))
            continue;
        out[n++] = SSL_CIPHER_get_protocol_id(c);
    }
    return n;
}

static void st_cipher_defaults_for(bool datagram)
{
    SSL_CTX *plain = SSL_CTX_new(datagram ? DTLS_method() : TLS_method());
    if (plain == NULL)
        return;
    st_defaults_count[datagram] =
        st_cipher_ids(SSL_CTX_get_ciphers(plain), datagram, true, st_defaults[datagram]);
    SSL_CTX_free(plain);
}

static void st_cipher_tables_build(void)
{
    SSL_CTX *all = SSL_CTX_new(TLS_method());
    if (all == NULL)
        return;
    SSL_CTX_set_security_level(all, 0);
    if (!SSL_CTX_set_cipher_list(all, "ALL:COMPLEMENTOFALL:!eNULL") ||
        !SSL_CTX_set_ciphersuites(all, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                                       "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:"
                                       "TLS_AES_128_CCM_8_SHA256")) {
        SSL_CTX_free(all);
        return;
    }
    st_supported_count = st_cipher_ids(SSL_CTX_get_ciphers(all), false, false, st_supported);
    st_cipher_catalog = all;
    st_cipher_defaults_for(false);
    st_cipher_defaults_for(true);
}

size_t st_cipher_supported(const uint16_t **list)
{
    pthread_once(&st_cipher_once, st_cipher_tables_build);
    *list = st_supported;
    return st_supported_count;
}

size_t st_cipher_defaults(bool datagram, const uint16_t **list)
{
    pthread_once(&st_cipher_once, st_cipher_tables_build);
    *list = st_defaults[datagram];
    return st_defaults_count[datagram];
}

const SSL_CIPHER *st_cipher_lookup(uint16_t iana)
{
    pthread_once(&st_cipher_once, st_cipher_tables_build);
    if (st_cipher_catalog == NULL)
        return NULL;
    STACK_OF(SSL_CIPHER) *all = SSL_CTX_get_ciphers(st_cipher_catalog);
    for (int i = 0; i < sk_SSL_CIPHER_num(all); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(all, i);
        if (SSL_CIPHER_get_protocol_id(c) == iana)
            return c;
    }
    return NULL;
}

bool st_cipher_list_append(char **list, size_t *len, const char *name)
{
    size_t add = strlen(name) + 1;
    char *grown = realloc(*list, *len + add + 1);
    if (grown == NULL)
        return false;
    if (*len > 0)
        grown[(*len)++] = ':';
    memcpy(grown + *len, name, add - 1);
    *len += add - 1;
    grown[*len] = '\0';
    *list = grown;
    return true;
}

/*
 * The context's own list, in its order: TLS 1.3 suites and the older ones
 * go to OpenSSL separately. A list with no suite below 1.3 means 1.3 only;
 * one without 1.3 suites turns 1.3 off.
 */
OSStatus st_cipher_apply(struct st_context *ctx, SSL *ssl)
{
    if (ctx->enabled_ciphers == NULL)
        return errSecSuccess;
    char *legacy = NULL, *modern = NULL;
    size_t legacy_len = 0, modern_len = 0;
    bool anonymous = false, ok = true;
    for (size_t i = 0; ok && i < ctx->enabled_cipher_count; i++) {
        const SSL_CIPHER *c = st_cipher_lookup(ctx->enabled_ciphers[i]);
        if (c == NULL)
            continue;
        if (st_cipher_is_tls13(c)) {
            ok = st_cipher_list_append(&modern, &modern_len, SSL_CIPHER_get_name(c));
        } else {
            ok = st_cipher_list_append(&legacy, &legacy_len, SSL_CIPHER_get_name(c));
            anonymous |= SSL_CIPHER_get_auth_nid(c) == NID_auth_null;
        }
    }
    OSStatus status = ok ? errSecSuccess : errSecAllocate;
    /* Anonymous suites exist only at OpenSSL's security level 0. */
    if (anonymous)
        SSL_set_security_level(ssl, 0);
    if (status == errSecSuccess && !SSL_set_ciphersuites(ssl, modern != NULL ? modern : ""))
        status = errSSLBadConfiguration;
    /* An OpenSSL client offering 1.3 without 1.3 suites sends nothing at all. */
    if (status == errSecSuccess && modern == NULL && !ctx->datagram) {
        long max = SSL_get_max_proto_version(ssl);
        if ((max == 0 || max > TLS1_2_VERSION) && !SSL_set_max_proto_version(ssl, TLS1_2_VERSION))
            status = errSSLBadConfiguration;
    }
    if (status == errSecSuccess) {
        if (legacy == NULL) {
            if (modern == NULL || ctx->datagram || !SSL_set_min_proto_version(ssl, TLS1_3_VERSION))
                status = errSSLBadConfiguration;
        } else if (!SSL_set_cipher_list(ssl, legacy)) {
            status = errSSLBadConfiguration;
        }
    }
    free(legacy);
    free(modern);
    return status;
}

bool st_cipher_traits(uint16_t iana, struct st_cipher_traits *traits)
{
    const SSL_CIPHER *c = st_cipher_lookup(iana);
    if (c == NULL)
        return false;
    int kx = SSL_CIPHER_get_kx_nid(c);
    traits->tls13 = st_cipher_is_tls13(c);
    traits->pre_shared = st_cipher_is_pre_shared(c);
    traits->anonymous = SSL_CIPHER_get_auth_nid(c) == NID_auth_null;
    traits->ecdhe_kx = kx == NID_kx_ecdhe;
    traits->rsa_kx = kx == NID_kx_rsa;
    traits->triple_des = SSL_CIPHER_get_cipher_nid(c) == NID_des_ede3_cbc;
    return true;
}

const char *st_cipher_standard_name(uint16_t iana)
{
    const SSL_CIPHER *c = st_cipher_lookup(iana);
    return c != NULL ? SSL_CIPHER_standard_name(c) : NULL;
}
