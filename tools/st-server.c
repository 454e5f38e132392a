/*
 * st-server: a TLS and DTLS server written only against Apple's Secure
 * Transport, Security and CoreFoundation API. It listens on 127.0.0.1,
 * answers each connection with a short HTTP response (or, over DTLS, one
 * datagram) describing the session, and exits after --count connections.
 *
 *   st-server [options]
 *     --port N             port on 127.0.0.1 (default 0: any; the port is printed)
 *     --identity FILE      server identity from a PKCS#12 file (--password PASS)
 *     --cert FILE --key F  ... or from PEM: certificate chain and private key
 *     --client-auth MODE   never (default), try or always
 *     --ca FILE            roots for client certificates, also sent as acceptable CAs
 *     --alpn LIST          comma-separated protocols the server accepts
 *     --ocsp FILE          DER OCSP response to staple
 *     --peer-id ID         enable session resumption under this ID
 *     --min V / --max V    protocol range: tls1.0 ... tls1.3, dtls1.0, dtls1.2
 *     --dtls               datagram TLS over UDP
 *     --count N            connections to serve (default 1; 0 = no limit)
 *
 * Prints "listening on 127.0.0.1:PORT", then one line per connection.
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
#include <sys/socket.h>
#include <unistd.h>

#include "st-tool-support.h"

struct options {
    int port, count;
    const char *identity_file, *password, *cert_file, *key_file, *ca_file, *alpn, *ocsp_file,
        *peer_id;
    SSLAuthenticate client_auth;
    SSLProtocol min, max;
    bool dtls;
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

static bool configure(SSLContextRef ctx, const struct options *o, CFArrayRef identity)
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
    if (o->peer_id != NULL) {
        SSLSetPeerID(ctx, o->peer_id, strlen(o->peer_id));
        SSLSetSessionTicketsEnabled(ctx, true);
    }
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
    unsigned char sid[64];
    size_t sid_len = sizeof(sid);
    SSLGetResumableSessionInfo(ctx, &resumed, sid, &sid_len);
    char *line = NULL;
    if (asprintf(&line,
                 "st-server: protocol %s, cipher 0x%04X, sni %s, alpn offered %s, client "
                 "certificate %s, "
                 "resumed %s\n",
                 st_tool_version_name(version), (unsigned)cipher, sni, alpn, client,
                 resumed ? "yes" : "no") < 0)
        return NULL;
    return line;
}

static OSStatus serve(SSLContextRef ctx, bool datagram)
{
    OSStatus status = SSLHandshake(ctx);
    if (status != noErr)
        return status;
    /* The request: for HTTP, the first read is enough to answer. */
    char request[4096];
    size_t processed = 0;
    status = SSLRead(ctx, request, sizeof(request), &processed);
    if (status != noErr && status != errSSLClosedGraceful)
        return status;
    char *line = describe_session(ctx);
    char *reply = NULL;
    if (line == NULL)
        return errSecAllocate;
    int n = datagram ? asprintf(&reply, "%s", line)
                     : asprintf(&reply,
                                "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                                "Connection: close\r\n\r\n%s",
                                line);
    fputs(line, stdout);
    fflush(stdout);
    free(line);
    if (n < 0)
        return errSecAllocate;
    status = SSLWrite(ctx, reply, strlen(reply), &processed);
    free(reply);
    SSLClose(ctx);
    return status;
}

/* UDP: wait for a client's first datagram, then talk only to that client. */
static int accept_datagram_client(int fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof(peer);
    char byte;
    if (recvfrom(fd, &byte, 1, MSG_PEEK, (struct sockaddr *)&peer, &len) < 0)
        return -1;
    return connect(fd, (struct sockaddr *)&peer, len) == 0 ? fd : -1;
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
                        "[--ocsp DER] [--peer-id ID] [--min V] [--max V] [--dtls] [--count N]\n");
        return 2;
    }
    CFArrayRef identity = load_identity(&o);
    int listener = identity != NULL ? listen_on(&o) : -1;
    if (listener < 0)
        return 1;
    int failures = 0;
    for (int served = 0; o.count == 0 || served < o.count; served++) {
        int fd = o.dtls ? accept_datagram_client(listener) : accept(listener, NULL, NULL);
        if (fd < 0)
            continue;
        struct st_tool_socket conn = {fd, o.dtls};
        SSLContextRef ctx =
            SSLCreateContext(NULL, kSSLServerSide, o.dtls ? kSSLDatagramType : kSSLStreamType);
        OSStatus status = ctx != NULL && configure(ctx, &o, identity) ? noErr : errSecParam;
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
