/*
 * What st-client and st-server share, written like them only against
 * Apple's API: loading certificates and identities from files, ALPN lists
 * from the command line, protocol version names.
 */
#ifndef ST_TOOL_SUPPORT_H
#define ST_TOOL_SUPPORT_H

#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecureTransport.h>
#include <Security/Security.h>
#include <stdbool.h>
#include <stddef.h>

/* The connection ref of the socket callbacks. */
struct st_tool_socket {
    int fd;
    bool datagram; /* one datagram per read */
};

/*
 * SSLReadFunc/SSLWriteFunc over a socket, blocking or not: errSSLWouldBlock
 * with the partial count when it would block, errSSLClosedGraceful at EOF,
 * errSSLClosedAbort on errors.
 */
OSStatus st_tool_socket_read(SSLConnectionRef connection, void *data, size_t *length);
OSStatus st_tool_socket_write(SSLConnectionRef connection, const void *data, size_t *length);

/* A whole file as CFData; NULL (after a message) if it cannot be read. */
CFDataRef st_tool_read_file(const char *path);

/* The items of a PEM or DER file, imported into `keychain` too when one is given. */
CFArrayRef st_tool_import_file(const char *path, SecExternalItemType type, SecKeychainRef keychain);

/* [identity, chain...] from a PKCS#12 file, as SSLSetCertificate takes it. */
CFArrayRef st_tool_pkcs12_identity(const char *path, const char *password);

/* "h2,http/1.1" as a CFArray of CFStrings. */
CFArrayRef st_tool_alpn_array(const char *list);

/* tls1.0 ... tls1.3, dtls1.0, dtls1.2 to SSLProtocol; false for anything else. */
bool st_tool_parse_version(const char *text, SSLProtocol *out);

/* "TLS 1.3" and the like, for reports. */
const char *st_tool_version_name(SSLProtocol p);

/* `s` as UTF-8 in `buf`, or "?" when it does not fit or is NULL. */
void st_tool_cfstring_text(CFStringRef s, char *buf, size_t size);

#endif
