/*
 * The behavioural core, still only through libffi: SSLReadFunc and
 * SSLWriteFunc are libffi closures over an in-memory link to an OpenSSL
 * server in this process. Each scenario does a full handshake, one
 * SSLWrite/SSLRead round trip and SSLClose, checking the connection ref the
 * callbacks receive and, on a link that splits every record into pieces with
 * would-block between them, the 10.15 partial-count rules.
 */
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "abi_facts.h"
#include "abicheck.h"

#define ABI_STEP_LIMIT 200000 /* calls before a scenario counts as stuck */

struct abi_link {
    SSL *server;
    BIO *to_server;   /* the server's read side: the client's writes land here */
    BIO *from_server; /* the server's write side */
    unsigned char pending[1 << 16];
    size_t pending_len;
    bool split;          /* deliver a few bytes at a time, would-block in between */
    unsigned tick;       /* drives the split pattern */
    int token;           /* the connection ref is &token */
    unsigned bad_refs;   /* callbacks that got another connection ref */
    unsigned bad_counts; /* callbacks that reported an impossible count */
};

struct abi_scenario {
    const char *name;
    bool tls13;
    bool split;
};

/* Moves what the server wrote to the bytes the client's read callback serves. */
static void abi_link_pump(struct abi_link *link)
{
    int n;
    while (link->pending_len < sizeof(link->pending) &&
           (n = BIO_read(link->from_server, link->pending + link->pending_len,
                         (int)(sizeof(link->pending) - link->pending_len))) > 0)
        link->pending_len += (size_t)n;
}

/* The split link hands out 1 to 7 bytes a call, and every third call nothing. */
static size_t abi_link_allowance(struct abi_link *link, size_t want)
{
    if (!link->split)
        return want;
    link->tick++;
    if (link->tick % 3 == 0)
        return 0;
    size_t piece = 1 + link->tick % 7;
    return piece < want ? piece : want;
}

/* OSStatus (*SSLReadFunc)(SSLConnectionRef, void *data, size_t *dataLength) */
static void abi_read_closure(ffi_cif *cif, void *ret, void **args, void *user)
{
    (void)cif;
    struct abi_link *link = user;
    const void *connection = *(void **)args[0];
    unsigned char *data = *(unsigned char **)args[1];
    size_t *length = *(size_t **)args[2];
    if (connection != &link->token)
        link->bad_refs++;
    size_t want = *length;
    abi_link_pump(link);
    size_t give = abi_link_allowance(link, want);
    if (give > link->pending_len)
        give = link->pending_len;
    memcpy(data, link->pending, give);
    memmove(link->pending, link->pending + give, link->pending_len - give);
    link->pending_len -= give;
    *length = give;
    *(ffi_sarg *)ret = give == want ? 0 : ABI_ERR_WOULD_BLOCK;
}

/* OSStatus (*SSLWriteFunc)(SSLConnectionRef, const void *data, size_t *dataLength) */
static void abi_write_closure(ffi_cif *cif, void *ret, void **args, void *user)
{
    (void)cif;
    struct abi_link *link = user;
    const void *connection = *(void **)args[0];
    const unsigned char *data = *(const unsigned char **)args[1];
    size_t *length = *(size_t **)args[2];
    if (connection != &link->token)
        link->bad_refs++;
    size_t want = *length;
    size_t take = abi_link_allowance(link, want);
    if (take > 0 && BIO_write(link->to_server, data, (int)take) != (int)take)
        take = 0;
    *length = take;
    *(ffi_sarg *)ret = take == want ? 0 : ABI_ERR_WOULD_BLOCK;
}

/* An OpenSSL server with a fresh P-256 key and a self-signed certificate. */
static SSL *abi_server_new(bool tls13, BIO **in, BIO **out)
{
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    SSL *ssl = NULL;
    if (sctx == NULL || key == NULL || cert == NULL)
        goto done;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               (const unsigned char *)"localhost", -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(cert));
    X509_set_pubkey(cert, key);
    if (!X509_sign(cert, key, EVP_sha256()) || !SSL_CTX_use_certificate(sctx, cert) ||
        !SSL_CTX_use_PrivateKey(sctx, key))
        goto done;
    SSL_CTX_set_min_proto_version(sctx, tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(sctx, tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    ssl = SSL_new(sctx);
    *in = BIO_new(BIO_s_mem());
    *out = BIO_new(BIO_s_mem());
    if (ssl == NULL || *in == NULL || *out == NULL) {
        SSL_free(ssl);
        ssl = NULL;
        goto done;
    }
    BIO_set_mem_eof_return(*in, -1); /* empty means "later", not EOF */
    SSL_set_bio(ssl, *in, *out);
    SSL_set_accept_state(ssl);
done:
    X509_free(cert);
    EVP_PKEY_free(key);
    SSL_CTX_free(sctx);
    return ssl;
}

/* Calls a context function through the table; -1 if it cannot be called. */
static long abi_st(const char *name, const union abi_value *args)
{
    bool ok = false;
    long status = abi_call_status(name, args, &ok);
    return ok ? status : -1;
}

#define ABI_ARGS(...) ((const union abi_value[]){__VA_ARGS__})

/* Runs `step` on the client and the server until the client's call is done. */
static long abi_drive(struct abi_link *link, long (*client_step)(void *), void *ctx,
                      bool server_handshake)
{
    long status = ABI_ERR_WOULD_BLOCK;
    for (unsigned i = 0; i < ABI_STEP_LIMIT; i++) {
        status = client_step(ctx);
        if (server_handshake && !SSL_is_init_finished(link->server))
            (void)SSL_do_handshake(link->server);
        abi_link_pump(link);
        if (status == ABI_ERR_PEER_AUTH_COMPLETED)
            continue; /* the break this checker asked for: go on */
        if (status != ABI_ERR_WOULD_BLOCK)
            return status;
    }
    return status;
}

static long abi_handshake_step(void *ctx)
{
    return abi_st("SSLHandshake", ABI_ARGS({.p = ctx}));
}

/* SSLGetNegotiatedCipher into a guarded 4-byte slot, filled two ways. */
static void abi_check_cipher_width(const char *subject, void *ctx, SSL *server,
                                   enum abi_verdict fail)
{
    unsigned char slot[2][4 + 16];
    static const unsigned char fill[2] = {0xA5, 0x5A};
    for (int r = 0; r < 2; r++) {
        memset(slot[r], fill[r], 4);
        memset(slot[r] + 4, 0xC3, 16);
        union abi_value args[2] = {{.p = ctx}, {.p = slot[r]}};
        if (abi_call_status("SSLGetNegotiatedCipher", args, NULL) != 0) {
            abi_result(fail, "tls", subject, "SSLGetNegotiatedCipher",
                       "did not return 0 when connected");
            return;
        }
    }
    unsigned written = 0;
    for (int i = 0; i < 4; i++)
        written += slot[0][i] == slot[1][i];
    uint32_t got, want = SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(server));
    memcpy(&got, slot[0], 4);
    if (slot[0][4] != 0xC3 || slot[1][4] != 0xC3)
        abi_result(fail, "tls", subject, "SSLGetNegotiatedCipher",
                   "wrote past the 4-byte SSLCipherSuite");
    else if (written != 4)
        abi_result(fail, "tls", subject, "SSLGetNegotiatedCipher",
                   "wrote %u of the 4 bytes of SSLCipherSuite (a 16-bit store?)", written);
    else if (got != want)
        abi_result(fail, "tls", subject, "SSLGetNegotiatedCipher",
                   "0x%04x, the server negotiated 0x%04x", got, want);
    else
        abi_result(ABI_PASS, "tls", subject, "SSLGetNegotiatedCipher", "0x%04x in 4 bytes", got);
}

struct abi_io {
    void *ctx;
    unsigned char *buf;
    size_t len;
    size_t processed;
    size_t total;
};

static long abi_write_step(void *arg)
{
    struct abi_io *io = arg;
    io->processed = 0;
    long status = abi_st("SSLWrite", ABI_ARGS({.p = io->ctx}, {.p = io->buf}, {.u = io->len},
                                              {.p = &io->processed}));
    io->total += io->processed;
    /* After SSLWrite took the buffer, further calls only flush. */
    if (io->processed > 0)
        io->len = 0;
    return status;
}

static long abi_read_step(void *arg)
{
    struct abi_io *io = arg;
    io->processed = 0;
    long status = abi_st("SSLRead", ABI_ARGS({.p = io->ctx}, {.p = io->buf + io->total},
                                             {.u = io->len - io->total}, {.p = &io->processed}));
    io->total += io->processed;
    if (status == 0 && io->total < io->len)
        return ABI_ERR_WOULD_BLOCK; /* one record at a time: keep reading */
    return status;
}

static long abi_close_step(void *ctx)
{
    return abi_st("SSLClose", ABI_ARGS({.p = ctx}));
}

static void abi_unit_scenario(void *arg)
{
    const struct abi_scenario *sc = arg;
    const char *subject = sc->name;
    /* 10.15 stops at TLS 1.2: a TLS 1.3 failure is a warning. */
    const enum abi_verdict fail = sc->tls13 ? ABI_WARN : ABI_FAIL;
    static struct abi_link link;
    memset(&link, 0, sizeof(link));
    link.split = sc->split;

    abi_begin("setup");
    link.server = abi_server_new(sc->tls13, &link.to_server, &link.from_server);
    void *ctx = abi_new_context(ABI_CLIENT_SIDE, ABI_STREAM_TYPE);
    if (link.server == NULL || ctx == NULL) {
        abi_result(fail, "tls", subject, "setup", "%s",
                   ctx == NULL ? "SSLCreateContext returned NULL" : "OpenSSL server setup failed");
        return;
    }

    ffi_cif cif;
    ffi_type *types[3] = {&ffi_type_pointer, &ffi_type_pointer, &ffi_type_pointer};
    void *read_code = NULL, *write_code = NULL;
    ffi_closure *rc = ffi_closure_alloc(sizeof(ffi_closure), &read_code);
    ffi_closure *wc = ffi_closure_alloc(sizeof(ffi_closure), &write_code);
    if (rc == NULL || wc == NULL ||
        ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 3, &ffi_type_sint32, types) != FFI_OK ||
        ffi_prep_closure_loc(rc, &cif, abi_read_closure, &link, read_code) != FFI_OK ||
        ffi_prep_closure_loc(wc, &cif, abi_write_closure, &link, write_code) != FFI_OK) {
        abi_result(fail, "tls", subject, "setup", "libffi closures unavailable");
        return;
    }

    abi_begin("configuration");
    if (abi_st("SSLSetIOFuncs", ABI_ARGS({.p = ctx}, {.p = read_code}, {.p = write_code})) != 0 ||
        abi_st("SSLSetConnection", ABI_ARGS({.p = ctx}, {.p = &link.token})) != 0 ||
        abi_st("SSLSetSessionOption",
               ABI_ARGS({.p = ctx}, {.i = ABI_OPTION_BREAK_ON_SERVER_AUTH}, {.u = 1})) != 0 ||
        (sc->tls13 && abi_st("SSLSetProtocolVersionMax",
                             ABI_ARGS({.p = ctx}, {.i = ABI_TLS_PROTOCOL_13})) != 0)) {
        abi_result(fail, "tls", subject, "configuration",
                   "SSLSetIOFuncs, SSLSetConnection, SSLSetSessionOption or "
                   "SSLSetProtocolVersionMax failed");
        return;
    }

    abi_begin("handshake");
    long status = abi_drive(&link, abi_handshake_step, ctx, true);
    if (status != 0 || !SSL_is_init_finished(link.server)) {
        unsigned long e = ERR_peek_last_error();
        abi_result(fail, "tls", subject, "handshake", "SSLHandshake returned %ld (server: %s)",
                   status, e ? ERR_reason_error_string(e) : "no error");
        return;
    }
    abi_result(ABI_PASS, "tls", subject, "handshake", "%s", SSL_get_version(link.server));

    abi_begin("negotiated version");
    int32_t version = -1;
    union abi_value vargs[2] = {{.p = ctx}, {.p = &version}};
    long want_version = sc->tls13 ? ABI_TLS_PROTOCOL_13 : ABI_TLS_PROTOCOL_12;
    if (abi_call_status("SSLGetNegotiatedProtocolVersion", vargs, NULL) == 0 &&
        version == want_version)
        abi_result(ABI_PASS, "tls", subject, "SSLGetNegotiatedProtocolVersion", "%d", version);
    else
        abi_result(fail, "tls", subject, "SSLGetNegotiatedProtocolVersion", "%d, expected %ld",
                   version, want_version);
    abi_begin("SSLGetNegotiatedCipher");
    abi_check_cipher_width(subject, ctx, link.server, fail);

    abi_begin("SSLWrite");
    static unsigned char ping[] = "ping from the client";
    struct abi_io out = {.ctx = ctx, .buf = ping, .len = sizeof(ping)};
    status = abi_drive(&link, abi_write_step, &out, false);
    unsigned char got[64] = {0};
    int n = 0;
    for (unsigned i = 0; i < ABI_STEP_LIMIT && n <= 0; i++)
        n = SSL_read(link.server, got, sizeof(got));
    if (status != 0 || out.total != sizeof(ping) || n != (int)sizeof(ping) ||
        memcmp(got, ping, sizeof(ping)) != 0)
        abi_result(fail, "tls", subject, "SSLWrite",
                   "returned %ld with %zu of %zu bytes taken; the server read %d", status,
                   out.total, sizeof(ping), n);
    else
        abi_result(ABI_PASS, "tls", subject, "SSLWrite", "%zu bytes, all taken in one call",
                   out.total);

    abi_begin("SSLRead");
    static const char pong[] = "pong from the server";
    SSL_write(link.server, pong, sizeof(pong));
    abi_link_pump(&link);
    unsigned char buf[sizeof(pong)] = {0};
    struct abi_io in = {.ctx = ctx, .buf = buf, .len = sizeof(buf)};
    status = abi_drive(&link, abi_read_step, &in, false);
    if (status != 0 || in.total != sizeof(pong) || memcmp(buf, pong, sizeof(pong)) != 0)
        abi_result(fail, "tls", subject, "SSLRead", "returned %ld with %zu of %zu bytes", status,
                   in.total, sizeof(pong));
    else
        abi_result(ABI_PASS, "tls", subject, "SSLRead", "%zu bytes", in.total);

    abi_begin("SSLClose");
    status = abi_drive(&link, abi_close_step, ctx, false);
    char tail[8];
    int r = SSL_read(link.server, tail, sizeof(tail));
    bool notified = r <= 0 && SSL_get_error(link.server, r) == SSL_ERROR_ZERO_RETURN;
    if (status != 0 || !notified)
        abi_result(fail, "tls", subject, "SSLClose", "returned %ld; close_notify %s", status,
                   notified ? "received" : "not received by the server");
    else
        abi_result(ABI_PASS, "tls", subject, "SSLClose", "close_notify sent");

    if (link.bad_refs)
        abi_result(fail, "tls", subject, "connection ref",
                   "%u callback calls got a connection ref other than SSLSetConnection's",
                   link.bad_refs);
    else
        abi_result(ABI_PASS, "tls", subject, "connection ref",
                   "every callback got SSLSetConnection's ref");
    if (sc->split)
        abi_result(ABI_PASS, "tls", subject, "partial counts",
                   "would-block with partial counts honoured in both directions (%u calls)",
                   link.tick);
    abi_release(ctx);
}

void abi_check_tls(void)
{
    /* 10.15 stops at TLS 1.2, so TLS 1.3 is recommended, not required. */
    static const struct abi_scenario scenarios[] = {
        {"TLS 1.2", false, false},
        {"TLS 1.2 over a link that splits every record", false, true},
        {"TLS 1.3", true, false},
        {"TLS 1.3 over a link that splits every record", true, true},
    };
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (abi_symbol("SSLHandshake") == NULL || abi_symbol("SSLCreateContext") == NULL) {
            abi_result(ABI_FAIL, "tls", scenarios[i].name, "handshake",
                       "SSLCreateContext or SSLHandshake is not exported");
            continue;
        }
        abi_isolate("tls", scenarios[i].name, scenarios[i].tls13 ? ABI_WARN : ABI_FAIL,
                    abi_unit_scenario, (void *)&scenarios[i]);
    }
}
