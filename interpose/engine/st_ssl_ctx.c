/*
 * The shared SSL_CTX objects: one per (side, stream/datagram), made on first
 * use and kept for the life of the process. Everything per connection goes
 * on the SSL object; the callbacks installed here find their context through
 * the SSL's app data, so a context costs no SSL_CTX of its own.
 *
 * Verification is ours (SecTrust over X509_verify_cert, st_verify.c), so the
 * SSL_CTXs load no trust store.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "st_engine.h"

/* Made one at a time as first needed: a client-only program never builds the server's. */
static _Atomic(SSL_CTX *) st_shared[2][2];
static pthread_mutex_t st_shared_lock = PTHREAD_MUTEX_INITIALIZER;

static SSL_CTX *st_ssl_ctx_create(bool server, bool datagram)
{
    const SSL_METHOD *method = datagram ? DTLS_method() : TLS_method();
    SSL_CTX *ssl_ctx = SSL_CTX_new(method);
    if (ssl_ctx == NULL)
        return NULL;
    SSL_CTX_set_cert_verify_callback(ssl_ctx, st_verify_peer_chain, NULL);
    /* SSLWrite hands OpenSSL a copy when it has to retry, so the buffer moves. */
    SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_clear_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
    /* An idle connection holds no record buffers (st-bench: connected memory). */
    SSL_CTX_set_mode(ssl_ctx, SSL_MODE_RELEASE_BUFFERS);
    st_keylog_install(ssl_ctx);
    if (server) {
        SSL_CTX_set_client_hello_cb(ssl_ctx, st_client_hello_callback, NULL);
        SSL_CTX_set_alpn_select_cb(ssl_ctx, st_alpn_select_callback, NULL);
        SSL_CTX_set_tlsext_status_cb(ssl_ctx, st_ocsp_status_callback);
        /* Our cache, so resumption follows SSLSetPeerID (st_session_cache.c). */
        SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
        SSL_CTX_sess_set_new_cb(ssl_ctx, st_session_cache_new_session);
        SSL_CTX_sess_set_get_cb(ssl_ctx, st_session_cache_get);
        if (datagram) {
            SSL_CTX_set_cookie_generate_cb(ssl_ctx, st_dtls_cookie_generate);
            SSL_CTX_set_cookie_verify_cb(ssl_ctx, st_dtls_cookie_verify);
        }
        static const unsigned char id_context[] = "sectrans";
        SSL_CTX_set_session_id_context(ssl_ctx, id_context, sizeof(id_context) - 1);
    } else {
        /* Our own cache keeps client sessions (st_session_cache.c). */
        SSL_CTX_set_session_cache_mode(ssl_ctx,
                                       SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ssl_ctx, st_session_cache_new_session);
    }
    return ssl_ctx;
}

SSL_CTX *st_ssl_ctx_shared(bool server, bool datagram)
{
    _Atomic(SSL_CTX *) *slot = &st_shared[server][datagram];
    SSL_CTX *ssl_ctx = atomic_load_explicit(slot, memory_order_acquire);
    if (ssl_ctx != NULL)
        return ssl_ctx;
    pthread_mutex_lock(&st_shared_lock);
    ssl_ctx = atomic_load_explicit(slot, memory_order_relaxed);
    if (ssl_ctx == NULL) {
        ssl_ctx = st_ssl_ctx_create(server, datagram);
        atomic_store_explicit(slot, ssl_ctx, memory_order_release);
    }
    pthread_mutex_unlock(&st_shared_lock);
    return ssl_ctx;
}
