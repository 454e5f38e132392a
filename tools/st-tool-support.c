/*
 * Helpers of st-client and st-server (see st-tool-support.h).
 */
#define _GNU_SOURCE /* program_invocation_short_name */
#include "st-tool-support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

OSStatus st_tool_socket_read(SSLConnectionRef connection, void *data, size_t *length)
{
    const struct st_tool_socket *sock = connection;
    size_t want = *length, got = 0;
    OSStatus status = noErr;
    while (got < want) {
        ssize_t n = recv(sock->fd, (char *)data + got, want - got, 0);
        if (n > 0) {
            got += (size_t)n;
            if (sock->datagram)
                break;
            continue;
        }
        if (n == 0)
            status = errSSLClosedGraceful;
        else if (errno == EINTR)
            continue;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            status = errSSLWouldBlock;
        else
            status = errSSLClosedAbort;
        break;
    }
    *length = got;
    return status;
}

OSStatus st_tool_socket_write(SSLConnectionRef connection, const void *data, size_t *length)
{
    const struct st_tool_socket *sock = connection;
    size_t want = *length, put = 0;
    OSStatus status = noErr;
    while (put < want) {
        ssize_t n = send(sock->fd, (const char *)data + put, want - put, MSG_NOSIGNAL);
        if (n >= 0) {
            put += (size_t)n;
            continue;
        }
        if (errno == EINTR)
            continue;
        status = errno == EAGAIN || errno == EWOULDBLOCK ? errSSLWouldBlock : errSSLClosedAbort;
        break;
    }
    *length = put;
    return status;
}

CFDataRef st_tool_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, path, strerror(errno));
        return NULL;
    }
    CFMutableDataRef data = CFDataCreateMutable(kCFAllocatorDefault, 0);
    UInt8 buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        CFDataAppendBytes(data, buf, (CFIndex)n);
    fclose(f);
    return data;
}

CFArrayRef st_tool_import_file(const char *path, SecExternalItemType type, SecKeychainRef keychain)
{
    CFDataRef data = st_tool_read_file(path);
    if (data == NULL)
        return NULL;
    SecExternalFormat format = kSecFormatUnknown;
    CFArrayRef items = NULL;
    OSStatus status = SecItemImport(data, NULL, &format, &type, 0, NULL, keychain, &items);
    CFRelease(data);
    if (status != errSecSuccess) {
        fprintf(stderr, "%s: %s: import failed (%d)\n", program_invocation_short_name, path,
                (int)status);
        return NULL;
    }
    return items;
}

CFArrayRef st_tool_pkcs12_identity(const char *path, const char *password)
{
    CFDataRef p12 = st_tool_read_file(path);
    if (p12 == NULL)
        return NULL;
    CFStringRef pass =
        CFStringCreateWithCString(NULL, password ? password : "", kCFStringEncodingUTF8);
    const void *keys[] = {kSecImportExportPassphrase};
    const void *values[] = {pass};
    CFDictionaryRef options = CFDictionaryCreate(
        NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFArrayRef items = NULL;
    OSStatus status = SecPKCS12Import(p12, options, &items);
    CFRelease(options);
    CFRelease(pass);
    CFRelease(p12);
    if (status != errSecSuccess || CFArrayGetCount(items) == 0) {
        fprintf(stderr, "%s: %s: PKCS#12 import failed (%d)\n", program_invocation_short_name, path,
                (int)status);
        if (items != NULL)
            CFRelease(items);
        return NULL;
    }
    CFDictionaryRef first = CFArrayGetValueAtIndex(items, 0);
    CFMutableArrayRef certs = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    CFArrayAppendValue(certs, CFDictionaryGetValue(first, kSecImportItemIdentity));
    CFArrayRef chain = CFDictionaryGetValue(first, kSecImportItemCertChain);
    for (CFIndex i = 1; chain != NULL && i < CFArrayGetCount(chain); i++)
        CFArrayAppendValue(certs, CFArrayGetValueAtIndex(chain, i));
    CFRelease(items);
    return certs;
}

CFArrayRef st_tool_alpn_array(const char *list)
{
    CFMutableArrayRef protocols = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    char *copy = strdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        CFStringRef s = CFStringCreateWithCString(NULL, tok, kCFStringEncodingASCII);
        CFArrayAppendValue(protocols, s);
        CFRelease(s);
    }
    free(copy);
    return protocols;
}

static const struct {
    const char *option, *name;
    SSLProtocol value;
} st_tool_versions[] = {
    {"tls1.0", "TLS 1.0", kTLSProtocol1},    {"tls1.1", "TLS 1.1", kTLSProtocol11},
    {"tls1.2", "TLS 1.2", kTLSProtocol12},   {"tls1.3", "TLS 1.3", kTLSProtocol13},
    {"dtls1.0", "DTLS 1.0", kDTLSProtocol1}, {"dtls1.2", "DTLS 1.2", kDTLSProtocol12},
};
static const size_t st_tool_version_count = sizeof(st_tool_versions) / sizeof(st_tool_versions[0]);

bool st_tool_parse_version(const char *text, SSLProtocol *out)
{
    for (size_t i = 0; i < st_tool_version_count; i++)
        if (strcmp(text, st_tool_versions[i].option) == 0) {
            *out = st_tool_versions[i].value;
            return true;
        }
    return false;
}

const char *st_tool_version_name(SSLProtocol p)
{
    for (size_t i = 0; i < st_tool_version_count; i++)
        if (st_tool_versions[i].value == p)
            return st_tool_versions[i].name;
    return "unknown";
}

void st_tool_cfstring_text(CFStringRef s, char *buf, size_t size)
{
    if (s == NULL || !CFStringGetCString(s, buf, (CFIndex)size, kCFStringEncodingUTF8))
        snprintf(buf, size, "?");
}
