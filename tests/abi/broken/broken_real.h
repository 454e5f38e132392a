/*
 * Deliberately broken implementations for st-abicheck's tests: each library
 * overrides one function of libsectrans with a classic ABI mistake and
 * reaches the real one through its handle.
 */
#ifndef SECTRANS_BROKEN_REAL_H
#define SECTRANS_BROKEN_REAL_H

#include <dlfcn.h>
#include <stdlib.h>

/* The real libsectrans definition of `name` (already loaded as our dependency). */
static inline void *broken_real(const char *name)
{
    void *lib = dlopen("libsectrans.so.1", RTLD_NOLOAD | RTLD_LAZY);
    void *fn = lib != NULL ? dlsym(lib, name) : NULL;
    if (fn == NULL)
        abort();
    return fn;
}

#endif
