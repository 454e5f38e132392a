/*
 * cssmconfig.h: the fixed-width integer names the CDSA headers use.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _CSSMCONFIG_H_
#define _CSSMCONFIG_H_ 1

#include <stddef.h>
#include <stdint.h>

#ifndef _SINT64
typedef int64_t sint64;
#define _SINT64
#endif
#ifndef _UINT64
typedef uint64_t uint64;
#define _UINT64
#endif
#ifndef _SINT32
typedef int32_t sint32;
#define _SINT32
#endif
#ifndef _SINT16
typedef int16_t sint16;
#define _SINT16
#endif
#ifndef _SINT8
typedef int8_t sint8;
#define _SINT8
#endif
#ifndef _UINT32
typedef uint32_t uint32;
#define _UINT32
#endif
#ifndef _UINT16
typedef uint16_t uint16;
#define _UINT16
#endif
#ifndef _UINT8
typedef uint8_t uint8;
#define _UINT8
#endif

typedef intptr_t CSSM_INTPTR;
typedef size_t CSSM_SIZE;

#endif
