/*
 * From OpenSSL's failures to Secure Transport's codes: the alert table of
 * behaviour.md §12 for alerts the peer sent, and the local errors OpenSSL
 * reports (bad MAC, oversized records, no common version or cipher...).
 */
#include <openssl/err.h>
#include <string.h>

#include "st_engine.h"

OSStatus st_alert_received_status(int alert, bool fatal)
{
    switch (alert) {
    case SSL3_AD_CLOSE_NOTIFY: return errSSLClosedGraceful;
    case SSL3_AD_UNEXPECTED_MESSAGE: return errSSLPeerUnexpectedMsg;
    case SSL3_AD_BAD_RECORD_MAC: return errSSLPeerBadRecordMac;
    case TLS1_AD_DECRYPTION_FAILED: return errSSLPeerDecryptionFail;
    case TLS1_AD_RECORD_OVERFLOW: return errSSLPeerRecordOverflow;
    case SSL3_AD_DECOMPRESSION_FAILURE: return errSSLPeerDecompressFail;
    case SSL3_AD_HANDSHAKE_FAILURE: return errSSLPeerHandshakeFail;
    case SSL3_AD_BAD_CERTIFICATE: return errSSLPeerBadCert;
    case SSL3_AD_UNSUPPORTED_CERTIFICATE: return errSSLPeerUnsupportedCert;
    case SSL3_AD_CERTIFICATE_REVOKED: return errSSLPeerCertRevoked;
    case SSL3_AD_CERTIFICATE_EXPIRED: return errSSLPeerCertExpired;
    case SSL3_AD_CERTIFICATE_UNKNOWN: return errSSLPeerCertUnknown;
    case SSL3_AD_ILLEGAL_PARAMETER: return errSSLIllegalParam;
    case TLS1_AD_UNKNOWN_CA: return errSSLPeerUnknownCA;
    case TLS1_AD_ACCESS_DENIED: return errSSLPeerAccessDenied;
    case TLS1_AD_DECODE_ERROR: return errSSLPeerDecodeError;
    case TLS1_AD_DECRYPT_ERROR: return errSSLPeerDecryptError;
    case TLS1_AD_EXPORT_RESTRICTION: return errSSLPeerExportRestriction;
    case TLS1_AD_PROTOCOL_VERSION: return errSSLPeerProtocolVersion;
    case TLS1_AD_INSUFFICIENT_SECURITY: return errSSLPeerInsufficientSecurity;
    case TLS1_AD_INTERNAL_ERROR: return errSSLPeerInternalError;
    case TLS1_AD_USER_CANCELLED: return errSSLPeerUserCancelled;
    case TLS1_AD_NO_RENEGOTIATION: return errSSLPeerNoRenegotiation;
    default: return fatal ? errSSLFatalAlert : errSecSuccess;
    }
}

int st_alert_for_rejection(OSStatus status, int otherwise)
{
    switch (status) {
    case errSecCertificateExpired: return SSL_AD_CERTIFICATE_EXPIRED;
    case errSecCertificateRevoked: return SSL_AD_CERTIFICATE_REVOKED;
    case errSSLBadCert: return SSL_AD_BAD_CERTIFICATE;
    default: return otherwise;
    }
}

/* OpenSSL files a received alert as reason SSL_AD_REASON_OFFSET + its code. */
static bool st_reason_is_alert(int reason, int *alert)
{
    if (reason < SSL_AD_REASON_OFFSET || reason > SSL_AD_REASON_OFFSET + 255)
        return false;
    *alert = reason - SSL_AD_REASON_OFFSET;
    return true;
}

/* A local failure OpenSSL detected, by its reason code. */
ST_MUST_USE static OSStatus st_local_error_status(int reason)
{
    switch (reason) {
    case SSL_R_CERTIFICATE_VERIFY_FAILED: return errSSLXCertChainInvalid;
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_DECRYPTION_FAILED: return errSSLBadRecordMac;
    case SSL_R_ENCRYPTED_LENGTH_TOO_LONG:
    case SSL_R_DATA_LENGTH_TOO_LONG:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH: return errSSLRecordOverflow;
    case SSL_R_NO_SHARED_CIPHER:
    case SSL_R_NO_APPLICATION_PROTOCOL:
    case SSL_R_NO_CIPHERS_AVAILABLE:
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
    case SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS:
    case SSL_R_WRONG_SSL_VERSION: return errSSLNegotiation;
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_NO_CERTIFICATE_ASSIGNED:
    case SSL_R_NO_CERTIFICATE_SET:
    case SSL_R_MISSING_RSA_CERTIFICATE:
    case SSL_R_MISSING_SIGNING_CERT: return errSSLBadConfiguration;
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: return errSSLXCertChainInvalid;
    case SSL_R_NO_RENEGOTIATION: return errSSLPeerNoRenegotiation;
    case ERR_R_MALLOC_FAILURE: return errSecAllocate;
    default: return errSSLProtocol;
    }
}

/*
 * The least a record protected by the current cipher can carry: the AEAD
 * nonce and tag, or the MAC and the padding-length byte (and the explicit
 * IV from TLS 1.1 on). 0 when no cipher is in use.
 */
static size_t st_record_min_body(const SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    if (c == NULL)
        return 0;
    int cipher_nid = SSL_CIPHER_get_cipher_nid(c);
    const char *name = SSL_CIPHER_get_name(c);
    size_t tag = strstr(name, "CCM8") != NULL || strstr(name, "CCM_8") != NULL ? 8 : 16;
    if (st_cipher_is_tls13(c))
        return tag;
    if (SSL_CIPHER_is_aead(c))
        return (cipher_nid == NID_chacha20_poly1305 ? 0 : 8) + tag;
    const EVP_MD *md = EVP_get_digestbynid(SSL_CIPHER_get_digest_nid(c));
    const EVP_CIPHER *cipher = EVP_get_cipherbynid(cipher_nid);
    size_t mac = md != NULL ? (size_t)EVP_MD_get_size(md) : 0;
    size_t block = cipher != NULL ? (size_t)EVP_CIPHER_get_block_size(cipher) : 1;
    if (block <= 1)
        return mac;
    return mac + 1 + (SSL_version(ssl) >= TLS1_1_VERSION ? block : 0);
}

/*
 * OpenSSL failed on a complete record too short for its cipher (a bad MAC,
 * "length too short" before an encrypt-then-MAC check, or an internal
 * error for a short AEAD record). 10.15 answers that with
 * errSSLClosedAbort on purpose, before decrypting (SSLRecordInternal.c,
 * SSLRecordReadInternal: the tls_record_decrypted_size underflow check).
 */
static bool st_record_underflow(const struct st_context *ctx, int reason)
{
    if (ctx->datagram || ctx->session.rx_body_left > 0 || ctx->session.rx_header_have > 0)
        return false;
    /* Surely encrypted: application data (all of TLS 1.3), or anything once connected. */
    if (ctx->session.rx_header[0] != SSL3_RT_APPLICATION_DATA &&
        !SSL_is_init_finished(ctx->session.ssl))
        return false;
    switch (reason) {
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_DECRYPTION_FAILED:
    case SSL_R_LENGTH_TOO_SHORT:
    case (ERR_R_INTERNAL_ERROR & ERR_REASON_MASK):
        return ctx->session.rx_body_len < st_record_min_body(ctx->session.ssl);
    default: return false;
    }
}

/* The first SSL-library error on the queue, cleared along with the rest. */
ST_MUST_USE static OSStatus st_error_queue_status(struct st_context *ctx)
{
    OSStatus status = errSSLProtocol;
    bool found = false;
    unsigned long err;
    while ((err = ERR_get_error()) != 0) {
        if (found || ERR_GET_LIB(err) != ERR_LIB_SSL)
            continue;
        found = true;
        ctx->session.openssl_error = err; /* for the diagnostic report (st_diag.c) */
        int alert;
        int reason = ERR_GET_REASON(err);
        if (st_reason_is_alert(reason, &alert))
            status = st_alert_received_status(alert, true);
        else if (st_record_underflow(ctx, reason))
            status = errSSLClosedAbort;
        else
            status = st_local_error_status(reason);
    }
    return status;
}

OSStatus st_engine_status(struct st_context *ctx, int ret)
{
    int error = SSL_get_error(ctx->session.ssl, ret);
    OSStatus io_status = ctx->session.io_status;
    ctx->session.io_status = errSecSuccess;
    if (io_status != errSecSuccess) {
        ERR_clear_error();
        return io_status;
    }
    switch (error) {
    case SSL_ERROR_NONE: return errSecSuccess;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return errSSLWouldBlock;
    case SSL_ERROR_WANT_RETRY_VERIFY: return errSSLPeerAuthCompleted;
    case SSL_ERROR_WANT_X509_LOOKUP: return errSSLClientCertRequested;
    case SSL_ERROR_WANT_CLIENT_HELLO_CB: return errSSLClientHelloReceived;
    case SSL_ERROR_ZERO_RETURN: ERR_clear_error(); return errSSLClosedGraceful;
    case SSL_ERROR_SYSCALL:
        /* The transport ended without an error of the app's: EOF. */
        ERR_clear_error();
        return errSSLClosedAbort;
    default: break;
    }
    OSStatus status = st_error_queue_status(ctx);
    /* A verification that failed for a reason of its own (the identity check). */
    if (status == errSSLXCertChainInvalid && ctx->session.verify_failure_status != errSecSuccess)
        status = ctx->session.verify_failure_status;
    return status;
}
