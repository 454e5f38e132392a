/*
 * libFuzzer target: one side of a TLS or DTLS handshake, then reads, a
 * write and a close, with the peer's bytes taken from the fuzz input.
 * Built twice: FUZZ_TLS_SERVER=0 fuzzes our client, =1 our server.
 *
 * Input: one options byte, then chunks [ctl][length u16 BE][bytes]. Each
 * chunk is one peer write (one datagram under DTLS). ctl bit 0: the read
 * callback first says errSSLWouldBlock with nothing; ctl >> 1: at most that
 * many bytes per stream read (0: no limit), a partial read says would-block.
 *
 * SECTRANS_FUZZ_RECORD=<dir>: instead of fuzzing, runs our client against
 * our server in-process for each seed configuration and writes what each
 * side received as a seed for the other side's target. Each side draws its
 * randomness from its own seeded stream, so replaying a seed alone against
 * the same side reproduces the recorded handshake exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"

#ifndef FUZZ_TLS_SERVER
#error "FUZZ_TLS_SERVER must be 0 or 1"
#endif

enum option_bits {
    OPT_DATAGRAM = 1u << 0,
    OPT_BREAK_AUTH = 1u << 1,  /* client: on server auth; server: on client auth */
    OPT_BREAK_OTHER = 1u << 2, /* client: on certificate request; server: on ClientHello */
    OPT_VERSION_SHIFT = 3,     /* two bits: default, <= 1.2, exactly 1.3, 1.0-1.1 */
    OPT_CLIENT_AUTH = 1u << 5, /* server asks for a certificate, the client has one */
    OPT_ALPN = 1u << 6,
    OPT_WRITE_BLOCKS = 1u << 7, /* every other write callback call says would-block */
};

#define SEED_CLIENT 0xc11e47u
#define SEED_SERVER 0x5e47e4u
#define MAX_CALLS   4000

/* One direction of the connection: fuzz-format chunks and a reader over them. */
struct wire {
    uint8_t *owned; /* recording: the buffer grows as the peer writes */
    const uint8_t *data;
    size_t len, cap, pos;
    size_t chunk_left, chunk_max;
    bool exhausted; /* a read found no more input */
    bool datagram;
    bool write_blocks, write_toggle;
    struct wire *peer_in; /* recording: where our writes go */
    uint8_t record_ctl;   /* recording: ctl of the chunks we write */
};

static void wire_append(struct wire *w, const uint8_t *p, size_t n)
{
    if (w->len + n > w->cap) {
        size_t cap = w->cap * 2 + n + 256;
        uint8_t *grown = realloc(w->owned, cap);
        if (grown == NULL)
            abort();
        w->owned = grown;
        w->cap = cap;
    }
    memcpy(w->owned + w->len, p, n);
    w->len += n;
    w->data = w->owned;
}

static void wire_append_chunk(struct wire *w, uint8_t ctl, const uint8_t *p, size_t n)
{
    uint8_t header[3] = {ctl, (uint8_t)(n >> 8), (uint8_t)n};
    wire_append(w, header, sizeof(header));
    wire_append(w, p, n);
}

static OSStatus wire_read(SSLConnectionRef connection, void *data, size_t *length)
{
    struct wire *w = (struct wire *)connection;
    size_t want = *length, got = 0;
    *length = 0;
    while (got < want) {
        if (w->chunk_left == 0) {
            if (w->len - w->pos < 3) {
                w->exhausted = true;
                break;
            }
            uint8_t ctl = w->data[w->pos];
            w->chunk_left = (size_t)w->data[w->pos + 1] << 8 | w->data[w->pos + 2];
            w->pos += 3;
            if (w->chunk_left > w->len - w->pos)
                w->chunk_left = w->len - w->pos;
            w->chunk_max = ctl >> 1;
            if (ctl & 1)
                break; /* would-block before this chunk */
            if (w->chunk_left == 0)
                continue;
        }
        size_t n = want - got < w->chunk_left ? want - got : w->chunk_left;
        if (!w->datagram && w->chunk_max != 0 && n > w->chunk_max)
            n = w->chunk_max;
        memcpy((uint8_t *)data + got, w->data + w->pos, n);
        got += n;
        w->pos += n;
        w->chunk_left -= n;
        if (w->datagram) {
            /* one datagram per read; what does not fit is lost, as with recv() */
            w->pos += w->chunk_left;
            w->chunk_left = 0;
            *length = got;
            return errSecSuccess;
        }
        if (w->chunk_max != 0)
            break;
    }
    *length = got;
    return got == want ? errSecSuccess : errSSLWouldBlock;
}

static OSStatus wire_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    struct wire *w = (struct wire *)connection;
    if (w->write_blocks && (w->write_toggle = !w->write_toggle)) {
        *length = 0;
        return errSSLWouldBlock;
    }
    if (w->peer_in != NULL) {
        const uint8_t *p = data;
        size_t left = *length;
        do {
            size_t n = left < 0xffff ? left : 0xffff;
            wire_append_chunk(w->peer_in, w->record_ctl, p, n);
            p += n;
            left -= n;
        } while (left > 0);
    }
    return errSecSuccess;
}

static CFArrayRef alpn_protocols(void)
{
    const void *names[] = {CFSTR("h2"), CFSTR("http/1.1")};
    return CFArrayCreate(NULL, names, 2, &kCFTypeArrayCallBacks);
}

static void set_versions(SSLContextRef ctx, unsigned choice, bool datagram)
{
    if (datagram) {
        if (choice == 1)
            SSLSetProtocolVersionMax(ctx, kDTLSProtocol12);
        else if (choice >= 2)
            SSLSetProtocolVersionMax(ctx, kDTLSProtocol1);
        return;
    }
    switch (choice) {
    case 1: SSLSetProtocolVersionMax(ctx, kTLSProtocol12); break;
    case 2: SSLSetProtocolVersionMin(ctx, kTLSProtocol13); break;
    case 3:
        SSLSetProtocolVersionMin(ctx, kTLSProtocol1);
        SSLSetProtocolVersionMax(ctx, kTLSProtocol11);
        break;
    default: break;
    }
}

/* A context of `server` side configured from the options byte. */
static SSLContextRef make_context(bool server, uint8_t options, struct wire *w)
{
    bool datagram = options & OPT_DATAGRAM;
    SSLContextRef ctx = SSLCreateContext(NULL, server ? kSSLServerSide : kSSLClientSide,
                                         datagram ? kSSLDatagramType : kSSLStreamType);
    if (ctx == NULL)
        return NULL;
    SSLSetIOFuncs(ctx, wire_read, wire_write);
    SSLSetConnection(ctx, w);
    CFArrayRef roots = fuzz_identity_roots();
    SSLSetTrustedRoots(ctx, roots, true);
    CFRelease(roots);
    set_versions(ctx, (options >> OPT_VERSION_SHIFT) & 3, datagram);
    if (options & OPT_ALPN) {
        CFArrayRef protocols = alpn_protocols();
        SSLSetALPNProtocols(ctx, protocols);
        CFRelease(protocols);
    }
    bool has_identity = server || (options & OPT_CLIENT_AUTH);
    if (has_identity) {
        CFArrayRef identity = fuzz_identity_array();
        SSLSetCertificate(ctx, identity);
        CFRelease(identity);
    }
    if (server) {
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnClientAuth, options & OPT_BREAK_AUTH);
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnClientHello, options & OPT_BREAK_OTHER);
        if (options & OPT_CLIENT_AUTH)
            SSLSetClientSideAuthenticate(ctx, kAlwaysAuthenticate);
        if (datagram)
            SSLSetDatagramHelloCookie(ctx, "fuzz-cookie", 11);
    } else {
        SSLSetPeerDomainName(ctx, "localhost", 9);
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnServerAuth, options & OPT_BREAK_AUTH);
        SSLSetSessionOption(ctx, kSSLSessionOptionBreakOnCertRequested, options & OPT_BREAK_OTHER);
    }
    return ctx;
}

/* What an application does at a break point: looks at the peer, then goes on. */
static void inspect_break(SSLContextRef ctx, OSStatus status)
{
    if (status == errSSLPeerAuthCompleted) {
        SecTrustRef trust = NULL;
        if (SSLCopyPeerTrust(ctx, &trust) == errSecSuccess && trust != NULL)
            CFRelease(trust);
    } else if (status == errSSLClientHelloReceived) {
        size_t len = 0;
        SSLCopyRequestedPeerNameLength(ctx, &len);
    }
}

static bool is_break(OSStatus status)
{
    return status == errSSLPeerAuthCompleted || status == errSSLClientCertRequested ||
           status == errSSLClientHelloReceived;
}

/* One step of a side's handshake; false once it has finished or failed. */
static bool handshake_step(SSLContextRef ctx, OSStatus *status)
{
    *status = SSLHandshake(ctx);
    if (is_break(*status)) {
        inspect_break(ctx, *status);
        return true;
    }
    return *status == errSSLWouldBlock;
}

/* The connected phase: negotiated values, reads until the input ends, a write. */
static size_t use_connection(SSLContextRef ctx, struct wire *w)
{
    SSLProtocol version;
    SSLCipherSuite suite;
    SSLGetNegotiatedProtocolVersion(ctx, &version);
    SSLGetNegotiatedCipher(ctx, &suite);
    CFArrayRef alpn = NULL;
    if (SSLCopyALPNProtocols(ctx, &alpn) == errSecSuccess && alpn != NULL)
        CFRelease(alpn);
    uint8_t buf[1024];
    size_t total = 0;
    for (int i = 0; i < MAX_CALLS && !w->exhausted; i++) {
        size_t n = 0;
        OSStatus status = SSLRead(ctx, buf, sizeof(buf), &n);
        total += n;
        if (status != errSecSuccess && status != errSSLWouldBlock)
            break;
    }
    size_t written = 0;
    SSLWrite(ctx, "pong", 4, &written);
    return total;
}

static void fuzz_one_side(uint8_t options, const uint8_t *chunks, size_t size)
{
    static struct fuzz_rng rng;
    fuzz_rng_seed(&rng, FUZZ_TLS_SERVER ? SEED_SERVER : SEED_CLIENT);
    fuzz_rng_select(&rng);
    struct wire w = {.data = chunks, .len = size, .datagram = options & OPT_DATAGRAM};
    w.write_blocks = options & OPT_WRITE_BLOCKS;
    SSLContextRef ctx = make_context(FUZZ_TLS_SERVER, options, &w);
    if (ctx == NULL)
        abort();
    OSStatus status = errSSLWouldBlock;
    for (int i = 0; i < MAX_CALLS && handshake_step(ctx, &status); i++)
        if (status == errSSLWouldBlock && w.exhausted)
            break;
    size_t app_bytes = 0;
    if (status == errSecSuccess)
        app_bytes = use_connection(ctx, &w);
    /* SECTRANS_FUZZ_VERBOSE: shows whether a seed still replays to a full handshake. */
    if (getenv("SECTRANS_FUZZ_VERBOSE") != NULL)
        fprintf(stderr, "handshake %d, %zu application bytes read\n", (int)status, app_bytes);
    SSLClose(ctx);
    CFRelease(ctx);
    fuzz_rng_select(NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fuzz_one_side(data[0], data + 1, size - 1);
    return 0;
}

/* --- Recording --- */

struct recording {
    SSLContextRef ctx[2]; /* client, server */
    struct wire in[2];    /* what each side receives */
    struct fuzz_rng rng[2];
    OSStatus status[2];
    bool running[2];
};

static void record_call_side(struct recording *r, int side)
{
    fuzz_rng_select(&r->rng[side]);
    r->running[side] = handshake_step(r->ctx[side], &r->status[side]);
}

/* Sends `text` from side `from` and lets the other side read it. */
static void record_exchange(struct recording *r, int from, const char *text)
{
    size_t n = 0;
    fuzz_rng_select(&r->rng[from]);
    OSStatus status = SSLWrite(r->ctx[from], text, strlen(text), &n);
    for (int i = 0; i < 16 && status == errSSLWouldBlock; i++)
        status = SSLWrite(r->ctx[from], NULL, 0, &n);
    fuzz_rng_select(&r->rng[!from]);
    uint8_t buf[256];
    for (int i = 0; i < 16; i++)
        if (SSLRead(r->ctx[!from], buf, sizeof(buf), &n) == errSecSuccess && n > 0)
            break;
}

static void record_one(const char *dir, uint8_t options, uint8_t ctl, const char *name)
{
    struct recording r = {0};
    for (int side = 0; side < 2; side++) {
        fuzz_rng_seed(&r.rng[side], side ? SEED_SERVER : SEED_CLIENT);
        r.in[side].datagram = options & OPT_DATAGRAM;
        r.in[side].write_blocks = options & OPT_WRITE_BLOCKS;
        r.in[side].peer_in = &r.in[!side];
        r.in[side].record_ctl = ctl;
        fuzz_rng_select(&r.rng[side]);
        r.ctx[side] = make_context(side, options, &r.in[side]);
        r.running[side] = true;
        r.status[side] = errSSLWouldBlock;
    }
    for (int i = 0; i < MAX_CALLS && (r.running[0] || r.running[1]); i++)
        for (int side = 0; side < 2; side++)
            if (r.running[side])
                record_call_side(&r, side);
    if (r.status[0] == errSecSuccess && r.status[1] == errSecSuccess) {
        record_exchange(&r, 0, "ping from the client");
        record_exchange(&r, 1, "pong from the server");
    }
    for (int side = 0; side < 2; side++) {
        fuzz_rng_select(&r.rng[side]);
        SSLClose(r.ctx[side]);
    }
    if (dir != NULL) {
        fprintf(stderr, "recorded %s: client %d, server %d\n", name, (int)r.status[0],
                (int)r.status[1]);
        struct wire *mine = &r.in[FUZZ_TLS_SERVER];
        uint8_t *seed = malloc(mine->len + 1);
        if (seed == NULL)
            abort();
        seed[0] = options;
        if (mine->len > 0)
            memcpy(seed + 1, mine->owned, mine->len);
        fuzz_record_write(dir, name, seed, mine->len + 1);
        free(seed);
    }
    for (int side = 0; side < 2; side++) {
        CFRelease(r.ctx[side]);
        free(r.in[side].owned);
    }
    fuzz_rng_select(NULL);
}

static void record_seeds(const char *dir)
{
    static const struct {
        uint8_t options, ctl;
        const char *name;
    } seeds[] = {
        {0, 0, "tls-default"},
        {1u << OPT_VERSION_SHIFT, 0, "tls12"},
        {2u << OPT_VERSION_SHIFT | OPT_ALPN, 0, "tls13-alpn"},
        {OPT_BREAK_AUTH | OPT_BREAK_OTHER | OPT_CLIENT_AUTH, 0, "tls-breaks-client-auth"},
        {1u << OPT_VERSION_SHIFT | OPT_CLIENT_AUTH | OPT_BREAK_AUTH, 0, "tls12-client-auth"},
        {OPT_WRITE_BLOCKS, 1 | 7u << 1, "tls-small-reads"},
        {1u << OPT_VERSION_SHIFT, 1 | 5u << 1, "tls12-small-reads"},
        {OPT_DATAGRAM, 0, "dtls-default"},
        {OPT_DATAGRAM | OPT_BREAK_AUTH | OPT_BREAK_OTHER, 1, "dtls-breaks"},
        {OPT_DATAGRAM | OPT_CLIENT_AUTH, 0, "dtls-client-auth"},
    };
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        record_one(dir, seeds[i].options, seeds[i].ctl, seeds[i].name);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    fuzz_identity_certificate();
    /* Lazily made shared state (SSL_CTXs) draws randomness; make it before any seeded run. */
    const char *dir = fuzz_record_dir();
    record_seeds(NULL);
    if (dir != NULL) {
        record_seeds(dir);
        exit(0);
    }
    return 0;
}
