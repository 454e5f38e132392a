/*
 * Both handshakes of a client and a server in one process, stepped in
 * turn as two event loops would step them. No allocation and no Check
 * assertion, so the fault-injection harness can use it too.
 */
#ifndef SECTRANS_HANDSHAKE_LOOP_H
#define SECTRANS_HANDSHAKE_LOOP_H

#include <Security/SecureTransport.h>

/*
 * Calls SSLHandshake on each side until neither would block, or after
 * max_steps turns. A side that stops on anything else waits while the
 * other gets idle_turns more turns: it may be waiting to read why.
 */
void run_both_handshakes(SSLContextRef client, SSLContextRef server, OSStatus *client_status,
                         OSStatus *server_status, int max_steps, int idle_turns);

#endif
