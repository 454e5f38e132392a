/*
 * The call tracer (st_trace.h): configuration from the environment at load
 * time, values decoded by type name, one line per call written with a single
 * write() so lines from several threads never interleave.
 */
#define _GNU_SOURCE
#include "st_trace.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/st_engine.h"

int st_trace_mode;
static int st_trace_fd = -1;
static bool st_trace_json;

/* Reads SECTRANS_TRACE once, when the library is loaded (never for setuid callers). */
__attribute__((constructor)) static void st_trace_configure(void)
{
    const char *spec = secure_getenv("SECTRANS_TRACE");
    if (spec == NULL || spec[0] == '\0' || strcmp(spec, "0") == 0)
        return;
    const char *format = secure_getenv("SECTRANS_TRACE_FORMAT");
    st_trace_json = format != NULL && strcmp(format, "json") == 0;
    int mode = ST_TRACE_ALL;
    if (strncmp(spec, "errors", 6) == 0) {
        mode = ST_TRACE_ERRORS;
        spec += 6;
        spec += *spec == ':';
    }
    if (spec[0] == '\0' || strcmp(spec, "1") == 0 || strcmp(spec, "stderr") == 0) {
        st_trace_fd = STDERR_FILENO;
    } else {
        st_trace_fd = open(spec, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (st_trace_fd < 0) {
            fprintf(stderr, "sectrans: SECTRANS_TRACE: cannot open %s: %s\n", spec,
                    strerror(errno));
            return;
        }
    }
    st_trace_mode = mode;
}

/* ---- names of values ---- */

struct st_trace_name {
    const char *type;
    int64_t value;
    const char *name;
};

static const struct st_trace_name st_trace_names[] = {
    {"SSLProtocol", 0, "kSSLProtocolUnknown"},
    {"SSLProtocol", 1, "kSSLProtocol2"},
    {"SSLProtocol", 2, "kSSLProtocol3"},
    {"SSLProtocol", 3, "kSSLProtocol3Only"},
    {"SSLProtocol", 4, "kTLSProtocol1"},
    {"SSLProtocol", 5, "kTLSProtocol1Only"},
    {"SSLProtocol", 6, "kSSLProtocolAll"},
    {"SSLProtocol", 7, "kTLSProtocol11"},
    {"SSLProtocol", 8, "kTLSProtocol12"},
    {"SSLProtocol", 9, "kDTLSProtocol1"},
    {"SSLProtocol", 10, "kTLSProtocol13"},
    {"SSLProtocol", 11, "kDTLSProtocol12"},
    {"SSLProtocol", 999, "kTLSProtocolMaxSupported"},
    {"SSLProtocolSide", 0, "kSSLServerSide"},
    {"SSLProtocolSide", 1, "kSSLClientSide"},
    {"SSLConnectionType", 0, "kSSLStreamType"},
    {"SSLConnectionType", 1, "kSSLDatagramType"},
    {"SSLSessionState", 0, "kSSLIdle"},
    {"SSLSessionState", 1, "kSSLHandshake"},
    {"SSLSessionState", 2, "kSSLConnected"},
    {"SSLSessionState", 3, "kSSLClosed"},
    {"SSLSessionState", 4, "kSSLAborted"},
    {"SSLSessionOption", 0, "kSSLSessionOptionBreakOnServerAuth"},
    {"SSLSessionOption", 1, "kSSLSessionOptionBreakOnCertRequested"},
    {"SSLSessionOption", 2, "kSSLSessionOptionBreakOnClientAuth"},
    {"SSLSessionOption", 3, "kSSLSessionOptionFalseStart"},
    {"SSLSessionOption", 4, "kSSLSessionOptionSendOneByteRecord"},
    {"SSLSessionOption", 5, "kSSLSessionOptionAllowServerIdentityChange"},
    {"SSLSessionOption", 6, "kSSLSessionOptionFallback"},
    {"SSLSessionOption", 7, "kSSLSessionOptionBreakOnClientHello"},
    {"SSLSessionOption", 8, "kSSLSessionOptionAllowRenegotiation"},
    {"SSLSessionOption", 9, "kSSLSessionOptionEnableSessionTickets"},
    {"SSLAuthenticate", 0, "kNeverAuthenticate"},
    {"SSLAuthenticate", 1, "kAlwaysAuthenticate"},
    {"SSLAuthenticate", 2, "kTryAuthenticate"},
    {"SSLClientCertificateState", 0, "kSSLClientCertNone"},
    {"SSLClientCertificateState", 1, "kSSLClientCertRequested"},
    {"SSLClientCertificateState", 2, "kSSLClientCertSent"},
    {"SSLClientCertificateState", 3, "kSSLClientCertRejected"},
};

static const struct {
    int32_t status;
    const char *name;
} st_trace_statuses[] = {
#define SEC_MESSAGE(code, text) {code, #code},
#include "sec_error_messages.def"
#undef SEC_MESSAGE
};

const char *st_trace_status_name(int32_t status)
{
    for (size_t i = 0; i < sizeof(st_trace_statuses) / sizeof(st_trace_statuses[0]); i++)
        if (st_trace_statuses[i].status == status)
            return st_trace_statuses[i].name;
    return NULL;
}

static const char *st_trace_enum_name(const char *type, int64_t value)
{
    for (size_t i = 0; i < sizeof(st_trace_names) / sizeof(st_trace_names[0]); i++)
        if (st_trace_names[i].value == value && strcmp(st_trace_names[i].type, type) == 0)
            return st_trace_names[i].name;
    return NULL;
}

/* Renders an integer of a named type: its name where it has one. */
static void st_trace_render_int(char *out, size_t len, const char *type, int64_t value)
{
    const char *name = NULL;
    if (strcmp(type, "OSStatus") == 0)
        name = st_trace_status_name((int32_t)value);
    else
        name = st_trace_enum_name(type, value);
    if (name != NULL)
        snprintf(out, len, "%s (%" PRId64 ")", name, value);
    else
        snprintf(out, len, "%" PRId64, value);
}

static void st_trace_render_uint(char *out, size_t len, const char *type, uint64_t value)
{
    if (strcmp(type, "Boolean") == 0 || strcmp(type, "bool") == 0) {
        if (value <= 1)
            snprintf(out, len, "%s", value ? "true" : "false");
        else
            snprintf(out, len, "true (%" PRIu64 ")", value);
    } else if (strcmp(type, "SSLCipherSuite") == 0) {
        const char *name = st_cipher_standard_name((uint16_t)value);
        snprintf(out, len, "%s (0x%04" PRIx64 ")", name ? name : "unknown suite", value);
    } else {
        snprintf(out, len, "%" PRIu64, value);
    }
}

static void st_trace_render_ptr(char *out, size_t len, uintptr_t value)
{
    if (value == 0)
        snprintf(out, len, "NULL");
    else
        snprintf(out, len, "0x%" PRIxPTR, value);
}

/* ---- recording ---- */

static struct st_trace_item *st_trace_slot(struct st_trace_item *items, unsigned *n,
                                           const char *name)
{
    if (*n == ST_TRACE_ITEMS)
        return NULL;
    struct st_trace_item *it = &items[(*n)++];
    it->name = name;
    it->value[0] = '\0';
    return it;
}

void st_trace_begin(struct st_trace_call *call, const char *function)
{
    call->function = function;
    call->nargs = call->nouts = 0;
    call->result[0] = '\0';
    call->is_error = false;
}

void st_trace_int(struct st_trace_call *call, const char *type, const char *name, int64_t value)
{
    struct st_trace_item *it = st_trace_slot(call->args, &call->nargs, name);
    if (it != NULL)
        st_trace_render_int(it->value, sizeof(it->value), type, value);
}

void st_trace_uint(struct st_trace_call *call, const char *type, const char *name, uint64_t value)
{
    struct st_trace_item *it = st_trace_slot(call->args, &call->nargs, name);
    if (it != NULL)
        st_trace_render_uint(it->value, sizeof(it->value), type, value);
}

void st_trace_ptr(struct st_trace_call *call, const char *type, const char *name, uintptr_t value)
{
    (void)type;
    struct st_trace_item *it = st_trace_slot(call->args, &call->nargs, name);
    if (it != NULL)
        st_trace_render_ptr(it->value, sizeof(it->value), value);
}

void st_trace_double(struct st_trace_call *call, const char *type, const char *name, double value)
{
    (void)type;
    struct st_trace_item *it = st_trace_slot(call->args, &call->nargs, name);
    if (it != NULL)
        snprintf(it->value, sizeof(it->value), "%.3f", value);
}

void st_trace_range(struct st_trace_call *call, const char *name, long location, long length)
{
    struct st_trace_item *it = st_trace_slot(call->args, &call->nargs, name);
    if (it != NULL)
        snprintf(it->value, sizeof(it->value), "{%ld, %ld}", location, length);
}

void st_trace_out_int(struct st_trace_call *call, const char *type, const char *name, int64_t value)
{
    struct st_trace_item *it = st_trace_slot(call->outs, &call->nouts, name);
    if (it != NULL)
        st_trace_render_int(it->value, sizeof(it->value), type, value);
}

void st_trace_out_uint(struct st_trace_call *call, const char *type, const char *name,
                       uint64_t value)
{
    struct st_trace_item *it = st_trace_slot(call->outs, &call->nouts, name);
    if (it != NULL)
        st_trace_render_uint(it->value, sizeof(it->value), type, value);
}

void st_trace_out_ptr(struct st_trace_call *call, const char *type, const char *name,
                      uintptr_t value)
{
    (void)type;
    struct st_trace_item *it = st_trace_slot(call->outs, &call->nouts, name);
    if (it != NULL)
        st_trace_render_ptr(it->value, sizeof(it->value), value);
}

/* ---- output ---- */

struct st_trace_line {
    char text[ST_TRACE_LINE_MAX];
    size_t len;
};

static void st_trace_put(struct st_trace_line *l, const char *s)
{
    size_t n = strlen(s);
    if (l->len + n >= sizeof(l->text) - 2)
        n = sizeof(l->text) - 2 - l->len;
    memcpy(l->text + l->len, s, n);
    l->len += n;
}

static void st_trace_put_json_string(struct st_trace_line *l, const char *s)
{
    char esc[8];
    st_trace_put(l, "\"");
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*s);
            st_trace_put(l, esc);
        } else {
            char c[2] = {*s, '\0'};
            st_trace_put(l, c);
        }
    }
    st_trace_put(l, "\"");
}

static void st_trace_put_items(struct st_trace_line *l, const struct st_trace_item *items,
                               unsigned n, bool json)
{
    for (unsigned i = 0; i < n; i++) {
        st_trace_put(l, i ? ", " : "");
        if (json) {
            st_trace_put_json_string(l, items[i].name);
            st_trace_put(l, ": ");
            st_trace_put_json_string(l, items[i].value);
        } else {
            st_trace_put(l, items[i].name);
            st_trace_put(l, "=");
            st_trace_put(l, items[i].value);
        }
    }
}

static void st_trace_write(const struct st_trace_call *call)
{
    if ((st_trace_mode & ST_TRACE_ERRORS) && !call->is_error)
        return;
    struct st_trace_line l = {.len = 0};
    char tid[32];
    snprintf(tid, sizeof(tid), "%ld", (long)syscall(SYS_gettid));
    if (st_trace_json) {
        st_trace_put(&l, "{\"thread\": ");
        st_trace_put(&l, tid);
        st_trace_put(&l, ", \"function\": ");
        st_trace_put_json_string(&l, call->function);
        st_trace_put(&l, ", \"args\": {");
        st_trace_put_items(&l, call->args, call->nargs, true);
        st_trace_put(&l, "}, \"result\": ");
        st_trace_put_json_string(&l, call->result);
        st_trace_put(&l, ", \"out\": {");
        st_trace_put_items(&l, call->outs, call->nouts, true);
        st_trace_put(&l, "}}");
    } else {
        st_trace_put(&l, "sectrans: [");
        st_trace_put(&l, tid);
        st_trace_put(&l, "] ");
        st_trace_put(&l, call->function);
        st_trace_put(&l, "(");
        st_trace_put_items(&l, call->args, call->nargs, false);
        st_trace_put(&l, ")");
        if (call->result[0] != '\0') {
            st_trace_put(&l, " = ");
            st_trace_put(&l, call->result);
        }
        if (call->nouts > 0) {
            st_trace_put(&l, "; ");
            st_trace_put_items(&l, call->outs, call->nouts, false);
        }
    }
    l.text[l.len++] = '\n';
    /* One write per line: O_APPEND keeps lines whole across threads and processes. */
    ssize_t done;
    do
        done = write(st_trace_fd, l.text, l.len);
    while (done < 0 && errno == EINTR);
}

void st_trace_end(struct st_trace_call *call)
{
    st_trace_write(call);
}

void st_trace_return_int(struct st_trace_call *call, const char *type, int64_t value)
{
    st_trace_render_int(call->result, sizeof(call->result), type, value);
    /* Would-block is how non-blocking I/O works, not an error. */
    call->is_error = strcmp(type, "OSStatus") == 0 && value != 0 && value != errSSLWouldBlock;
    st_trace_write(call);
}

void st_trace_return_uint(struct st_trace_call *call, const char *type, uint64_t value)
{
    st_trace_render_uint(call->result, sizeof(call->result), type, value);
    st_trace_write(call);
}

void st_trace_return_ptr(struct st_trace_call *call, const char *type, uintptr_t value)
{
    (void)type;
    st_trace_render_ptr(call->result, sizeof(call->result), value);
    st_trace_write(call);
}

void st_trace_return_double(struct st_trace_call *call, double value)
{
    snprintf(call->result, sizeof(call->result), "%.3f", value);
    st_trace_write(call);
}

void st_trace_return_range(struct st_trace_call *call, long location, long length)
{
    snprintf(call->result, sizeof(call->result), "{%ld, %ld}", location, length);
    st_trace_write(call);
}
