/*
 * The stub provider's data symbols, with the real types so their sizes
 * match the library's (a program's copy relocations take the size from
 * what it was linked against). All zero.
 */
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecCertificatePriv.h>
#include <Security/SecIdentityPriv.h>
#include <Security/SecureTransport.h>
#include <Security/SecureTransportPriv.h>
#include <Security/Security.h>

#define ST_FN(name, vis, ret, params, guards)
#define ST_DATA(name, vis, type) type name;
#include "st_api.def"

#define CF_FN(name, ret, params)
#define CF_DATA(name, type) type name;
#include "cf_api.def"

#define SEC_FN(name, ret, params)
#define SEC_DATA(name, type) type name;
#include "sec_api.def"
