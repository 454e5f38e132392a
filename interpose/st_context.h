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
#include "st_version.h"

/*
 * Session states (semantics.md §1). SSLGetSessionState maps them onto
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

/* SSLSessionOption values 0..9 (semantics.md §8). */
#define ST_SESSION_OPTION_COUNT 10

/*
 * DTLS (semantics.md §2, §16): MTU 1400 by default; cookies of at most 32
 * bytes. OpenSSL refuses MTUs below 228 (its smallest probe, 256, less UDP/IP
 * headers), so 256 is the smallest record size accepted here.
 */
#define ST_DTLS_DEFAULT_MTU 1400
#define ST_DTLS_MIN_MTU     256
#define ST_DTLS_MAX_MTU     65535
#define ST_DTLS_COOKIE_MAX  32

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
    enum st_version negotiated_version;

    /* Client: the name for SNI and hostname checks. Server: the name the client sent. */
    char *peer_name;
    size_t peer_name_len;
    char *requested_peer_name; /* includes its trailing NUL, as Apple reports it */
    size_t requested_peer_name_len;

    void *peer_id;
    size_t peer_id_len;

    SSLAuthenticate client_auth;
    SSLClientCertificateState client_cert_state;

    uint8_t dtls_cookie[ST_DTLS_COOKIE_MAX];
    size_t dtls_cookie_len;
    size_t dtls_mtu;

    uint32_t session_cache_timeout;
    unsigned min_dh_group_bits;
    bool dhe_enabled;
};

/* Handshake in progress or finished and not closed (semantics.md §1). */
static inline bool st_session_active(const struct st_context *ctx)
{
    return ctx->state == ST_STATE_HANDSHAKE || ctx->state == ST_STATE_CONNECTED;
}

#endif
