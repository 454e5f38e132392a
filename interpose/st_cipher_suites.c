/*
 * Cipher suite selection by IANA value, and the named session
 * configurations (semantics.md §11). The engine (engine/st_ciphers.c)
 * supplies the supported and default lists and applies the choice.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/st_engine.h"
#include "st_entry.h"

/* The list in force: the context's own, or the default for its transport. */
static size_t st_enabled_ciphers(const struct st_context *ctx, const uint16_t **list)
{
    if (ctx->enabled_ciphers != NULL) {
        *list = ctx->enabled_ciphers;
        return ctx->enabled_cipher_count;
    }
    return st_cipher_defaults(ctx->datagram, list);
}

static OSStatus st_copy_cipher_list(const uint16_t *list, size_t count, SSLCipherSuite *out,
                                    size_t *capacity)
{
    if (*capacity < count)
        return errSSLBufferOverflow;
    for (size_t i = 0; i < count; i++)
        out[i] = list[i];
    *capacity = count;
    return errSecSuccess;
}

/* Suites a context of this transport can use: supported, and no TLS 1.3 over DTLS. */
static bool st_cipher_usable(const struct st_context *ctx, SSLCipherSuite suite)
{
    if (suite > 0xFFFF)
        return false;
    struct st_cipher_traits traits;
    return st_cipher_traits((uint16_t)suite, &traits) && !(ctx->datagram && traits.tls13);
}

/* Replaces the context's list; errSecParam if nothing in `suites` can be used. */
static OSStatus st_set_cipher_list(struct st_context *ctx, const SSLCipherSuite *suites,
                                   size_t count)
{
    uint16_t *kept = malloc(count * sizeof(*kept));
    if (kept == NULL)
        return errSecAllocate;
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (st_cipher_usable(ctx, suites[i]))
            kept[n++] = (uint16_t)suites[i];
    if (n == 0) {
        free(kept);
        return errSecParam;
    }
    free(ctx->enabled_ciphers);
    ctx->enabled_ciphers = kept;
    ctx->enabled_cipher_count = n;
    return errSecSuccess;
}

OSStatus SSLGetNumberSupportedCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberSupportedCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    const uint16_t *list;
    *numCiphers = st_cipher_supported(&list);
    return errSecSuccess;
}

OSStatus SSLGetSupportedCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetSupportedCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    const uint16_t *list;
    size_t count = st_cipher_supported(&list);
    return st_copy_cipher_list(list, count, ciphers, numCiphers);
}

OSStatus SSLGetNumberEnabledCiphers(SSLContextRef context, size_t *numCiphers)
{
    ST_ENTER(SSLGetNumberEnabledCiphers, context, ctx);
    ST_REQUIRE(numCiphers != NULL);
    const uint16_t *list;
    *numCiphers = st_enabled_ciphers(ctx, &list);
    return errSecSuccess;
}

/* Unknown suites are dropped; the caller's order and duplicates are kept. */
OSStatus SSLSetEnabledCiphers(SSLContextRef context, const SSLCipherSuite *ciphers,
                              size_t numCiphers)
{
    ST_ENTER(SSLSetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers > 0);
    return st_set_cipher_list(ctx, ciphers, numCiphers);
}

OSStatus SSLGetEnabledCiphers(SSLContextRef context, SSLCipherSuite *ciphers, size_t *numCiphers)
{
    ST_ENTER(SSLGetEnabledCiphers, context, ctx);
    ST_REQUIRE(ciphers != NULL && numCiphers != NULL);
    const uint16_t *list;
    size_t count = st_enabled_ciphers(ctx, &list);
    return st_copy_cipher_list(list, count, ciphers, numCiphers);
}

/* Only an active session has a cipher (§11): idle, closed and aborted ones get errSecBadReq. */
OSStatus SSLGetNegotiatedCipher(SSLContextRef context, SSLCipherSuite *cipherSuite)
{
    ST_ENTER(SSLGetNegotiatedCipher, context, ctx);
    ST_REQUIRE(cipherSuite != NULL);
    if (!st_session_active(ctx))
        return errSecBadReq;
    *cipherSuite = st_conninfo_cipher(ctx);
    return errSecSuccess;
}

/* What a named configuration admits, judged on the engine's description of a suite. */
enum st_preset_suites {
    ST_SUITES_DEFAULT,     /* the default list */
    ST_SUITES_PFS,         /* ECDHE key exchange, and TLS 1.3 */
    ST_SUITES_PFS_AND_RSA, /* ... plus RSA key exchange */
    ST_SUITES_LEGACY,      /* everything authenticated except PSK, DHE included */
    ST_SUITES_WITH_3DES,   /* the default list plus 3DES */
    ST_SUITES_ANONYMOUS,   /* unauthenticated suites only */
};

struct st_session_preset {
    const CFStringRef *name;
    enum st_version min, max;
    enum st_preset_suites suites;
    bool fallback;
};

/*
 * Apple's presets, mapped onto what OpenSSL has: RC4 is gone, so the RC4
 * fallbacks keep their version ranges with the standard suites.
 */
static const struct st_session_preset st_presets[] = {
    {&kSSLSessionConfig_default, ST_STREAM_DEFAULT_MIN, ST_STREAM_DEFAULT_MAX, ST_SUITES_DEFAULT,
     false},
    {&kSSLSessionConfig_ATSv1, ST_VERSION_TLS12, ST_VERSION_TLS13, ST_SUITES_PFS, false},
    {&kSSLSessionConfig_ATSv1_noPFS, ST_VERSION_TLS12, ST_VERSION_TLS13, ST_SUITES_PFS_AND_RSA,
     false},
    {&kSSLSessionConfig_standard, ST_VERSION_TLS10, ST_VERSION_TLS13, ST_SUITES_DEFAULT, false},
    {&kSSLSessionConfig_RC4_fallback, ST_VERSION_TLS10, ST_VERSION_TLS13, ST_SUITES_DEFAULT, false},
    {&kSSLSessionConfig_TLSv1_fallback, ST_VERSION_TLS10, ST_VERSION_TLS10, ST_SUITES_DEFAULT,
     true},
    {&kSSLSessionConfig_TLSv1_RC4_fallback, ST_VERSION_TLS10, ST_VERSION_TLS10, ST_SUITES_DEFAULT,
     true},
    {&kSSLSessionConfig_legacy, ST_VERSION_TLS10, ST_VERSION_TLS13, ST_SUITES_LEGACY, false},
    {&kSSLSessionConfig_legacy_DHE, ST_VERSION_TLS10, ST_VERSION_TLS13, ST_SUITES_LEGACY, false},
    {&kSSLSessionConfig_anonymous, ST_VERSION_TLS10, ST_VERSION_TLS12, ST_SUITES_ANONYMOUS, false},
    {&kSSLSessionConfig_3DES_fallback, ST_VERSION_TLS10, ST_VERSION_TLS13, ST_SUITES_WITH_3DES,
     false},
    {&kSSLSessionConfig_TLSv1_3DES_fallback, ST_VERSION_TLS10, ST_VERSION_TLS10,
     ST_SUITES_WITH_3DES, true},
};

static bool st_preset_admits(enum st_preset_suites rule, uint16_t suite)
{
    struct st_cipher_traits t;
    if (!st_cipher_traits(suite, &t))
        return false;
    switch (rule) {
    case ST_SUITES_PFS: return t.tls13 || (t.ecdhe_kx && !t.anonymous);
    case ST_SUITES_PFS_AND_RSA: return t.tls13 || ((t.ecdhe_kx || t.rsa_kx) && !t.anonymous);
    case ST_SUITES_LEGACY: return !t.pre_shared && !t.anonymous;
    case ST_SUITES_WITH_3DES: return t.triple_des && !t.pre_shared;
    case ST_SUITES_ANONYMOUS: return t.anonymous && !t.pre_shared;
    default: return false;
    }
}

/* The suites of a preset: the defaults, filtered or extended from the supported list. */
static OSStatus st_apply_preset_suites(struct st_context *ctx, enum st_preset_suites rule)
{
    const uint16_t *defaults, *supported;
    size_t ndefaults = st_cipher_defaults(ctx->datagram, &defaults);
    size_t nsupported = st_cipher_supported(&supported);
    SSLCipherSuite *list = malloc((ndefaults + nsupported + 1) * sizeof(*list));
    if (list == NULL)
        return errSecAllocate;
    size_t n = 0;
    if (rule == ST_SUITES_DEFAULT || rule == ST_SUITES_WITH_3DES)
        for (size_t i = 0; i < ndefaults; i++)
            list[n++] = defaults[i];
    for (size_t i = 0; rule != ST_SUITES_DEFAULT && i < nsupported; i++)
        if (st_preset_admits(rule, supported[i]))
            list[n++] = supported[i];
    OSStatus status = errSecSuccess;
    if (rule == ST_SUITES_DEFAULT) {
        free(ctx->enabled_ciphers);
        ctx->enabled_ciphers = NULL;
        ctx->enabled_cipher_count = 0;
    } else {
        status = st_set_cipher_list(ctx, list, n);
    }
    free(list);
    return status;
}

/* Names compare by content (CFEqual); the versions, suites and fallback flag are reset. */
OSStatus SSLSetSessionConfig(SSLContextRef context, CFStringRef config)
{
    ST_ENTER(SSLSetSessionConfig, context, ctx);
    ST_REQUIRE(config != NULL && CFGetTypeID(config) == CFStringGetTypeID());
    for (size_t i = 0; i < sizeof(st_presets) / sizeof(st_presets[0]); i++) {
        const struct st_session_preset *p = &st_presets[i];
        if (!CFEqual(config, *p->name))
            continue;
        OSStatus status = st_apply_preset_suites(ctx, p->suites);
        if (status != errSecSuccess)
            return status;
        if (!ctx->datagram) {
            ctx->min_version = p->min;
            ctx->max_version = p->max;
        }
        ctx->fallback_scsv = p->fallback;
        return errSecSuccess;
    }
    return errSecParam;
}
