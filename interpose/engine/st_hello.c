/*
 * The callbacks that run while hellos and certificate requests are
 * processed: our identity goes on the SSL object when it is needed (so it
 * may be set after errSSLClientCertRequested or errSSLClientHelloReceived),
 * the server reads SNI and the ALPN offer from the ClientHello, picks an
 * ALPN protocol and staples OCSP.
 */
#include <stdlib.h>
#include <string.h>

#include "sec_internal.h"
#include "st_engine.h"

/* SSLSetCertificate's [identity, intermediates...] on the SSL object. */
static int st_install_identity(const struct st_context *ctx, SSL *ssl)
{
    SecIdentityRef identity = (SecIdentityRef)CFArrayGetValueAtIndex(ctx->certificates, 0);
    SecCertificateRef cert = NULL;
    SecKeyRef key = NULL;
    if (SecIdentityCopyCertificate(identity, &cert) != errSecSuccess || cert == NULL)
        return 0;
    if (SecIdentityCopyPrivateKey(identity, &key) != errSecSuccess || key == NULL) {
        CFRelease(cert);
        return 0;
    }
    STACK_OF(X509) *chain = sk_X509_new_null();
    int ok = chain != NULL;
    for (CFIndex i = 1; ok && i < CFArrayGetCount(ctx->certificates); i++)
        ok = sk_X509_push(chain,
                          sec_certificate_x509(CFArrayGetValueAtIndex(ctx->certificates, i))) > 0;
    ok = ok && SSL_use_cert_and_key(ssl, sec_certificate_x509(cert), sec_key_pkey(key), chain, 1);
    sk_X509_free(chain); /* OpenSSL took its own references */
    CFRelease(cert);
    CFRelease(key);
    return ok;
}

int st_certificate_callback(SSL *ssl, void *arg)
{
    (void)arg;
    struct st_context *ctx = st_engine_context_of(ssl);
    /* SSLSetError at the certificate-request break: the handshake ends here. */
    if (ctx == NULL || ctx->session.reject_status != errSecSuccess)
        return 0;
    if (!ctx->server) {
        /* Called only when the server asked for a certificate. */
        ctx->session.client_cert_state =
            ctx->certificates != NULL ? kSSLClientCertSent : kSSLClientCertRequested;
        if (ctx->certificates == NULL &&
            ctx->session_options[kSSLSessionOptionBreakOnCertRequested] &&
            !ctx->session.cert_request_break_taken) {
            ctx->session.cert_request_break_taken = true;
            return -1;
        }
    }
    if (ctx->certificates == NULL)
        return 1; /* a server without one fails in OpenSSL: errSSLBadConfiguration */
    return st_install_identity(ctx, ssl);
}

/* The host_name entry of a server_name extension, if well formed; false when out of memory. */
static bool st_hello_note_sni(struct st_context *ctx, const unsigned char *p, size_t len)
{
    if (len < 5 || ((size_t)p[0] << 8 | p[1]) != len - 2 || p[2] != TLSEXT_NAMETYPE_host_name)
        return true;
    size_t name_len = (size_t)p[3] << 8 | p[4];
    if (name_len == 0 || name_len > len - 5 || memchr(p + 5, 0, name_len) != NULL)
        return true;
    char *name = malloc(name_len + 1);
    if (name == NULL)
        return false;
    memcpy(name, p + 5, name_len);
    name[name_len] = '\0';
    free(ctx->session.requested_peer_name);
    ctx->session.requested_peer_name = name;
    ctx->session.requested_peer_name_len = name_len + 1; /* Apple counts the NUL (§10) */
    return true;
}

/* The client's ALPN list, kept in wire format for SSLCopyALPNProtocols; false when out of memory.
 */
static bool st_hello_note_alpn(struct st_context *ctx, const unsigned char *p, size_t len)
{
    if (len < 2 || ((size_t)p[0] << 8 | p[1]) != len - 2)
        return true;
    uint8_t *copy = malloc(len - 2);
    if (copy == NULL)
        return false;
    memcpy(copy, p + 2, len - 2);
    free(ctx->session.peer_alpn);
    ctx->session.peer_alpn = copy;
    ctx->session.peer_alpn_len = len - 2;
    return true;
}

int st_client_hello_callback(SSL *ssl, int *alert, void *arg)
{
    (void)arg;
    struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL)
        return SSL_CLIENT_HELLO_ERROR;
    /* SSLSetError at the ClientHello break: refuse the hello with the matching alert. */
    if (ctx->session.reject_status != errSecSuccess) {
        *alert = st_alert_for_rejection(ctx->session.reject_status, SSL_AD_HANDSHAKE_FAILURE);
        return SSL_CLIENT_HELLO_ERROR;
    }
    const unsigned char *ext;
    size_t ext_len;
    bool noted = true;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext, &ext_len))
        noted = st_hello_note_sni(ctx, ext, ext_len);
    if (noted && SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation,
                                           &ext, &ext_len))
        noted = st_hello_note_alpn(ctx, ext, ext_len);
    if (!noted) {
        /* Out of memory: going on would show the app a hello without its name or protocols. */
        ctx->session.io_status = errSecAllocate;
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    if (ctx->client_auth != kNeverAuthenticate)
        ctx->session.client_cert_state = kSSLClientCertRequested;
    /*
     * Every ClientHello breaks once, a renegotiating client's included: the
     * first call for a hello stops, the retry for the same hello goes on.
     */
    if (ctx->session_options[kSSLSessionOptionBreakOnClientHello]) {
        ctx->session.client_hello_break_taken = !ctx->session.client_hello_break_taken;
        if (ctx->session.client_hello_break_taken)
            return SSL_CLIENT_HELLO_RETRY;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

/*
 * The server's first protocol that the client also offered. None in common
 * is a fatal no_application_protocol alert (RFC 7301 §3.2), where 10.15
 * went on without a protocol (README: Differences).
 */
int st_alpn_select_callback(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                            const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)arg;
    const struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL || ctx->alpn == NULL || ctx->alpn_len == 0)
        return SSL_TLSEXT_ERR_NOACK;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, ctx->alpn, (unsigned)ctx->alpn_len, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

/* Staples SSLSetOCSPResponse's bytes when the client asks for status. */
int st_ocsp_status_callback(SSL *ssl, void *arg)
{
    (void)arg;
    const struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL || ctx->ocsp_response == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    CFIndex len = CFDataGetLength(ctx->ocsp_response);
    unsigned char *copy = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
    if (copy == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    memcpy(copy, CFDataGetBytePtr(ctx->ocsp_response), (size_t)len);
    SSL_set_tlsext_status_ocsp_resp(ssl, copy, len);
    return SSL_TLSEXT_ERR_OK;
}

/* DTLS server: the HelloVerifyRequest cookie is SSLSetDatagramHelloCookie's value. */
int st_dtls_cookie_generate(SSL *ssl, unsigned char *cookie, unsigned int *cookie_len)
{
    const struct st_context *ctx = st_engine_context_of(ssl);
    if (ctx == NULL || ctx->dtls_cookie_len == 0)
        return 0;
    memcpy(cookie, ctx->dtls_cookie, ctx->dtls_cookie_len);
    *cookie_len = (unsigned int)ctx->dtls_cookie_len;
    return 1;
}

int st_dtls_cookie_verify(SSL *ssl, const unsigned char *cookie, unsigned int cookie_len)
{
    const struct st_context *ctx = st_engine_context_of(ssl);
    return ctx != NULL && cookie_len == ctx->dtls_cookie_len &&
           CRYPTO_memcmp(cookie, ctx->dtls_cookie, cookie_len) == 0;
}
