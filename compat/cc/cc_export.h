/*
 * Gives every row of cc_api.def default visibility (see cf_export.h).
 */
#ifndef SECTRANS_CC_EXPORT_H
#define SECTRANS_CC_EXPORT_H

#include <CommonCrypto/CommonCrypto.h>

#define CC_FN(name, ret, params) __attribute__((visibility("default"))) ret name params;
#define CC_DATA(name, type)      extern __attribute__((visibility("default"))) type name;
#include "cc_api.def"
#undef CC_FN
#undef CC_DATA

#endif
