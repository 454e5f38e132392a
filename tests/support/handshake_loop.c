/* Both sides' handshakes stepped in turn; see handshake_loop.h. */
#include "handshake_loop.h"

#include <stdbool.h>

void run_both_handshakes(SSLContextRef client, SSLContextRef server, OSStatus *client_status,
                         OSStatus *server_status, int max_steps, int idle_turns)
{
    *client_status = *server_status = errSSLWouldBlock;
    bool client_running = true, server_running = true;
    for (int i = 0, idle = 0; i < max_steps && idle < idle_turns; i++) {
        if (client_running) {
            *client_status = SSLHandshake(client);
            client_running = *client_status == errSSLWouldBlock;
        }
        if (server_running) {
            *server_status = SSLHandshake(server);
            server_running = *server_status == errSSLWouldBlock;
        }
        if (!client_running && !server_running)
            return;
        if (!client_running || !server_running)
            idle++;
    }
}
