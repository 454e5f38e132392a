/*
 * Data symbols: each is of the kind 10.15 has (a CFString with Apple's exact
 * contents, a CFBoolean, a callback structure with version 0 and its
 * functions, a CSSM OID, a NULL constant), and CFSTR works through
 * __CFStringMakeConstantString.
 */
#include <stdio.h>
#include <string.h>

#include "abi_facts.h"
#include "abicheck.h"

/* Calls a one-argument table function on a CF object; false if it is missing. */
static bool abi_cf_call(const char *name, void *object, union abi_value *ret)
{
    const struct abi_function *f = abi_table_function(abi_target.table, name);
    union abi_value arg = {.p = object};
    return f != NULL && abi_call(f, abi_symbol(name), &arg, ret);
}

/* The contents of a CFString as UTF-8, through CFStringGetCString. */
static bool abi_cf_string(void *string, char *buf, size_t len)
{
    const struct abi_function *f = abi_table_function(abi_target.table, "CFStringGetCString");
    union abi_value args[4] = {
        {.p = string}, {.p = buf}, {.i = (int64_t)len}, {.u = ABI_UTF8_ENCODING}};
    union abi_value ret = {0};
    return f != NULL && abi_call(f, abi_symbol("CFStringGetCString"), args, &ret) && ret.u == 1;
}

static bool abi_has_type(void *object, const char *type_id_function)
{
    union abi_value id = {0}, expected = {0};
    return abi_cf_call("CFGetTypeID", object, &id) &&
           abi_cf_call(type_id_function, NULL, &expected) && id.u == expected.u && id.u != 0;
}

static void abi_check_string_symbol(const struct abi_data *d, void *const *sym)
{
    const char *want = d->expect + 4;
    char got[512];
    abi_begin("CFString value");
    if (*sym == NULL) {
        abi_result(ABI_FAIL, "data", d->name, "CFString value", "NULL, expected \"%s\"", want);
        return;
    }
    if (!abi_has_type(*sym, "CFStringGetTypeID")) {
        abi_result(ABI_FAIL, "data", d->name, "CFString value", "not a CFString");
        return;
    }
    if (!abi_cf_string(*sym, got, sizeof(got)))
        abi_result(ABI_FAIL, "data", d->name, "CFString value", "CFStringGetCString failed");
    else if (strcmp(got, want) != 0)
        abi_result(ABI_FAIL, "data", d->name, "CFString value", "\"%s\", 10.15 has \"%s\"", got,
                   want);
    else
        abi_result(ABI_PASS, "data", d->name, "CFString value", "\"%s\"", got);
}

static void abi_check_boolean_symbol(const struct abi_data *d, void *const *sym)
{
    union abi_value v = {0};
    unsigned want = d->expect[5] == '1';
    abi_begin("CFBoolean value");
    if (*sym == NULL || !abi_has_type(*sym, "CFBooleanGetTypeID"))
        abi_result(ABI_FAIL, "data", d->name, "CFBoolean value", "not a CFBoolean");
    else if (!abi_cf_call("CFBooleanGetValue", *sym, &v) || v.u != want)
        abi_result(ABI_FAIL, "data", d->name, "CFBoolean value",
                   "CFBooleanGetValue read as Boolean gave %llu, expected %u",
                   (unsigned long long)v.u, want);
    else
        abi_result(ABI_PASS, "data", d->name, "CFBoolean value", "%u", want);
}

/*
 * CFArrayCallBacks and CFDictionaryValueCallBacks are {CFIndex version;
 * retain; release; copyDescription; equal}; the key callbacks add hash.
 */
static void abi_check_callbacks_symbol(const struct abi_data *d, const void *sym)
{
    bool has_hash = strstr(d->name, "KeyCallBacks") != NULL;
    size_t words = has_hash ? 6 : 5;
    const void *field[6];
    int64_t version;
    abi_begin("callback structure");
    memcpy(&version, sym, sizeof(version));
    memcpy(field, sym, words * sizeof(void *));
    if (version != 0) {
        abi_result(ABI_FAIL, "data", d->name, "callback structure", "version %lld, expected 0",
                   (long long)version);
        return;
    }
    for (size_t i = 1; i < words; i++)
        if (field[i] == NULL) {
            abi_result(ABI_FAIL, "data", d->name, "callback structure",
                       "function %zu of %zu is NULL", i, words - 1);
            return;
        }
    abi_result(ABI_PASS, "data", d->name, "callback structure",
               "version 0 and %zu functions (%zu bytes)", words - 1, words * sizeof(void *));
}

/* CSSM_OID is {CSSM_SIZE Length; uint8 *Data}. */
static void abi_check_oid_symbol(const struct abi_data *d, const void *sym)
{
    size_t length;
    const void *data;
    memcpy(&length, sym, sizeof(length));
    memcpy(&data, (const char *)sym + sizeof(length), sizeof(data));
    if (length == 0 || length > 64 || data == NULL)
        abi_result(ABI_FAIL, "data", d->name, "CSSM_OID", "length %zu, data %p", length, data);
    else
        abi_result(ABI_PASS, "data", d->name, "CSSM_OID", "%zu bytes", length);
}

static void abi_unit_data(void *arg)
{
    const struct abi_data *d = arg;
    void **sym = abi_symbol(d->name);
    if (strncmp(d->expect, "str:", 4) == 0)
        abi_check_string_symbol(d, sym);
    else if (strncmp(d->expect, "bool:", 5) == 0)
        abi_check_boolean_symbol(d, sym);
    else if (strcmp(d->expect, "callbacks") == 0)
        abi_check_callbacks_symbol(d, sym);
    else if (strcmp(d->expect, "oid") == 0)
        abi_check_oid_symbol(d, sym);
    else if (strcmp(d->expect, "null") == 0)
        abi_result(*sym == NULL ? ABI_PASS : ABI_FAIL, "data", d->name, "value",
                   *sym == NULL ? "NULL, as in 10.15" : "%p, 10.15 has NULL", *sym);
    else
        abi_result(ABI_PASS, "data", d->name, "present", "%s", d->type);
}

/* CFSTR("...") compiles to __CFStringMakeConstantString: equal literals give one object. */
static void abi_unit_cfstr(void *arg)
{
    (void)arg;
    union abi_value a = {0}, b = {0}, len = {0};
    char text[16];
    abi_begin("CFSTR");
    static const char literal[] = "abicheck";
    const struct abi_function *f =
        abi_table_function(abi_target.table, "__CFStringMakeConstantString");
    union abi_value arg_literal = {.p = (void *)literal};
    if (f == NULL || !abi_call(f, abi_symbol(f->name), &arg_literal, &a) ||
        !abi_call(f, abi_symbol(f->name), &arg_literal, &b) || a.p == NULL) {
        abi_result(ABI_FAIL, "data", "__CFStringMakeConstantString", "CFSTR", "returned NULL");
        return;
    }
    if (!abi_cf_call("CFStringGetLength", a.p, &len) || len.i != 8 ||
        !abi_cf_string(a.p, text, sizeof(text)) || strcmp(text, literal) != 0)
        abi_result(ABI_FAIL, "data", "__CFStringMakeConstantString", "CFSTR",
                   "the string does not read back as \"%s\"", literal);
    else if (a.p != b.p)
        abi_result(ABI_FAIL, "data", "__CFStringMakeConstantString", "CFSTR",
                   "two calls with one literal gave two objects (CFSTR constants are unique)");
    else
        abi_result(ABI_PASS, "data", "__CFStringMakeConstantString", "CFSTR",
                   "a unique constant CFString");
}

void abi_check_data(void)
{
    const struct abi_table *t = abi_target.table;
    for (size_t i = 0; i < t->ndata; i++) {
        struct abi_data *d = &t->data[i];
        if (abi_symbol(d->name) == NULL)
            continue; /* reported by "symbols" */
        abi_isolate("data", d->name, ABI_FAIL, abi_unit_data, d);
    }
    if (abi_symbol("__CFStringMakeConstantString") != NULL)
        abi_isolate("data", "__CFStringMakeConstantString", ABI_FAIL, abi_unit_cfstr, NULL);
}
