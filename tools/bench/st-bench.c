/*
 * st-bench [--quick] [--json] [--only WORD] [--fixed st|raw]
 *
 * Measures every scenario through Secure Transport (sectrans) and through raw
 * OpenSSL 3 in one process: interleaved A/B rounds, the median of each and
 * its spread, and the ratio sectrans/raw against the project's targets.
 * --fixed runs one fixed workload through one path and reports nothing, for
 * counting instructions under callgrind (deterministic, unlike seconds).
 */
#include <Security/Security.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"
#include "bench_scenarios.h"

enum bench_better { BENCH_HIGHER, BENCH_LOWER };

/* How a row is judged. */
enum bench_goal {
    BENCH_RATIO_AT_LEAST, /* sectrans/raw >= target */
    BENCH_RATIO_AT_MOST,  /* sectrans/raw <= target */
    BENCH_FLAT,           /* sectrans at N / sectrans at 1 <= target (no raw figure) */
    BENCH_SCALING,        /* 2 threads / 1 thread >= target, for each path */
};

struct bench_row {
    const char *name;
    const char *unit;
    bench_measure_fn *measure;
    struct bench_params params;
    enum bench_better better;
    enum bench_goal goal;
    double target;
    /* results */
    double st[16], raw[16];
    double st_median, raw_median, ratio;
    bool failed, met;
};

static struct bench_pki pki_ec, pki_rsa;

#define HS(n, k, v13, sock, res, tgt)                                                              \
    {                                                                                              \
        n, "handshakes/s", bench_handshakes,                                                       \
            {.pki = &k, .tls13 = v13, .socket = sock, .resume = res}, BENCH_HIGHER,                \
            BENCH_RATIO_AT_LEAST, tgt, {0}, {0}, 0, 0, 0, false, false                             \
    }
#define BULK(n, from_srv, sz, sock)                                                                \
    {                                                                                              \
        n, "MiB/s", bench_bulk,                                                                    \
            {.pki = &pki_ec, .socket = sock, .from_server = from_srv, .chunk = sz}, BENCH_HIGHER,  \
            BENCH_RATIO_AT_LEAST, 0.98, {0}, {0}, 0, 0, 0, false, false                            \
    }
#define LOOKUP(n, count)                                                                           \
    {                                                                                              \
        n, "ns/call", bench_lookup_latency, {.live = count}, BENCH_LOWER, BENCH_FLAT, 1.20, {0},   \
            {0}, 0, 0, 0, false, false                                                             \
    }

static struct bench_row rows[] = {
    HS("full handshake, TLS 1.2, ECDSA P-256, memory", pki_ec, false, false, false, 0.97),
    HS("full handshake, TLS 1.3, ECDSA P-256, memory", pki_ec, true, false, false, 0.97),
    HS("full handshake, TLS 1.2, RSA-2048, memory", pki_rsa, false, false, false, 0.97),
    HS("full handshake, TLS 1.3, RSA-2048, memory", pki_rsa, true, false, false, 0.97),
    HS("full handshake, TLS 1.2, ECDSA P-256, socketpair", pki_ec, false, true, false, 0.97),
    HS("full handshake, TLS 1.3, ECDSA P-256, socketpair", pki_ec, true, true, false, 0.97),
    HS("full handshake, TLS 1.3, RSA-2048, socketpair", pki_rsa, true, true, false, 0.97),
    HS("resumed, TLS 1.2 session ID, memory", pki_ec, false, false, true, 0.95),
    HS("resumed, TLS 1.3 ticket, memory", pki_ec, true, false, true, 0.95),
    HS("resumed, TLS 1.2 session ID, socketpair", pki_ec, false, true, true, 0.95),
    HS("resumed, TLS 1.3 ticket, socketpair", pki_ec, true, true, true, 0.95),
    BULK("bulk client->server, 1 KiB writes, memory", false, 1024, false),
    BULK("bulk client->server, 16 KiB writes, memory", false, 16384, false),
    BULK("bulk server->client, 1 KiB writes, memory", true, 1024, false),
    BULK("bulk server->client, 16 KiB writes, memory", true, 16384, false),
    BULK("bulk client->server, 16 KiB writes, socketpair", false, 16384, true),
    BULK("bulk server->client, 16 KiB writes, socketpair", true, 16384, true),
    {"create + release (SSLCreateContext vs SSL_new)",
     "ns",
     bench_create_release,
     {.pki = &pki_ec},
     BENCH_LOWER,
     BENCH_RATIO_AT_MOST,
     1.5,
     {0},
     {0},
     0,
     0,
     0,
     false,
     false},
    {"heap per idle context (vs an SSL)",
     "bytes",
     bench_idle_memory,
     {.pki = &pki_ec},
     BENCH_LOWER,
     BENCH_RATIO_AT_MOST,
     1.0,
     {0},
     {0},
     0,
     0,
     0,
     false,
     false},
    {"heap per connected context, idle (vs an SSL)",
     "bytes",
     bench_connected_memory,
     {.pki = &pki_ec},
     BENCH_LOWER,
     BENCH_RATIO_AT_MOST,
     0.8,
     {0},
     {0},
     0,
     0,
     0,
     false,
     false},
    LOOKUP("SSLGetSessionState, 1 live context", 1),
    LOOKUP("SSLGetSessionState, 1k live contexts", 1000),
    LOOKUP("SSLGetSessionState, 100k live contexts", 100000),
    LOOKUP("SSLGetSessionState, 1M live contexts", 1000000),
    {"connections/s (handshake + 64 KiB), 1 thread",
     "conn/s",
     bench_threads,
     {.pki = &pki_ec, .threads = 1},
     BENCH_HIGHER,
     BENCH_RATIO_AT_LEAST,
     0.97,
     {0},
     {0},
     0,
     0,
     0,
     false,
     false},
    {"connections/s (handshake + 64 KiB), 2 threads",
     "conn/s",
     bench_threads,
     {.pki = &pki_ec, .threads = 2},
     BENCH_HIGHER,
     BENCH_SCALING,
     1.9,
     {0},
     {0},
     0,
     0,
     0,
     false,
     false},
};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned n)
{
    double s[16];
    memcpy(s, v, n * sizeof(*v));
    qsort(s, n, sizeof(*s), compare_doubles);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Spread: (max - min) / median, in percent. */
static double spread(const double *v, unsigned n, double med)
{
    double lo = v[0], hi = v[0];
    for (unsigned i = 1; i < n; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    return med > 0 ? 100.0 * (hi - lo) / med : 0;
}

static const struct bench_row *row_named_prefix(const char *prefix)
{
    for (size_t i = 0; i < ROW_COUNT; i++)
        if (strncmp(rows[i].name, prefix, strlen(prefix)) == 0)
            return &rows[i];
    return NULL;
}

static void judge(struct bench_row *r, unsigned rounds)
{
    r->st_median = median(r->st, rounds);
    r->raw_median = r->goal == BENCH_FLAT ? 0 : median(r->raw, rounds);
    switch (r->goal) {
    case BENCH_RATIO_AT_LEAST:
    case BENCH_RATIO_AT_MOST:
        r->ratio = r->raw_median > 0 ? r->st_median / r->raw_median : 0;
        r->met = r->goal == BENCH_RATIO_AT_LEAST ? r->ratio >= r->target : r->ratio <= r->target;
        break;
    case BENCH_FLAT: {
        const struct bench_row *base = row_named_prefix("SSLGetSessionState, 1 live");
        r->ratio = base && base->st_median > 0 ? r->st_median / base->st_median : 0;
        r->met = r->ratio <= r->target;
        break;
    }
    case BENCH_SCALING: {
        const struct bench_row *one = row_named_prefix("connections/s (handshake + 64 KiB), 1");
        double st1 = one ? one->st_median : 0, raw1 = one ? one->raw_median : 0;
        r->ratio = st1 > 0 ? r->st_median / st1 : 0; /* sectrans's scaling */
        double raw_scaling = raw1 > 0 ? r->raw_median / raw1 : 0;
        r->met = r->ratio >= r->target && raw_scaling >= r->target;
        break;
    }
    }
}

static void run_row(struct bench_row *r, unsigned rounds, double seconds)
{
    for (unsigned k = 0; k < rounds && !r->failed; k++) {
        /* Interleaved: A then B, then B then A, so drift hits both alike. */
        for (int half = 0; half < 2; half++) {
            enum bench_path path = ((k + (unsigned)half) % 2) ? BENCH_RAW : BENCH_ST;
            if (path == BENCH_RAW && r->goal == BENCH_FLAT)
                continue;
            double v = r->measure(path, &r->params, seconds);
            if (v < 0)
                r->failed = true;
            (path == BENCH_ST ? r->st : r->raw)[k] = v;
        }
    }
    if (!r->failed)
        judge(r, rounds);
}

static const char *goal_text(const struct bench_row *r, char *buf, size_t len)
{
    switch (r->goal) {
    case BENCH_RATIO_AT_LEAST: snprintf(buf, len, ">= %.2f", r->target); break;
    case BENCH_RATIO_AT_MOST: snprintf(buf, len, "<= %.2f", r->target); break;
    case BENCH_FLAT: snprintf(buf, len, "<= %.2f x 1 ctx", r->target); break;
    case BENCH_SCALING: snprintf(buf, len, ">= %.2f x 1 thr", r->target); break;
    }
    return buf;
}

static void print_text(unsigned rounds)
{
    char goal[32], st[40], raw[40];
    printf("%-50s %19s %19s %7s %16s\n", "scenario (median of rounds, spread)", "sectrans",
           "raw OpenSSL", "ratio", "target");
    for (size_t i = 0; i < ROW_COUNT; i++) {
        const struct bench_row *r = &rows[i];
        if (r->st[0] == 0 && !r->failed)
            continue; /* not selected */
        if (r->failed) {
            printf("%-50s FAILED (the scenario did not run through)\n", r->name);
            continue;
        }
        snprintf(st, sizeof(st), "%.4g %s ±%.0f%%", r->st_median, r->unit,
                 spread(r->st, rounds, r->st_median));
        if (r->goal == BENCH_FLAT)
            snprintf(raw, sizeof(raw), "-");
        else
            snprintf(raw, sizeof(raw), "%.4g %s ±%.0f%%", r->raw_median, r->unit,
                     spread(r->raw, rounds, r->raw_median));
        printf("%-50s %19s %19s %7.3f %16s %s\n", r->name, st, raw, r->ratio,
               goal_text(r, goal, sizeof(goal)), r->met ? "met" : "MISSED");
    }
}

static void print_json(unsigned rounds, double seconds)
{
    struct utsname u;
    uname(&u);
    char goal[32];
    printf("{\"machine\": {\"system\": \"%s %s\", \"cpus\": %ld, \"openssl\": \"%s\"}, "
           "\"rounds\": %u, \"seconds_per_measurement\": %.3f, \"results\": [",
           u.sysname, u.release, sysconf(_SC_NPROCESSORS_ONLN), OpenSSL_version(OPENSSL_VERSION),
           rounds, seconds);
    bool first = true;
    for (size_t i = 0; i < ROW_COUNT; i++) {
        const struct bench_row *r = &rows[i];
        if (r->st[0] == 0 && !r->failed)
            continue;
        printf("%s\n  {\"scenario\": \"%s\", \"unit\": \"%s\", \"failed\": %s", first ? "" : ",",
               r->name, r->unit, r->failed ? "true" : "false");
        first = false;
        if (!r->failed) {
            printf(", \"sectrans\": {\"median\": %.6g, \"spread_percent\": %.2f}", r->st_median,
                   spread(r->st, rounds, r->st_median));
            if (r->goal != BENCH_FLAT)
                printf(", \"raw\": {\"median\": %.6g, \"spread_percent\": %.2f}", r->raw_median,
                       spread(r->raw, rounds, r->raw_median));
            printf(", \"ratio\": %.4f, \"target\": \"%s\", \"met\": %s", r->ratio,
                   goal_text(r, goal, sizeof(goal)), r->met ? "true" : "false");
        }
        putchar('}');
    }
    printf("\n]}\n");
}

/* A fixed workload through one path, for instruction counts under callgrind. */
static int run_fixed(const char *which)
{
    enum bench_path path = strcmp(which, "raw") == 0 ? BENCH_RAW : BENCH_ST;
    struct bench_conn_config cfg = {.pki = &pki_ec, .tls13 = true};
    for (int i = 0; i < 20; i++) {
        struct bench_conn c;
        bool ok = bench_conn_open(&c, path, &cfg) && bench_conn_handshake(&c) &&
                  bench_conn_transfer(&c, 0, i == 0 ? 8u << 20 : 4096, 16384);
        bench_conn_close(&c);
        if (!ok) {
            fprintf(stderr, "st-bench: the fixed workload failed\n");
            return 1;
        }
    }
    printf("fixed workload done (%s): 20 TLS 1.3 ECDSA handshakes, 8 MiB + 19 x 4 KiB\n",
           path == BENCH_RAW ? "raw OpenSSL" : "sectrans");
    return 0;
}

static void usage(FILE *to)
{
    fprintf(to, "usage: st-bench [--quick] [--json] [--only WORD] [--fixed st|raw]\n"
                "  --quick      3 short rounds (a smoke run; the figures are rough)\n"
                "  --json       the results as one JSON document\n"
                "  --only WORD  only scenarios whose name contains WORD\n"
                "  --fixed P    a fixed workload through P (st or raw), for callgrind\n");
}

int main(int argc, char **argv)
{
    bool quick = false, json = false;
    const char *only = NULL, *fixed = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--fixed") == 0 && i + 1 < argc)
            fixed = argv[++i];
        else {
            usage(strcmp(argv[i], "--help") == 0 ? stdout : stderr);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    /* The fixed workload needs no RSA key: its generation would swamp the count. */
    if (!bench_pki_make(BENCH_ECDSA_P256, &pki_ec) ||
        (fixed == NULL && !bench_pki_make(BENCH_RSA_2048, &pki_rsa))) {
        fprintf(stderr, "st-bench: cannot make the certificates\n");
        return 2;
    }
    if (fixed != NULL) {
        int status = run_fixed(fixed);
        bench_pki_free(&pki_ec);
        bench_pki_free(&pki_rsa);
        return status;
    }
    unsigned rounds = quick ? 3 : 7;
    double seconds = quick ? 0.05 : 0.25;
    bool any_failed = false;
    for (size_t i = 0; i < ROW_COUNT; i++) {
        if (only != NULL && strstr(rows[i].name, only) == NULL)
            continue;
        if (quick && rows[i].params.live > 100000)
            continue; /* a million contexts is for the full run */
        if (!json)
            fprintf(stderr, "  %s ...\n", rows[i].name);
        run_row(&rows[i], rounds, seconds);
        any_failed = any_failed || rows[i].failed;
    }
    if (json)
        print_json(rounds, seconds);
    else
        print_text(rounds);
    bench_raw_forget_session();
    bench_pki_free(&pki_ec);
    bench_pki_free(&pki_rsa);
    return any_failed ? 1 : 0;
}
