/*
 * One client-server connection through either path: two Secure Transport
 * contexts (what a Secure Transport program makes per connection), or two
 * SSL objects from shared SSL_CTXs (what a careful OpenSSL program does).
 * Both ends run in the calling thread, stepped in turn.
 */
#include <Security/SecureTransportPriv.h>
#include <Security/Security.h>
#include <string.h>

#include "bench.h"

#define BENCH_STEP_LIMIT 100000

static const char bench_server_name[] = "localhost";
static const char bench_client_id[] = "st-bench server";
static const char bench_server_id[] = "st-bench client";

static _Thread_local SSL_SESSION *bench_raw_session;

void bench_raw_forget_session(void)
{
    SSL_SESSION_free(bench_raw_session);
    bench_raw_session = NULL;
}

static SSLContextRef bench_st_end(const struct bench_conn_config *cfg, struct bench_link *link,
                                  int end)
{
    SSLContextRef ctx =
        SSLCreateContext(NULL, end ? kSSLServerSide : kSSLClientSide, kSSLStreamType);
    if (ctx == NULL)
        return NULL;
    OSStatus s = SSLSetIOFuncs(ctx, bench_st_read, bench_st_write);
    s = s ? s : SSLSetConnection(ctx, &link->ends[end]);
    s = s ? s : SSLSetProtocolVersionMax(ctx, cfg->tls13 ? kTLSProtocol13 : kTLSProtocol12);
    if (end == 0) {
        s = s ? s : SSLSetPeerDomainName(ctx, bench_server_name, strlen(bench_server_name));
        s = s ? s : SSLSetTrustedRoots(ctx, cfg->pki->st_anchors, true);
    } else {
        s = s ? s : SSLSetCertificate(ctx, cfg->pki->st_identity);
    }
    /* TLS 1.3 resumes from tickets only; TLS 1.2 here resumes by session ID. */
    if (cfg->resume && cfg->tls13)
        s = s ? s : SSLSetSessionTicketsEnabled(ctx, true);
    if (cfg->resume)
        s = s ? s
              : SSLSetPeerID(ctx, end ? bench_server_id : bench_client_id,
                             strlen(end ? bench_server_id : bench_client_id));
    if (s != errSecSuccess) {
        CFRelease(ctx);
        return NULL;
    }
    return ctx;
}

static bool bench_raw_ends(struct bench_conn *c, const struct bench_conn_config *cfg)
{
    BIO *cb = NULL, *sb = NULL;
    c->raw[0] = SSL_new(cfg->pki->raw_client);
    c->raw[1] = SSL_new(cfg->pki->raw_server);
    if (c->raw[0] == NULL || c->raw[1] == NULL || !bench_link_raw_bios(&c->link, &cb, &sb)) {
        BIO_free(cb);
        BIO_free(sb);
        return false;
    }
    SSL_set_bio(c->raw[0], cb, cb);
    SSL_set_bio(c->raw[1], sb, sb);
    int version = cfg->tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    for (int e = 0; e < 2; e++)
        SSL_set_max_proto_version(c->raw[e], version);
    SSL_set_tlsext_host_name(c->raw[0], bench_server_name);
    SSL_set1_host(c->raw[0], bench_server_name);
    SSL_set_connect_state(c->raw[0]);
    SSL_set_accept_state(c->raw[1]);
    if (cfg->resume && !cfg->tls13)
        SSL_set_options(c->raw[1], SSL_OP_NO_TICKET); /* TLS 1.2: session IDs, as asked */
    if (cfg->resume && bench_raw_session != NULL)
        SSL_set_session(c->raw[0], bench_raw_session);
    return true;
}

bool bench_conn_open(struct bench_conn *c, enum bench_path path,
                     const struct bench_conn_config *cfg)
{
    memset(c, 0, sizeof(*c));
    c->path = path;
    c->resume = cfg->resume;
    if (!bench_link_open(&c->link, cfg->socket))
        return false;
    bool ok;
    if (path == BENCH_ST) {
        c->st[0] = bench_st_end(cfg, &c->link, 0);
        c->st[1] = bench_st_end(cfg, &c->link, 1);
        ok = c->st[0] != NULL && c->st[1] != NULL;
    } else {
        ok = bench_raw_ends(c, cfg);
    }
    if (!ok)
        bench_conn_close(c);
    return ok;
}

/* One handshake step of one end: 1 done, 0 not yet, -1 failed. */
static int bench_step(struct bench_conn *c, int end)
{
    if (c->path == BENCH_ST) {
        OSStatus s = SSLHandshake(c->st[end]);
        return s == errSecSuccess ? 1 : s == errSSLWouldBlock ? 0 : -1;
    }
    int r = SSL_do_handshake(c->raw[end]);
    if (r == 1)
        return 1;
    int e = SSL_get_error(c->raw[end], r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

bool bench_conn_handshake(struct bench_conn *c)
{
    bool done[2] = {false, false};
    for (int i = 0; i < BENCH_STEP_LIMIT && !(done[0] && done[1]); i++)
        for (int e = 0; e < 2; e++) {
            if (done[e])
                continue;
            int r = bench_step(c, e);
            if (r < 0)
                return false;
            done[e] = r == 1;
        }
    return done[0] && done[1];
}

/* Writes one chunk from `end`: 1 taken, 0 try again later, -1 failed. */
static int bench_write(struct bench_conn *c, int end, const unsigned char *buf, size_t len)
{
    if (c->path == BENCH_ST) {
        size_t processed = 0;
        OSStatus s = SSLWrite(c->st[end], buf, len, &processed);
        if (s == errSecSuccess || (s == errSSLWouldBlock && processed == len))
            return 1; /* all taken; a would-block flushes on a later call */
        return s == errSSLWouldBlock ? 0 : -1;
    }
    size_t written = 0;
    if (SSL_write_ex(c->raw[end], buf, len, &written))
        return 1;
    int e = SSL_get_error(c->raw[end], 0);
    return e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? 0 : -1;
}

/* Pushes out what an earlier write left queued (Secure Transport: SSLWrite with 0 bytes). */
static void bench_flush(struct bench_conn *c, int end)
{
    if (c->path == BENCH_ST) {
        size_t processed = 0;
        (void)SSLWrite(c->st[end], NULL, 0, &processed);
    }
}

/* Reads what has arrived at `end`; the byte count, or -1 on failure. */
static long bench_read(struct bench_conn *c, int end, unsigned char *buf, size_t len)
{
    long total = 0;
    for (;;) {
        size_t got = 0;
        if (c->path == BENCH_ST) {
            OSStatus s = SSLRead(c->st[end], buf, len, &got);
            total += (long)got;
            if (s == errSSLWouldBlock)
                return total;
            if (s != errSecSuccess)
                return -1;
        } else {
            if (!SSL_read_ex(c->raw[end], buf, len, &got)) {
                int e = SSL_get_error(c->raw[end], 0);
                return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? total : -1;
            }
            total += (long)got;
        }
    }
}

bool bench_conn_transfer(struct bench_conn *c, int from, size_t total, size_t chunk)
{
    static _Thread_local unsigned char out[65536], in[65536];
    size_t sent = 0, received = 0;
    if (chunk > sizeof(out))
        return false;
    for (int i = 0; received < total && i < 10 * BENCH_STEP_LIMIT; i++) {
        if (sent < total) {
            size_t n = total - sent < chunk ? total - sent : chunk;
            int r = bench_write(c, from, out, n);
            if (r < 0)
                return false;
            sent += r ? n : 0;
        } else {
            bench_flush(c, from);
        }
        long got = bench_read(c, 1 - from, in, sizeof(in));
        if (got < 0)
            return false;
        received += (size_t)got;
    }
    return received == total;
}

bool bench_conn_resumed(const struct bench_conn *c)
{
    if (c->path == BENCH_RAW)
        return SSL_session_reused(c->raw[0]) == 1;
    Boolean was = false;
    unsigned char sid[64];
    size_t len = sizeof(sid);
    return SSLGetResumableSessionInfo(c->st[0], &was, sid, &len) == errSecSuccess && was;
}

void bench_conn_close(struct bench_conn *c)
{
    /* Close as programs do: a session whose connection was not shut down cleanly is not resumed. */
    for (int e = 0; e < 2; e++) {
        if (c->st[e] != NULL)
            (void)SSLClose(c->st[e]);
        if (c->raw[e] != NULL && SSL_is_init_finished(c->raw[e]))
            (void)SSL_shutdown(c->raw[e]);
    }
    if (c->path == BENCH_RAW && c->resume && c->raw[0] != NULL && SSL_is_init_finished(c->raw[0]) &&
        !SSL_session_reused(c->raw[0])) {
        SSL_SESSION *s = SSL_get1_session(c->raw[0]);
        if (s != NULL && SSL_SESSION_is_resumable(s)) {
            bench_raw_forget_session();
            bench_raw_session = s;
        } else {
            SSL_SESSION_free(s);
        }
    }
    for (int e = 0; e < 2; e++) {
        if (c->st[e] != NULL)
            CFRelease(c->st[e]);
        SSL_free(c->raw[e]);
    }
    bench_link_close(&c->link);
    memset(c, 0, sizeof(*c));
}
