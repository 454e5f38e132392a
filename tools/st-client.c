/*
 * st-client: a TLS client written only against Apple's Secure Transport,
 * Security and CoreFoundation API, as a macOS program would be. It connects,
 * handshakes, sends a request, prints the reply, and reports the protocol,
 * cipher, ALPN, the peer's chain and the trust verdict.
 *
 *   st-client [options] HOST PORT
 *     --name NAME        peer name for SNI and hostname checks (default HOST)
 *     --ca FILE          trust the PEM certificates in FILE (added to the system's)
 *     --ca-only          ... and nothing else
 *     --insecure         do not verify the server (SSLSetEnableCertVerify false)
 *     --break-auth       break on server auth and evaluate the trust here
 *     --identity FILE    client identity from a PKCS#12 file
 *     --password PASS    its passphrase
 *     --alpn LIST        comma-separated protocols to offer
 *     --min V / --max V  protocol range: tls1.0 tls1.1 tls1.2 tls1.3
 *     --request TEXT     what to send (default an HTTP GET; "\n" escapes allowed)
 *     --nonblocking      use a non-blocking socket with poll()
 *     --quiet            print the reply only
 *
 * Exit status: 0 on success, 1 on a TLS or trust failure, 2 on bad usage.
 */
#define _GNU_SOURCE /* asprintf */
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecureTransport.h>
#include <Security/Security.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "st-tool-support.h"

struct options {
    const char *host, *port, *name, *ca_file, *identity_file, *password, *alpn, *request;
    SSLProtocol min, max;
    bool ca_only, insecure, break_auth, nonblocking, quiet;
};

/* Waits until the socket is ready again after errSSLWouldBlock. */
static void wait_socket(const struct st_tool_socket *conn)
{
    struct pollfd p = {.fd = conn->fd, .events = POLLIN | POLLOUT};
    (void)poll(&p, 1, 1000);
}

static int connect_to(const char *host, const char *port, bool nonblocking)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "st-client: %s:%s: %s\n", host, port, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        fprintf(stderr, "st-client: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
    else if (nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void print_cfstring(const char *label, CFStringRef s)
{
    char buf[512];
    st_tool_cfstring_text(s, buf, sizeof(buf));
    printf("%s%s\n", label, buf);
}

static void report_alpn(SSLContextRef ctx)
{
    CFArrayRef protocols = NULL;
    if (SSLCopyALPNProtocols(ctx, &protocols) == errSecSuccess && protocols != NULL &&
        CFArrayGetCount(protocols) > 0) {
        print_cfstring("alpn: ", CFArrayGetValueAtIndex(protocols, 0));
        CFRelease(protocols);
    } else {
        printf("alpn: none\n");
    }
}

static void report_chain(SSLContextRef ctx)
{
    SecTrustRef trust = NULL;
    if (SSLCopyPeerTrust(ctx, &trust) != errSecSuccess || trust == NULL) {
        printf("peer chain: none\n");
        return;
    }
    CFIndex count = SecTrustGetCertificateCount(trust);
    printf("peer chain: %ld certificate(s)\n", (long)count);
    for (CFIndex i = 0; i < count; i++) {
        CFStringRef summary =
            SecCertificateCopySubjectSummary(SecTrustGetCertificateAtIndex(trust, i));
        printf("  %ld: ", (long)i);
        print_cfstring("", summary);
        if (summary != NULL)
            CFRelease(summary);
    }
    CFRelease(trust);
}

/* The app's own verdict on the server, as a BreakOnServerAuth program gives it. */
static bool evaluate_peer(SSLContextRef ctx)
{
    SecTrustRef trust = NULL;
    if (SSLCopyPeerTrust(ctx, &trust) != errSecSuccess || trust == NULL)
        return false;
    CFErrorRef error = NULL;
    bool ok = SecTrustEvaluateWithError(trust, &error);
    if (!ok && error != NULL) {
        CFStringRef text = CFErrorCopyDescription(error);
        print_cfstring("verdict: not trusted: ", text);
        if (text != NULL)
            CFRelease(text);
    }
    if (error != NULL)
        CFRelease(error);
    CFRelease(trust);
    return ok;
}

static OSStatus handshake(SSLContextRef ctx, const struct st_tool_socket *conn, bool break_auth)
{
    for (;;) {
        OSStatus status = SSLHandshake(ctx);
        if (status == errSSLWouldBlock) {
            wait_socket(conn);
            continue;
        }
        if (status == errSSLPeerAuthCompleted && break_auth) {
            if (!evaluate_peer(ctx)) {
                SSLSetError(ctx, errSecNotTrusted);
                SSLClose(ctx);
                return errSSLXCertChainInvalid;
            }
            continue;
        }
        return status;
    }
}

static char *unescape(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            *o++ = '\n';
            p++;
        } else if (p[0] == '\\' && p[1] == 'r') {
            *o++ = '\r';
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static OSStatus send_all(SSLContextRef ctx, const struct st_tool_socket *conn, const char *text)
{
    size_t processed = 0;
    OSStatus status = SSLWrite(ctx, text, strlen(text), &processed);
    /* Secure Transport took everything; push the rest with empty writes. */
    while (status == errSSLWouldBlock) {
        wait_socket(conn);
        status = SSLWrite(ctx, NULL, 0, &processed);
    }
    return status;
}

static OSStatus receive_all(SSLContextRef ctx, const struct st_tool_socket *conn)
{
    char buf[16384];
    for (;;) {
        size_t processed = 0;
        OSStatus status = SSLRead(ctx, buf, sizeof(buf), &processed);
        if (processed > 0)
            fwrite(buf, 1, processed, stdout);
        if (status == errSSLWouldBlock) {
            if (processed == 0)
                wait_socket(conn);
            continue;
        }
        if (status != noErr)
            return status;
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: st-client [--name N] [--ca FILE [--ca-only]] [--insecure] "
                    "[--break-auth] [--identity P12 --password P] [--alpn a,b] [--min V] "
                    "[--max V] [--request TEXT] [--nonblocking] [--quiet] HOST PORT\n");
    return 2;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--name") == 0 && next)
            o->name = next;
        else if (strcmp(a, "--ca") == 0 && next)
            o->ca_file = next;
        else if (strcmp(a, "--identity") == 0 && next)
            o->identity_file = next;
        else if (strcmp(a, "--password") == 0 && next)
            o->password = next;
        else if (strcmp(a, "--alpn") == 0 && next)
            o->alpn = next;
        else if (strcmp(a, "--request") == 0 && next)
            o->request = next;
        else if (strcmp(a, "--min") == 0 && next) {
            if (!st_tool_parse_version(next, &o->min))
                return false;
        } else if (strcmp(a, "--max") == 0 && next) {
            if (!st_tool_parse_version(next, &o->max))
                return false;
        } else {
            takes = false;
            if (strcmp(a, "--ca-only") == 0)
                o->ca_only = true;
            else if (strcmp(a, "--insecure") == 0)
                o->insecure = true;
            else if (strcmp(a, "--break-auth") == 0)
                o->break_auth = true;
            else if (strcmp(a, "--nonblocking") == 0)
                o->nonblocking = true;
            else if (strcmp(a, "--quiet") == 0)
                o->quiet = true;
            else if (a[0] == '-')
                return false;
            else if (positional == 0 && ++positional)
                o->host = a;
            else if (positional == 1 && ++positional)
                o->port = a;
            else
                return false;
        }
        if (takes)
            i++;
    }
    return o->host != NULL && o->port != NULL;
}

/* Applies the options to a new client context; false after printing why not. */
static bool configure(SSLContextRef ctx, const struct options *o, struct st_tool_socket *conn)
{
    SSLSetIOFuncs(ctx, st_tool_socket_read, st_tool_socket_write);
    SSLSetConnection(ctx, conn);
    const char *name = o->name ? o->name : o->host;
    SSLSetPeerDomainName(ctx, name, strlen(name));
    if (o->min != kSSLProtocolUnknown)
        SSLSetProtocolVersionMin(ctx, o->min);
    if (o->max != kSSLProtocolUnknown)
        SSLSetProtocolVersionMax(ctx, o->max);
    if (o->insecure)
        SSLSetEnableCertVerify(ctx, false);
    if (o->break_auth)
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true);
    if (o->ca_file) {
        CFArrayRef roots = st_tool_import_file(o->ca_file, kSecItemTypeCertificate, NULL);
        if (roots == NULL)
            return false;
        SSLSetTrustedRoots(ctx, roots, o->ca_only);
        CFRelease(roots);
    }
    if (o->identity_file) {
        CFArrayRef identity = st_tool_pkcs12_identity(o->identity_file, o->password);
        if (identity == NULL)
            return false;
        OSStatus status = SSLSetCertificate(ctx, identity);
        CFRelease(identity);
        if (status != noErr) {
            fprintf(stderr, "st-client: SSLSetCertificate: %d\n", (int)status);
            return false;
        }
    }
    if (o->alpn) {
        CFArrayRef protocols = st_tool_alpn_array(o->alpn);
        SSLSetALPNProtocols(ctx, protocols);
        CFRelease(protocols);
    }
    return true;
}

static void report_session(SSLContextRef ctx)
{
    SSLProtocol version = kSSLProtocolUnknown;
    SSLCipherSuite cipher = 0;
    SSLGetNegotiatedProtocolVersion(ctx, &version);
    SSLGetNegotiatedCipher(ctx, &cipher);
    printf("protocol: %s\n", st_tool_version_name(version));
    printf("cipher: 0x%04X\n", (unsigned)cipher);
    report_alpn(ctx);
    report_chain(ctx);
}

static void print_error(const char *what, OSStatus status)
{
    CFStringRef message = SecCopyErrorMessageString(status, NULL);
    char text[256] = "";
    if (message != NULL) {
        CFStringGetCString(message, text, sizeof(text), kCFStringEncodingUTF8);
        CFRelease(message);
    }
    printf("%s failed: %d %s\n", what, (int)status, text);
}

int main(int argc, char **argv)
{
    struct options o = {.min = kSSLProtocolUnknown, .max = kSSLProtocolUnknown};
    if (!parse_options(argc, argv, &o))
        return usage();
    struct st_tool_socket conn = {.fd = connect_to(o.host, o.port, o.nonblocking)};
    if (conn.fd < 0)
        return 1;
    SSLContextRef ctx = SSLCreateContext(kCFAllocatorDefault, kSSLClientSide, kSSLStreamType);
    int rc = 1;
    if (ctx == NULL || !configure(ctx, &o, &conn))
        goto out;
    OSStatus status = handshake(ctx, &conn, o.break_auth);
    if (status != noErr) {
        print_error("handshake", status);
        if (status == errSSLXCertChainInvalid)
            printf("verdict: server certificate rejected\n");
        goto out;
    }
    if (!o.quiet) {
        report_session(ctx);
        printf("verdict: %s\n", o.insecure ? "not checked (--insecure)" : "trusted");
        printf("---\n");
    }
    fflush(stdout);
    char *request = NULL;
    if (o.request != NULL)
        request = unescape(o.request);
    else if (asprintf(&request, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", o.host) < 0)
        request = NULL;
    status = request != NULL ? send_all(ctx, &conn, request) : errSecAllocate;
    free(request);
    if (status != noErr) {
        print_error("write", status);
        goto out;
    }
    status = receive_all(ctx, &conn);
    fflush(stdout);
    /* The reply ends with the server's close_notify, or a bare EOF from HTTP/1.0 servers. */
    rc = status == errSSLClosedGraceful || status == errSSLClosedAbort ||
                 status == errSSLClosedNoNotify
             ? 0
             : 1;
    if (rc != 0)
        print_error("read", status);
    SSLClose(ctx);
out:
    if (ctx != NULL)
        CFRelease(ctx);
    close(conn.fd);
    return rc;
}
