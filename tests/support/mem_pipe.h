/*
 * Our client and our server joined in one process by two in-memory pipes,
 * with no allocation after setup (the fault-injection test counts every
 * allocation). A pipe can split each TLS record it carries at a chosen
 * offset and say errSSLWouldBlock between the pieces.
 */
#ifndef SECTRANS_MEM_PIPE_H
#define SECTRANS_MEM_PIPE_H

#include <Security/SecureTransport.h>
#include <stdbool.h>
#include <stddef.h>

#define MEM_PIPE_CAPACITY (1u << 18)

struct mem_pipe {
    unsigned char data[MEM_PIPE_CAPACITY];
    size_t head, tail; /* bytes [head, tail) are waiting */
    /* Record splitting (split_at > 0): where the reader is in the current record. */
    size_t split_at;
    size_t record_offset, record_length; /* length 0: header not read yet */
    bool blocked;                        /* this record's would-block has been said */
    size_t longest_record;               /* the longest record seen (header included) */
    size_t splits;                       /* how many times the reader was told to wait */
    unsigned char header[5];
};

/* The connection of one side: it reads `in` and writes `out`. */
struct mem_end {
    struct mem_pipe *in, *out;
};

/* split_at 0: no splitting; SIZE_MAX: no splitting, but records are followed (longest_record). */
void mem_pipe_reset(struct mem_pipe *pipe, size_t split_at);

OSStatus mem_end_read(SSLConnectionRef connection, void *data, size_t *length);
OSStatus mem_end_write(SSLConnectionRef connection, const void *data, size_t *length);

/*
 * A client and a server context over two pipes. Every function returns the
 * first status that is neither success nor would-block, so a failure at
 * any step (the fault-injection test fails allocations) comes back as a
 * status; contexts that could not be made stay NULL.
 */
struct mem_pair {
    struct mem_pipe to_server, to_client;
    struct mem_end client_end, server_end;
    SSLContextRef client, server;
};

/* Makes and configures both contexts; the server gets `identity`, both trust `roots` and offer ALPN
 * "h2". */
OSStatus mem_pair_open(struct mem_pair *p, CFArrayRef identity, CFArrayRef roots,
                       SSLProtocol max_version, size_t split_at);

/* Runs both handshakes until neither would block, as two event loops would. */
void mem_pair_handshake(struct mem_pair *p, OSStatus *client, OSStatus *server);

/* Writes `len` bytes on one side and reads them on the other; the first error, or success. */
OSStatus mem_pair_send(struct mem_pair *p, bool from_client, const char *text, size_t len);

/* SSLClose on both (close_notify each way), then releases them. */
OSStatus mem_pair_close(struct mem_pair *p);

#endif
