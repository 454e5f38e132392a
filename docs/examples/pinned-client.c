/*
 * pinned-client: a TLS client written as for macOS, built unchanged on Linux
 * against sectrans (see docs/porting.md).
 *
 *   pinned-client HOST PORT SHA256-PIN
 *
 * It keeps an API token in a keychain (a temporary file keychain, as a
 * program might keep its credentials), connects with Secure Transport, stops
 * at the server-authentication step and accepts the server only if the
 * SHA-256 of its certificate (DER) is the pin given in hex, then sends an
 * HTTP request that carries the token and prints the status line.
 * Exit status: 0 on success, 2 on a pin mismatch, 1 on any other failure.
 */
#include <CommonCrypto/CommonDigest.h>
#include <Security/Security.h>
#include <TargetConditionals.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if !TARGET_OS_OSX
#error "written for macOS: sectrans presents itself as macOS"
#endif

static const char service[] = "com.example.pinned-client";
static const char account[] = "api";

/* Secure Transport's I/O callbacks over a connected socket. */
static OSStatus socket_read(SSLConnectionRef connection, void *data, size_t *length)
{
    int fd = *(const int *)connection;
    size_t want = *length, got = 0;
    while (got < want) {
        ssize_t n = recv(fd, (char *)data + got, want - got, 0);
        if (n <= 0) {
            *length = got;
            return n == 0 ? errSSLClosedGraceful : errSSLClosedAbort;
        }
        got += (size_t)n;
    }
    *length = got;
    return noErr;
}

static OSStatus socket_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    int fd = *(const int *)connection;
    size_t want = *length, sent = 0;
    while (sent < want) {
        ssize_t n = send(fd, (const char *)data + sent, want - sent, 0);
        if (n <= 0) {
            *length = sent;
            return errSSLClosedAbort;
        }
        sent += (size_t)n;
    }
    *length = sent;
    return noErr;
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* True if the SHA-256 of the server's leaf certificate is `pin` (64 hex digits). */
static int server_matches_pin(SSLContextRef ssl, const char *pin)
{
    SecTrustRef trust = NULL;
    if (SSLCopyPeerTrust(ssl, &trust) != noErr || trust == NULL)
        return 0;
    int ok = 0;
    SecCertificateRef leaf = SecTrustGetCertificateAtIndex(trust, 0);
    CFDataRef der = leaf != NULL ? SecCertificateCopyData(leaf) : NULL;
    if (der != NULL) {
        unsigned char digest[CC_SHA256_DIGEST_LENGTH];
        char hex[2 * CC_SHA256_DIGEST_LENGTH + 1];
        CC_SHA256(CFDataGetBytePtr(der), (CC_LONG)CFDataGetLength(der), digest);
        for (int i = 0; i < CC_SHA256_DIGEST_LENGTH; i++)
            snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        ok = strcasecmp(hex, pin) == 0;
        CFRelease(der);
    }
    CFRelease(trust);
    return ok;
}

/* Stores the token in a new keychain under `dir`, then reads it back as a later run would. */
static int token_from_keychain(const char *dir, char *token, size_t size)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/pinned-client.keychain", dir);
    SecKeychainRef keychain = NULL;
    OSStatus status = SecKeychainCreate(path, 8, "password", false, NULL, &keychain);
    const char *initial = "token-1234";
    if (status == noErr)
        status = SecKeychainAddGenericPassword(keychain, (UInt32)strlen(service), service,
                                               (UInt32)strlen(account), account,
                                               (UInt32)strlen(initial), initial, NULL);
    UInt32 length = 0;
    void *data = NULL;
    if (status == noErr)
        status =
            SecKeychainFindGenericPassword(keychain, (UInt32)strlen(service), service,
                                           (UInt32)strlen(account), account, &length, &data, NULL);
    if (status == noErr) {
        size_t n = length < size - 1 ? length : size - 1;
        memcpy(token, data, n);
        token[n] = '\0';
        SecKeychainItemFreeContent(NULL, data);
    } else {
        fprintf(stderr, "keychain: %d\n", (int)status);
    }
    if (keychain != NULL) {
        SecKeychainDelete(keychain);
        CFRelease(keychain);
    }
    return status == noErr;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s HOST PORT SHA256-PIN\n", argv[0]);
        return 1;
    }
    char dir[] = "/tmp/pinned-client-XXXXXX", token[128];
    if (mkdtemp(dir) == NULL || !token_from_keychain(dir, token, sizeof(token)))
        return 1;
    rmdir(dir);

    int fd = connect_to(argv[1], argv[2]);
    if (fd < 0) {
        perror("connect");
        return 1;
    }
    SSLContextRef ssl = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    SSLSetIOFuncs(ssl, socket_read, socket_write);
    SSLSetConnection(ssl, &fd);
    SSLSetPeerDomainName(ssl, argv[1], strlen(argv[1]));
    /* The pin replaces chain validation: stop when the server's certificate arrives. */
    SSLSetSessionOption(ssl, kSSLSessionOptionBreakOnServerAuth, true);

    int result = 1;
    OSStatus status;
    while ((status = SSLHandshake(ssl)) == errSSLServerAuthCompleted) {
        if (!server_matches_pin(ssl, argv[3])) {
            fprintf(stderr, "pin mismatch\n");
            result = 2;
            break;
        }
    }
    if (status == noErr) {
        char request[256], response[512];
        int n = snprintf(request, sizeof(request),
                         "GET / HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n", token);
        size_t done = 0;
        status = SSLWrite(ssl, request, (size_t)n, &done);
        if (status == noErr)
            status = SSLRead(ssl, response, sizeof(response) - 1, &done);
        if (status == noErr || (status == errSSLClosedGraceful && done > 0)) {
            response[done] = '\0';
            response[strcspn(response, "\r\n")] = '\0';
            printf("%s\n", response);
            result = 0;
        }
        SSLClose(ssl);
    } else if (result != 2) {
        fprintf(stderr, "handshake: %d\n", (int)status);
    }
    CFRelease(ssl);
    close(fd);
    return result;
}
