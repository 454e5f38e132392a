/*
 * SSLSetSessionConfig and its presets (behaviour.md §11): the twelve
 * kSSLSessionConfig_* names (data symbols of SecureTransport.h), each a
 * protocol range, a rule for the cipher suites and the fallback flag.
 * SSLSetSessionConfig compares names by content, so only the text matters.
 */
#include <stdlib.h>

#include "cf_string.h"
#include "engine/st_engine.h"
#include "st_cipher_suites.h"
#include "st_entry.h"

CF_STRING_CONSTANT(kSSLSessionConfig_default, "default");
CF_STRING_CONSTANT(kSSLSessionConfig_ATSv1, "ATSv1");
CF_STRING_CONSTANT(kSSLSessionConfig_ATSv1_noPFS, "ATSv1_noPFS");
CF_STRING_CONSTANT(kSSLSessionConfig_standard, "standard");
CF_STRING_CONSTANT(kSSLSessionConfig_RC4_fallback, "RC4_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_fallback, "TLSv1_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_RC4_fallback, "TLSv1_RC4_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_legacy, "legacy");
CF_STRING_CONSTANT(kSSLSessionConfig_legacy_DHE, "legacy_DHE");
CF_STRING_CONSTANT(kSSLSessionConfig_anonymous, "anonymous");
CF_STRING_CONSTANT(kSSLSessionConfig_3DES_fallback, "3DES_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_3DES_fallback, "TLSv1_3DES_fallback");

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
ST_MUST_USE static OSStatus st_apply_preset_suites(struct st_context *ctx,
                                                   enum st_preset_suites rule)
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
