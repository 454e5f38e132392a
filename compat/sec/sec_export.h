/*
 * Gives every row of sec_api.def default visibility (see cf_export.h).
 */
#ifndef SECTRANS_SEC_EXPORT_H
#define SECTRANS_SEC_EXPORT_H

#include <Security/SecCertificatePriv.h>
#include <Security/SecIdentityPriv.h>
#include <Security/Security.h>

#define SEC_FN(name, ret, params) __attribute__((visibility("default"))) ret name params;
#define SEC_DATA(name, type)      extern __attribute__((visibility("default"))) type name;
#include "sec_api.def"
#undef SEC_FN
#undef SEC_DATA

#endif
