/*
 * Session options and the other per-context switches that need no engine
 * (behaviour.md §8, §14 and the SPI knobs).
 */
#include "st_entry.h"

OSStatus SSLSetSessionOption(SSLContextRef context, SSLSessionOption option, Boolean value)
{
    ST_ENTER(SSLSetSessionOption, context, ctx);
    ST_REQUIRE(option >= 0 && option < ST_SESSION_OPTION_COUNT);
    /* Apple keeps the byte as given and hands it back unchanged. */
    ctx->session_options[option] = value;
    /* Breaking on the peer's certificate hands evaluation to the app. */
    if (option == kSSLSessionOptionBreakOnServerAuth ||
        option == kSSLSessionOptionBreakOnClientAuth)
        ctx->verify_cert = !value;
    return errSecSuccess;
}

OSStatus SSLGetSessionOption(SSLContextRef context, SSLSessionOption option, Boolean *value)
{
    ST_ENTER(SSLGetSessionOption, context, ctx);
    ST_REQUIRE(value != NULL);
    switch (option) {
    case kSSLSessionOptionBreakOnServerAuth:
    case kSSLSessionOptionBreakOnCertRequested:
    case kSSLSessionOptionBreakOnClientAuth:
    case kSSLSessionOptionFalseStart:
    case kSSLSessionOptionSendOneByteRecord:
    case kSSLSessionOptionBreakOnClientHello:
        *value = ctx->session_options[option];
        return errSecSuccess;
    case kSSLSessionOptionAllowServerIdentityChange:
        /* Apple reads this one back from its engine, as a plain bool. */
        *value = ctx->session_options[option] != 0;
        return errSecSuccess;
    default:
        /* Fallback, AllowRenegotiation, EnableSessionTickets: 10.15 has no case for them. */
        return errSecParam;
    }
}

OSStatus SSLSetSessionTicketsEnabled(SSLContextRef context, Boolean enabled)
{
    ST_ENTER(SSLSetSessionTicketsEnabled, context, ctx);
    /* The same switch as kSSLSessionOptionEnableSessionTickets. */
    ctx->session_options[kSSLSessionOptionEnableSessionTickets] = enabled;
    return errSecSuccess;
}

OSStatus SSLSetSessionCacheTimeout(SSLContextRef context, uint32_t timeoutInSeconds)
{
    ST_ENTER(SSLSetSessionCacheTimeout, context, ctx);
    ctx->session_cache_timeout = timeoutInSeconds;
    return errSecSuccess;
}

OSStatus SSLSetMinimumDHGroupSize(SSLContextRef context, unsigned nbits)
{
    ST_ENTER(SSLSetMinimumDHGroupSize, context, ctx);
    ctx->min_dh_group_bits = nbits;
    return errSecSuccess;
}

OSStatus SSLSetDHEEnabled(SSLContextRef context, bool enabled)
{
    ST_ENTER(SSLSetDHEEnabled, context, ctx);
    ctx->dhe_enabled = enabled;
    return errSecSuccess;
}
