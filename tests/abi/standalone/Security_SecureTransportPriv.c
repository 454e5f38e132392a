/* SecureTransportPriv.h defines MAX_SESSION_ID_LENGTH (32), as Apple's does. */
#include <Security/SecureTransportPriv.h>

typedef char max_session_id_is_32[(MAX_SESSION_ID_LENGTH == 32) ? 1 : -1];

int main(void)
{
    unsigned char id[MAX_SESSION_ID_LENGTH];
    id[0] = 0;
    return id[0];
}
