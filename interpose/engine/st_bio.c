/*
 * The I/O bridge: a BIO whose reads and writes call the app's SSLReadFunc
 * and SSLWriteFunc with the connection ref of SSLSetConnection
 * (behaviour.md §3).
 *
 * errSSLWouldBlock with a partial count becomes that many bytes, or a BIO
 * retry when nothing moved; either way it ends that direction's I/O for the
 * rest of the engine call, as 10.15 returns at the first would-block
 * (SSLHandshakeProceed, SSLRecordServiceWriteQueueInternal). Any other
 * callback error is kept in ctx->session.io_status and fails the BIO call; the
 * engine reports it. To apply
 * Apple's rule that a read error between records (or inside a record
 * header) is errSSLClosedAbort while one inside a record body passes
 * through, the bridge follows the record framing of the bytes it delivers.
 */
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <pthread.h>
#include <string.h>

#include "st_engine.h"

enum { ST_TLS_HEADER = 5 };

/* Follows the TLS record framing over the bytes handed to OpenSSL. */
static void st_bio_track_records(struct st_context *ctx, const uint8_t *bytes, size_t n)
{
    while (n > 0) {
        if (ctx->session.rx_body_left > 0) {
            size_t take = n < ctx->session.rx_body_left ? n : ctx->session.rx_body_left;
            ctx->session.rx_body_left -= take;
            bytes += take;
            n -= take;
            continue;
        }
        ctx->session.rx_header[ctx->session.rx_header_have++] = *bytes++;
        n--;
        if (ctx->session.rx_header_have == ST_TLS_HEADER) {
            ctx->session.rx_body_left =
                (size_t)ctx->session.rx_header[3] << 8 | ctx->session.rx_header[4];
            ctx->session.rx_body_len = ctx->session.rx_body_left;
            ctx->session.rx_header_have = 0;
        }
    }
}

/* Reading a record body: an error now is the callback's own (§3). */
static bool st_bio_inside_record_body(const struct st_context *ctx)
{
    return !ctx->datagram && ctx->session.rx_body_left > 0;
}

/* Bytes that reach OpenSSL, followed for the record framing (stream only). */
static int st_bio_deliver(struct st_context *ctx, const char *out, size_t len)
{
    if (!ctx->datagram)
        st_bio_track_records(ctx, (const uint8_t *)out, len);
    return (int)len;
}

/*
 * A would-block read: 10.15 keeps the bytes and returns at once, parsing
 * nothing until the next call (SSLRecordReadInternal). OpenSSL parses as
 * soon as its request is filled, so a read that filled it keeps its last
 * byte back for the next call.
 */
static size_t st_bio_read_blocked(struct st_context *ctx, char *out, size_t len, size_t asked)
{
    ctx->session.rx_blocked = true;
    if (len == 0 || len < asked || ctx->datagram)
        return len;
    ctx->session.rx_held = true;
    ctx->session.rx_held_byte = (uint8_t)out[len - 1];
    return len - 1;
}

static int st_bio_read(BIO *bio, char *out, int outl)
{
    struct st_context *ctx = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    if (outl <= 0)
        return 0;
    if (ctx->session.client_auth_break_pending || ctx->session.rx_blocked) {
        BIO_set_retry_read(bio);
        return -1;
    }
    if (ctx->session.rx_held) {
        ctx->session.rx_held = false;
        out[0] = (char)ctx->session.rx_held_byte;
        return st_bio_deliver(ctx, out, 1);
    }
    size_t len = (size_t)outl;
    OSStatus status = ctx->read_func(ctx->connection, out, &len);
    if (len > (size_t)outl)
        len = (size_t)outl; /* a callback that claims more than it was given */
    if (status == errSSLWouldBlock)
        len = st_bio_read_blocked(ctx, out, len, (size_t)outl);
    if (status == errSecSuccess || status == errSSLWouldBlock) {
        if (len == 0) {
            BIO_set_retry_read(bio);
            return -1;
        }
        return st_bio_deliver(ctx, out, len);
    }
    /* Bytes reported together with an error are dropped, as Apple does. */
    ctx->session.io_status = st_bio_inside_record_body(ctx) ? status : errSSLClosedAbort;
    return -1;
}

static int st_bio_write(BIO *bio, const char *in, int inl)
{
    struct st_context *ctx = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    if (inl <= 0)
        return 0;
    if (ctx->session.tx_blocked) {
        BIO_set_retry_write(bio);
        return -1;
    }
    size_t len = (size_t)inl;
    OSStatus status = ctx->write_func(ctx->connection, in, &len);
    if (len > (size_t)inl)
        len = (size_t)inl;
    /* Would-block, or a success that moved nothing (Apple would spin): the rest waits. */
    if (status == errSSLWouldBlock || (status == errSecSuccess && len == 0))
        ctx->session.tx_blocked = true;
    if (len > 0 && (status == errSecSuccess || status == errSSLWouldBlock))
        return (int)len;
    if (status == errSecSuccess || status == errSSLWouldBlock) {
        BIO_set_retry_write(bio);
        return -1;
    }
    /*
     * An error already queued means this write carries its alert: 10.15
     * only queues alerts and reports the TLS error, so the callback's
     * failure must not replace it.
     */
    if (ERR_peek_error() == 0)
        ctx->session.io_status = status;
    return -1;
}

static long st_bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
    struct st_context *ctx = BIO_get_data(bio);
    (void)ptr;
    switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU: return (long)ctx->dtls_mtu;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: return 0; /* the app's datagrams carry only records */
    case BIO_CTRL_DGRAM_SET_MTU: return num;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
    case BIO_CTRL_DGRAM_MTU_EXCEEDED: return 0;
    case BIO_CTRL_WPENDING:
    case BIO_CTRL_PENDING: return 0;
    default: return 0;
    }
}

static int st_bio_create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

static BIO_METHOD *st_bio_method;
static pthread_once_t st_bio_method_once = PTHREAD_ONCE_INIT;

static void st_bio_method_create(void)
{
    BIO_METHOD *method =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "Secure Transport callbacks");
    if (method == NULL)
        return;
    if (!BIO_meth_set_write(method, st_bio_write) || !BIO_meth_set_read(method, st_bio_read) ||
        !BIO_meth_set_ctrl(method, st_bio_ctrl) || !BIO_meth_set_create(method, st_bio_create)) {
        BIO_meth_free(method);
        return;
    }
    st_bio_method = method;
}

void st_io_begin(struct st_context *ctx)
{
    ctx->session.io_status = errSecSuccess;
    ctx->session.rx_blocked = false;
    ctx->session.tx_blocked = false;
    /* SSL_get_error needs an empty queue; stale entries would be taken for ours.
     * Peeking first: clearing an empty queue still costs hundreds of instructions. */
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

BIO *st_bio_new(struct st_context *ctx)
{
    pthread_once(&st_bio_method_once, st_bio_method_create);
    if (st_bio_method == NULL)
        return NULL;
    BIO *bio = BIO_new(st_bio_method);
    if (bio != NULL)
        BIO_set_data(bio, ctx);
    return bio;
}
