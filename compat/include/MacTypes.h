/*
 * MacTypes.h: the basic Mac scalar types and result codes.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef __MACTYPES__
#define __MACTYPES__

#include <stdint.h>

typedef uint8_t UInt8;
typedef int8_t SInt8;
typedef uint16_t UInt16;
typedef int16_t SInt16;
typedef uint32_t UInt32;
typedef int32_t SInt32;
typedef uint64_t UInt64;
typedef int64_t SInt64;

/* Boolean is one byte: unsigned char, not bool and not int. */
typedef unsigned char Boolean;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef SInt32 OSStatus;
typedef SInt16 OSErr;
typedef UInt32 FourCharCode;
typedef FourCharCode OSType;
typedef UInt16 UniChar;
typedef unsigned long ByteCount;
typedef unsigned long ItemCount;
typedef char *Ptr;
typedef Ptr *Handle;
typedef long Size;
typedef float Float32;
typedef double Float64;

/* Carbon result codes that Security code uses interchangeably with errSec*. */
enum {
    noErr = 0,
    unimpErr = -4,
    ioErr = -36,
    paramErr = -50,
    memFullErr = -108,
    userCanceledErr = -128,
    badReqErr = -909
};

#endif
