/*
 * The few calls every check group needs: making and releasing contexts and
 * calling a table function by name. Each goes through the table's signature.
 */
#include <stddef.h>

#include "abicheck.h"
#include "abi_facts.h"

long abi_call_status(const char *name, const union abi_value *args, bool *ok)
{
    const struct abi_function *f = abi_table_function(abi_target.table, name);
    union abi_value ret = {0};
    bool called = f != NULL && abi_call(f, abi_symbol(name), args, &ret);
    if (ok != NULL)
        *ok = called;
    return called ? (long)ret.i : 0;
}

void *abi_new_context(int side, int type)
{
    const struct abi_function *f = abi_table_function(abi_target.table, "SSLCreateContext");
    union abi_value args[3] = {{.p = NULL}, {.i = side}, {.i = type}}, ret = {0};
    if (f == NULL || !abi_call(f, abi_symbol("SSLCreateContext"), args, &ret))
        return NULL;
    return ret.p;
}

void abi_release(void *cf)
{
    union abi_value arg = {.p = cf};
    bool ok = false;
    (void)abi_call_status("CFRelease", &arg, &ok);
    if (!ok)
        (void)abi_call_status("SSLDisposeContext", &arg, NULL);
}
