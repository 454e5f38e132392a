/* In-memory pipes for our client against our server; see mem_pipe.h. */
#include "mem_pipe.h"

#include "handshake_loop.h"

#include <string.h>

void mem_pipe_reset(struct mem_pipe *pipe, size_t split_at)
{
    pipe->head = pipe->tail = 0;
    pipe->split_at = split_at;
    pipe->record_offset = pipe->record_length = 0;
    pipe->blocked = false;
    pipe->longest_record = 0;
    pipe->splits = 0;
}

/* The reader stands at the split point of a record that goes on. */
static bool at_split(const struct mem_pipe *pipe)
{
    return pipe->split_at != 0 && pipe->record_offset == pipe->split_at &&
           (pipe->record_length == 0 || pipe->split_at < pipe->record_length);
}

/*
 * How many of `want` bytes may go now without crossing the split point of
 * the current record. Follows the record headers in the byte stream.
 */
static size_t allowed_before_split(struct mem_pipe *pipe, size_t want)
{
    if (pipe->split_at == 0)
        return want;
    size_t off = pipe->record_offset;
    if (off < pipe->split_at && off + want > pipe->split_at &&
        (pipe->record_length == 0 || pipe->split_at < pipe->record_length))
        return pipe->split_at - off;
    return want;
}

/* Advances the record tracking over `n` delivered bytes starting at `p`. */
static void track_records(struct mem_pipe *pipe, const unsigned char *p, size_t n)
{
    if (pipe->split_at == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (pipe->record_offset < 5)
            pipe->header[pipe->record_offset] = p[i];
        pipe->record_offset++;
        if (pipe->record_offset == 5) {
            pipe->record_length = 5 + ((size_t)pipe->header[3] << 8 | pipe->header[4]);
            if (pipe->record_length > pipe->longest_record)
                pipe->longest_record = pipe->record_length;
        }
        if (pipe->record_length != 0 && pipe->record_offset == pipe->record_length) {
            pipe->record_offset = pipe->record_length = 0;
            pipe->blocked = false;
        }
    }
}

OSStatus mem_end_read(SSLConnectionRef connection, void *data, size_t *length)
{
    struct mem_pipe *pipe = ((const struct mem_end *)connection)->in;
    if (at_split(pipe) && !pipe->blocked && pipe->tail > pipe->head) {
        /* between the two pieces of a record: nothing this time */
        pipe->blocked = true;
        pipe->splits++;
        *length = 0;
        return errSSLWouldBlock;
    }
    size_t want = *length, waiting = pipe->tail - pipe->head;
    size_t n = want < waiting ? want : waiting;
    n = allowed_before_split(pipe, n);
    memcpy(data, pipe->data + pipe->head, n);
    track_records(pipe, pipe->data + pipe->head, n);
    pipe->head += n;
    if (pipe->head == pipe->tail)
        pipe->head = pipe->tail = 0;
    *length = n;
    return n == want ? errSecSuccess : errSSLWouldBlock;
}

OSStatus mem_end_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    struct mem_pipe *pipe = ((const struct mem_end *)connection)->out;
    size_t want = *length, room = MEM_PIPE_CAPACITY - pipe->tail;
    size_t n = want < room ? want : room;
    memcpy(pipe->data + pipe->tail, data, n);
    pipe->tail += n;
    *length = n;
    return n == want ? errSecSuccess : errSSLWouldBlock;
}

static bool failed(OSStatus status)
{
    return status != errSecSuccess && status != errSSLWouldBlock;
}

static OSStatus configure(SSLContextRef ctx, struct mem_end *end, CFArrayRef roots,
                          SSLProtocol max_version)
{
    const void *h2 = CFSTR("h2");
    CFArrayRef protocols = CFArrayCreate(NULL, &h2, 1, &kCFTypeArrayCallBacks);
    if (protocols == NULL)
        return errSecAllocate;
    OSStatus status = SSLSetALPNProtocols(ctx, protocols);
    CFRelease(protocols);
    if (status == errSecSuccess)
        status = SSLSetIOFuncs(ctx, mem_end_read, mem_end_write);
    if (status == errSecSuccess)
        status = SSLSetConnection(ctx, end);
    if (status == errSecSuccess)
        status = SSLSetTrustedRoots(ctx, roots, true);
    if (status == errSecSuccess)
        status = SSLSetProtocolVersionMax(ctx, max_version);
    return status;
}

OSStatus mem_pair_open(struct mem_pair *p, CFArrayRef identity, CFArrayRef roots,
                       SSLProtocol max_version, size_t split_at)
{
    mem_pipe_reset(&p->to_server, split_at);
    mem_pipe_reset(&p->to_client, split_at);
    p->client_end = (struct mem_end){.in = &p->to_client, .out = &p->to_server};
    p->server_end = (struct mem_end){.in = &p->to_server, .out = &p->to_client};
    p->client = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    p->server = SSLCreateContext(NULL, kSSLServerSide, kSSLStreamType);
    if (p->client == NULL || p->server == NULL)
        return errSecAllocate;
    OSStatus status = configure(p->client, &p->client_end, roots, max_version);
    if (status == errSecSuccess)
        status = configure(p->server, &p->server_end, roots, max_version);
    if (status == errSecSuccess)
        status = SSLSetPeerDomainName(p->client, "localhost", 9);
    if (status == errSecSuccess)
        status = SSLSetCertificate(p->server, identity);
    return status;
}

void mem_pair_handshake(struct mem_pair *p, OSStatus *client, OSStatus *server)
{
    run_both_handshakes(p->client, p->server, client, server, 100000, 50);
}

OSStatus mem_pair_send(struct mem_pair *p, bool from_client, const char *text, size_t len)
{
    SSLContextRef from = from_client ? p->client : p->server;
    SSLContextRef to = from_client ? p->server : p->client;
    size_t processed = 0, got = 0;
    OSStatus status = SSLWrite(from, text, len, &processed);
    char buf[512];
    for (int i = 0; i < 100000 && got < len && !failed(status); i++) {
        if (status == errSSLWouldBlock)
            status = SSLWrite(from, NULL, 0, &processed);
        size_t n = 0;
        OSStatus read = SSLRead(to, buf, sizeof(buf) < len - got ? sizeof(buf) : len - got, &n);
        if (failed(read))
            return read;
        if (n > 0 && memcmp(buf, text + got, n) != 0)
            return errSSLInternal;
        got += n;
    }
    if (failed(status))
        return status;
    return got == len ? errSecSuccess : errSSLWouldBlock;
}

OSStatus mem_pair_close(struct mem_pair *p)
{
    OSStatus status = errSecSuccess;
    if (p->client != NULL)
        status = SSLClose(p->client);
    if (p->server != NULL) {
        char buf[16];
        size_t n = 0;
        OSStatus read = errSSLWouldBlock;
        /* the server sees the client's close_notify, then closes its side */
        for (int i = 0; i < 100 && read == errSSLWouldBlock; i++)
            read = SSLRead(p->server, buf, sizeof(buf), &n);
        OSStatus close = SSLClose(p->server);
        if (status == errSecSuccess && read != errSSLClosedGraceful)
            status = read;
        if (status == errSecSuccess)
            status = close;
        CFRelease(p->server);
    }
    if (p->client != NULL)
        CFRelease(p->client);
    p->client = p->server = NULL;
    return status;
}
