/*
 * The TLS engine: OpenSSL driven on behalf of one Secure Transport context.
 *
 * The entry points in interpose/ check arguments and session state; the
 * functions here do the protocol work and translate OpenSSL's results into
 * Secure Transport's codes (behaviour.md §3-§7, §12).
 */
#ifndef SECTRANS_ST_ENGINE_H
#define SECTRANS_ST_ENGINE_H

#include <openssl/ssl.h>

#include "st_context.h"

/* Results after which a handshake goes on: success, would-block and the break points. */
static inline bool st_status_continues(OSStatus status)
{
    return status == errSecSuccess || status == errSSLWouldBlock ||
           status == errSSLPeerAuthCompleted || status == errSSLClientCertRequested ||
           status == errSSLClientHelloReceived;
}

/*
 * Starts ctx->session afresh (st_engine_free first) and creates its SSL object
 * from the context's settings; errSecSuccess or a configuration error.
 */
ST_MUST_USE OSStatus st_engine_start(struct st_context *ctx);

/* Frees everything ctx->session owns and zeroes it: the one cleanup place for a session. */
void st_engine_free(struct st_context *ctx);

/* One SSLHandshake call's worth of work: 0 when the handshake is complete. */
ST_MUST_USE OSStatus st_engine_handshake(struct st_context *ctx);

/* Server: errSSLClientAuthCompleted once the client's certificate has paused the handshake. */
ST_MUST_USE OSStatus st_engine_client_auth_break(struct st_context *ctx, OSStatus status);

/* SSLRead after the gates: at most one record (behaviour.md §5). */
ST_MUST_USE OSStatus st_engine_read(struct st_context *ctx, void *data, size_t len,
                                    size_t *processed);

/* SSLWrite after the gates: all or nothing, then a flush (behaviour.md §6). */
ST_MUST_USE OSStatus st_engine_write(struct st_context *ctx, const void *data, size_t len,
                                     size_t *processed);

/* Sends close_notify once and flushes (behaviour.md §7). */
ST_MUST_USE OSStatus st_engine_close(struct st_context *ctx);

/* False for a TLS 1.2 peer without secure renegotiation (RFC 5746): no renegotiating with it. */
bool st_engine_may_renegotiate(const struct st_context *ctx);

/* Starts a renegotiation (TLS 1.2) or a key update (TLS 1.3). */
ST_MUST_USE OSStatus st_engine_renegotiate(struct st_context *ctx);

/* Ends a handshake paused at a break point with the fatal alert matching `status`. */
void st_engine_abort_handshake(struct st_context *ctx, OSStatus status);

/* The context behind an SSL object of ours (its app data); inline so OpenSSL's callbacks need
 * no module of their own to find it. */
static inline struct st_context *st_engine_context_of(const SSL *ssl)
{
    return SSL_get_app_data(ssl);
}

/* Starts one engine call's I/O: no callback status, no would-block seen yet. */
void st_io_begin(struct st_context *ctx);

/* A BIO that moves bytes through the context's SSLReadFunc/SSLWriteFunc. */
BIO *st_bio_new(struct st_context *ctx);

/* SECTRANS_DIAG: whether it is on; a connection's alerts as they pass; the report on a failure. */
bool st_diag_enabled(void);
void st_diag_note_alert(struct st_context *ctx, bool received, int value);
void st_diag_handshake_failed(struct st_context *ctx, OSStatus status);

/* SSLKEYLOGFILE: appends the secrets of the connections of `ssl_ctx` to that file, if set. */
void st_keylog_install(SSL_CTX *ssl_ctx);

/* The shared SSL_CTX for a side and transport, created on first use; NULL if out of memory. */
SSL_CTX *st_ssl_ctx_shared(bool server, bool datagram);

/* The status a failed OpenSSL call stands for, after SSL_get_error (§12). */
ST_MUST_USE OSStatus st_engine_status(struct st_context *ctx, int ret);

/* Secure Transport's error for a TLS alert received from the peer, or 0 to ignore it. */
ST_MUST_USE OSStatus st_alert_received_status(int alert, bool fatal);

/*
 * The fatal alert that answers SSLSetError's status: certificate_expired and
 * certificate_revoked for the two certificate codes Apple maps (behaviour.md
 * §4), bad_certificate for errSSLBadCert, `otherwise` for the rest.
 */
int st_alert_for_rejection(OSStatus status, int otherwise);

/* Verifies the peer's chain with SecTrust; the cert verify callback of our SSL_CTXs. */
int st_verify_peer_chain(X509_STORE_CTX *store, void *arg);

/*
 * After a handshake that verified nothing (a resumed session): its session's
 * peer chain becomes the one a renegotiation must keep (the identity check).
 */
void st_verify_note_session_chain(struct st_context *ctx);

/* The peer's trust, rebuilt from the session when the handshake made none (resumption). */
SecTrustRef st_peer_trust_copy(struct st_context *ctx);

/* PKCS#3 DHParameter (DER) as a key object; NULL if it does not decode. */
EVP_PKEY *st_dh_params_decode(const uint8_t *der, size_t len);

/* Whether `der` is one whole PKCS#3 DHParameter (SSLSetDiffieHellmanParams' check). */
bool st_dh_params_valid(const uint8_t *der, size_t len);

/* The DH group check, SSLSetDHEEnabled and the server's parameters on the SSL object. */
ST_MUST_USE OSStatus st_dh_configure(struct st_context *ctx, SSL *ssl);

/* Client: the failure on the error queue is a peer's DH group refused as too small. */
bool st_dh_group_refused(const struct st_context *ctx);

/* Puts the identity of SSLSetCertificate on the SSL object; the cert callback. */
int st_certificate_callback(SSL *ssl, void *arg);

/* Server: the ClientHello callback (SNI, ALPN offer, the break point). */
int st_client_hello_callback(SSL *ssl, int *alert, void *arg);

/* Server: picks the ALPN protocol. */
int st_alpn_select_callback(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                            const unsigned char *in, unsigned int inlen, void *arg);

/* Server: staples the OCSP response of SSLSetOCSPResponse. */
int st_ocsp_status_callback(SSL *ssl, void *arg);

/* DTLS server: HelloVerifyRequest cookies from SSLSetDatagramHelloCookie. */
int st_dtls_cookie_generate(SSL *ssl, unsigned char *cookie, unsigned int *cookie_len);
int st_dtls_cookie_verify(SSL *ssl, const unsigned char *cookie, unsigned int cookie_len);

/* Client session cache (keyed by SSLSetPeerID and the trust settings). */
SSL_SESSION *st_session_cache_find(const struct st_context *ctx);
int st_session_cache_new_session(SSL *ssl, SSL_SESSION *session);
void st_session_cache_remove(const struct st_context *ctx);
SSL_SESSION *st_session_cache_get(SSL *ssl, const unsigned char *sid, int sid_len, int *copy);

/* Ciphers: the supported list (IANA values), the defaults, and OpenSSL's names. */
/* TLS 1.3 suites are the IANA block 0x13xx. */
static inline bool st_cipher_is_tls13(const SSL_CIPHER *c)
{
    return (SSL_CIPHER_get_protocol_id(c) >> 8) == 0x13;
}

/* Key exchange from a pre-shared secret (PSK variants, SRP). */
bool st_cipher_is_pre_shared(const SSL_CIPHER *c);

size_t st_cipher_supported(const uint16_t **list);
size_t st_cipher_defaults(bool datagram, const uint16_t **list);
const SSL_CIPHER *st_cipher_lookup(uint16_t iana);
ST_MUST_USE OSStatus st_cipher_apply(struct st_context *ctx, SSL *ssl);

/* Appends OpenSSL's name for a suite to a colon-separated list (free()); false when out of
 * memory, the list then as it was. */
ST_MUST_USE bool st_cipher_list_append(char **list, size_t *len, const char *name);

/* What the named session configurations judge a suite by (st_session_config.c). */
struct st_cipher_traits {
    bool tls13;      /* the IANA block 0x13xx */
    bool pre_shared; /* PSK variants, SRP */
    bool anonymous;  /* no authentication */
    bool ecdhe_kx;   /* ECDHE key exchange */
    bool rsa_kx;     /* RSA key exchange */
    bool triple_des; /* 3DES-EDE-CBC encryption */
};

/* Fills `traits` for a supported suite; false for one this OpenSSL lacks. */
bool st_cipher_traits(uint16_t iana, struct st_cipher_traits *traits);

/* The suite's RFC name (for tracing), or NULL if unsupported. */
const char *st_cipher_standard_name(uint16_t iana);

/*
 * The running connection, for the getters (engine/st_conninfo.c): nothing
 * outside engine/ touches ctx->session.ssl or OpenSSL.
 */
/* Whether st_engine_start has made this session's SSL object. */
bool st_engine_started(const struct st_context *ctx);

/* The negotiated (or, mid-handshake, pending) suite; SSL_NULL_WITH_NULL_NULL if none. */
uint16_t st_conninfo_cipher(const struct st_context *ctx);

/* Client: the protocol name the server chose (*name points into the SSL), 0 if none. */
size_t st_conninfo_alpn_selected(const struct st_context *ctx, const uint8_t **name);

/* Whether the session was resumed, and then its ID (pointing into the SSL session). */
bool st_conninfo_resumed_session_id(const struct st_context *ctx, const uint8_t **id, size_t *len);

/* Client: the CA names the server's CertificateRequest carried, as DER CFData; NULL if none. */
CFArrayRef st_conninfo_copy_received_authorities(const struct st_context *ctx);

/* Decrypted bytes of the current record not yet read (SSLGetBufferedReadSize). */
size_t st_conninfo_pending_bytes(const struct st_context *ctx);

/* The setters' certificate checks (engine/st_x509.c). */
/* An identity's private key the engine can use: RSA or EC. */
bool st_identity_key_supported(SecKeyRef key);

/* Whether `der` is exactly one DER X.509 Name. */
bool st_der_name_valid(const void *der, size_t len);

/* A certificate's subject as DER; errSecParam if it is none, errSecAllocate. */
ST_MUST_USE OSStatus st_certificate_copy_subject_der(CFTypeRef certificate, CFDataRef *subject);

/* The largest pre-shared key and identity OpenSSL's PSK callbacks take. */
#define ST_PSK_MAX_SECRET   PSK_MAX_PSK_LEN
#define ST_PSK_MAX_IDENTITY PSK_MAX_IDENTITY_LEN

#endif
