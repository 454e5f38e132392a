/* A getter that never looks at its context, NULL included. */
#include <stdint.h>

int32_t SSLGetSessionState(void *context, int32_t *state);

int32_t SSLGetSessionState(void *context, int32_t *state)
{
    (void)context;
    *state = 0;
    return 0;
}
