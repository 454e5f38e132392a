/*
 * Build-time generator of the call-tracing layer, from the export tables.
 *
 *   st_trace_gen RENAME.h WRAPPERS.c
 *
 * RENAME.h is force-included into every library source: it renames each
 * exported function F to st_impl_F, so the library's own calls go straight
 * to the implementation. WRAPPERS.c defines the exported F: when tracing is
 * off it is one predictable branch and a tail call to st_impl_F; when on it
 * logs the call. Adding a row to a table is all it takes for a function to be
 * traced.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    const char *name;
    const char *ret;
    const char *params; /* "(T a, U *b)" as written in the table */
};

static const struct row rows[] = {
#define ST_FN(name, vis, ret, params, guards) {#name, #ret, #params},
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
#define CF_FN(name, ret, params) {#name, #ret, #params},
#define CF_DATA(name, type)
#include "cf_api.def"
#undef CF_FN
#undef CF_DATA
#define SEC_FN(name, ret, params) {#name, #ret, #params},
#define SEC_DATA(name, type)
#include "sec_api.def"
#undef SEC_FN
#undef SEC_DATA
#define CC_FN(name, ret, params) {#name, #ret, #params},
#define CC_DATA(name, type)
#include "cc_api.def"
#undef CC_FN
#undef CC_DATA
};

/* How a value of a type is handed to the tracer. */
enum kind { K_VOID, K_INT, K_UINT, K_PTR, K_DOUBLE, K_RANGE };

struct param {
    char type[128]; /* the declaration without its name */
    char base[64];  /* the type name without const and stars */
    char name[64];
    unsigned stars;
    bool is_const;
};

static const char *const pointer_like[] = {
    "SSLReadFunc",      "SSLWriteFunc",           "SecKeyAlgorithm",
    "CFErrorDomain",    "CFArrayApplierFunction", "CFDictionaryApplierFunction",
    "SSLConnectionRef",
};
static const char *const unsigned_types[] = {
    "Boolean",
    "bool",
    "UInt8",
    "UInt16",
    "UInt32",
    "uint32_t",
    "unsigned",
    "size_t",
    "CFTypeID",
    "CFHashCode",
    "CFOptionFlags",
    "SSLCipherSuite",
    "CFStringEncoding",
    "UniChar",
    "SecTrustResultType",
    "SecExternalFormat",
    "SecExternalItemType",
    "SecItemImportExportFlags",
    "SecPadding",
    "SecTrustOptionFlags",
    "SecTrustSettingsDomain",
    "SecKeyEncoding",
    "SecItemClass",
    "CSSM_ALGORITHMS",
    "CSSM_CERT_TYPE",
    "CSSM_KEYUSE",
    "CSSM_CC_HANDLE",
    "CFStringCompareFlags",
    "SecKeychainStatus",
    "CC_LONG",
    "CCHmacAlgorithm",
    "CCOperation",
    "CCAlgorithm",
    "CCOptions",
    "CCMode",
    "CCPadding",
    "CCModeOptions",
    "CCPBKDFAlgorithm",
    "CCPseudoRandomAlgorithm",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Structures passed by pointer: the pointer is traced, never what it points to. */
static const char *const struct_types[] = {
    "SecKeychainSettings",
    "SecKeychainAttributeInfo",
    "SecKeychainAttributeList",
};

static bool is_struct(const struct param *p)
{
    return p->stars == 1 &&
           in_list(p->base, struct_types, sizeof(struct_types) / sizeof(struct_types[0]));
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum kind kind_of_base(const char *base)
{
    if (strcmp(base, "void") == 0)
        return K_VOID;
    if (ends_with(base, "Ref") || ends_with(base, "Ptr") ||
        in_list(base, pointer_like, sizeof(pointer_like) / sizeof(pointer_like[0])))
        return K_PTR;
    if (strcmp(base, "CFAbsoluteTime") == 0 || strcmp(base, "CFTimeInterval") == 0 ||
        strcmp(base, "double") == 0)
        return K_DOUBLE;
    if (strcmp(base, "CFRange") == 0)
        return K_RANGE;
    if (in_list(base, unsigned_types, sizeof(unsigned_types) / sizeof(unsigned_types[0])))
        return K_UINT;
    return K_INT;
}

/* Parses "const T *name" (or, for return types, "const T *"). */
static void parse_decl(const char *text, bool named, struct param *p)
{
    char words[8][64];
    unsigned n = 0;
    memset(p, 0, sizeof(*p));
    for (const char *s = text; *s != '\0';) {
        if (isspace((unsigned char)*s)) {
            s++;
        } else if (*s == '*') {
            p->stars++;
            s++;
        } else {
            size_t len = 0;
            while (s[len] != '\0' && !isspace((unsigned char)s[len]) && s[len] != '*')
                len++;
            if (len == 5 && strncmp(s, "const", 5) == 0) {
                p->is_const = true;
            } else if (n < 8 && len < 64) {
                memcpy(words[n], s, len);
                words[n][len] = '\0';
                n++;
            }
            s += len;
        }
    }
    if (named && n > 1)
        snprintf(p->name, sizeof(p->name), "%s", words[--n]);
    snprintf(p->base, sizeof(p->base), "%s", n ? words[0] : "void");
    snprintf(p->type, sizeof(p->type), "%s%s%s", p->is_const ? "const " : "", p->base,
             p->stars == 1   ? " *"
             : p->stars == 2 ? " **"
                             : "");
}

static enum kind kind_of(const struct param *p)
{
    return p->stars ? K_PTR : kind_of_base(p->base);
}

/* `T *x` the callee writes one T into (a scalar or a reference, not a buffer or array). */
static bool is_out(const struct param *p)
{
    if (p->is_const || p->stars == 0)
        return false;
    if (p->stars == 2)
        return strcmp(p->base, "void") == 0;
    static const char *const buffers[] = {"void",    "char",           "UInt8",  "uint8_t",
                                          "UniChar", "SSLCipherSuite", "CFRange"};
    /* CommonCrypto's caller-allocated states and `unsigned char *md` digests are buffers too. */
    if (ends_with(p->base, "_CTX") || strcmp(p->base, "CCHmacContext") == 0 ||
        strcmp(p->base, "unsigned") == 0)
        return false;
    return !in_list(p->base, buffers, sizeof(buffers) / sizeof(buffers[0]));
}

static unsigned split_params(const char *params, struct param *out, unsigned max)
{
    char text[1024];
    snprintf(text, sizeof(text), "%s", params + 1); /* drop "(" */
    char *close = strrchr(text, ')');
    if (close != NULL)
        *close = '\0';
    if (strcmp(text, "void") == 0 || text[0] == '\0')
        return 0;
    unsigned n = 0;
    char *save = NULL;
    for (char *t = strtok_r(text, ",", &save); t != NULL && n < max; t = strtok_r(NULL, ",", &save))
        parse_decl(t, true, &out[n++]);
    return n;
}

/* The tracer call that records one argument, by kind. */
static void emit_arg(FILE *o, const struct param *p)
{
    switch (kind_of(p)) {
    case K_PTR:
        fprintf(o, "    st_trace_ptr(&trace_call_, \"%s\", \"%s\", (uintptr_t)%s);\n",
                is_out(p) ? "out" : p->type, p->name, p->name);
        break;
    case K_DOUBLE:
        fprintf(o, "    st_trace_double(&trace_call_, \"%s\", \"%s\", (double)%s);\n", p->type,
                p->name, p->name);
        break;
    case K_RANGE:
        fprintf(o, "    st_trace_range(&trace_call_, \"%s\", %s.location, %s.length);\n", p->name,
                p->name, p->name);
        break;
    case K_UINT:
        fprintf(o, "    st_trace_uint(&trace_call_, \"%s\", \"%s\", (uint64_t)%s);\n", p->base,
                p->name, p->name);
        break;
    default:
        fprintf(o, "    st_trace_int(&trace_call_, \"%s\", \"%s\", (int64_t)%s);\n", p->base,
                p->name, p->name);
        break;
    }
}

/* After the call: what an out-parameter now holds. */
static void emit_out(FILE *o, const struct param *p, bool status_gated)
{
    if (!is_out(p) || is_struct(p))
        return;
    enum kind k = p->stars == 2 ? K_PTR : kind_of_base(p->base);
    const char *fn = k == K_PTR    ? "st_trace_out_ptr"
                     : k == K_UINT ? "st_trace_out_uint"
                                   : "st_trace_out_int";
    const char *cast = k == K_PTR ? "uintptr_t" : k == K_UINT ? "uint64_t" : "int64_t";
    /* A failed call need not have written its out-parameters; would-block does (SSLRead). */
    fprintf(
        o, "    if (%s != NULL%s)\n        %s(&trace_call_, \"%s\", \"%s\", (%s)*%s);\n", p->name,
        status_gated ? " && (trace_result_ == errSecSuccess || trace_result_ == errSSLWouldBlock)"
                     : "",
        fn, p->stars == 2 ? "pointer" : p->base, p->name, cast, p->name);
}

static void emit_result(FILE *o, const struct param *ret)
{
    switch (kind_of(ret)) {
    case K_VOID: fprintf(o, "    st_trace_end(&trace_call_);\n"); break;
    case K_PTR:
        fprintf(o, "    st_trace_return_ptr(&trace_call_, \"%s\", (uintptr_t)trace_result_);\n",
                ret->type);
        break;
    case K_DOUBLE:
        fprintf(o, "    st_trace_return_double(&trace_call_, (double)trace_result_);\n");
        break;
    case K_RANGE:
        fprintf(o, "    st_trace_return_range(&trace_call_, trace_result_.location, "
                   "trace_result_.length);\n");
        break;
    case K_UINT:
        fprintf(o, "    st_trace_return_uint(&trace_call_, \"%s\", (uint64_t)trace_result_);\n",
                ret->base);
        break;
    default:
        fprintf(o, "    st_trace_return_int(&trace_call_, \"%s\", (int64_t)trace_result_);\n",
                ret->base);
        break;
    }
}

static void emit_wrapper(FILE *o, const struct row *r)
{
    struct param params[16], ret;
    unsigned n = split_params(r->params, params, 16);
    parse_decl(r->ret, false, &ret);
    bool returns = kind_of(&ret) != K_VOID;
    char args[512] = "";
    for (unsigned i = 0; i < n; i++) {
        strncat(args, i ? ", " : "", sizeof(args) - strlen(args) - 1);
        strncat(args, params[i].name, sizeof(args) - strlen(args) - 1);
    }
    fprintf(o, "\n%s st_impl_%s%s;\n", r->ret, r->name, r->params);
    /* The traced path apart, so the exported function stays a test and a tail call. */
    fprintf(o, "__attribute__((noinline, cold)) static %s st_traced_%s%s\n{\n", r->ret, r->name,
            r->params);
    fprintf(o, "    struct st_trace_call trace_call_;\n");
    fprintf(o, "    st_trace_begin(&trace_call_, \"%s\");\n", r->name);
    for (unsigned i = 0; i < n; i++)
        emit_arg(o, &params[i]);
    if (returns)
        fprintf(o, "    %s trace_result_ = st_impl_%s(%s);\n", r->ret, r->name, args);
    else
        fprintf(o, "    st_impl_%s(%s);\n", r->name, args);
    bool status_gated = strcmp(ret.base, "OSStatus") == 0;
    for (unsigned i = 0; i < n; i++)
        emit_out(o, &params[i], status_gated);
    emit_result(o, &ret);
    if (returns)
        fprintf(o, "    return trace_result_;\n");
    fprintf(o, "}\n");
    fprintf(o, "%s %s%s\n{\n", r->ret, r->name, r->params);
    fprintf(o, "    if (__builtin_expect(st_trace_mode != 0, 0))\n");
    fprintf(o, "        %sst_traced_%s(%s);\n", returns ? "return " : "", r->name, args);
    if (!returns)
        fprintf(o, "    else\n    ");
    fprintf(o, "    %sst_impl_%s(%s);\n}\n", returns ? "return " : "", r->name, args);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: st_trace_gen RENAME.h WRAPPERS.c\n");
        return 2;
    }
    FILE *rename = fopen(argv[1], "w"), *wrappers = fopen(argv[2], "w");
    if (rename == NULL || wrappers == NULL) {
        perror("st_trace_gen");
        return 1;
    }
    size_t count = sizeof(rows) / sizeof(rows[0]);
    fprintf(rename, "/* Generated by st_trace_gen from the export tables; do not edit. */\n"
                    "#ifndef SECTRANS_TRACE_RENAME_H\n#define SECTRANS_TRACE_RENAME_H\n");
    for (size_t i = 0; i < count; i++)
        fprintf(rename, "#define %s st_impl_%s\n", rows[i].name, rows[i].name);
    fprintf(rename, "#endif\n");

    fprintf(wrappers, "/* Generated by st_trace_gen from the export tables; do not edit. */\n"
                      "#include \"st_trace.h\"\n");
    for (size_t i = 0; i < count; i++)
        emit_wrapper(wrappers, &rows[i]);
    if (fclose(rename) != 0 || fclose(wrappers) != 0) {
        perror("st_trace_gen");
        return 1;
    }
    return 0;
}
