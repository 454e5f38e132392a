/*
 * SECTRANS_DIAG=1: when a handshake fails, one paragraph on stderr says what
 * a person needs to know: the peer, the protocol range asked for, what was
 * offered, OpenSSL's reason, the alerts sent and received, and for a trust
 * failure the chain with what is wrong with each certificate. It is built
 * from what only the library knows, the way curl and browsers explain.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sec_internal.h"
#include "st_engine.h"
#include "trace/st_trace.h"

static bool st_diag_on;
static pthread_once_t st_diag_once = PTHREAD_ONCE_INIT;

static void st_diag_configure(void)
{
    const char *v = secure_getenv("SECTRANS_DIAG");
    st_diag_on = v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

bool st_diag_enabled(void)
{
    pthread_once(&st_diag_once, st_diag_configure);
    return st_diag_on;
}

void st_diag_note_alert(struct st_context *ctx, bool received, int value)
{
    if (received)
        ctx->session.diag_alert_received = value;
    else
        ctx->session.diag_alert_sent = value;
}

/* A paragraph being written: appends, never overflows. */
struct st_diag_text {
    char buf[4096];
    size_t len;
};

__attribute__((format(printf, 2, 3))) static void st_diag_put(struct st_diag_text *t,
                                                              const char *fmt, ...)
{
    if (t->len >= sizeof(t->buf) - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < sizeof(t->buf) ? t->len + (size_t)n : sizeof(t->buf) - 1;
}

static const char *st_diag_version_name(enum st_version v)
{
    for (unsigned i = 0; i < st_version_count; i++)
        if (st_versions[i].version == v)
            return st_versions[i].name;
    return "none";
}

/* Programs often pass their socket as the connection ref: then its address is known. */
static void st_diag_peer(struct st_diag_text *t, const struct st_context *ctx)
{
    st_diag_put(t, "  peer: %s",
                ctx->peer_name != NULL && ctx->peer_name[0] ? ctx->peer_name
                                                            : "(no peer name set)");
    uintptr_t ref = (uintptr_t)ctx->connection;
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    char host[INET6_ADDRSTRLEN] = "";
    if (ref > 2 && ref < 65536 && getpeername((int)ref, (struct sockaddr *)&addr, &len) == 0) {
        int port = 0;
        if (addr.ss_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)&addr;
            inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
            port = ntohs(in->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&addr;
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
            port = ntohs(in6->sin6_port);
        }
        if (host[0] != '\0')
            st_diag_put(t, " at %s port %d", host, port);
    }
    st_diag_put(t, " (we are the %s, over %s)\n", ctx->server ? "server" : "client",
                ctx->datagram ? "DTLS" : "TLS");
}

static void st_diag_offer(struct st_diag_text *t, const struct st_context *ctx)
{
    st_diag_put(t, "  protocols asked for: %s to %s", st_diag_version_name(ctx->min_version),
                st_diag_version_name(ctx->max_version));
    if (ctx->session.ssl != NULL && SSL_version(ctx->session.ssl) != 0 &&
        SSL_get_current_cipher(ctx->session.ssl) != NULL)
        st_diag_put(t, "; negotiated %s", SSL_get_version(ctx->session.ssl));
    st_diag_put(t, "\n  cipher suites offered: ");
    if (ctx->enabled_ciphers == NULL)
        st_diag_put(t, "the defaults");
    else
        st_diag_put(t, "%zu chosen with SSLSetEnabledCiphers", ctx->enabled_cipher_count);
    if (ctx->alpn_len > 0) {
        st_diag_put(t, "; ALPN:");
        for (size_t i = 0; i < ctx->alpn_len; i += 1 + ctx->alpn[i])
            st_diag_put(t, " %.*s", (int)ctx->alpn[i], (const char *)&ctx->alpn[i + 1]);
    }
    st_diag_put(t, "\n");
}

static void st_diag_alerts(struct st_diag_text *t, const struct st_context *ctx)
{
    if (ctx->session.diag_alert_sent != 0)
        st_diag_put(t, "  alert sent: %s (%d)\n",
                    SSL_alert_desc_string_long(ctx->session.diag_alert_sent),
                    ctx->session.diag_alert_sent & 0xff);
    if (ctx->session.diag_alert_received != 0)
        st_diag_put(t, "  alert received: %s (%d)\n",
                    SSL_alert_desc_string_long(ctx->session.diag_alert_received),
                    ctx->session.diag_alert_received & 0xff);
}

static void st_diag_time(char *out, size_t len, const ASN1_TIME *when)
{
    struct tm tm;
    if (when == NULL || !ASN1_TIME_to_tm(when, &tm) ||
        strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(out, len, "an unreadable date");
}

/* The DNS and IP names a certificate is for, for "wanted X, certificate has Y". */
static void st_diag_names(struct st_diag_text *t, X509 *x)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    int n = names != NULL ? sk_GENERAL_NAME_num(names) : 0, shown = 0;
    for (int i = 0; i < n; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS) {
            st_diag_put(t, "%s%.*s", shown++ ? ", " : "", ASN1_STRING_length(g->d.dNSName),
                        (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        } else if (g->type == GEN_IPADD) {
            char ip[INET6_ADDRSTRLEN] = "?";
            int len = ASN1_STRING_length(g->d.iPAddress);
            inet_ntop(len == 16 ? AF_INET6 : AF_INET, ASN1_STRING_get0_data(g->d.iPAddress), ip,
                      sizeof(ip));
            st_diag_put(t, "%s%s", shown++ ? ", " : "", ip);
        }
    }
    if (shown == 0)
        st_diag_put(t, "no DNS or IP name (a name only in the subject CN does not count)");
    GENERAL_NAMES_free(names);
}

/* What is wrong with certificate `i` of the chain, as far as its own fields tell. */
static void st_diag_certificate(struct st_diag_text *t, const struct st_context *ctx,
                                const struct sec_trust *trust, CFIndex i, X509 *x, CFIndex count)
{
    char subject[256], issuer[256], date[64];
    X509_NAME_oneline(X509_get_subject_name(x), subject, sizeof(subject));
    X509_NAME_oneline(X509_get_issuer_name(x), issuer, sizeof(issuer));
    st_diag_put(t, "    %ld %s\n", (long)i, subject);
    time_t now = time(NULL);
    if (X509_cmp_time(X509_get0_notAfter(x), &now) < 0) {
        st_diag_time(date, sizeof(date), X509_get0_notAfter(x));
        st_diag_put(t, "      expired on %s\n", date);
    } else if (X509_cmp_time(X509_get0_notBefore(x), &now) > 0) {
        st_diag_time(date, sizeof(date), X509_get0_notBefore(x));
        st_diag_put(t, "      not valid before %s\n", date);
    }
    if (i == 0 && trust->status == errSecHostNameMismatch) {
        st_diag_put(t, "      name mismatch: wanted %s, certificate has ",
                    ctx->peer_name != NULL ? ctx->peer_name : "?");
        st_diag_names(t, x);
        st_diag_put(t, "\n");
    }
    bool self_signed = X509_check_issued(x, x) == X509_V_OK;
    if (i == count - 1 && !self_signed &&
        (trust->status == errSecNotTrusted || trust->status == errSecCreateChainFailed))
        st_diag_put(t, "      unknown issuer %s: not among the trusted anchors\n", issuer);
    if (i == count - 1 && self_signed && trust->status == errSecNotTrusted)
        st_diag_put(t, "      self-signed and not among the trusted anchors\n");
    if (i == trust->error_depth && trust->status != errSecSuccess) {
        const char *name = st_trace_status_name(trust->status);
        st_diag_put(t, "      the check that failed here: %s (%d)\n", name ? name : "status",
                    (int)trust->status);
    }
}

static void st_diag_trust(struct st_diag_text *t, const struct st_context *ctx)
{
    const struct sec_trust *trust =
        ctx->session.peer_trust != NULL ? sec_trust_of(ctx->session.peer_trust) : NULL;
    if (trust == NULL || !trust->evaluated)
        return;
    CFArrayRef chain = trust->chain != NULL ? trust->chain : trust->certificates;
    CFIndex count = chain != NULL ? CFArrayGetCount(chain) : 0;
    const char *why = st_trace_status_name(trust->status);
    st_diag_put(t, "  certificate chain (%s%s):\n", why ? "trust failed: " : "trust",
                why ? why : " passed");
    for (CFIndex i = 0; i < count; i++) {
        X509 *x = sec_certificate_x509(CFArrayGetValueAtIndex(chain, i));
        if (x != NULL)
            st_diag_certificate(t, ctx, trust, i, x, count);
    }
}

void st_diag_handshake_failed(struct st_context *ctx, OSStatus status)
{
    if (!st_diag_enabled())
        return;
    struct st_diag_text t = {.len = 0};
    const char *name = st_trace_status_name(status);
    st_diag_put(&t, "sectrans: the TLS handshake failed: %s (%d)\n", name ? name : "status",
                (int)status);
    st_diag_peer(&t, ctx);
    st_diag_offer(&t, ctx);
    if (ctx->session.openssl_error != 0) {
        const char *reason = ERR_reason_error_string(ctx->session.openssl_error);
        st_diag_put(&t, "  OpenSSL says: %s\n", reason != NULL ? reason : "an unnamed error");
    }
    st_diag_alerts(&t, ctx);
    st_diag_trust(&t, ctx);
    fwrite(t.buf, 1, t.len, stderr);
}
