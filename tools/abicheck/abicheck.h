/*
 * st-abicheck: checks that a shared object has the binary interface of
 * macOS 10.15's Secure Transport, calling it only through libffi with the
 * types of a signature table it loads at run time (never our headers).
 */
#ifndef SECTRANS_ABICHECK_H
#define SECTRANS_ABICHECK_H

#include <ffi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ABI_MAX_PARAMS 16
#define ABI_MAX_NAME   96

/* ---- the signature table (abi_table.c) ---- */

enum abi_prim {
    ABI_VOID,
    ABI_SINT8,
    ABI_UINT8,
    ABI_SINT16,
    ABI_UINT16,
    ABI_SINT32,
    ABI_UINT32,
    ABI_SINT64,
    ABI_UINT64,
    ABI_DOUBLE,
    ABI_POINTER,
    ABI_RANGE, /* CFRange: two CFIndex, passed by value */
};

/* A parameter or return type, resolved to what the ABI sees. */
struct abi_type {
    enum abi_prim prim;
    size_t size;
    bool is_signed;
    bool is_out;                  /* `T *` with T a scalar of the table: written by the callee */
    enum abi_prim pointee;        /* for out-parameters */
    size_t pointee_size;          /* for out-parameters */
    bool is_context;              /* SSLContextRef */
    char name[ABI_MAX_NAME + 16]; /* as spelled in the table */
};

struct abi_function {
    char group[16];
    char name[ABI_MAX_NAME];
    struct abi_type ret;
    struct abi_type params[ABI_MAX_PARAMS];
    unsigned nparams;
    bool takes_context;         /* its first parameter is an SSLContextRef */
    char null_context[16];      /* "-50", "crash", "-" ... */
    bool typed;                 /* every type resolved */
    char untyped[ABI_MAX_NAME]; /* the first type that did not resolve */
};

struct abi_data {
    char group[16];
    char name[ABI_MAX_NAME];
    char type[ABI_MAX_NAME];
    char expect[256];
};

struct abi_probe {
    char function[ABI_MAX_NAME];
    char args[256];
    char results[128];
};

struct abi_table {
    struct abi_function *functions;
    size_t nfunctions;
    struct abi_data *data;
    size_t ndata;
    struct abi_probe *probes;
    size_t nprobes;
    /* named types: name -> primitive */
    struct abi_named_type {
        char name[ABI_MAX_NAME];
        enum abi_prim prim;
    } * types;
    size_t ntypes;
};

/* Loads a table; false with a message on stderr when it cannot be read or parsed. */
bool abi_table_load(const char *path, struct abi_table *table);
void abi_table_free(struct abi_table *table);
const struct abi_function *abi_table_function(const struct abi_table *table, const char *name);
size_t abi_prim_size(enum abi_prim prim);

/* ---- calling through libffi (abi_call.c) ---- */

ffi_type *abi_ffi_type(enum abi_prim prim);

/* One argument value, wide enough for every primitive. */
union abi_value {
    int64_t i;
    uint64_t u;
    double d;
    void *p;
    struct {
        int64_t location, length;
    } range;
    unsigned char bytes[16];
};

/*
 * Calls `fn` with the arguments in `args` (one per parameter, interpreted at
 * the parameter's width) and stores the return value, read at exactly the
 * return type's width and widened by its signedness, in `*ret`.
 */
bool abi_call(const struct abi_function *f, void *fn, const union abi_value *args,
              union abi_value *ret);

/* ---- results (abi_report.c) ---- */

enum abi_verdict { ABI_PASS, ABI_FAIL, ABI_SKIP, ABI_WARN };

/*
 * Checks run in a forked child per unit (a function, a data symbol, a TLS
 * scenario), so a crash or hang is one failed check, not a dead run. The child
 * reports through abi_result(); the parent collects and prints.
 */
void abi_result(enum abi_verdict verdict, const char *group, const char *subject, const char *check,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* In a child: names the check about to run, so a crash inside it is charged to it. */
void abi_begin(const char *check);

/* Runs `unit(arg)` in a child; a crash or a hang fails the check it was in. */
void abi_isolate(const char *group, const char *subject, enum abi_verdict on_crash,
                 void (*unit)(void *), void *arg);

/* Set before checks run: whether only one group runs, and the output mode. */
struct abi_options {
    const char *only; /* NULL: every group */
    bool json;
};
extern struct abi_options abi_opts;

bool abi_group_selected(const char *group);
/* Prints the summary (and the JSON document); returns the exit status. */
int abi_report_finish(const char *library, const char *table);
void abi_report_begin(void);

/* ---- the implementation under test ---- */

struct abi_target {
    void *handle;
    const struct abi_table *table;
};
extern struct abi_target abi_target;

/* dlsym in the implementation; NULL when absent. */
void *abi_symbol(const char *name);

/* ---- the check groups ---- */

void abi_check_symbols(void);   /* "symbols": every function and data symbol is exported */
void abi_check_contexts(void);  /* "contexts": NULL and released contexts */
void abi_check_outparams(void); /* "outparams": the table's probes, with canaries */
void abi_check_data(void);      /* "data": data symbols' kinds and values */
void abi_check_tls(void);       /* "tls": handshakes, I/O and the callback rules */

/* Helpers the groups share (abi_context.c). */
void *abi_new_context(int side, int type); /* SSLCreateContext through ffi; NULL if it fails */
void abi_release(void *cf);                /* CFRelease, or SSLDisposeContext */
long abi_call_status(const char *name, const union abi_value *args, bool *ok);

#endif
