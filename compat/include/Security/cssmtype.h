/*
 * cssmtype.h: the few CDSA types the legacy Security calls still take
 * (CSSM_DATA, CSSM_OID, CSSM_RETURN, handles, certificate types).
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _CSSMTYPE_H_
#define _CSSMTYPE_H_ 1

#include <Security/cssmconfig.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef CSSM_INTPTR CSSM_HANDLE, *CSSM_HANDLE_PTR;
typedef uint64 CSSM_LONG_HANDLE, *CSSM_LONG_HANDLE_PTR;
typedef CSSM_HANDLE CSSM_MODULE_HANDLE, *CSSM_MODULE_HANDLE_PTR;
/* CSSM_CC_HANDLE, CSSM_ALGORITHMS and CSSM_KEYUSE come with SecKey.h. */
typedef CSSM_MODULE_HANDLE CSSM_CSP_HANDLE;
typedef CSSM_MODULE_HANDLE CSSM_TP_HANDLE;
typedef CSSM_MODULE_HANDLE CSSM_AC_HANDLE;
typedef CSSM_MODULE_HANDLE CSSM_CL_HANDLE;
typedef CSSM_MODULE_HANDLE CSSM_DL_HANDLE;
typedef CSSM_MODULE_HANDLE CSSM_DB_HANDLE;

enum { CSSM_INVALID_HANDLE = 0 };

typedef sint32 CSSM_BOOL;
enum { CSSM_FALSE = 0, CSSM_TRUE = 1 };

/* Signed, like OSStatus, so the two can be compared directly. */
typedef sint32 CSSM_RETURN;
enum { CSSM_OK = 0 };

typedef struct cssm_data {
    CSSM_SIZE Length;
    uint8 *Data;
} CSSM_DATA, *CSSM_DATA_PTR;

/* An object identifier: its DER content octets (no tag or length). */
typedef CSSM_DATA CSSM_OID, *CSSM_OID_PTR;

typedef uint32 CSSM_BITMASK;

typedef uint32 CSSM_CERT_TYPE, *CSSM_CERT_TYPE_PTR;
enum {
    CSSM_CERT_UNKNOWN = 0x00,
    CSSM_CERT_X_509v1 = 0x01,
    CSSM_CERT_X_509v2 = 0x02,
    CSSM_CERT_X_509v3 = 0x03,
    CSSM_CERT_PGP = 0x04,
    CSSM_CERT_SPKI = 0x05,
    CSSM_CERT_SDSIv1 = 0x06,
    CSSM_CERT_Intel = 0x08,
    CSSM_CERT_X_509_ATTRIBUTE = 0x09,
    CSSM_CERT_X9_ATTRIBUTE = 0x0A,
    CSSM_CERT_TUPLE = 0x0B,
    CSSM_CERT_ACL_ENTRY = 0x0C,
    CSSM_CERT_MULTIPLE = 0x7FFE,
    CSSM_CERT_LAST = 0x7FFF
};

typedef uint32 CSSM_CERT_ENCODING, *CSSM_CERT_ENCODING_PTR;
enum {
    CSSM_CERT_ENCODING_UNKNOWN = 0x00,
    CSSM_CERT_ENCODING_CUSTOM = 0x01,
    CSSM_CERT_ENCODING_BER = 0x02,
    CSSM_CERT_ENCODING_DER = 0x03,
    CSSM_CERT_ENCODING_NDR = 0x04,
    CSSM_CERT_ENCODING_SEXPR = 0x05,
    CSSM_CERT_ENCODING_PGP = 0x06,
    CSSM_CERT_ENCODING_MULTIPLE = 0x7FFE,
    CSSM_CERT_ENCODING_LAST = 0x7FFF
};

typedef struct cssm_dl_db_handle {
    CSSM_DL_HANDLE DLHandle;
    CSSM_DB_HANDLE DBHandle;
} CSSM_DL_DB_HANDLE, *CSSM_DL_DB_HANDLE_PTR;

/* Opaque: a record of a CDSA data store. */
typedef struct cssm_db_unique_record *CSSM_DB_UNIQUE_RECORD_PTR;

#ifdef __cplusplus
}
#endif

#endif
