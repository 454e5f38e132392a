/*
 * The measurements: each function runs one scenario through one path for
 * about `seconds` (or a fixed amount of work) and returns the figure.
 */
#include <Security/Security.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bench_scenarios.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

size_t bench_heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* One complete connection: open, handshake, optionally carry TLS 1.3 tickets, close. */
static bool bench_one_connection(enum bench_path path, const struct bench_conn_config *cfg,
                                 size_t bytes, bool *resumed)
{
    struct bench_conn c;
    if (!bench_conn_open(&c, path, cfg))
        return false;
    bool ok = bench_conn_handshake(&c);
    /* A byte from the server carries TLS 1.3 tickets to the client. */
    if (ok && cfg->resume)
        ok = bench_conn_transfer(&c, 1, 1, 1);
    if (ok && bytes > 0)
        ok = bench_conn_transfer(&c, 0, bytes, 16384);
    if (resumed != NULL)
        *resumed = ok && bench_conn_resumed(&c);
    bench_conn_close(&c);
    return ok;
}

double bench_handshakes(enum bench_path path, const struct bench_params *p, double seconds)
{
    struct bench_conn_config cfg = {
        .pki = p->pki, .tls13 = p->tls13, .socket = p->socket, .resume = p->resume};
    if (p->resume && !bench_one_connection(path, &cfg, 0, NULL)) /* the session to resume */
        return -1;
    unsigned n = 0;
    double start = bench_now(), elapsed;
    do {
        bool resumed = false;
        if (!bench_one_connection(path, &cfg, 0, &resumed) || (p->resume && !resumed))
            return -1;
        n++;
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    return n / elapsed;
}

double bench_bulk(enum bench_path path, const struct bench_params *p, double seconds)
{
    struct bench_conn_config cfg = {.pki = p->pki, .tls13 = true, .socket = p->socket};
    struct bench_conn c;
    if (!bench_conn_open(&c, path, &cfg) || !bench_conn_handshake(&c)) {
        bench_conn_close(&c);
        return -1;
    }
    size_t moved = 0, step = 1u << 20;
    double start = bench_now(), elapsed;
    do {
        if (!bench_conn_transfer(&c, p->from_server ? 1 : 0, step, p->chunk)) {
            bench_conn_close(&c);
            return -1;
        }
        moved += step;
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    bench_conn_close(&c);
    return (double)moved / elapsed / (1024.0 * 1024.0);
}

double bench_create_release(enum bench_path path, const struct bench_params *p, double seconds)
{
    unsigned n = 0;
    double start = bench_now(), elapsed;
    do {
        for (int i = 0; i < 1000; i++) {
            if (path == BENCH_ST) {
                SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
                if (ctx == NULL)
                    return -1;
                CFRelease(ctx);
            } else {
                SSL *ssl = SSL_new(p->pki->raw_client);
                if (ssl == NULL)
                    return -1;
                SSL_free(ssl);
            }
        }
        n += 1000;
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    return elapsed * 1e9 / n;
}

/* Heap bytes per object while `count` objects are alive. */
double bench_idle_memory(enum bench_path path, const struct bench_params *p, double seconds)
{
    (void)seconds;
    enum { count = 2000 };
    void **objects = calloc(count, sizeof(*objects));
    if (objects == NULL)
        return -1;
    malloc_trim(0);
    size_t before = bench_heap_in_use();
    for (int i = 0; i < count; i++)
        objects[i] = path == BENCH_ST
                         ? (void *)SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType)
                         : (void *)SSL_new(p->pki->raw_client);
    size_t after = bench_heap_in_use();
    for (int i = 0; i < count; i++) {
        if (objects[i] == NULL)
            continue;
        if (path == BENCH_ST)
            CFRelease(objects[i]);
        else
            SSL_free(objects[i]);
    }
    free(objects);
    return ((double)after - (double)before) / count;
}

/*
 * Heap bytes per connected context: `count` connections held open after a
 * handshake and data both ways (buffers settled), divided by the two ends.
 */
double bench_connected_memory(enum bench_path path, const struct bench_params *p, double seconds)
{
    (void)seconds;
    enum { count = 200 };
    struct bench_conn *conns = calloc(count, sizeof(*conns));
    /* Over sockets: the kernel holds the transport's buffers, so the heap is the TLS state. */
    struct bench_conn_config cfg = {.pki = p->pki, .tls13 = true, .socket = true};
    if (conns == NULL)
        return -1;
    malloc_trim(0);
    size_t before = bench_heap_in_use();
    bool ok = true;
    for (int i = 0; i < count && ok; i++)
        ok = bench_conn_open(&conns[i], path, &cfg) && bench_conn_handshake(&conns[i]) &&
             bench_conn_transfer(&conns[i], 0, 4096, 4096) &&
             bench_conn_transfer(&conns[i], 1, 4096, 4096);
    size_t after = bench_heap_in_use();
    for (int i = 0; i < count; i++)
        bench_conn_close(&conns[i]);
    free(conns);
    return ok ? ((double)after - (double)before) / (2.0 * count) : -1;
}

/* Nanoseconds per SSLGetSessionState with `p->live` contexts alive. */
double bench_lookup_latency(enum bench_path path, const struct bench_params *p, double seconds)
{
    if (path != BENCH_ST)
        return -1;
    SSLContextRef *live = calloc(p->live, sizeof(*live));
    if (live == NULL)
        return -1;
    for (size_t i = 0; i < p->live; i++)
        if ((live[i] = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType)) == NULL)
            return -1;
    /* Calls spread over up to 4096 of the live contexts, as a server's connections are. */
    size_t used = p->live < 4096 ? p->live : 4096, stride = p->live / used;
    unsigned long calls = 0;
    SSLSessionState state;
    double start = bench_now(), elapsed;
    do {
        /* Enough calls between clock reads that the clock does not count. */
        for (unsigned rep = 0; rep < 8192 / used + 1; rep++)
            for (size_t i = 0; i < used; i++)
                (void)SSLGetSessionState(live[i * stride], &state);
        calls += used * (8192 / used + 1);
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    for (size_t i = 0; i < p->live; i++)
        CFRelease(live[i]);
    free(live);
    return elapsed * 1e9 / (double)calls;
}

struct bench_worker {
    enum bench_path path;
    const struct bench_params *p;
    double seconds;
    unsigned connections;
    bool ok;
};

static void *bench_worker_run(void *arg)
{
    struct bench_worker *w = arg;
    struct bench_conn_config cfg = {.pki = w->p->pki, .tls13 = true};
    double start = bench_now();
    w->ok = true;
    do {
        w->ok = bench_one_connection(w->path, &cfg, 64 * 1024, NULL);
        w->connections += w->ok;
    } while (w->ok && bench_now() - start < w->seconds);
    bench_raw_forget_session();
    return NULL;
}

/* Connections (handshake + 64 KiB) per second with `p->threads` threads. */
double bench_threads(enum bench_path path, const struct bench_params *p, double seconds)
{
    struct bench_worker w[2];
    pthread_t t[2];
    unsigned n = p->threads <= 2 ? p->threads : 2;
    double start = bench_now();
    for (unsigned i = 0; i < n; i++) {
        w[i] = (struct bench_worker){.path = path, .p = p, .seconds = seconds};
        if (pthread_create(&t[i], NULL, bench_worker_run, &w[i]) != 0)
            return -1;
    }
    unsigned total = 0;
    bool ok = true;
    for (unsigned i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += w[i].connections;
        ok = ok && w[i].ok;
    }
    return ok ? total / (bench_now() - start) : -1;
}
