/*
 * st-abicheck LIB.so [--json] [--only GROUP] [--table FILE]
 *
 * Checks whether a shared object has macOS 10.15's Secure Transport binary
 * interface. It dlopens any implementation and learns the interface only
 * from its signature table, so it checks ours, a stub, or someone else's
 * port alike. Exit status: 0 when every required check passes, 1 when one
 * fails, 2 when it cannot run.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abicheck.h"

#ifndef ABI_TABLE_INSTALLED
#define ABI_TABLE_INSTALLED ""
#endif
#ifndef ABI_TABLE_SOURCE
#define ABI_TABLE_SOURCE ""
#endif
#define ABI_TABLE_NAME "secure-transport-10.15.tsv"

static const struct {
    const char *name;
    void (*run)(void);
    const char *what;
} abi_groups[] = {
    {"symbols", abi_check_symbols, "every function and data symbol of the table is exported"},
    {"contexts", abi_check_contexts, "NULL, released and wrong-kind contexts"},
    {"outparams", abi_check_outparams, "out-parameters and return values at Apple's widths"},
    {"data", abi_check_data, "data symbols: CFString values, CFBooleans, callback structures"},
    {"tls", abi_check_tls, "TLS 1.2/1.3 handshakes, I/O and the callback rules, through libffi"},
};

static void abi_usage(FILE *to)
{
    fprintf(to, "usage: st-abicheck LIB.so [--json] [--only GROUP] [--table FILE]\n\ngroups:\n");
    for (size_t i = 0; i < sizeof(abi_groups) / sizeof(abi_groups[0]); i++)
        fprintf(to, "  %-10s %s\n", abi_groups[i].name, abi_groups[i].what);
}

/* The table: --table, $SECTRANS_ABI_TABLE, beside an installed binary, the source tree. */
static const char *abi_default_table(char *buf, size_t len)
{
    const char *env = getenv("SECTRANS_ABI_TABLE");
    if (env != NULL && env[0] != '\0')
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(buf, len, "%s/../share/sectrans/%s", exe, ABI_TABLE_NAME);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    if (ABI_TABLE_INSTALLED[0] != '\0' && access(ABI_TABLE_INSTALLED, R_OK) == 0)
        return ABI_TABLE_INSTALLED;
    return ABI_TABLE_SOURCE;
}

int main(int argc, char **argv)
{
    const char *library = NULL, *table_path = NULL;
    char table_buf[PATH_MAX + 64];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            abi_opts.json = true;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            abi_opts.only = argv[++i];
        } else if (strcmp(argv[i], "--table") == 0 && i + 1 < argc) {
            table_path = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            abi_usage(stdout);
            return 0;
        } else if (argv[i][0] != '-' && library == NULL) {
            library = argv[i];
        } else {
            abi_usage(stderr);
            return 2;
        }
    }
    if (library == NULL) {
        abi_usage(stderr);
        return 2;
    }
    bool known_group = abi_opts.only == NULL;
    for (size_t i = 0; i < sizeof(abi_groups) / sizeof(abi_groups[0]); i++)
        known_group = known_group || strcmp(abi_opts.only, abi_groups[i].name) == 0;
    if (!known_group) {
        fprintf(stderr, "st-abicheck: no group \"%s\"\n", abi_opts.only);
        abi_usage(stderr);
        return 2;
    }
    if (table_path == NULL)
        table_path = abi_default_table(table_buf, sizeof(table_buf));

    struct abi_table table;
    if (!abi_table_load(table_path, &table))
        return 2;
    /* RTLD_LOCAL: the implementation's symbols are reached only through dlsym. */
    abi_target.handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (abi_target.handle == NULL) {
        fprintf(stderr, "st-abicheck: cannot load %s: %s\n", library, dlerror());
        abi_table_free(&table);
        return 2;
    }
    abi_target.table = &table;

    abi_report_begin();
    for (size_t i = 0; i < sizeof(abi_groups) / sizeof(abi_groups[0]); i++)
        if (abi_group_selected(abi_groups[i].name))
            abi_groups[i].run();
    int status = abi_report_finish(library, table_path);
    abi_table_free(&table);
    return status;
}
