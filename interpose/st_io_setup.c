/*
 * I/O setup: the app's read/write callbacks and its connection ref
 * (behaviour.md §3). The ref is stored bit for bit and never dereferenced,
 * retained or released.
 */
#include "st_entry.h"

OSStatus SSLSetIOFuncs(SSLContextRef context, SSLReadFunc readFunc, SSLWriteFunc writeFunc)
{
    ST_ENTER(SSLSetIOFuncs, context, ctx);
    /* Apple accepts NULL callbacks here; the handshake then reports errSecBadReq. */
    ctx->read_func = readFunc;
    ctx->write_func = writeFunc;
    return errSecSuccess;
}

OSStatus SSLSetConnection(SSLContextRef context, SSLConnectionRef connection)
{
    ST_ENTER(SSLSetConnection, context, ctx);
    ctx->connection = connection;
    return errSecSuccess;
}

OSStatus SSLGetConnection(SSLContextRef context, SSLConnectionRef *connection)
{
    ST_ENTER(SSLGetConnection, context, ctx);
    ST_REQUIRE(connection != NULL);
    *connection = ctx->connection;
    return errSecSuccess;
}
