/*
 * The signature table: a tab-separated file of types, functions, data
 * symbols and probes (its header comment gives the format). Every type the
 * checker uses comes from here, resolved down to the primitive the x86_64
 * calling convention sees.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abicheck.h"

static const struct {
    const char *name;
    enum abi_prim prim;
} abi_prims[] = {
    {"void", ABI_VOID},     {"sint8", ABI_SINT8},     {"uint8", ABI_UINT8},
    {"sint16", ABI_SINT16}, {"uint16", ABI_UINT16},   {"sint32", ABI_SINT32},
    {"uint32", ABI_UINT32}, {"sint64", ABI_SINT64},   {"uint64", ABI_UINT64},
    {"double", ABI_DOUBLE}, {"pointer", ABI_POINTER}, {"range", ABI_RANGE},
};

size_t abi_prim_size(enum abi_prim prim)
{
    switch (prim) {
    case ABI_VOID: return 0;
    case ABI_SINT8:
    case ABI_UINT8: return 1;
    case ABI_SINT16:
    case ABI_UINT16: return 2;
    case ABI_SINT32:
    case ABI_UINT32: return 4;
    case ABI_SINT64:
    case ABI_UINT64:
    case ABI_DOUBLE:
    case ABI_POINTER: return 8;
    case ABI_RANGE: return 16;
    }
    return 0;
}

static bool abi_prim_signed(enum abi_prim prim)
{
    return prim == ABI_SINT8 || prim == ABI_SINT16 || prim == ABI_SINT32 || prim == ABI_SINT64;
}

static bool abi_prim_parse(const char *s, enum abi_prim *out)
{
    for (size_t i = 0; i < sizeof(abi_prims) / sizeof(abi_prims[0]); i++)
        if (strcmp(s, abi_prims[i].name) == 0) {
            *out = abi_prims[i].prim;
            return true;
        }
    return false;
}

static const struct abi_named_type *abi_named(const struct abi_table *t, const char *name)
{
    for (size_t i = 0; i < t->ntypes; i++)
        if (strcmp(t->types[i].name, name) == 0)
            return &t->types[i];
    return NULL;
}

static bool abi_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Byte buffers, not out-parameters, when passed as `T *`. */
static bool abi_is_byte_type(const char *base)
{
    return strcmp(base, "char") == 0 || strcmp(base, "UInt8") == 0 ||
           strcmp(base, "uint8_t") == 0 || strcmp(base, "UniChar") == 0 ||
           strcmp(base, "void") == 0;
}

/*
 * Resolves one declaration ("const SSLCipherSuite *ciphers", "CFIndex",
 * "SSLContextRef context"). `named` says whether the text ends with a
 * parameter name. False when a type is unknown (its name goes to `t->name`).
 */
static bool abi_type_resolve(const struct abi_table *table, const char *decl, bool named,
                             struct abi_type *t)
{
    char words[8][ABI_MAX_NAME];
    unsigned nwords = 0, stars = 0;
    bool is_const = false;
    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", decl);

    for (const char *p = decl; *p != '\0';) {
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (*p == '*') {
            stars++;
            p++;
        } else {
            size_t n = 0;
            while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != '*')
                n++;
            if (n >= ABI_MAX_NAME || nwords == 8)
                return false;
            if (n == 5 && strncmp(p, "const", 5) == 0) {
                is_const = true;
            } else {
                memcpy(words[nwords], p, n);
                words[nwords][n] = '\0';
                nwords++;
            }
            p += n;
        }
    }
    if (named && nwords > 1)
        nwords--; /* the parameter's name */
    if (nwords != 1)
        return false;
    const char *base = words[0];
    snprintf(t->name, sizeof(t->name), "%s%s%s", is_const ? "const " : "", base,
             stars == 1   ? " *"
             : stars == 2 ? " **"
                          : "");

    const struct abi_named_type *nt = abi_named(table, base);
    bool is_ref = abi_ends_with(base, "Ref") || abi_ends_with(base, "Ptr");
    if (stars == 0) {
        if (nt != NULL)
            t->prim = nt->prim;
        else if (is_ref)
            t->prim = ABI_POINTER;
        else
            return false;
        t->is_context = strcmp(base, "SSLContextRef") == 0;
    } else {
        t->prim = ABI_POINTER;
        /* `T *` with T a scalar or a reference, `const void **`: the callee writes a T. */
        if (stars == 1 && !is_const && nt != NULL && !abi_is_byte_type(base) &&
            nt->prim != ABI_VOID && nt->prim != ABI_RANGE) {
            t->is_out = true;
            t->pointee = nt->prim;
        } else if (stars == 1 && !is_const && nt == NULL && is_ref) {
            t->is_out = true;
            t->pointee = ABI_POINTER;
        } else if (stars == 2 && strcmp(base, "void") == 0) {
            t->is_out = true;
            t->pointee = ABI_POINTER;
        }
        t->pointee_size = abi_prim_size(t->pointee);
    }
    t->size = abi_prim_size(t->prim);
    t->is_signed = abi_prim_signed(t->prim);
    return true;
}

/* Splits a line into at most `max` tab-separated fields, in place. */
static unsigned abi_split(char *line, char **fields, unsigned max)
{
    unsigned n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static void *abi_grow(void *array, size_t count, size_t size)
{
    /* 16 slots first, then doubling when a power of two fills up. */
    if (count != 0 && (count < 16 || (count & (count - 1)) != 0))
        return array;
    void *grown = realloc(array, (count ? count * 2 : 16) * size);
    if (grown == NULL) {
        perror("st-abicheck");
        exit(2);
    }
    return grown;
}

static bool abi_parse_function(struct abi_table *t, char **f, unsigned n)
{
    if (n != 6)
        return false;
    t->functions = abi_grow(t->functions, t->nfunctions, sizeof(*t->functions));
    struct abi_function *fn = &t->functions[t->nfunctions++];
    memset(fn, 0, sizeof(*fn));
    snprintf(fn->group, sizeof(fn->group), "%s", f[1]);
    snprintf(fn->name, sizeof(fn->name), "%s", f[2]);
    snprintf(fn->null_context, sizeof(fn->null_context), "%s", f[5]);
    fn->typed = abi_type_resolve(t, f[3], false, &fn->ret);
    if (!fn->typed)
        snprintf(fn->untyped, sizeof(fn->untyped), "%s", f[3]);
    if (strcmp(f[4], "void") != 0) {
        char *save = NULL;
        for (char *p = strtok_r(f[4], ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
            if (fn->nparams == ABI_MAX_PARAMS)
                return false;
            struct abi_type *pt = &fn->params[fn->nparams++];
            if (!abi_type_resolve(t, p, true, pt) && fn->typed) {
                fn->typed = false;
                snprintf(fn->untyped, sizeof(fn->untyped), "%s", pt->name);
            }
        }
    }
    fn->takes_context = fn->nparams > 0 && fn->params[0].is_context;
    return true;
}

bool abi_table_load(const char *path, struct abi_table *t)
{
    memset(t, 0, sizeof(*t));
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        fprintf(stderr, "st-abicheck: cannot read the table %s: ", path);
        perror(NULL);
        return false;
    }
    char line[2048];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), in) != NULL) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        char *f[8];
        unsigned n = abi_split(line, f, 8);
        if (strcmp(f[0], "type") == 0 && n == 3) {
            t->types = abi_grow(t->types, t->ntypes, sizeof(*t->types));
            struct abi_named_type *nt = &t->types[t->ntypes++];
            snprintf(nt->name, sizeof(nt->name), "%s", f[1]);
            ok = abi_prim_parse(f[2], &nt->prim);
        } else if (strcmp(f[0], "fn") == 0) {
            ok = abi_parse_function(t, f, n);
        } else if (strcmp(f[0], "data") == 0 && n == 5) {
            t->data = abi_grow(t->data, t->ndata, sizeof(*t->data));
            struct abi_data *d = &t->data[t->ndata++];
            snprintf(d->group, sizeof(d->group), "%s", f[1]);
            snprintf(d->name, sizeof(d->name), "%s", f[2]);
            snprintf(d->type, sizeof(d->type), "%s", f[3]);
            snprintf(d->expect, sizeof(d->expect), "%s", f[4]);
        } else if (strcmp(f[0], "probe") == 0 && n == 3) {
            char *arrow = strstr(f[2], "->");
            ok = arrow != NULL;
            if (ok) {
                *arrow = '\0';
                t->probes = abi_grow(t->probes, t->nprobes, sizeof(*t->probes));
                struct abi_probe *p = &t->probes[t->nprobes++];
                snprintf(p->function, sizeof(p->function), "%s", f[1]);
                snprintf(p->args, sizeof(p->args), "%s", f[2]);
                snprintf(p->results, sizeof(p->results), "%s", arrow + 2);
            }
        } else {
            ok = false;
        }
    }
    fclose(in);
    if (!ok) {
        fprintf(stderr, "st-abicheck: %s:%u: not a row of the table format\n", path, lineno);
        abi_table_free(t);
    }
    return ok;
}

void abi_table_free(struct abi_table *t)
{
    free(t->functions);
    free(t->data);
    free(t->probes);
    free(t->types);
    memset(t, 0, sizeof(*t));
}

const struct abi_function *abi_table_function(const struct abi_table *t, const char *name)
{
    for (size_t i = 0; i < t->nfunctions; i++)
        if (strcmp(t->functions[i].name, name) == 0)
            return &t->functions[i];
    return NULL;
}
