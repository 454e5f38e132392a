/* The read and write callbacks get another connection ref than the one set. */
#include <stdint.h>

#include "broken_real.h"

int32_t SSLSetConnection(void *context, const void *connection);

int32_t SSLSetConnection(void *context, const void *connection)
{
    int32_t (*real)(void *, const void *) =
        (int32_t(*)(void *, const void *))broken_real("SSLSetConnection");
    return real(context, (const char *)connection + 1);
}
