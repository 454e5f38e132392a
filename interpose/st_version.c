/*
 * The protocol version table (see st_version.h).
 */
#include "st_version.h"

#include <stddef.h>

const struct st_version_info st_versions[] = {
    {ST_VERSION_SSL2, kSSLProtocol2, 0x0002, "SSLv2"},
    {ST_VERSION_SSL3, kSSLProtocol3, 0x0300, "SSLv3"},
    {ST_VERSION_TLS10, kTLSProtocol1, 0x0301, "TLSv1"},
    {ST_VERSION_TLS11, kTLSProtocol11, 0x0302, "TLSv1.1"},
    {ST_VERSION_TLS12, kTLSProtocol12, 0x0303, "TLSv1.2"},
    {ST_VERSION_TLS13, kTLSProtocol13, 0x0304, "TLSv1.3"},
    {ST_VERSION_DTLS10, kDTLSProtocol1, 0xFEFF, "DTLSv1"},
    {ST_VERSION_DTLS12, kDTLSProtocol12, 0xFEFD, "DTLSv1.2"},
};
const unsigned st_version_count = sizeof(st_versions) / sizeof(st_versions[0]);

enum st_version st_version_from_protocol(SSLProtocol p)
{
    for (unsigned i = 0; i < st_version_count; i++)
        if (st_versions[i].protocol == p)
            return st_versions[i].version;
    return ST_VERSION_NONE;
}

SSLProtocol st_version_to_protocol(enum st_version v)
{
    for (unsigned i = 0; i < st_version_count; i++)
        if (st_versions[i].version == v)
            return st_versions[i].protocol;
    return kSSLProtocolUnknown;
}

enum st_version st_version_from_wire(int wire)
{
    for (unsigned i = 0; i < st_version_count; i++)
        if (st_versions[i].wire == wire)
            return st_versions[i].version;
    return ST_VERSION_NONE;
}
