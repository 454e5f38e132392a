/*
 * The handful of 10.15 values the checks themselves use (the signature table
 * carries the types; these are the constants of SecureTransport.h, SecBase.h
 * and CFString.h the checks pass or expect).
 */
#ifndef SECTRANS_ABI_FACTS_H
#define SECTRANS_ABI_FACTS_H

enum {
    ABI_SERVER_SIDE = 0,   /* kSSLServerSide */
    ABI_CLIENT_SIDE = 1,   /* kSSLClientSide */
    ABI_STREAM_TYPE = 0,   /* kSSLStreamType */
    ABI_DATAGRAM_TYPE = 1, /* kSSLDatagramType */

    ABI_OPTION_BREAK_ON_SERVER_AUTH = 0, /* kSSLSessionOptionBreakOnServerAuth */
    ABI_TLS_PROTOCOL_12 = 8,             /* kTLSProtocol12 */
    ABI_TLS_PROTOCOL_13 = 10,            /* kTLSProtocol13 */

    ABI_ERR_PARAM = -50,                 /* errSecParam */
    ABI_ERR_WOULD_BLOCK = -9803,         /* errSSLWouldBlock */
    ABI_ERR_CLOSED_GRACEFUL = -9805,     /* errSSLClosedGraceful */
    ABI_ERR_PEER_AUTH_COMPLETED = -9841, /* errSSLPeerAuthCompleted */

    ABI_SESSION_CONNECTED = 2, /* kSSLConnected */
    ABI_SESSION_CLOSED = 3,    /* kSSLClosed */
};

#define ABI_UTF8_ENCODING 0x08000100u /* kCFStringEncodingUTF8 */

#endif
