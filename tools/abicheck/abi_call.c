/*
 * Calls through libffi with the table's types: arguments passed at their
 * widths, the return value read at exactly its width (libffi extends a
 * `uint8` return from the low byte only, as a caller compiled against
 * Apple's headers does).
 */
#include <dlfcn.h>
#include <string.h>

#include "abicheck.h"

struct abi_target abi_target;

static ffi_type *abi_range_elements[] = {&ffi_type_sint64, &ffi_type_sint64, NULL};
static ffi_type abi_range_type = {0, 0, FFI_TYPE_STRUCT, abi_range_elements};

ffi_type *abi_ffi_type(enum abi_prim prim)
{
    switch (prim) {
    case ABI_VOID: return &ffi_type_void;
    case ABI_SINT8: return &ffi_type_sint8;
    case ABI_UINT8: return &ffi_type_uint8;
    case ABI_SINT16: return &ffi_type_sint16;
    case ABI_UINT16: return &ffi_type_uint16;
    case ABI_SINT32: return &ffi_type_sint32;
    case ABI_UINT32: return &ffi_type_uint32;
    case ABI_SINT64: return &ffi_type_sint64;
    case ABI_UINT64: return &ffi_type_uint64;
    case ABI_DOUBLE: return &ffi_type_double;
    case ABI_POINTER: return &ffi_type_pointer;
    case ABI_RANGE: return &abi_range_type;
    }
    return &ffi_type_void;
}

void *abi_symbol(const char *name)
{
    return abi_target.handle != NULL ? dlsym(abi_target.handle, name) : NULL;
}

/* Narrows a 64-bit argument to the storage libffi reads for `prim`. */
static void abi_narrow(enum abi_prim prim, const union abi_value *in, union abi_value *out)
{
    memset(out, 0, sizeof(*out));
    switch (prim) {
    case ABI_SINT8: *(int8_t *)out->bytes = (int8_t)in->i; break;
    case ABI_UINT8: *(uint8_t *)out->bytes = (uint8_t)in->u; break;
    case ABI_SINT16: *(int16_t *)out->bytes = (int16_t)in->i; break;
    case ABI_UINT16: *(uint16_t *)out->bytes = (uint16_t)in->u; break;
    case ABI_SINT32: *(int32_t *)out->bytes = (int32_t)in->i; break;
    case ABI_UINT32: *(uint32_t *)out->bytes = (uint32_t)in->u; break;
    default: *out = *in; break;
    }
}

/* Widens what libffi returned (an ffi_arg for small integers) by the type's signedness. */
static void abi_widen(enum abi_prim prim, const void *raw, union abi_value *out)
{
    ffi_arg a;
    ffi_sarg s;
    memcpy(&a, raw, sizeof(a));
    memcpy(&s, raw, sizeof(s));
    memset(out, 0, sizeof(*out));
    switch (prim) {
    case ABI_SINT8: out->i = (int8_t)s; break;
    case ABI_UINT8: out->u = (uint8_t)a; break;
    case ABI_SINT16: out->i = (int16_t)s; break;
    case ABI_UINT16: out->u = (uint16_t)a; break;
    case ABI_SINT32: out->i = (int32_t)s; break;
    case ABI_UINT32: out->u = (uint32_t)a; break;
    case ABI_VOID: break;
    default: memcpy(out->bytes, raw, abi_prim_size(prim)); break;
    }
}

bool abi_call(const struct abi_function *f, void *fn, const union abi_value *args,
              union abi_value *ret)
{
    ffi_cif cif;
    ffi_type *types[ABI_MAX_PARAMS];
    union abi_value narrowed[ABI_MAX_PARAMS];
    void *values[ABI_MAX_PARAMS];
    if (!f->typed || fn == NULL)
        return false;
    for (unsigned i = 0; i < f->nparams; i++) {
        types[i] = abi_ffi_type(f->params[i].prim);
        abi_narrow(f->params[i].prim, &args[i], &narrowed[i]);
        values[i] = &narrowed[i];
    }
    if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, f->nparams, abi_ffi_type(f->ret.prim), types) != FFI_OK)
        return false;
    union {
        ffi_arg small;
        union abi_value value;
    } raw;
    memset(&raw, 0, sizeof(raw));
    ffi_call(&cif, FFI_FN(fn), &raw, values);
    abi_widen(f->ret.prim, &raw, ret);
    return true;
}
