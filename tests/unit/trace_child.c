/*
 * The program test_trace runs with SECTRANS_TRACE / SSLKEYLOGFILE set, since
 * the library reads them when it is loaded. It is an ordinary Secure
 * Transport client linked against libsectrans.
 *
 *   trace_child script              a fixed sequence of calls, no network
 *   trace_child tls PORT ROOT.pem   a TLS client to 127.0.0.1:PORT sending a secret
 */
#include <Security/Security.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trace_child.h"

static int run_script(void)
{
    SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    SSLSessionState state;
    if (ctx == NULL || SSLSetProtocolVersionMin(ctx, kTLSProtocol12) != errSecSuccess ||
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, true) != errSecSuccess ||
        SSLGetSessionState(ctx, &state) != errSecSuccess ||
        SSLSetPeerDomainName(ctx, TRACE_CHILD_HOST, strlen(TRACE_CHILD_HOST)) != errSecSuccess ||
        SSLHandshake(ctx) != errSecBadReq || SSLGetSessionState(NULL, &state) != errSecParam)
        return 1;
    CFRelease(ctx);
    return 0;
}

static OSStatus fd_read(SSLConnectionRef connection, void *data, size_t *len)
{
    int fd = *(const int *)connection;
    size_t want = *len, got = 0;
    while (got < want) {
        ssize_t n = read(fd, (char *)data + got, want - got);
        if (n <= 0) {
            *len = got;
            return n == 0 ? errSSLClosedGraceful : errSSLClosedAbort;
        }
        got += (size_t)n;
    }
    return errSecSuccess;
}

static OSStatus fd_write(SSLConnectionRef connection, const void *data, size_t *len)
{
    int fd = *(const int *)connection;
    size_t want = *len, put = 0;
    while (put < want) {
        ssize_t n = write(fd, (const char *)data + put, want - put);
        if (n <= 0) {
            *len = put;
            return errSSLClosedAbort;
        }
        put += (size_t)n;
    }
    return errSecSuccess;
}

static CFArrayRef roots_from_pem(const char *path)
{
    FILE *f = fopen(path, "r");
    X509 *x = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f != NULL)
        fclose(f);
    unsigned char *der = NULL;
    int len = x != NULL ? i2d_X509(x, &der) : -1;
    X509_free(x);
    if (len <= 0)
        return NULL;
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    SecCertificateRef cert = SecCertificateCreateWithData(NULL, data);
    CFRelease(data);
    if (cert == NULL)
        return NULL;
    const void *value = cert;
    CFArrayRef roots = CFArrayCreate(NULL, &value, 1, &kCFTypeArrayCallBacks);
    CFRelease(cert);
    return roots;
}

static int run_tls(int port, const char *root_pem)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        return 2;
    CFArrayRef roots = roots_from_pem(root_pem);
    SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    int result = 3; /* the handshake failed */
    if (roots != NULL && ctx != NULL && SSLSetIOFuncs(ctx, fd_read, fd_write) == 0 &&
        SSLSetConnection(ctx, &fd) == 0 && SSLSetTrustedRoots(ctx, roots, true) == 0 &&
        SSLSetPeerDomainName(ctx, "localhost", 9) == 0 && SSLHandshake(ctx) == 0) {
        static const char request[] = TRACE_CHILD_SECRET "\n";
        size_t done = 0;
        /* s_server -rev answers with the line reversed. */
        char reply[128];
        size_t got = 0;
        OSStatus status = SSLWrite(ctx, request, sizeof(request) - 1, &done);
        while (status == errSecSuccess && got == 0)
            status = SSLRead(ctx, reply, sizeof(reply), &got);
        result = status == errSecSuccess && got > 0 ? 0 : 4;
        SSLClose(ctx);
    }
    if (ctx != NULL)
        CFRelease(ctx);
    if (roots != NULL)
        CFRelease(roots);
    close(fd);
    return result;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "script") == 0)
        return run_script();
    if (argc == 4 && strcmp(argv[1], "tls") == 0)
        return run_tls(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: trace_child script | tls PORT ROOT.pem\n");
    return 2;
}
