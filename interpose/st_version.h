/*
 * Protocol versions: SSLProtocol values are not ordered by version
 * (kTLSProtocol13 = 10 but kDTLSProtocol1 = 9), so contexts keep ranks that
 * are, and one table maps ranks to SSLProtocol values and wire versions.
 */
#ifndef SECTRANS_ST_VERSION_H
#define SECTRANS_ST_VERSION_H

#include <Security/SecProtocolTypes.h>
#include <stdbool.h>

/* Ordered within each family (stream: SSL2..TLS13, datagram: DTLS10..DTLS12). */
enum st_version {
    ST_VERSION_NONE = 0, /* kSSLProtocolUnknown: disabled, or not negotiated yet */
    ST_VERSION_SSL2,
    ST_VERSION_SSL3,
    ST_VERSION_TLS10,
    ST_VERSION_TLS11,
    ST_VERSION_TLS12,
    ST_VERSION_TLS13,
    ST_VERSION_DTLS10,
    ST_VERSION_DTLS12,
};

/* The range SSLSetProtocolVersionMin/Max accept, and the defaults (docs/design.md). */
#define ST_STREAM_LOWEST        ST_VERSION_SSL3
#define ST_STREAM_HIGHEST       ST_VERSION_TLS13
#define ST_STREAM_DEFAULT_MIN   ST_VERSION_TLS12
#define ST_STREAM_DEFAULT_MAX   ST_VERSION_TLS13
#define ST_DATAGRAM_LOWEST      ST_VERSION_DTLS10
#define ST_DATAGRAM_HIGHEST     ST_VERSION_DTLS12
#define ST_DATAGRAM_DEFAULT_MIN ST_VERSION_DTLS12
#define ST_DATAGRAM_DEFAULT_MAX ST_VERSION_DTLS12

struct st_version_info {
    enum st_version version;
    SSLProtocol protocol;
    int wire; /* the record-layer version, as OpenSSL numbers it */
    const char *name;
};

/* Every rank but NONE, in rank order. */
extern const struct st_version_info st_versions[];
extern const unsigned st_version_count;

/* The rank of an SSLProtocol value, or ST_VERSION_NONE for any other value. */
enum st_version st_version_from_protocol(SSLProtocol p);

/* The SSLProtocol of a rank (kSSLProtocolUnknown for NONE). */
SSLProtocol st_version_to_protocol(enum st_version v);

/* The rank of a wire version, or ST_VERSION_NONE. */
enum st_version st_version_from_wire(int wire);

#endif
