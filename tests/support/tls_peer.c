/*
 * The TLS tests' peers (see tls_peer.h).
 */
#include "tls_peer.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void pki_path(char *out, const struct tls_pki *pki, const char *name)
{
    snprintf(out, 128, "%s/%s", pki->dir, name);
}

static X509 *pki_leaf(const char *cn, const char *san, long from, long to, EVP_PKEY *key,
                      X509 *issuer, EVP_PKEY *issuer_key, enum cert_eku eku)
{
    struct cert_spec spec = {
        .common_name = cn, .san = san, .not_before_days = from, .not_after_days = to, .eku = eku};
    return factory_cert(&spec, key, issuer, issuer_key);
}

static void pki_write_chain(const char *path, X509 *leaf, X509 *intermediate)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert(PEM_write_X509(f, leaf));
    if (intermediate != NULL)
        ck_assert(PEM_write_X509(f, intermediate));
    ck_assert_int_eq(fclose(f), 0);
}

static void pki_write_p12(const char *path, X509 *cert, EVP_PKEY *key, X509 *ca)
{
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, ca);
    PKCS12 *p12 = PKCS12_create("secret", "client", key, cert, cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ck_assert_ptr_nonnull(p12);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert(i2d_PKCS12_fp(f, p12));
    fclose(f);
    PKCS12_free(p12);
}

void tls_pki_create(struct tls_pki *pki)
{
    memset(pki, 0, sizeof(*pki));
    strcpy(pki->dir, "/tmp/sectrans-pki-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(pki->dir));
    struct cert_spec ca = {.common_name = "sectrans test root",
                           .is_ca = true,
                           .not_before_days = -1,
                           .not_after_days = 3650};
    pki->root_key = factory_key(KEY_EC256);
    pki->root = factory_cert(&ca, pki->root_key, NULL, NULL);
    ca.common_name = "sectrans test intermediate";
    pki->intermediate_key = factory_key(KEY_EC256);
    pki->intermediate = factory_cert(&ca, pki->intermediate_key, pki->root, pki->root_key);
    ca.common_name = "sectrans other root";
    pki->other_root_key = factory_key(KEY_EC256);
    pki->other_root = factory_cert(&ca, pki->other_root_key, NULL, NULL);

    pki->server_key = factory_key(KEY_RSA2048);
    pki->ec_key = factory_key(KEY_EC256);
    pki->client_key = factory_key(KEY_EC256);
    X509 *ica = pki->intermediate;
    EVP_PKEY *ikey = pki->intermediate_key;
    pki->server = pki_leaf("localhost", "DNS:localhost,IP:127.0.0.1", -1, 365, pki->server_key, ica,
                           ikey, EKU_SERVER);
    pki->ec_server = pki_leaf("localhost", "DNS:localhost,IP:127.0.0.1", -1, 365, pki->ec_key, ica,
                              ikey, EKU_SERVER);
    pki->expired =
        pki_leaf("localhost", "DNS:localhost", -30, -1, pki->server_key, ica, ikey, EKU_SERVER);
    pki->wrong_host = pki_leaf("elsewhere.test", "DNS:elsewhere.test", -1, 365, pki->server_key,
                               ica, ikey, EKU_SERVER);
    pki->untrusted = pki_leaf("localhost", "DNS:localhost", -1, 365, pki->server_key,
                              pki->other_root, pki->other_root_key, EKU_SERVER);
    pki->client = pki_leaf("sectrans client", NULL, -1, 365, pki->client_key, pki->root,
                           pki->root_key, EKU_CLIENT);

    pki_path(pki->root_pem, pki, "root.pem");
    pki_path(pki->chain_pem, pki, "intermediate.pem");
    pki_path(pki->server_pem, pki, "server.pem");
    pki_path(pki->server_key_pem, pki, "server.key");
    pki_path(pki->ec_pem, pki, "ec.pem");
    pki_path(pki->ec_key_pem, pki, "ec.key");
    pki_path(pki->expired_pem, pki, "expired.pem");
    pki_path(pki->wrong_host_pem, pki, "wrong-host.pem");
    pki_path(pki->untrusted_pem, pki, "untrusted.pem");
    pki_path(pki->client_p12, pki, "client.p12");
    ck_assert(factory_write_pem(pki->root_pem, pki->root, NULL));
    ck_assert(factory_write_pem(pki->chain_pem, pki->intermediate, NULL));
    pki_write_chain(pki->server_pem, pki->server, pki->intermediate);
    ck_assert(factory_write_pem(pki->server_key_pem, NULL, pki->server_key));
    pki_write_chain(pki->ec_pem, pki->ec_server, pki->intermediate);
    ck_assert(factory_write_pem(pki->ec_key_pem, NULL, pki->ec_key));
    pki_write_chain(pki->expired_pem, pki->expired, pki->intermediate);
    pki_write_chain(pki->wrong_host_pem, pki->wrong_host, pki->intermediate);
    pki_write_chain(pki->untrusted_pem, pki->untrusted, NULL);
    pki_write_p12(pki->client_p12, pki->client, pki->client_key, pki->root);
}

void tls_pki_destroy(struct tls_pki *pki)
{
    const char *files[] = {pki->root_pem,       pki->chain_pem,      pki->server_pem,
                           pki->server_key_pem, pki->ec_pem,         pki->ec_key_pem,
                           pki->expired_pem,    pki->wrong_host_pem, pki->untrusted_pem,
                           pki->client_p12};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(files[i]);
    rmdir(pki->dir);
    X509 *certs[] = {pki->root,    pki->intermediate, pki->other_root, pki->server, pki->ec_server,
                     pki->expired, pki->wrong_host,   pki->untrusted,  pki->client};
    for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++)
        X509_free(certs[i]);
    EVP_PKEY *keys[] = {pki->root_key,   pki->intermediate_key, pki->other_root_key,
                        pki->server_key, pki->ec_key,           pki->client_key};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        EVP_PKEY_free(keys[i]);
}

CFArrayRef tls_pki_roots(const struct tls_pki *pki)
{
    SecCertificateRef root = factory_sec_cert(pki->root);
    CFArrayRef roots = CFArrayCreate(NULL, (const void **)&root, 1, &kCFTypeArrayCallBacks);
    CFRelease(root);
    return roots;
}

bool tls_peer_leaf_is(SSLContextRef ctx, X509 *cert)
{
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    SecCertificateRef want = factory_sec_cert(cert);
    bool same = CFEqual(SecTrustGetCertificateAtIndex(trust, 0), want);
    CFRelease(want);
    CFRelease(trust);
    return same;
}

CFArrayRef tls_pki_server_identity(const struct tls_pki *pki, X509 *cert, EVP_PKEY *key)
{
    SecCertificateRef sec_cert = factory_sec_cert(cert);
    unsigned char *der = NULL;
    int len = i2d_PrivateKey(key, &der);
    CFDataRef key_data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    SecExternalFormat format = kSecFormatOpenSSL;
    SecExternalItemType type = kSecItemTypePrivateKey;
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecItemImport(key_data, NULL, &format, &type, 0, NULL, NULL, &items),
                     errSecSuccess);
    CFRelease(key_data);
    SecIdentityRef identity =
        SecIdentityCreate(NULL, sec_cert, (SecKeyRef)CFArrayGetValueAtIndex(items, 0));
    ck_assert_ptr_nonnull(identity);
    SecCertificateRef intermediate = factory_sec_cert(pki->intermediate);
    const void *values[] = {identity, intermediate};
    CFArrayRef array = CFArrayCreate(NULL, values, 2, &kCFTypeArrayCallBacks);
    CFRelease(intermediate);
    CFRelease(identity);
    CFRelease(items);
    CFRelease(sec_cert);
    return array;
}

CFArrayRef tls_pki_client_identity(const struct tls_pki *pki)
{
    FILE *f = fopen(pki->client_p12, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    CFDataRef der = CFDataCreate(NULL, buf, (CFIndex)n);
    const void *keys[] = {kSecImportExportPassphrase};
    const void *values[] = {CFSTR("secret")};
    CFDictionaryRef options = CFDictionaryCreate(
        NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import(der, options, &items), errSecSuccess);
    CFRelease(options);
    CFRelease(der);
    const void *identity =
        CFDictionaryGetValue(CFArrayGetValueAtIndex(items, 0), kSecImportItemIdentity);
    CFArrayRef result = CFArrayCreate(NULL, &identity, 1, &kCFTypeArrayCallBacks);
    CFRelease(items);
    return result;
}

/* A port the kernel just handed out; s_server binds it right after. */
static int free_loopback_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    ck_assert(bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    ck_assert(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    close(fd);
    return ntohs(addr.sin_port);
}

/* Reads the server's output until it says it listens ("ACCEPT"), for at most 20 s. */
static bool s_server_wait_listening(int fd)
{
    char buf[4096];
    size_t have = 0;
    for (int waited = 0; waited < 200;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, 1, 100);
        if (rc == 0) {
            waited++;
            continue;
        }
        ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
        if (n <= 0)
            return false;
        have += (size_t)n;
        buf[have] = '\0';
        if (strstr(buf, "ACCEPT") != NULL)
            return true;
        if (have > sizeof(buf) / 2)
            have = 0;
    }
    return false;
}

void s_server_start(struct s_server *server, const char *const *args)
{
    const char *argv[64];
    char accept[32];
    server->port = free_loopback_port();
    snprintf(accept, sizeof(accept), "127.0.0.1:%d", server->port);
    size_t n = 0;
    argv[n++] = "openssl";
    argv[n++] = "s_server";
    argv[n++] = "-accept";
    argv[n++] = accept;
    for (size_t i = 0; args[i] != NULL && n < 62; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int pipefd[2];
    ck_assert(pipe(pipefd) == 0);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        /* The server must not inherit our preload or sanitizer settings. */
        unsetenv("LD_PRELOAD");
        execvp("openssl", (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    server->pid = pid;
    server->output = pipefd[0];
    ck_assert_msg(s_server_wait_listening(server->output), "openssl s_server did not start");
}

void s_server_stop(struct s_server *server)
{
    if (server->pid > 0) {
        kill(server->pid, SIGTERM);
        waitpid(server->pid, NULL, 0);
        server->pid = 0;
    }
    if (server->output >= 0)
        close(server->output);
    server->output = -1;
}

int tls_connect_loopback(int port, bool nonblocking)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    if (nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

OSStatus socket_read_cb(SSLConnectionRef connection, void *data, size_t *dataLength)
{
    const struct socket_conn *conn = connection;
    size_t want = *dataLength, got = 0;
    OSStatus status = errSecSuccess;
    while (got < want) {
        ssize_t n = read(conn->fd, (char *)data + got, want - got);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0) {
            status = errSSLClosedGraceful;
            break;
        } else if (errno != EINTR) {
            status = errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
            break;
        }
    }
    *dataLength = got;
    return status;
}

OSStatus socket_write_cb(SSLConnectionRef connection, const void *data, size_t *dataLength)
{
    const struct socket_conn *conn = connection;
    size_t want = *dataLength, put = 0;
    OSStatus status = errSecSuccess;
    while (put < want) {
        ssize_t n = send(conn->fd, (const char *)data + put, want - put, MSG_NOSIGNAL);
        if (n >= 0) {
            put += (size_t)n;
        } else if (errno != EINTR) {
            status = errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
            break;
        }
    }
    *dataLength = put;
    return status;
}

OSStatus handshake_until_done(SSLContextRef ctx, int fd)
{
    for (int i = 0; i < 1000; i++) {
        OSStatus status = SSLHandshake(ctx);
        if (status != errSSLWouldBlock)
            return status;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 50);
    }
    return errSSLWouldBlock;
}

/* security_level < 0 keeps OpenSSL's default level. */
static void mem_peer_setup(struct mem_peer *peer, X509 *cert, EVP_PKEY *key, int version,
                           int security_level)
{
    memset(peer, 0, sizeof(*peer));
    peer->ssl_ctx = SSL_CTX_new(TLS_server_method());
    ck_assert_ptr_nonnull(peer->ssl_ctx);
    /* before the certificate: a weak one is refused at the default level */
    if (security_level >= 0)
        SSL_CTX_set_security_level(peer->ssl_ctx, security_level);
    ck_assert(SSL_CTX_use_certificate(peer->ssl_ctx, cert));
    ck_assert(SSL_CTX_use_PrivateKey(peer->ssl_ctx, key));
    if (version != 0) {
        SSL_CTX_set_min_proto_version(peer->ssl_ctx, version);
        SSL_CTX_set_max_proto_version(peer->ssl_ctx, version);
    }
    peer->ssl = SSL_new(peer->ssl_ctx);
    peer->to_server = BIO_new(BIO_s_mem());
    peer->from_server = BIO_new(BIO_s_mem());
    BIO_up_ref(peer->to_server);
    BIO_up_ref(peer->from_server);
    SSL_set_bio(peer->ssl, peer->to_server, peer->from_server);
    SSL_set_accept_state(peer->ssl);
}

void mem_peer_init(struct mem_peer *peer, X509 *cert, EVP_PKEY *key, int version)
{
    mem_peer_setup(peer, cert, key, version, -1);
}

void mem_peer_init_level0(struct mem_peer *peer, X509 *cert, EVP_PKEY *key)
{
    mem_peer_setup(peer, cert, key, 0, 0);
}

void mem_peer_free(struct mem_peer *peer)
{
    SSL_free(peer->ssl);
    BIO_free(peer->to_server);
    BIO_free(peer->from_server);
    SSL_CTX_free(peer->ssl_ctx);
}

void mem_peer_pump(struct mem_peer *peer)
{
    if (peer->no_pump)
        return;
    if (!SSL_is_init_finished(peer->ssl))
        (void)SSL_do_handshake(peer->ssl);
}

SSLContextRef mem_peer_client(struct mem_peer *peer, const struct tls_pki *pki)
{
    /* not st_test_context: st_test.h is internal, and the Objective-C tests link this file too */
    SSLContextRef ctx = SSLCreateContext(kCFAllocatorDefault, kSSLClientSide, kSSLStreamType);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, mem_peer_read_cb, mem_peer_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, peer), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "localhost", 9), errSecSuccess);
    CFArrayRef roots = tls_pki_roots(pki);
    ck_assert_int_eq(SSLSetTrustedRoots(ctx, roots, true), errSecSuccess);
    CFRelease(roots);
    return ctx;
}

OSStatus mem_peer_handshake(SSLContextRef ctx, struct mem_peer *peer)
{
    /* enough turns for one-byte callbacks that would-block every other call */
    for (int i = 0; i < 1000000; i++) {
        OSStatus status = SSLHandshake(ctx);
        if (status != errSSLWouldBlock)
            return status;
        mem_peer_pump(peer);
    }
    return errSSLWouldBlock;
}

/* How many bytes this call may move: the chunk limit, every other call nothing. */
static size_t mem_peer_allowance(struct mem_peer *peer, size_t want)
{
    if (peer->starve) {
        peer->starve = false;
        return 0;
    }
    if (peer->chunk > 0) {
        peer->starve = true;
        if (want > peer->chunk)
            want = peer->chunk;
    }
    return want;
}

OSStatus mem_peer_read_cb(SSLConnectionRef connection, void *data, size_t *dataLength)
{
    struct mem_peer *peer = (struct mem_peer *)connection;
    size_t want = *dataLength;
    *dataLength = 0;
    mem_peer_pump(peer);
    size_t allowed = mem_peer_allowance(peer, want);
    if (peer->read_error != errSecSuccess && allowed > peer->read_error_after)
        allowed = peer->read_error_after;
    int n = allowed > 0 ? BIO_read(peer->from_server, data, (int)allowed) : 0;
    *dataLength = n > 0 ? (size_t)n : 0;
    if (peer->read_error != errSecSuccess) {
        peer->read_error_after -= *dataLength;
        if (peer->read_error_after == 0)
            return peer->read_error;
    }
    return *dataLength == want ? errSecSuccess : errSSLWouldBlock;
}

OSStatus mem_peer_write_cb(SSLConnectionRef connection, const void *data, size_t *dataLength)
{
    struct mem_peer *peer = (struct mem_peer *)connection;
    size_t want = *dataLength;
    size_t allowed = mem_peer_allowance(peer, want);
    int n = allowed > 0 ? BIO_write(peer->to_server, data, (int)allowed) : 0;
    *dataLength = n > 0 ? (size_t)n : 0;
    return *dataLength == want ? errSecSuccess : errSSLWouldBlock;
}
