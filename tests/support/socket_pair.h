/*
 * Our client and our server in one process, joined by a non-blocking
 * AF_UNIX socket pair, for the Check tests that drive both sides. Every
 * helper fails the test on a setup error.
 */
#ifndef SECTRANS_SOCKET_PAIR_H
#define SECTRANS_SOCKET_PAIR_H

#include <Security/SecureTransport.h>

#include "tls_peer.h"

struct socket_pair {
    SSLContextRef client, server;
    struct socket_conn client_conn, server_conn;
};

/* Two new contexts, each on its end of the sockets through the socket callbacks; nothing else set.
 */
void socket_pair_open(struct socket_pair *p);

/* Flags for socket_pair_open_pki. */
enum socket_pair_options {
    /* the server also trusts the PKI's root, for client certificates */
    SOCKET_PAIR_SERVER_TRUSTS_ROOTS = 1 << 0,
    /* the server gets no certificate: the test gives it one, or none */
    SOCKET_PAIR_NO_SERVER_IDENTITY = 1 << 1,
};

/*
 * socket_pair_open, then the client expects "localhost" and trusts the
 * PKI's root, and the server presents the PKI's RSA server identity.
 */
void socket_pair_open_pki(struct socket_pair *p, const struct tls_pki *pki, unsigned options);

/* SSLClose on both sides, then socket_pair_free. */
void socket_pair_close(struct socket_pair *p);

/* Releases both contexts and closes the sockets, without SSLClose. */
void socket_pair_free(struct socket_pair *p);

/* Both handshakes until neither would block (see run_both_handshakes). */
void socket_pair_handshake(struct socket_pair *p, OSStatus *client, OSStatus *server);

/* Runs both handshakes and fails the test unless each side ends with the status given. */
void socket_pair_expect(struct socket_pair *p, OSStatus client, OSStatus server);

/* Writes `text` on one context and reads it back whole on the other (at most 256 bytes). */
void exchange_text(SSLContextRef from, SSLContextRef to, const char *text);

#endif
