/*
 * The process-wide session cache (behaviour.md §14). Resumption is off
 * until SSLSetPeerID. A client's key is the peer ID plus a digest of the
 * trust settings and break options, so a session verified under one
 * configuration is never resumed under a laxer one; a server's key is its
 * peer ID and the session ID the client presents. A small LRU under one
 * mutex: lookups happen once per handshake, not per record.
 */
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "sec_internal.h"
#include "st_engine.h"

enum { ST_SESSION_CACHE_SLOTS = 256 };

struct st_session_slot {
    unsigned char key[32];
    SSL_SESSION *session;
    unsigned long long last_use;
};

static struct st_session_slot st_slots[ST_SESSION_CACHE_SLOTS];
static unsigned long long st_clock;
static pthread_mutex_t st_session_lock = PTHREAD_MUTEX_INITIALIZER;

static void st_digest_certificates(EVP_MD_CTX *md, CFArrayRef certs)
{
    for (CFIndex i = 0; certs != NULL && i < CFArrayGetCount(certs); i++) {
        X509 *x = sec_certificate_x509(CFArrayGetValueAtIndex(certs, i));
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (x != NULL && X509_digest(x, EVP_sha256(), digest, &len))
            EVP_DigestUpdate(md, digest, len);
    }
    EVP_DigestUpdate(md, "|", 1);
}

/* The cache key of a context (and, on a server, a session ID); false without a peer ID. */
static bool st_session_key(const struct st_context *ctx, const unsigned char *sid, size_t sid_len,
                           unsigned char key[32])
{
    if (ctx->peer_id == NULL)
        return false;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return false;
    }
    unsigned char flags[] = {
        ctx->allow_any_root,
        ctx->trusted_roots_only,
        ctx->verify_cert,
        ctx->session_options[kSSLSessionOptionBreakOnServerAuth] != 0,
        ctx->session_options[kSSLSessionOptionBreakOnCertRequested] != 0,
        ctx->datagram,
    };
    uint64_t id_len = ctx->peer_id_len;
    EVP_DigestUpdate(md, ctx->server ? "S" : "C", 1);
    EVP_DigestUpdate(md, sid, sid_len);
    EVP_DigestUpdate(md, &id_len, sizeof(id_len));
    EVP_DigestUpdate(md, ctx->peer_id, ctx->peer_id_len);
    EVP_DigestUpdate(md, flags, sizeof(flags));
    EVP_DigestUpdate(md, ctx->peer_name != NULL ? ctx->peer_name : "", ctx->peer_name_len);
    EVP_DigestUpdate(md, "|", 1);
    st_digest_certificates(md, ctx->trusted_roots);
    st_digest_certificates(md, ctx->trusted_leaves);
    unsigned int len = 0;
    bool ok = EVP_DigestFinal_ex(md, key, &len) && len == 32;
    EVP_MD_CTX_free(md);
    return ok;
}

static struct st_session_slot *st_session_slot_find(const unsigned char key[32])
{
    for (size_t i = 0; i < ST_SESSION_CACHE_SLOTS; i++)
        if (st_slots[i].session != NULL && memcmp(st_slots[i].key, key, 32) == 0)
            return &st_slots[i];
    return NULL;
}

/* Past the lifetime it was cached with (SSLSetSessionCacheTimeout at the time). */
static bool st_session_expired(const SSL_SESSION *session, time_t now)
{
    long born = SSL_SESSION_get_time(session), lifetime = SSL_SESSION_get_timeout(session);
    return (long long)now > (long long)born + lifetime;
}

/*
 * The live session under `key` (called with the lock held). An expired entry
 * misses and is dropped, as Apple's cache drops stale entries on lookup; the
 * caller frees *stale after unlocking.
 */
static struct st_session_slot *st_session_slot_live(const unsigned char key[32],
                                                    SSL_SESSION **stale)
{
    struct st_session_slot *slot = st_session_slot_find(key);
    *stale = NULL;
    if (slot == NULL || !st_session_expired(slot->session, time(NULL)))
        return slot;
    *stale = slot->session;
    slot->session = NULL;
    return NULL;
}

SSL_SESSION *st_session_cache_find(const struct st_context *ctx)
{
    unsigned char key[32];
    if (!st_session_key(ctx, NULL, 0, key))
        return NULL;
    SSL_SESSION *found = NULL, *stale = NULL;
    pthread_mutex_lock(&st_session_lock);
    struct st_session_slot *slot = st_session_slot_live(key, &stale);
    if (slot != NULL && SSL_SESSION_is_resumable(slot->session)) {
        found = slot->session;
        SSL_SESSION_up_ref(found);
        slot->last_use = ++st_clock;
    }
    pthread_mutex_unlock(&st_session_lock);
    SSL_SESSION_free(stale);
    return found;
}

/* new-session callback: 1 means the cache took the reference. */
int st_session_cache_new_session(SSL *ssl, SSL_SESSION *session)
{
    const struct st_context *ctx = st_engine_context_of(ssl);
    unsigned char key[32];
    unsigned int sid_len = 0;
    const unsigned char *sid =
        ctx != NULL && ctx->server ? SSL_SESSION_get_id(session, &sid_len) : NULL;
    if (ctx == NULL || !st_session_key(ctx, sid, sid_len, key))
        return 0;
    if (ctx->session_cache_timeout > 0)
        SSL_SESSION_set_timeout(session, (long)ctx->session_cache_timeout);
    pthread_mutex_lock(&st_session_lock);
    struct st_session_slot *slot = st_session_slot_find(key);
    for (size_t i = 0; slot == NULL && i < ST_SESSION_CACHE_SLOTS; i++)
        if (st_slots[i].session == NULL)
            slot = &st_slots[i];
    if (slot == NULL) {
        slot = &st_slots[0]; /* full: the least recently used goes */
        for (size_t i = 1; i < ST_SESSION_CACHE_SLOTS; i++)
            if (st_slots[i].last_use < slot->last_use)
                slot = &st_slots[i];
    }
    SSL_SESSION *old = slot->session;
    memcpy(slot->key, key, 32);
    slot->session = session;
    slot->last_use = ++st_clock;
    pthread_mutex_unlock(&st_session_lock);
    SSL_SESSION_free(old);
    return 1;
}

/* A failed handshake forgets the session, as a fatal alert does in Apple's cache. */
void st_session_cache_remove(const struct st_context *ctx)
{
    unsigned char key[32];
    if (ctx->server || !st_session_key(ctx, NULL, 0, key))
        return;
    pthread_mutex_lock(&st_session_lock);
    struct st_session_slot *slot = st_session_slot_find(key);
    SSL_SESSION *old = NULL;
    if (slot != NULL) {
        old = slot->session;
        slot->session = NULL;
    }
    pthread_mutex_unlock(&st_session_lock);
    SSL_SESSION_free(old);
}

/* Server: the session a client asks to resume, if this context's peer ID cached it. */
SSL_SESSION *st_session_cache_get(SSL *ssl, const unsigned char *sid, int sid_len, int *copy)
{
    const struct st_context *ctx = st_engine_context_of(ssl);
    unsigned char key[32];
    *copy = 0;
    if (ctx == NULL || sid_len < 0 || !st_session_key(ctx, sid, (size_t)sid_len, key))
        return NULL;
    SSL_SESSION *found = NULL, *stale = NULL;
    pthread_mutex_lock(&st_session_lock);
    struct st_session_slot *slot = st_session_slot_live(key, &stale);
    if (slot != NULL && SSL_SESSION_is_resumable(slot->session)) {
        found = slot->session;
        SSL_SESSION_up_ref(found); /* the reference OpenSSL takes over */
        slot->last_use = ++st_clock;
    }
    pthread_mutex_unlock(&st_session_lock);
    SSL_SESSION_free(stale);
    return found;
}
