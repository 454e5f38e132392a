/*
 * st-server: a TLS and DTLS server written only against Apple's Secure
 * Transport, Security and CoreFoundation API. It listens on 127.0.0.1 and
 * serves one connection at a time: over TLS it reads each HTTP request whole
 * (its header block, however many records it comes in, and any
 * Content-Length body) and answers it with a short response describing the
 * session, for as long as the client keeps the connection (HTTP/1.1
 * keep-alive; "Connection: close" or HTTP/1.0 ends it); over DTLS it answers
 * one datagram with one. It exits after --count connections. Each client
 * address is its peer ID (SSLSetPeerID), so sessions resume by default.
 *
 *   st-server [options]
 *     --port N             port on 127.0.0.1 (default 0: any; the port is printed)
 *     --identity FILE      server identity from a PKCS#12 file (--password PASS)
 *     --cert FILE --key F  ... or from PEM: certificate chain and private key
 *     --client-auth MODE   never (default), try or always
 *     --ca FILE            roots for client certificates, also sent as acceptable CAs
 *     --alpn LIST          comma-separated protocols the server accepts
 *     --ocsp FILE          DER OCSP response to staple
 *     --peer-id ID         resume sessions under this peer ID (default: the client's address)
 *     --no-resume          no peer ID: every handshake is a full one
 *     --min V / --max V    protocol range: tls1.0 ... tls1.3, dtls1.0, dtls1.2
 *     --dtls               datagram TLS over UDP
 *     --count N            connections to serve (default 1; 0 = no limit)
 *
 * Prints "listening on 127.0.0.1:PORT", then one line per request (or failed connection).
 */
#define _GNU_SOURCE /* asprintf */
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecureTransport.h>
#include <Security/SecureTransportPriv.h> /* SSLGetResumableSessionInfo (SPI) */
#include <Security/Security.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "st-tool-support.h"

struct options {
    int port, count;
    const char *identity_file, *password, *cert_file, *key_file, *ca_file, *alpn, *ocsp_file,
        *peer_id;
    SSLAuthenticate client_auth;
    SSLProtocol min, max;
    bool dtls, no_resume;
};

/* [identity, chain...]: from PKCS#12, or a PEM certificate chain and its key in a keychain. */
static CFArrayRef load_identity(const struct options *o)
{
    if (o->identity_file != NULL)
        return st_tool_pkcs12_identity(o->identity_file, o->password);
    /* The key goes into the default keychain, where the identity lookup finds it. */
    SecKeychainRef keychain = NULL;
    if (SecKeychainCopyDefault(&keychain) != noErr)
        return NULL;
    CFArrayRef keys = st_tool_import_file(o->key_file, kSecItemTypePrivateKey, keychain);
    CFArrayRef certs = st_tool_import_file(o->cert_file, kSecItemTypeCertificate, NULL);
    CFRelease(keychain);
    SecIdentityRef identity = NULL;
    OSStatus status = errSecItemNotFound;
    if (keys != NULL && certs != NULL && CFArrayGetCount(certs) > 0)
        status = SecIdentityCreateWithCertificate(
            NULL, (SecCertificateRef)CFArrayGetValueAtIndex(certs, 0), &identity);
    CFMutableArrayRef result = NULL;
    if (status == noErr) {
        result = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
        CFArrayAppendValue(result, identity);
        for (CFIndex i = 1; i < CFArrayGetCount(certs); i++)
            CFArrayAppendValue(result, CFArrayGetValueAtIndex(certs, i));
        CFRelease(identity);
    } else if (keys != NULL && certs != NULL) {
        fprintf(stderr, "st-server: no private key for the certificate (%d)\n", (int)status);
    }
    if (keys != NULL)
        CFRelease(keys);
    if (certs != NULL)
        CFRelease(certs);
    return result;
}

/*
 * Resumption needs a peer ID on the server too (behaviour.md §14): --peer-id,
 * else the client's address, unless --no-resume.
 */
static void enable_resumption(SSLContextRef ctx, const struct options *o, const char *client)
{
    const char *id = o->peer_id != NULL ? o->peer_id : client;
    if (o->no_resume || id == NULL || id[0] == '\0')
        return;
    SSLSetPeerID(ctx, id, strlen(id));
    SSLSetSessionTicketsEnabled(ctx, true);
}

static bool configure(SSLContextRef ctx, const struct options *o, CFArrayRef identity,
                      const char *client)
{
    SSLSetIOFuncs(ctx, st_tool_socket_read, st_tool_socket_write);
    SSLSetCertificate(ctx, identity);
    if (o->min != kSSLProtocolUnknown)
        SSLSetProtocolVersionMin(ctx, o->min);
    if (o->max != kSSLProtocolUnknown)
        SSLSetProtocolVersionMax(ctx, o->max);
    SSLSetClientSideAuthenticate(ctx, o->client_auth);
    if (o->ca_file != NULL) {
        CFArrayRef roots = st_tool_import_file(o->ca_file, kSecItemTypeCertificate, NULL);
        if (roots == NULL)
            return false;
        SSLSetTrustedRoots(ctx, roots, true);
        SSLSetCertificateAuthorities(ctx, roots, true);
        CFRelease(roots);
    }
    if (o->alpn != NULL) {
        CFArrayRef protocols = st_tool_alpn_array(o->alpn);
        SSLSetALPNProtocols(ctx, protocols);
        CFRelease(protocols);
    }
    if (o->ocsp_file != NULL) {
        CFDataRef response = st_tool_read_file(o->ocsp_file);
        if (response == NULL)
            return false;
        SSLSetOCSPResponse(ctx, response);
        CFRelease(response);
    }
    enable_resumption(ctx, o, client);
    if (o->dtls)
        SSLSetDatagramHelloCookie(ctx, "st-server", 9);
    return true;
}

/* One line about the session: what the client asked for and got. */
static char *describe_session(SSLContextRef ctx)
{
    SSLProtocol version = kSSLProtocolUnknown;
    SSLCipherSuite cipher = 0;
    SSLGetNegotiatedProtocolVersion(ctx, &version);
    SSLGetNegotiatedCipher(ctx, &cipher);
    char sni[256] = "none", alpn[256] = "none", client[256] = "none";
    size_t len = sizeof(sni);
    if (SSLCopyRequestedPeerName(ctx, sni, &len) != noErr || len == 0)
        snprintf(sni, sizeof(sni), "none");
    /* On a server, SSLCopyALPNProtocols gives the client's offer. */
    CFArrayRef protocols = NULL;
    if (SSLCopyALPNProtocols(ctx, &protocols) == noErr && protocols != NULL) {
        size_t used = 0;
        for (CFIndex i = 0; i < CFArrayGetCount(protocols) && used + 2 < sizeof(alpn); i++) {
            if (i > 0)
                alpn[used++] = ',';
            st_tool_cfstring_text(CFArrayGetValueAtIndex(protocols, i), alpn + used,
                                  sizeof(alpn) - used);
            used = strlen(alpn);
        }
        CFRelease(protocols);
    }
    SecTrustRef trust = NULL;
    if (SSLCopyPeerTrust(ctx, &trust) == noErr && trust != NULL) {
        CFStringRef subject =
            SecCertificateCopySubjectSummary(SecTrustGetCertificateAtIndex(trust, 0));
        st_tool_cfstring_text(subject, client, sizeof(client));
        if (subject != NULL)
            CFRelease(subject);
        CFRelease(trust);
    }
    Boolean resumed = false;
    unsigned char sid[MAX_SESSION_ID_LENGTH];
    size_t sid_len = sizeof(sid);
    SSLGetResumableSessionInfo(ctx, &resumed, sid, &sid_len);
    char *line = NULL;
    if (asprintf(&line,
                 "st-server: protocol %s, cipher 0x%04X, sni %s, alpn offered %s, client "
                 "certificate %s, resumed %s",
                 st_tool_version_name(version), (unsigned)cipher, sni, alpn, client,
                 resumed ? "yes" : "no") < 0)
        return NULL;
    return line;
}

/* The HTTP side of a TLS connection: requests read whole, answered one by one. */
#define REQUEST_LIMIT 16384

/* What the client has sent and not yet been consumed: a request, maybe more after it. */
struct http_input {
    char buf[REQUEST_LIMIT];
    size_t len;
};

struct http_request {
    size_t header_len; /* through the blank line */
    size_t body_len;   /* Content-Length */
    bool http11, keep_alive;
    char line[128]; /* the request line, for the log */
};

static void consume(struct http_input *in, size_t n)
{
    memmove(in->buf, in->buf + n, in->len - n);
    in->len -= n;
}

/* More bytes from the client: noErr once some arrived, else SSLRead's status. */
static OSStatus read_more(SSLContextRef ctx, struct http_input *in)
{
    size_t got = 0;
    OSStatus status = SSLRead(ctx, in->buf + in->len, sizeof(in->buf) - in->len, &got);
    in->len += got;
    if (got > 0 || status == errSSLWouldBlock)
        return noErr;
    return status;
}

/* The value of header `name` in the header block, or NULL; `value_len` is its length. */
static const char *header_value(const char *headers, size_t len, const char *name,
                                size_t *value_len)
{
    size_t name_len = strlen(name);
    const char *p = memmem(headers, len, "\r\n", 2), *end = headers + len;
    while (p != NULL && p + 2 < end) {
        const char *line = p + 2;
        const char *eol = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (eol == NULL)
            break;
        if ((size_t)(eol - line) > name_len && line[name_len] == ':' &&
            strncasecmp(line, name, name_len) == 0) {
            const char *v = line + name_len + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            *value_len = (size_t)(eol - v);
            return v;
        }
        p = eol;
    }
    return NULL;
}

static bool value_has(const char *value, size_t len, const char *token)
{
    size_t t = strlen(token);
    for (size_t i = 0; i + t <= len; i++)
        if (strncasecmp(value + i, token, t) == 0)
            return true;
    return false;
}

/* Reads until the blank line ending the header block, then parses what the reply needs. */
static OSStatus read_request(SSLContextRef ctx, struct http_input *in, struct http_request *req)
{
    const char *end;
    for (;;) {
        /* Empty lines before a request line are ignored (RFC 9112 §2.2). */
        while (in->len >= 2 && in->buf[0] == '\r' && in->buf[1] == '\n')
            consume(in, 2);
        if ((end = memmem(in->buf, in->len, "\r\n\r\n", 4)) != NULL)
            break;
        /* A code SSLRead never returns: the header block outgrew the buffer. */
        if (in->len == sizeof(in->buf))
            return errSecBufferTooSmall;
        OSStatus status = read_more(ctx, in);
        if (status != noErr)
            return status;
    }
    memset(req, 0, sizeof(*req));
    req->header_len = (size_t)(end - in->buf) + 4;
    size_t line_len = (size_t)((const char *)memmem(in->buf, req->header_len, "\r\n", 2) - in->buf);
    snprintf(req->line, sizeof(req->line), "%.*s", (int)line_len, in->buf);
    req->http11 = line_len >= 8 && memcmp(in->buf + line_len - 8, "HTTP/1.1", 8) == 0;
    size_t n = 0;
    const char *v = header_value(in->buf, req->header_len, "Connection", &n);
    /* HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 only when asked. */
    if (v != NULL && value_has(v, n, "close"))
        req->keep_alive = false;
    else if (req->http11)
        req->keep_alive = true;
    else
        req->keep_alive = v != NULL && value_has(v, n, "keep-alive");
    v = header_value(in->buf, req->header_len, "Content-Length", &n);
    if (v != NULL)
        req->body_len = strtoul(v, NULL, 10);
    return noErr;
}

/* Drops the request (header block and body) from the input. */
static OSStatus skip_request(SSLContextRef ctx, struct http_input *in,
                             const struct http_request *req)
{
    consume(in, req->header_len);
    size_t body = req->body_len;
    while (body > 0) {
        if (in->len == 0) {
            OSStatus status = read_more(ctx, in);
            if (status != noErr)
                return status;
        }
        size_t take = in->len < body ? in->len : body;
        consume(in, take);
        body -= take;
    }
    return noErr;
}

static OSStatus write_all(SSLContextRef ctx, const char *text)
{
    size_t processed = 0;
    return SSLWrite(ctx, text, strlen(text), &processed);
}

/* One response: the session line (also printed) as a text/plain body. */
static OSStatus answer(SSLContextRef ctx, const struct http_request *req, int number)
{
    char *session = describe_session(ctx), *body = NULL, *reply = NULL;
    if (session == NULL || asprintf(&body, "%s, request %d: %s (%zu header bytes)\n", session,
                                    number, req->line, req->header_len) < 0) {
        free(session);
        return errSecAllocate;
    }
    free(session);
    fputs(body, stdout);
    fflush(stdout);
    const char *connection = !req->keep_alive ? "Connection: close\r\n"
                             : req->http11    ? ""
                                              : "Connection: keep-alive\r\n";
    int n =
        asprintf(&reply, "%s 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s",
                 req->http11 ? "HTTP/1.1" : "HTTP/1.0", strlen(body), connection, body);
    free(body);
    if (n < 0)
        return errSecAllocate;
    OSStatus status = write_all(ctx, reply);
    free(reply);
    return status;
}

/*
 * Requests until the client closes or asks to. The client closing (with or
 * without close_notify) between requests is the normal end; in the middle of
 * one it is an error, reported as is.
 */
static OSStatus serve_http(SSLContextRef ctx)
{
    struct http_input *in = calloc(1, sizeof(*in));
    if (in == NULL)
        return errSecAllocate;
    OSStatus status = noErr;
    for (int number = 1;; number++) {
        struct http_request req;
        status = read_request(ctx, in, &req);
        if ((status == errSSLClosedGraceful || status == errSSLClosedNoNotify) && in->len == 0) {
            status = noErr;
            break;
        }
        if (status == errSecBufferTooSmall) {
            puts("st-server: request header block too large");
            write_all(ctx, "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                           "Content-Length: 0\r\nConnection: close\r\n\r\n");
            status = noErr;
            break;
        }
        if (status == noErr)
            status = skip_request(ctx, in, &req);
        if (status == noErr)
            status = answer(ctx, &req, number);
        if (status != noErr || !req.keep_alive)
            break;
    }
    free(in);
    return status;
}

/* DTLS: one datagram in, the session line out. */
static OSStatus serve_datagram(SSLContextRef ctx)
{
    char request[4096];
    size_t processed = 0;
    OSStatus status = SSLRead(ctx, request, sizeof(request), &processed);
    if (status != noErr && status != errSSLClosedGraceful)
        return status;
    char *line = describe_session(ctx), *reply = NULL;
    if (line == NULL || asprintf(&reply, "%s\n", line) < 0) {
        free(line);
        return errSecAllocate;
    }
    free(line);
    fputs(reply, stdout);
    fflush(stdout);
    status = write_all(ctx, reply);
    free(reply);
    return status;
}

static OSStatus serve(SSLContextRef ctx, bool datagram)
{
    OSStatus status = SSLHandshake(ctx);
    if (status != noErr)
        return status;
    status = datagram ? serve_datagram(ctx) : serve_http(ctx);
    SSLClose(ctx);
    return status;
}

/* UDP: wait for a client's first datagram, then talk only to that client. */
static int accept_datagram_client(int fd, struct sockaddr_in *peer)
{
    socklen_t len = sizeof(*peer);
    char byte;
    if (recvfrom(fd, &byte, 1, MSG_PEEK, (struct sockaddr *)peer, &len) < 0)
        return -1;
    return connect(fd, (struct sockaddr *)peer, len) == 0 ? fd : -1;
}

/* The next client: a TCP connection, or the sender of the next datagram. */
static int accept_client(int listener, bool datagram, char *address, size_t size)
{
    struct sockaddr_in peer = {0};
    socklen_t len = sizeof(peer);
    int fd = datagram ? accept_datagram_client(listener, &peer)
                      : accept(listener, (struct sockaddr *)&peer, &len);
    if (fd < 0 || inet_ntop(AF_INET, &peer.sin_addr, address, (socklen_t)size) == NULL)
        address[0] = '\0';
    return fd;
}

static void unconnect(int fd)
{
    struct sockaddr any = {.sa_family = AF_UNSPEC};
    connect(fd, &any, sizeof(any));
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--dtls") == 0) {
            o->dtls = true;
            continue;
        }
        if (strcmp(a, "--no-resume") == 0) {
            o->no_resume = true;
            continue;
        }
        if (v == NULL)
            return false;
        i++;
        if (strcmp(a, "--port") == 0)
            o->port = atoi(v);
        else if (strcmp(a, "--count") == 0)
            o->count = atoi(v);
        else if (strcmp(a, "--identity") == 0)
            o->identity_file = v;
        else if (strcmp(a, "--password") == 0)
            o->password = v;
        else if (strcmp(a, "--cert") == 0)
            o->cert_file = v;
        else if (strcmp(a, "--key") == 0)
            o->key_file = v;
        else if (strcmp(a, "--ca") == 0)
            o->ca_file = v;
        else if (strcmp(a, "--alpn") == 0)
            o->alpn = v;
        else if (strcmp(a, "--ocsp") == 0)
            o->ocsp_file = v;
        else if (strcmp(a, "--peer-id") == 0)
            o->peer_id = v;
        else if (strcmp(a, "--client-auth") == 0)
            o->client_auth = strcmp(v, "always") == 0 ? kAlwaysAuthenticate
                             : strcmp(v, "try") == 0  ? kTryAuthenticate
                                                      : kNeverAuthenticate;
        else if (strcmp(a, "--min") == 0   ? !st_tool_parse_version(v, &o->min)
                 : strcmp(a, "--max") == 0 ? !st_tool_parse_version(v, &o->max)
                                           : true)
            return false;
    }
    return o->identity_file != NULL || (o->cert_file != NULL && o->key_file != NULL);
}

static int listen_on(const struct options *o)
{
    int fd = socket(AF_INET, o->dtls ? SOCK_DGRAM : SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)o->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        (!o->dtls && listen(fd, 16) != 0) || getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        fprintf(stderr, "st-server: cannot listen on port %d: %s\n", o->port, strerror(errno));
        return -1;
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);
    return fd;
}

int main(int argc, char **argv)
{
    struct options o = {.count = 1, .min = kSSLProtocolUnknown, .max = kSSLProtocolUnknown};
    if (!parse_options(argc, argv, &o)) {
        fprintf(stderr, "usage: st-server (--identity P12 [--password P] | --cert PEM --key PEM) "
                        "[--port N] [--client-auth never|try|always] [--ca PEM] [--alpn a,b] "
                        "[--ocsp DER] [--peer-id ID | --no-resume] [--min V] [--max V] [--dtls] "
                        "[--count N]\n");
        return 2;
    }
    CFArrayRef identity = load_identity(&o);
    int listener = identity != NULL ? listen_on(&o) : -1;
    if (listener < 0)
        return 1;
    int failures = 0;
    for (int served = 0; o.count == 0 || served < o.count; served++) {
        char client[INET_ADDRSTRLEN];
        int fd = accept_client(listener, o.dtls, client, sizeof(client));
        if (fd < 0)
            continue;
        struct st_tool_socket conn = {fd, o.dtls};
        SSLContextRef ctx =
            SSLCreateContext(NULL, kSSLServerSide, o.dtls ? kSSLDatagramType : kSSLStreamType);
        OSStatus status = ctx != NULL && configure(ctx, &o, identity, client) ? noErr : errSecParam;
        if (status == noErr) {
            SSLSetConnection(ctx, &conn);
            status = serve(ctx, o.dtls);
        }
        if (status != noErr) {
            printf("st-server: connection failed: %d\n", (int)status);
            fflush(stdout);
            failures++;
        }
        if (ctx != NULL)
            CFRelease(ctx);
        if (o.dtls)
            unconnect(fd);
        else
            close(fd);
    }
    close(listener);
    CFRelease(identity);
    return failures == 0 ? 0 : 1;
}
