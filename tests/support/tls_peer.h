/*
 * Peers for the TLS tests: a small PKI written to a scratch directory,
 * `openssl s_server` on 127.0.0.1, socket I/O callbacks (blocking or not),
 * and an in-process OpenSSL server over memory buffers.
 */
#ifndef SECTRANS_TLS_PEER_H
#define SECTRANS_TLS_PEER_H

#include <Security/SecureTransport.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cert_factory.h"

/* Files of the test PKI, each a PEM file in pki.dir. */
struct tls_pki {
    char dir[64];
    X509 *root, *intermediate, *other_root;
    EVP_PKEY *root_key, *intermediate_key, *other_root_key;
    EVP_PKEY *server_key, *ec_key, *client_key;
    X509 *server, *ec_server, *expired, *wrong_host, *untrusted, *client;
    char root_pem[128], chain_pem[128];         /* root; intermediate */
    char server_pem[128], server_key_pem[128];  /* RSA, localhost + 127.0.0.1 */
    char ec_pem[128], ec_key_pem[128];          /* ECDSA P-256, localhost */
    char expired_pem[128], wrong_host_pem[128]; /* keys: server_key_pem */
    char untrusted_pem[128], untrusted_key_pem[128];
    char client_p12[128]; /* client identity, password "secret" */
};

/* Builds the PKI (aborts the test on failure); tls_pki_destroy removes the files. */
void tls_pki_create(struct tls_pki *pki);
void tls_pki_destroy(struct tls_pki *pki);

/* +1 [root] as SecCertificates, for SSLSetTrustedRoots. */
CFArrayRef tls_pki_roots(const struct tls_pki *pki);

/* +1 [identity, intermediate] for SSLSetCertificate: a server certificate of the PKI and its key.
 */
CFArrayRef tls_pki_server_identity(const struct tls_pki *pki, X509 *cert, EVP_PKEY *key);

/* +1 [identity] for SSLSetCertificate, from the client's PKCS#12 file. */
CFArrayRef tls_pki_client_identity(const struct tls_pki *pki);

/* True if the leaf `ctx` received from its peer is `cert` (fails the test without a peer trust). */
bool tls_peer_leaf_is(SSLContextRef ctx, X509 *cert);

/* `openssl s_server` on 127.0.0.1, started with the given arguments after -accept. */
struct s_server {
    pid_t pid;
    int port;
    int output; /* its stdout and stderr */
};

/* Starts it and waits until it listens; NULL-terminated argument list. */
void s_server_start(struct s_server *server, const char *const *args);
void s_server_stop(struct s_server *server);

/* A TCP connection to 127.0.0.1:port. */
int tls_connect_loopback(int port, bool nonblocking);

/* The connection ref for the socket callbacks. */
struct socket_conn {
    int fd;
};
OSStatus socket_read_cb(SSLConnectionRef connection, void *data, size_t *dataLength);
OSStatus socket_write_cb(SSLConnectionRef connection, const void *data, size_t *dataLength);

/* Repeats SSLHandshake while it would block, waiting on the socket. */
OSStatus handshake_until_done(SSLContextRef ctx, int fd);

/*
 * An OpenSSL server in the same process, joined to our client through two
 * byte queues. The client's callbacks move at most `chunk` bytes per call
 * and say errSSLWouldBlock after every partial count, so every byte
 * boundary is crossed.
 */
struct byte_queue {
    unsigned char *data;
    size_t len, cap, head;
};

struct mem_peer {
    SSL_CTX *ssl_ctx;
    SSL *ssl;
    BIO *to_server, *from_server; /* memory BIOs on the server's side */
    size_t chunk;                 /* 0: no limit */
    bool starve;                  /* the next callback call moves nothing */
    bool no_pump;                 /* the server stays silent (bytes are injected) */
    OSStatus read_error;          /* if set, returned by the next client read */
    size_t read_error_after;      /* ... after delivering this many more bytes */
};

void mem_peer_init(struct mem_peer *peer, X509 *cert, EVP_PKEY *key, int version);
/* The same server at OpenSSL security level 0, any version, for peers that must present
 * RSA-1024 keys or SHA-1 signatures. */
void mem_peer_init_level0(struct mem_peer *peer, X509 *cert, EVP_PKEY *key);
void mem_peer_free(struct mem_peer *peer);

/* Lets the server run: handshake steps and whatever it has to write. */
void mem_peer_pump(struct mem_peer *peer);

/* Our client for the memory peer: it expects "localhost" and trusts the PKI's root. */
SSLContextRef mem_peer_client(struct mem_peer *peer, const struct tls_pki *pki);

/* SSLHandshake on our client, the server running after each would-block, until it stops (bounded).
 */
OSStatus mem_peer_handshake(SSLContextRef ctx, struct mem_peer *peer);

OSStatus mem_peer_read_cb(SSLConnectionRef connection, void *data, size_t *dataLength);
OSStatus mem_peer_write_cb(SSLConnectionRef connection, const void *data, size_t *dataLength);

#endif
