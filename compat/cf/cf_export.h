/*
 * Gives every row of cf_api.def default visibility. The library is built with
 * -fvisibility=hidden, so these redeclarations are what exports the API; the
 * compiler also rejects a row whose prototype differs from the public header.
 */
#ifndef SECTRANS_CF_EXPORT_H
#define SECTRANS_CF_EXPORT_H

#include <CoreFoundation/CoreFoundation.h>

#define CF_FN(name, ret, params) __attribute__((visibility("default"))) ret name params;
#define CF_DATA(name, type)      extern __attribute__((visibility("default"))) type name;
#include "cf_api.def"
#undef CF_FN
#undef CF_DATA

#endif
