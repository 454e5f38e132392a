/*
 * Per function: exported ("symbols"); NULL, released and wrong-kind contexts
 * answered with 10.15's status ("contexts"); and the table's probes, which
 * call a function with guarded out-parameters and check that each is written
 * with exactly the width of Apple's type, and that return values read at
 * their exact width have the expected value ("outparams").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_facts.h"
#include "abicheck.h"

void abi_check_symbols(void)
{
    const struct abi_table *t = abi_target.table;
    for (size_t i = 0; i < t->nfunctions; i++) {
        const struct abi_function *f = &t->functions[i];
        if (abi_symbol(f->name) != NULL)
            abi_result(ABI_PASS, "symbols", f->name, "exported", "function (%s)", f->group);
        else
            abi_result(ABI_FAIL, "symbols", f->name, "exported", "missing: not exported");
    }
    for (size_t i = 0; i < t->ndata; i++) {
        const struct abi_data *d = &t->data[i];
        if (abi_symbol(d->name) != NULL)
            abi_result(ABI_PASS, "symbols", d->name, "exported", "data (%s)", d->group);
        else
            abi_result(ABI_FAIL, "symbols", d->name, "exported", "missing: not exported");
    }
}

/* ---- contexts ---- */

/* Calls `f` with `context` first and zero/NULL for every other argument. */
static bool abi_call_with_context(const struct abi_function *f, void *context, long *status)
{
    union abi_value args[ABI_MAX_PARAMS];
    memset(args, 0, sizeof(args));
    args[0].p = context;
    union abi_value ret = {0};
    if (!abi_call(f, abi_symbol(f->name), args, &ret))
        return false;
    *status = (long)ret.i;
    return true;
}

static void abi_unit_null_context(void *arg)
{
    const struct abi_function *f = arg;
    long expected = strtol(f->null_context, NULL, 10), status = 0;
    abi_begin("NULL context");
    if (!abi_call_with_context(f, NULL, &status)) {
        abi_result(ABI_SKIP, "contexts", f->name, "NULL context", "cannot call: type %s unknown",
                   f->untyped);
        return;
    }
    if (status == expected)
        abi_result(ABI_PASS, "contexts", f->name, "NULL context", "returned %ld", status);
    else
        abi_result(ABI_FAIL, "contexts", f->name, "NULL context", "returned %ld, 10.15 returns %ld",
                   status, expected);
}

/*
 * A released context and a pointer to another kind of object. 10.15 leaves
 * both undefined (it would crash), so they are recommendations: an
 * implementation that keeps a table of live contexts answers errSecParam.
 */
static void abi_unit_stale_context(void *arg)
{
    const struct abi_function *f = arg;
    long expected = strtol(f->null_context, NULL, 10), status = 0;

    abi_begin("released context");
    void *ctx = abi_new_context(ABI_CLIENT_SIDE, ABI_STREAM_TYPE);
    if (ctx == NULL) {
        abi_result(ABI_WARN, "contexts", f->name, "released context",
                   "SSLCreateContext returned NULL");
        return;
    }
    abi_release(ctx);
    if (abi_call_with_context(f, ctx, &status))
        abi_result(status == expected ? ABI_PASS : ABI_WARN, "contexts", f->name,
                   "released context", "returned %ld%s", status,
                   status == expected ? "" : ", recommended: errSecParam (-50)");

    void **true_symbol = abi_symbol("kCFBooleanTrue");
    if (true_symbol == NULL || *true_symbol == NULL)
        return;
    abi_begin("wrong-kind context");
    if (abi_call_with_context(f, *true_symbol, &status))
        abi_result(status == expected ? ABI_PASS : ABI_WARN, "contexts", f->name,
                   "wrong-kind context", "a CFBoolean as context: returned %ld%s", status,
                   status == expected ? "" : ", recommended: errSecParam (-50)");
}

void abi_check_contexts(void)
{
    const struct abi_table *t = abi_target.table;
    for (size_t i = 0; i < t->nfunctions; i++) {
        struct abi_function *f = &t->functions[i];
        if (!f->takes_context || abi_symbol(f->name) == NULL)
            continue;
        if (strcmp(f->null_context, "crash") == 0) {
            abi_result(ABI_SKIP, "contexts", f->name, "NULL context",
                       "10.15 dereferences a NULL context here: no status to compare");
            continue;
        }
        if (strcmp(f->null_context, "-") == 0)
            continue;
        abi_isolate("contexts", f->name, ABI_FAIL, abi_unit_null_context, f);
        if (strcmp(f->null_context, "-50") == 0)
            abi_isolate("contexts", f->name, ABI_WARN, abi_unit_stale_context, f);
    }
}

/* ---- out-parameters ---- */

#define ABI_CANARY      16 /* guard bytes each side of an out-parameter */
#define ABI_CANARY_BYTE 0xC3

/* One guarded out-parameter: [canary][slot: count * width][canary]. */
struct abi_slot {
    unsigned char *block;
    size_t width;  /* of one element */
    size_t count;  /* elements */
    bool is_count; /* an in/out element count (count:N) */
    size_t initial;
};

static unsigned char *abi_slot_data(const struct abi_slot *s)
{
    return s->block + ABI_CANARY;
}

static void abi_slot_fill(struct abi_slot *s, unsigned char pattern)
{
    size_t bytes = s->width * s->count;
    memset(s->block, ABI_CANARY_BYTE, ABI_CANARY);
    memset(abi_slot_data(s), pattern, bytes);
    memset(abi_slot_data(s) + bytes, ABI_CANARY_BYTE, ABI_CANARY);
    if (s->is_count)
        memcpy(abi_slot_data(s), &s->initial, sizeof(s->initial));
}

/* Guard bytes the callee overwrote after the slot (or before it). */
static size_t abi_slot_overrun(const struct abi_slot *s)
{
    const unsigned char *after = abi_slot_data(s) + s->width * s->count;
    size_t n = 0;
    for (size_t i = 0; i < ABI_CANARY; i++)
        if (after[i] != ABI_CANARY_BYTE || s->block[i] != ABI_CANARY_BYTE)
            n = i + 1 > n ? i + 1 : n;
    return n;
}

static int64_t abi_read_value(const unsigned char *p, enum abi_prim prim)
{
    switch (prim) {
    case ABI_SINT8: return *(const int8_t *)p;
    case ABI_UINT8: return *p;
    case ABI_SINT16: {
        int16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case ABI_UINT16: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case ABI_SINT32: {
        int32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    case ABI_UINT32: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

struct abi_probe_run {
    const struct abi_probe *probe;
    const struct abi_function *f;
    char subject[ABI_MAX_NAME + 256 + 4];
};

/* Splits `text` on spaces into at most `max` tokens, in place. */
static unsigned abi_tokens(char *text, char **tok, unsigned max)
{
    unsigned n = 0;
    char *save = NULL;
    for (char *p = strtok_r(text, " ", &save); p != NULL && n < max; p = strtok_r(NULL, " ", &save))
        tok[n++] = p;
    return n;
}

/* Builds the arguments of a probe; false with a table error reported. */
static bool abi_probe_args(const struct abi_probe_run *run, union abi_value *args,
                           struct abi_slot *slots, unsigned *nslots, enum abi_prim *slot_prim)
{
    char text[sizeof(run->probe->args)];
    char *tok[ABI_MAX_PARAMS];
    snprintf(text, sizeof(text), "%s", run->probe->args);
    unsigned n = abi_tokens(text, tok, ABI_MAX_PARAMS);
    const struct abi_function *f = run->f;
    if (n != f->nparams) {
        abi_result(ABI_FAIL, "outparams", run->subject, "table",
                   "the probe has %u arguments, the function %u", n, f->nparams);
        return false;
    }
    *nslots = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct abi_type *pt = &f->params[i];
        memset(&args[i], 0, sizeof(args[i]));
        if (strcmp(tok[i], "client") == 0 || strcmp(tok[i], "server") == 0 ||
            strcmp(tok[i], "dtls") == 0) {
            args[i].p = abi_new_context(tok[i][0] == 's' ? ABI_SERVER_SIDE : ABI_CLIENT_SIDE,
                                        tok[i][0] == 'd' ? ABI_DATAGRAM_TYPE : ABI_STREAM_TYPE);
            if (args[i].p == NULL) {
                abi_result(ABI_FAIL, "outparams", run->subject, "setup",
                           "SSLCreateContext returned NULL");
                return false;
            }
        } else if (strcmp(tok[i], "null") == 0) {
            args[i].p = NULL;
        } else if (tok[i][0] == '@') {
            void **sym = abi_symbol(tok[i] + 1);
            if (sym == NULL) {
                abi_result(ABI_SKIP, "outparams", run->subject, "setup", "%s is not exported",
                           tok[i] + 1);
                return false;
            }
            args[i].p = *sym;
        } else if (strcmp(tok[i], "out") == 0 || strncmp(tok[i], "array:", 6) == 0 ||
                   strncmp(tok[i], "count:", 6) == 0) {
            if (!pt->is_out) {
                abi_result(ABI_FAIL, "outparams", run->subject, "table",
                           "argument %u (%s) is not an out-parameter", i + 1, pt->name);
                return false;
            }
            struct abi_slot *s = &slots[*nslots];
            memset(s, 0, sizeof(*s));
            s->width = pt->pointee_size;
            s->count = tok[i][0] == 'a' ? strtoul(tok[i] + 6, NULL, 10) : 1;
            s->is_count = tok[i][0] == 'c';
            s->initial = s->is_count ? strtoul(tok[i] + 6, NULL, 10) : 0;
            s->block = calloc(1, s->width * s->count + 2 * ABI_CANARY);
            if (s->block == NULL || s->count == 0)
                return false;
            slot_prim[*nslots] = pt->pointee;
            args[i].p = abi_slot_data(s);
            (*nslots)++;
        } else {
            args[i].i = strtoll(tok[i], NULL, 0);
        }
    }
    return true;
}

static bool abi_expect_value(const char *want, int64_t got)
{
    if (strcmp(want, "*") == 0 || strcmp(want, "?") == 0)
        return true;
    if (strcmp(want, "nonzero") == 0)
        return got != 0;
    return got == strtoll(want, NULL, 0);
}

#define ABI_FILL_FIRST  0xA5
#define ABI_FILL_SECOND 0x5A

static bool abi_byte_written(unsigned char first, unsigned char second)
{
    return !(first == ABI_FILL_FIRST && second == ABI_FILL_SECOND);
}

/* Checks one guarded slot after two runs with different fill patterns. */
static void abi_judge_slot(const struct abi_probe_run *run, unsigned index, const char *want,
                           const struct abi_slot *a, const struct abi_slot *b, enum abi_prim prim,
                           size_t elements)
{
    char check[64];
    snprintf(check, sizeof(check), "out-parameter %u", index + 1);
    size_t over =
        abi_slot_overrun(a) > abi_slot_overrun(b) ? abi_slot_overrun(a) : abi_slot_overrun(b);
    if (over) {
        abi_result(ABI_FAIL, "outparams", run->subject, check,
                   "wrote %zu byte(s) outside the %zu-byte value", over, a->width * a->count);
        return;
    }
    /* A byte the callee left shows each run's fill; one it wrote (almost surely) does not. */
    const unsigned char *pa = abi_slot_data(a), *pb = abi_slot_data(b);
    size_t bytes = a->width * elements, written = 0;
    for (size_t i = 0; i < bytes; i++)
        written += abi_byte_written(pa[i], pb[i]);
    bool optional = strcmp(want, "?") == 0;
    if (written == 0 && optional) {
        abi_result(ABI_PASS, "outparams", run->subject, check, "not written, as allowed");
        return;
    }
    for (size_t e = 0; e < elements; e++) {
        size_t w = 0;
        for (size_t k = 0; k < a->width; k++)
            w += abi_byte_written(pa[e * a->width + k], pb[e * a->width + k]);
        if (w != a->width) {
            abi_result(ABI_FAIL, "outparams", run->subject, check,
                       "%s%zu of the %zu bytes written: the value is %zu bytes wide in 10.15",
                       elements > 1 ? "element with " : "", w, a->width, a->width);
            return;
        }
    }
    int64_t value = abi_read_value(pa, prim);
    if (elements == 1 && !abi_expect_value(want, value)) {
        abi_result(ABI_FAIL, "outparams", run->subject, check, "wrote %lld, expected %s",
                   (long long)value, want);
        return;
    }
    if (elements == 1)
        abi_result(ABI_PASS, "outparams", run->subject, check, "%zu bytes, value %lld", a->width,
                   (long long)value);
    else
        abi_result(ABI_PASS, "outparams", run->subject, check, "%zu elements of %zu bytes",
                   elements, a->width);
}

static void abi_unit_probe(void *arg)
{
    const struct abi_probe_run *run = arg;
    const struct abi_function *f = run->f;
    union abi_value args[2][ABI_MAX_PARAMS], ret[2];
    struct abi_slot slots[2][ABI_MAX_PARAMS];
    enum abi_prim prims[ABI_MAX_PARAMS];
    unsigned nslots = 0;
    static const unsigned char patterns[2] = {ABI_FILL_FIRST, ABI_FILL_SECOND};

    for (int r = 0; r < 2; r++) {
        abi_begin(r == 0 ? "call" : "second call");
        if (!abi_probe_args(run, args[r], slots[r], &nslots, prims))
            return;
        for (unsigned s = 0; s < nslots; s++)
            abi_slot_fill(&slots[r][s], patterns[r]);
        if (!abi_call(f, abi_symbol(f->name), args[r], &ret[r])) {
            abi_result(ABI_SKIP, "outparams", run->subject, "call", "type %s unknown", f->untyped);
            return;
        }
    }

    char text[sizeof(run->probe->results)];
    char *want[ABI_MAX_PARAMS + 1];
    snprintf(text, sizeof(text), "%s", run->probe->results);
    unsigned nwant = abi_tokens(text, want, ABI_MAX_PARAMS + 1);
    if (nwant != 1 + nslots) {
        abi_result(ABI_FAIL, "outparams", run->subject, "table",
                   "%u expected results for %u out-parameters", nwant, nslots);
        return;
    }
    if (f->ret.prim != ABI_VOID) {
        int64_t got = f->ret.prim == ABI_POINTER ? (int64_t)(intptr_t)ret[0].p : ret[0].i;
        if (!f->ret.is_signed && f->ret.prim != ABI_POINTER)
            got = (int64_t)ret[0].u;
        if (abi_expect_value(want[0], got))
            abi_result(ABI_PASS, "outparams", run->subject, "return value",
                       "%lld, read as %s (%zu bytes)", (long long)got, f->ret.name, f->ret.size);
        else
            abi_result(ABI_FAIL, "outparams", run->subject, "return value",
                       "%lld read as %s (%zu bytes), expected %s", (long long)got, f->ret.name,
                       f->ret.size, want[0]);
    }
    for (unsigned s = 0; s < nslots; s++) {
        size_t elements = 1;
        /* An array's written length is the count that follows it. */
        if (slots[0][s].count > 1 && s + 1 < nslots && slots[0][s + 1].is_count) {
            elements = (size_t)abi_read_value(abi_slot_data(&slots[0][s + 1]), prims[s + 1]);
            if (elements > slots[0][s].count)
                elements = slots[0][s].count;
        }
        abi_judge_slot(run, s, want[s + 1], &slots[0][s], &slots[1][s], prims[s], elements);
    }
}

void abi_check_outparams(void)
{
    const struct abi_table *t = abi_target.table;
    for (size_t i = 0; i < t->nprobes; i++) {
        struct abi_probe_run run = {.probe = &t->probes[i]};
        run.f = abi_table_function(t, run.probe->function);
        snprintf(run.subject, sizeof(run.subject), "%s(%s)", run.probe->function,
                 run.probe->args[0] ? run.probe->args : "");
        /* "f(a b )" reads better as "f(a b)". */
        size_t len = strlen(run.subject);
        if (len > 2 && run.subject[len - 2] == ' ')
            memmove(&run.subject[len - 2], &run.subject[len - 1], 2);
        if (run.f == NULL) {
            abi_result(ABI_FAIL, "outparams", run.subject, "table",
                       "no such function in the table");
            continue;
        }
        if (abi_symbol(run.f->name) == NULL) {
            abi_result(ABI_SKIP, "outparams", run.subject, "call", "not exported");
            continue;
        }
        abi_isolate("outparams", run.subject, ABI_FAIL, abi_unit_probe, &run);
    }
}
