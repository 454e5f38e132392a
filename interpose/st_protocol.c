/*
 * Protocol version range (behaviour.md §11): the min/max calls, the four
 * legacy calls of macOS 10.2-10.8, and the negotiated version.
 *
 * Deliberate differences (README, "Differences from Apple's implementation"):
 * TLS 1.3 and DTLS 1.2 are accepted and on by default; the default range is
 * TLS 1.2-1.3 (DTLS 1.2); "all protocols" in the legacy calls means
 * SSL 3.0-TLS 1.3; disabling the highest enabled version lowers the maximum.
 */
#include "st_entry.h"

static bool st_version_settable(const struct st_context *ctx, enum st_version v)
{
    if (ctx->datagram)
        return v >= ST_DATAGRAM_LOWEST && v <= ST_DATAGRAM_HIGHEST;
    return v >= ST_STREAM_LOWEST && v <= ST_STREAM_HIGHEST;
}

OSStatus SSLSetProtocolVersionMin(SSLContextRef context, SSLProtocol minVersion)
{
    ST_ENTER(SSLSetProtocolVersionMin, context, ctx);
    enum st_version v = st_version_from_protocol(minVersion);
    if (!st_version_settable(ctx, v))
        return errSSLIllegalParam;
    if (v > ctx->max_version)
        ctx->max_version = v;
    ctx->min_version = v;
    return errSecSuccess;
}

OSStatus SSLSetProtocolVersionMax(SSLContextRef context, SSLProtocol maxVersion)
{
    ST_ENTER(SSLSetProtocolVersionMax, context, ctx);
    enum st_version v = st_version_from_protocol(maxVersion);
    if (!st_version_settable(ctx, v))
        return errSSLIllegalParam;
    if (v < ctx->min_version || ctx->min_version == ST_VERSION_NONE)
        ctx->min_version = v;
    ctx->max_version = v;
    return errSecSuccess;
}

OSStatus SSLGetProtocolVersionMin(SSLContextRef context, SSLProtocol *minVersion)
{
    ST_ENTER(SSLGetProtocolVersionMin, context, ctx);
    ST_REQUIRE(minVersion != NULL);
    *minVersion = st_version_to_protocol(ctx->min_version);
    return errSecSuccess;
}

OSStatus SSLGetProtocolVersionMax(SSLContextRef context, SSLProtocol *maxVersion)
{
    ST_ENTER(SSLGetProtocolVersionMax, context, ctx);
    ST_REQUIRE(maxVersion != NULL);
    *maxVersion = st_version_to_protocol(ctx->max_version);
    return errSecSuccess;
}

static void st_versions_disable_all(struct st_context *ctx)
{
    ctx->min_version = ST_VERSION_NONE;
    ctx->max_version = ST_VERSION_NONE;
}

/* Only a contiguous range can be enabled, as in 10.15. */
OSStatus SSLSetProtocolVersionEnabled(SSLContextRef context, SSLProtocol protocol, Boolean enable)
{
    ST_ENTER(SSLSetProtocolVersionEnabled, context, ctx);
    if (protocol == kSSLProtocolAll) {
        if (enable) {
            ctx->min_version = ST_STREAM_LOWEST;
            ctx->max_version = ST_STREAM_HIGHEST;
        } else {
            st_versions_disable_all(ctx);
        }
        return errSecSuccess;
    }
    enum st_version v = st_version_from_protocol(protocol);
    if (enable) {
        if (v < ST_STREAM_LOWEST || v > ST_STREAM_HIGHEST)
            return errSecParam;
        if (ctx->min_version == ST_VERSION_NONE || v < ctx->min_version)
            ctx->min_version = v;
        if (v > ctx->max_version)
            ctx->max_version = v;
        return errSecSuccess;
    }
    if (v < ST_VERSION_SSL2 || v > ST_STREAM_HIGHEST)
        return errSecParam;
    if (ctx->min_version == ST_VERSION_NONE || v < ctx->min_version || v > ctx->max_version)
        return errSecSuccess; /* not enabled: nothing to do */
    if (v == ctx->max_version)
        ctx->max_version = v - 1; /* the top one goes: 10.15 silently kept it */
    else
        ctx->min_version = v + 1; /* 10.15: disabling raises the minimum past it */
    if (ctx->min_version > ctx->max_version)
        st_versions_disable_all(ctx);
    return errSecSuccess;
}

OSStatus SSLGetProtocolVersionEnabled(SSLContextRef context, SSLProtocol protocol, Boolean *enable)
{
    ST_ENTER(SSLGetProtocolVersionEnabled, context, ctx);
    ST_REQUIRE(enable != NULL);
    enum st_version lo, hi;
    if (protocol == kSSLProtocolAll) {
        lo = ST_STREAM_LOWEST;
        hi = ST_STREAM_HIGHEST;
    } else {
        lo = hi = st_version_from_protocol(protocol);
        if (lo < ST_VERSION_SSL2 || lo > ST_STREAM_HIGHEST)
            return errSecParam;
    }
    *enable =
        ctx->min_version != ST_VERSION_NONE && ctx->min_version <= lo && ctx->max_version >= hi;
    return errSecSuccess;
}

OSStatus SSLSetProtocolVersion(SSLContextRef context, SSLProtocol version)
{
    ST_ENTER(SSLSetProtocolVersion, context, ctx);
    /* "Up to X" (also allowing SSL 3.0) or "X only", as 10.15 maps them. */
    static const struct {
        SSLProtocol protocol;
        enum st_version min, max;
    } ranges[] = {
        {kSSLProtocol3, ST_VERSION_SSL3, ST_VERSION_SSL3},
        {kSSLProtocol3Only, ST_VERSION_SSL3, ST_VERSION_SSL3},
        {kTLSProtocol1, ST_VERSION_SSL3, ST_VERSION_TLS10},
        {kTLSProtocol1Only, ST_VERSION_TLS10, ST_VERSION_TLS10},
        {kTLSProtocol11, ST_VERSION_SSL3, ST_VERSION_TLS11},
        {kTLSProtocol12, ST_VERSION_SSL3, ST_VERSION_TLS12},
        {kSSLProtocolAll, ST_STREAM_LOWEST, ST_STREAM_HIGHEST},
        {kSSLProtocolUnknown, ST_STREAM_LOWEST, ST_STREAM_HIGHEST},
    };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (ranges[i].protocol == version) {
            ctx->min_version = ranges[i].min;
            ctx->max_version = ranges[i].max;
            return errSecSuccess;
        }
    }
    return errSecParam;
}

OSStatus SSLGetProtocolVersion(SSLContextRef context, SSLProtocol *protocol)
{
    ST_ENTER(SSLGetProtocolVersion, context, ctx);
    ST_REQUIRE(protocol != NULL);
    if (ctx->min_version == ST_VERSION_SSL3) {
        switch (ctx->max_version) {
        case ST_VERSION_TLS13:
        case ST_VERSION_TLS12:
            *protocol = kSSLProtocolAll; /* 10.15's "all" was SSL 3.0-TLS 1.2 */
            return errSecSuccess;
        case ST_VERSION_TLS11: *protocol = kTLSProtocol11; return errSecSuccess;
        case ST_VERSION_TLS10: *protocol = kTLSProtocol1; return errSecSuccess;
        case ST_VERSION_SSL3: *protocol = kSSLProtocol3; return errSecSuccess;
        default: break;
        }
    }
    /* 10.15 writes kTLSProtocol1Only for [TLS 1.0, TLS 1.0] and still fails. */
    if (ctx->min_version == ST_VERSION_TLS10 && ctx->max_version == ST_VERSION_TLS10)
        *protocol = kTLSProtocol1Only;
    return errSecParam;
}

OSStatus SSLGetNegotiatedProtocolVersion(SSLContextRef context, SSLProtocol *protocol)
{
    ST_ENTER(SSLGetNegotiatedProtocolVersion, context, ctx);
    ST_REQUIRE(protocol != NULL);
    *protocol = st_version_to_protocol(ctx->session.negotiated_version);
    return errSecSuccess;
}
