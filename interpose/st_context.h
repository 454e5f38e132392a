/*
 * The per-context state behind an SSLContextRef. The object is a CF object
 * (SSLContextGetTypeID, CFRelease) and its address is the key of the handle
 * table.
 */
#ifndef SECTRANS_ST_CONTEXT_H
#define SECTRANS_ST_CONTEXT_H

#include <Security/SecureTransport.h>
#include <Security/SecureTransportPriv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cf_runtime.h"
#include "st_must_use.h"
#include "st_version.h"

typedef struct ssl_st SSL;

/*
 * Session states (behaviour.md §1). SSLGetSessionState maps them onto
 * SSLSessionState; "active" (the test behind the setters' errSecBadReq) is
 * HANDSHAKE and CONNECTED only.
 */
enum st_state {
    ST_STATE_IDLE,         /* kSSLIdle */
    ST_STATE_HANDSHAKE,    /* kSSLHandshake */
    ST_STATE_CONNECTED,    /* kSSLConnected */
    ST_STATE_CLOSED,       /* kSSLClosed: SSLClose, or close_notify received */
    ST_STATE_ERROR_CLOSED, /* kSSLAborted: a fatal read, write or handshake error */
    ST_STATE_OUT_OF_BAND,  /* kSSLAborted: SSLSetError */
};

/* SSLSessionOption values 0..9 (behaviour.md §8). */
#define ST_SESSION_OPTION_COUNT 10

/*
 * DTLS (behaviour.md §2, §16): MTU 1400 by default; cookies of at most 32
 * bytes. OpenSSL refuses MTUs below 228 (its smallest probe, 256, less UDP/IP
 * headers), so 256 is the smallest record size accepted here.
 */
#define ST_DTLS_DEFAULT_MTU 1400
#define ST_DTLS_MIN_MTU     256
#define ST_DTLS_MAX_MTU     65535
#define ST_DTLS_COOKIE_MAX  32

/*
 * The per-connection half of a context: everything the engine makes or
 * learns during a connection. st_engine_start creates it (after clearing the
 * previous one) and st_engine_free frees every owned member and zeroes the
 * whole struct, so a new member's cleanup goes there and its reset value is
 * zero. Setters never write here; the configuration stays in st_context.
 */
struct st_session {
    /* The TLS engine: created by the first handshake step, freed with the context. */
    SSL *ssl;
    /* The app callback's status behind the last failed BIO call (0 if none). */
    OSStatus io_status;
    /* Where the incoming byte stream stands relative to record boundaries. */
    uint8_t rx_header[5];
    size_t rx_header_have;
    size_t rx_body_left;
    size_t rx_body_len; /* the body length the last complete header announced */
    /* A callback said would-block during this engine call: no more calls that way (§3). */
    bool rx_blocked;
    bool tx_blocked;
    /* The last byte of a read that filled its request but said would-block, held for the next call.
     */
    bool rx_held;
    uint8_t rx_held_byte;
    /* Plaintext SSLWrite already reported as taken that OpenSSL has not finished sending. */
    uint8_t *write_backlog;
    size_t write_backlog_len;
    /* Break points already reported for the current handshake. */
    bool peer_auth_break_taken;
    bool cert_request_break_taken;
    bool client_hello_break_taken;
    /* Server: the client's certificate arrived with BreakOnClientAuth on; reads pause. */
    bool client_auth_break_pending;
    /* SSLSetError's status at a break, answered with its alert when the handshake resumes. */
    OSStatus reject_status;
    /* What a failed verification reports instead of errSSLXCertChainInvalid (0: that). */
    OSStatus verify_failure_status;
    /* The chain the peer presented in the last handshake that had one (renegotiation check). */
    CFArrayRef peer_chain;
    bool close_pending; /* close_notify queued but not yet written */
    /* For SECTRANS_DIAG: the last alerts each way ((level << 8) | description, 0: none)
     * and the OpenSSL error behind the last failure. */
    int diag_alert_sent;
    int diag_alert_received;
    unsigned long openssl_error;
    SecTrustRef peer_trust;
    /* The version the handshake settled on (ST_VERSION_NONE until known). */
    enum st_version negotiated_version;
    /* Server: the ALPN list the client offered, and the name it sent (SNI). */
    uint8_t *peer_alpn;
    size_t peer_alpn_len;
    char *requested_peer_name; /* includes its trailing NUL, as Apple reports it */
    size_t requested_peer_name_len;
    SSLClientCertificateState client_cert_state;
};

struct st_context {
    struct cf_object base;

    bool server;
    bool datagram;
    enum st_state state;
    OSStatus out_of_band_status; /* from SSLSetError */

    /* I/O: the app's callbacks and its connection ref, stored bit for bit. */
    SSLConnectionRef connection;
    SSLReadFunc read_func;
    SSLWriteFunc write_func;

    /* Options: the raw Boolean bytes as the app passed them (Apple keeps them too). */
    Boolean session_options[ST_SESSION_OPTION_COUNT];
    bool verify_cert;
    bool allow_any_root;
    bool rsa_blinding;

    /* Protocol range, as ranks of st_version.h; ST_VERSION_NONE when all are disabled. */
    enum st_version min_version;
    enum st_version max_version;

    /* Client: the name for SNI and hostname checks. */
    char *peer_name;
    size_t peer_name_len;

    uint8_t *peer_id;
    size_t peer_id_len;

    SSLAuthenticate client_auth;

    uint8_t dtls_cookie[ST_DTLS_COOKIE_MAX];
    size_t dtls_cookie_len;
    size_t dtls_mtu;

    uint32_t session_cache_timeout;
    unsigned min_dh_group_bits;
    bool dhe_enabled;

    /* Certificates and trust (SSLSetCertificate, SSLSetTrustedRoots...). */
    CFArrayRef certificates;       /* [identity, intermediates...] as SSLSetCertificate saw it */
    CFArrayRef certificates_given; /* the caller's array when mutable, held as 10.15 holds it */
    CFArrayRef encryption_certificates; /* kept for the API; unused since 10.10 */
    CFArrayRef trusted_roots;           /* our own copy */
    bool trusted_roots_only;
    CFArrayRef trusted_leaves;
    CFMutableArrayRef authorities;            /* server: acceptable client CAs, as DER names */
    CFMutableArrayRef authority_certificates; /* SSLSetCertificateAuthorities' certificates */

    /* Ciphers: IANA values; NULL means the default list. */
    uint16_t *enabled_ciphers;
    size_t enabled_cipher_count;
    bool fallback_scsv;

    /* ALPN in wire format (length-prefixed names). */
    uint8_t *alpn;
    size_t alpn_len;

    CFDataRef ocsp_response;
    uint8_t *dh_params;
    size_t dh_params_len;
    uint8_t *psk_secret;
    size_t psk_secret_len;
    uint8_t *psk_identity;
    size_t psk_identity_len;

    /* What one connection made and learned: owned by the engine (st_engine.h). */
    struct st_session session;
};

/* Handshake in progress or finished and not closed (behaviour.md §1). */
static inline bool st_session_active(const struct st_context *ctx)
{
    return ctx->state == ST_STATE_HANDSHAKE || ctx->state == ST_STATE_CONNECTED;
}

#endif
