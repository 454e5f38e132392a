/*
 * The two transports every scenario runs over: memory (queues for Secure
 * Transport's callbacks, a BIO pair for raw OpenSSL: each path's natural
 * in-memory transport) and a non-blocking socketpair (the callbacks call
 * read/write; raw OpenSSL gets socket BIOs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

bool bench_link_open(struct bench_link *link, bool socket)
{
    memset(link, 0, sizeof(*link));
    link->socket = socket;
    link->fd[0] = link->fd[1] = -1;
    for (int e = 0; e < 2; e++)
        link->ends[e] = (struct bench_end){.link = link, .end = e};
    if (!socket)
        return true;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, link->fd) != 0)
        return false;
    for (int e = 0; e < 2; e++)
        fcntl(link->fd[e], F_SETFL, fcntl(link->fd[e], F_GETFL) | O_NONBLOCK);
    return true;
}

void bench_link_close(struct bench_link *link)
{
    for (int e = 0; e < 2; e++) {
        if (link->fd[e] >= 0)
            close(link->fd[e]);
        free(link->q[e].bytes);
    }
    memset(link, 0, sizeof(*link));
    link->fd[0] = link->fd[1] = -1;
}

static bool bench_queue_push(struct bench_queue *q, const void *data, size_t len)
{
    if (q->head == q->tail)
        q->head = q->tail = 0;
    if (q->tail + len > q->capacity) {
        /* Slide the unread bytes down first; grow only if that is not enough. */
        memmove(q->bytes, q->bytes + q->head, q->tail - q->head);
        q->tail -= q->head;
        q->head = 0;
        if (q->tail + len > q->capacity) {
            size_t capacity = q->capacity ? q->capacity : 65536;
            while (q->tail + len > capacity)
                capacity *= 2;
            unsigned char *bytes = realloc(q->bytes, capacity);
            if (bytes == NULL)
                return false;
            q->bytes = bytes;
            q->capacity = capacity;
        }
    }
    memcpy(q->bytes + q->tail, data, len);
    q->tail += len;
    return true;
}

static size_t bench_queue_pop(struct bench_queue *q, void *data, size_t len)
{
    size_t n = q->tail - q->head < len ? q->tail - q->head : len;
    memcpy(data, q->bytes + q->head, n);
    q->head += n;
    return n;
}

OSStatus bench_st_read(SSLConnectionRef ref, void *data, size_t *len)
{
    const struct bench_end *me = ref;
    struct bench_link *link = me->link;
    size_t want = *len;
    if (!link->socket) {
        *len = bench_queue_pop(&link->q[1 - me->end], data, want);
        return *len == want ? errSecSuccess : errSSLWouldBlock;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(link->fd[me->end], (char *)data + got, want - got);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0) {
            *len = got;
            return errSSLClosedGraceful;
        } else if (errno != EINTR) {
            *len = got;
            return errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
        }
    }
    *len = got;
    return errSecSuccess;
}

OSStatus bench_st_write(SSLConnectionRef ref, const void *data, size_t *len)
{
    const struct bench_end *me = ref;
    struct bench_link *link = me->link;
    size_t want = *len;
    if (!link->socket)
        return bench_queue_push(&link->q[me->end], data, want) ? errSecSuccess : errSecAllocate;
    size_t put = 0;
    while (put < want) {
        ssize_t n = write(link->fd[me->end], (const char *)data + put, want - put);
        if (n >= 0) {
            put += (size_t)n;
        } else if (errno != EINTR) {
            *len = put;
            return errno == EAGAIN ? errSSLWouldBlock : errSSLClosedAbort;
        }
    }
    *len = put;
    return errSecSuccess;
}

bool bench_link_raw_bios(struct bench_link *link, BIO **client, BIO **server)
{
    if (!link->socket)
        return BIO_new_bio_pair(client, 0, server, 0) == 1;
    *client = BIO_new_socket(link->fd[0], BIO_NOCLOSE);
    *server = BIO_new_socket(link->fd[1], BIO_NOCLOSE);
    return *client != NULL && *server != NULL;
}
