/*
 * st-bench: what the Secure Transport layer costs over raw OpenSSL, measured
 * in one process and one run, each scenario through both paths with the same
 * transport and certificates.
 */
#ifndef SECTRANS_BENCH_H
#define SECTRANS_BENCH_H

#include <Security/SecureTransport.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- certificates (bench_pki.c) ---- */

enum bench_key { BENCH_ECDSA_P256, BENCH_RSA_2048 };

struct bench_pki {
    X509 *ca;
    X509 *leaf;
    EVP_PKEY *leaf_key;
    CFArrayRef st_identity; /* [SecIdentityRef] for SSLSetCertificate */
    CFArrayRef st_anchors;  /* [SecCertificateRef of the CA] */
    SSL_CTX *raw_server;    /* one per configuration, reused: the careful OpenSSL user */
    SSL_CTX *raw_client;
};

bool bench_pki_make(enum bench_key key, struct bench_pki *pki);
void bench_pki_free(struct bench_pki *pki);

/* ---- transports (bench_link.c) ---- */

/* One direction of a memory link: bytes written by one end, read by the other. */
struct bench_queue {
    unsigned char *bytes;
    size_t head, tail, capacity;
};

/* Two ends joined by memory queues or by a socketpair. */
struct bench_link;
struct bench_end {
    struct bench_link *link;
    int end; /* 0 client, 1 server */
};

struct bench_link {
    bool socket;
    int fd[2];                /* socketpair: end 0 is the client */
    struct bench_queue q[2];  /* memory: q[e] carries what end e wrote */
    struct bench_end ends[2]; /* each end's SSLConnectionRef points at its entry */
};

bool bench_link_open(struct bench_link *link, bool socket);
void bench_link_close(struct bench_link *link);
OSStatus bench_st_read(SSLConnectionRef ref, void *data, size_t *len);
OSStatus bench_st_write(SSLConnectionRef ref, const void *data, size_t *len);
/* Raw OpenSSL's BIOs for both ends: a BIO pair over memory, or the sockets. */
bool bench_link_raw_bios(struct bench_link *link, BIO **client, BIO **server);

/* ---- one connection, either path (bench_conn.c) ---- */

enum bench_path { BENCH_ST, BENCH_RAW };

struct bench_conn {
    enum bench_path path;
    struct bench_link link;
    SSLContextRef st[2]; /* client, server */
    SSL *raw[2];
    bool resume; /* keep the raw client's session for the next connection */
};

struct bench_conn_config {
    const struct bench_pki *pki;
    bool tls13;
    bool socket;
    bool resume; /* set up the session cache (peer IDs / a saved session) */
};

/* Creates both ends (not connected yet). */
bool bench_conn_open(struct bench_conn *c, enum bench_path path,
                     const struct bench_conn_config *cfg);
/* Drives both ends until the handshake is done; false on failure. */
bool bench_conn_handshake(struct bench_conn *c);
/* Sends `total` bytes from end `from` to the other in writes of `chunk` bytes. */
bool bench_conn_transfer(struct bench_conn *c, int from, size_t total, size_t chunk);
/* Whether the client resumed a session. */
bool bench_conn_resumed(const struct bench_conn *c);
void bench_conn_close(struct bench_conn *c);

/* Raw resumption: the client session saved from the last handshake of this thread. */
void bench_raw_forget_session(void);

/* ---- measurement (st-bench.c) ---- */

double bench_now(void);
size_t bench_heap_in_use(void);

#endif
