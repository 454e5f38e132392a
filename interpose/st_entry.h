/*
 * The one prologue every Secure Transport entry point shares.
 *
 * Each function's checks are declared once, in its st_api.def row; ST_ENTER
 * reads them from there, looks the context up in the handle table and
 * applies them, so no entry point writes its own NULL/stale/state checks.
 * The lookup holds a reference to the context until the entry point
 * returns, so a release during the call (from an I/O callback, or another
 * thread) never frees the context under it:
 *
 *     OSStatus SSLSetConnection(SSLContextRef context, SSLConnectionRef connection)
 *     {
 *         ST_ENTER(SSLSetConnection, context, ctx);
 *         ctx->connection = connection;
 *         return errSecSuccess;
 *     }
 */
#ifndef SECTRANS_ST_ENTRY_H
#define SECTRANS_ST_ENTRY_H

#include "st_context.h"
#include "st_context_table.h"
#include "st_export.h"

/* The checks a row of st_api.def can ask for, in the order they run. */
enum st_guard {
    ST_NO_CONTEXT = 0,              /* takes no context (constructors, type ID) */
    ST_CTX = 1u << 0,               /* unknown, released or NULL context -> errSecParam */
    ST_DTLS_ONLY = 1u << 1,         /* stream context -> errSecParam */
    ST_STREAM_ONLY = 1u << 2,       /* datagram context -> errSecBadReq */
    ST_INACTIVE = 1u << 3,          /* handshake running or done -> errSecBadReq */
    ST_NOOP_SUCCESS = 1u << 4,      /* Apple ignores everything and returns 0 (ST_NOOP) */
    ST_NOOP_UNIMPLEMENTED = 1u << 5 /* Apple always returns errSecUnimplemented (ST_NOOP) */
};

enum st_visibility { ST_PUBLIC, ST_SPI };

/* ST_ID_<name>: a function's index in st_api_table. */
enum st_function_id {
#define ST_FN(name, vis, ret, params, guards) ST_ID_##name,
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
    ST_FUNCTION_COUNT
};

/* ST_GUARDS_<name>: a function's guards as a compile-time constant. */
enum st_function_guards {
#define ST_FN(name, vis, ret, params, guards) ST_GUARDS_##name = (guards),
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
};

/* The table as data, for tracing, the ABI checker and the tests. */
struct st_api_entry {
    const char *name;
    const char *return_type;
    const char *params; /* "(SSLContextRef context, ...)" */
    unsigned guards;
    enum st_visibility visibility;
};
extern const struct st_api_entry st_api_table[ST_FUNCTION_COUNT];

ST_MUST_USE static inline OSStatus st_enter_checks(unsigned guards, const struct st_context *ctx)
{
    if ((guards & ST_DTLS_ONLY) && !ctx->datagram)
        return errSecParam;
    if ((guards & ST_STREAM_ONLY) && ctx->datagram)
        return errSecBadReq;
    if ((guards & ST_INACTIVE) && st_session_active(ctx))
        return errSecBadReq;
    return errSecSuccess;
}

/* On success *out holds a reference, which st_leave drops. */
ST_MUST_USE static inline OSStatus st_enter(enum st_function_id id, unsigned guards,
                                            SSLContextRef ref, struct st_context **out)
{
    (void)id; /* the hook for call tracing */
    struct st_context *ctx = st_context_table_acquire(ref);
    if (ctx == NULL)
        return errSecParam;
    OSStatus status = st_enter_checks(guards, ctx);
    if (status != errSecSuccess) {
        CFRelease(ctx);
        return status;
    }
    *out = ctx;
    return errSecSuccess;
}

/*
 * Drops the entry point's reference when its context variable goes out of
 * scope, after the return value is computed. If the app released the
 * context during the call, the final release (and the finalizer) runs here.
 */
static inline void st_leave(struct st_context **ctx)
{
    if (*ctx != NULL)
        CFRelease(*ctx);
}

/*
 * Declares `struct st_context *var` for the context `ref` of function `fn`
 * and returns the guard's status from the enclosing function when a check
 * fails. `var` holds a reference until the enclosing function returns.
 */
#define ST_ENTER(fn, ref, var)                                                                     \
    _Static_assert(ST_GUARDS_##fn & ST_CTX, #fn " takes no context in st_api.def");                \
    struct st_context *var __attribute__((cleanup(st_leave))) = NULL;                              \
    do {                                                                                           \
        OSStatus st_enter_status_ = st_enter(ST_ID_##fn, ST_GUARDS_##fn, (ref), &var);             \
        if (st_enter_status_ != errSecSuccess)                                                     \
            return st_enter_status_;                                                               \
    } while (0)

/*
 * The whole behaviour of a function whose st_api.def row is a no-op:
 * ST_NOOP_SUCCESS returns 0 and ST_NOOP_UNIMPLEMENTED errSecUnimplemented,
 * without looking at any argument, the context included (10.15 does the
 * same). The row, not the body, decides the status.
 */
#define ST_NOOP(fn)                                                                                \
    _Static_assert(ST_GUARDS_##fn & (ST_NOOP_SUCCESS | ST_NOOP_UNIMPLEMENTED),                     \
                   #fn " is not a no-op in st_api.def");                                           \
    return (ST_GUARDS_##fn & ST_NOOP_SUCCESS) ? errSecSuccess : errSecUnimplemented

/*
 * Replaces a context-owned byte copy with `len` bytes of `bytes` ((NULL, 0)
 * clears it); the old bytes are wiped. errSecAllocate if out of memory.
 */
ST_MUST_USE OSStatus st_replace_bytes(uint8_t **slot, size_t *slot_len, const void *bytes,
                                      size_t len);

/* Rejects a NULL out-parameter or other required pointer with errSecParam. */
#define ST_REQUIRE(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return errSecParam;                                                                    \
    } while (0)

#endif
