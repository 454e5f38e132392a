/*
 * Call tracing (SECTRANS_TRACE): the generated wrappers of every exported
 * function report each call here when tracing is on. Argument values are
 * decoded by their type's name (enum names, statuses, cipher suites);
 * buffers are shown as addresses and lengths, never their contents.
 *
 *   SECTRANS_TRACE=1       every call, to stderr
 *   SECTRANS_TRACE=errors  calls that return an error status, to stderr
 *   SECTRANS_TRACE=FILE    every call, appended to FILE (errors:FILE for errors only)
 *   SECTRANS_TRACE_FORMAT=json   one JSON object per line instead of text
 */
#ifndef SECTRANS_ST_TRACE_H
#define SECTRANS_ST_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "cc_export.h"
#include "cf_export.h"
#include "sec_export.h"
#include "st_export.h"

/* 0: off (the wrappers' only cost is testing this); else the ST_TRACE_* mode bits. */
extern int st_trace_mode;

enum {
    ST_TRACE_ALL = 1,
    ST_TRACE_ERRORS = 2,
};

#define ST_TRACE_LINE_MAX 2048
#define ST_TRACE_ITEMS    16

struct st_trace_item {
    const char *name;
    char value[96];
};

/* One call being traced: its arguments, what it returned, its out-parameters. */
struct st_trace_call {
    const char *function;
    struct st_trace_item args[ST_TRACE_ITEMS];
    struct st_trace_item outs[ST_TRACE_ITEMS];
    unsigned nargs, nouts;
    char result[96];
    bool is_error; /* an OSStatus other than success and would-block */
};

void st_trace_begin(struct st_trace_call *call, const char *function);
void st_trace_int(struct st_trace_call *call, const char *type, const char *name, int64_t value);
void st_trace_uint(struct st_trace_call *call, const char *type, const char *name, uint64_t value);
void st_trace_ptr(struct st_trace_call *call, const char *type, const char *name, uintptr_t value);
void st_trace_double(struct st_trace_call *call, const char *type, const char *name, double value);
void st_trace_range(struct st_trace_call *call, const char *name, long location, long length);
void st_trace_out_int(struct st_trace_call *call, const char *type, const char *name,
                      int64_t value);
void st_trace_out_uint(struct st_trace_call *call, const char *type, const char *name,
                       uint64_t value);
void st_trace_out_ptr(struct st_trace_call *call, const char *type, const char *name,
                      uintptr_t value);
/* Each ends the call, writing its line (or not, in errors-only mode). */
void st_trace_end(struct st_trace_call *call);
void st_trace_return_int(struct st_trace_call *call, const char *type, int64_t value);
void st_trace_return_uint(struct st_trace_call *call, const char *type, uint64_t value);
void st_trace_return_ptr(struct st_trace_call *call, const char *type, uintptr_t value);
void st_trace_return_double(struct st_trace_call *call, double value);
void st_trace_return_range(struct st_trace_call *call, long location, long length);

/* The name of a status (errSSLWouldBlock), or NULL when it has none we know. */
const char *st_trace_status_name(int32_t status);

#endif
