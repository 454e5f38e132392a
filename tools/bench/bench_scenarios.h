/* The scenarios st-bench measures (bench_scenarios.c). */
#ifndef SECTRANS_BENCH_SCENARIOS_H
#define SECTRANS_BENCH_SCENARIOS_H

#include "bench.h"

struct bench_params {
    const struct bench_pki *pki;
    bool tls13;
    bool socket;
    bool resume;
    bool from_server; /* bulk: the server writes */
    size_t chunk;     /* bulk: bytes per write */
    size_t live;      /* lookups: live contexts */
    unsigned threads;
};

/* Each returns its figure, or a negative number when the scenario failed. */
typedef double bench_measure_fn(enum bench_path path, const struct bench_params *p, double seconds);

bench_measure_fn bench_handshakes;       /* handshakes per second */
bench_measure_fn bench_bulk;             /* MiB per second */
bench_measure_fn bench_create_release;   /* nanoseconds per create + release */
bench_measure_fn bench_idle_memory;      /* heap bytes per idle context */
bench_measure_fn bench_connected_memory; /* heap bytes per connected context */
bench_measure_fn bench_lookup_latency;   /* nanoseconds per call (Secure Transport only) */
bench_measure_fn bench_threads;          /* connections per second */

#endif
