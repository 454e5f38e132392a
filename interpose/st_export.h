/*
 * Gives every row of st_api.def default visibility. The library is built with
 * -fvisibility=hidden, so these redeclarations are what exports the API; the
 * compiler also rejects a row whose prototype differs from the public header.
 */
#ifndef SECTRANS_ST_EXPORT_H
#define SECTRANS_ST_EXPORT_H

#include <Security/SecureTransport.h>
#include <Security/SecureTransportPriv.h>

#define ST_FN(name, vis, ret, params, guards)                                                      \
    __attribute__((visibility("default"))) ret name params;
#define ST_DATA(name, vis, type) extern __attribute__((visibility("default"))) type name;
#include "st_api.def"
#undef ST_FN
#undef ST_DATA

#endif
