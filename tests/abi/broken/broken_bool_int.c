/* A Boolean returned as an int whose truth is not in the low byte. */
#include <stdint.h>

#include "broken_real.h"

int CFBooleanGetValue(const void *boolean);

int CFBooleanGetValue(const void *boolean)
{
    unsigned char (*real)(const void *) =
        (unsigned char (*)(const void *))broken_real("CFBooleanGetValue");
    return real(boolean) ? 0x100 : 0;
}
