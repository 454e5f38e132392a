/*
 * st-contexts: a small Secure Transport program, written only against
 * Apple's API, that shows the context handle table at work: it creates
 * client, server and DTLS contexts, configures them, reads the settings back,
 * and shows what happens to calls on a context after it is released.
 *
 * It includes nothing of sectrans: on a Mac it would build and run against
 * Security.framework unchanged.
 */
#include <CoreFoundation/CoreFoundation.h>
#include <Security/SecureTransport.h>
#include <stdint.h>
#include <stdio.h>

static const char *state_name(SSLSessionState s)
{
    static const char *const names[] = {"kSSLIdle", "kSSLHandshake", "kSSLConnected", "kSSLClosed",
                                        "kSSLAborted"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *protocol_name(SSLProtocol p)
{
    switch (p) {
    case kSSLProtocol3: return "SSL 3.0";
    case kTLSProtocol1: return "TLS 1.0";
    case kTLSProtocol11: return "TLS 1.1";
    case kTLSProtocol12: return "TLS 1.2";
    case kTLSProtocol13: return "TLS 1.3";
    case kDTLSProtocol1: return "DTLS 1.0";
    case kDTLSProtocol12: return "DTLS 1.2";
    default: return "unknown";
    }
}

static void describe(const char *label, CFTypeRef obj)
{
    char buf[256] = "(no description)";
    CFStringRef d = CFCopyDescription(obj);
    if (d != NULL) {
        CFStringGetCString(d, buf, sizeof(buf), kCFStringEncodingUTF8);
        CFRelease(d);
    }
    printf("%-8s %s\n", label, buf);
}

static OSStatus no_read(SSLConnectionRef c, void *data, size_t *len)
{
    (void)c, (void)data;
    *len = 0;
    return errSSLWouldBlock;
}

static OSStatus no_write(SSLConnectionRef c, const void *data, size_t *len)
{
    (void)c, (void)data;
    *len = 0;
    return errSSLWouldBlock;
}

int main(void)
{
    SSLContextRef client = SSLCreateContext(kCFAllocatorDefault, kSSLClientSide, kSSLStreamType);
    SSLContextRef server = SSLCreateContext(kCFAllocatorDefault, kSSLServerSide, kSSLStreamType);
    SSLContextRef dtls = NULL;
    OSStatus st = SSLNewContext(false, &dtls); /* the pre-10.8 way */
    if (client == NULL || server == NULL || st != errSecSuccess) {
        fprintf(stderr, "context creation failed (%d)\n", (int)st);
        return 1;
    }
    CFRelease(dtls);
    dtls = SSLCreateContext(NULL, kSSLClientSide, kSSLDatagramType);

    printf("SSLContextGetTypeID() = %lu; CFGetTypeID(client) = %lu\n",
           (unsigned long)SSLContextGetTypeID(), (unsigned long)CFGetTypeID(client));
    describe("client", client);
    describe("server", server);
    describe("dtls", dtls);

    /* The connection ref is the app's own cookie: any value comes back bit for bit. */
    SSLConnectionRef conn = (SSLConnectionRef)(intptr_t)42, back = NULL;
    SSLSetConnection(client, conn);
    SSLGetConnection(client, &back);
    printf("\nconnection ref set to %p, read back %p\n", (void *)conn, (void *)back);

    SSLSetIOFuncs(client, no_read, no_write);
    SSLSetPeerDomainName(client, "www.example.test", 16);
    char name[64];
    size_t name_len = sizeof(name);
    SSLGetPeerDomainName(client, name, &name_len);
    printf("peer domain name: %.*s (%zu bytes)\n", (int)name_len, name, name_len);

    SSLProtocol lo, hi;
    SSLGetProtocolVersionMin(client, &lo);
    SSLGetProtocolVersionMax(client, &hi);
    printf("default protocol range: %s - %s\n", protocol_name(lo), protocol_name(hi));
    st = SSLSetProtocolVersionMax(client, (SSLProtocol)77);
    printf("SSLSetProtocolVersionMax(client, 77) = %d (errSSLIllegalParam)\n", (int)st);
    SSLSetProtocolVersionMin(client, kTLSProtocol1);
    SSLGetProtocolVersionMin(client, &lo);
    printf("after SSLSetProtocolVersionMin(kTLSProtocol1): min %s\n", protocol_name(lo));

    SSLSetSessionOption(client, kSSLSessionOptionBreakOnServerAuth, true);
    Boolean verify = true;
    SSLGetEnableCertVerify(client, &verify);
    printf("BreakOnServerAuth on -> built-in verification %s\n", verify ? "on" : "off");

    size_t mtu = 0, write_size = 0;
    SSLGetMaxDatagramRecordSize(dtls, &mtu);
    SSLGetDatagramWriteSize(dtls, &write_size);
    printf("DTLS record size %zu, largest write %zu\n", mtu, write_size);
    st = SSLGetMaxDatagramRecordSize(client, &mtu);
    printf("the same on a stream context: %d (errSecParam)\n", (int)st);

    SSLSessionState state;
    SSLGetSessionState(client, &state);
    printf("\nclient state: %s\n", state_name(state));
    SSLClose(client);
    SSLGetSessionState(client, &state);
    printf("after SSLClose: %s; SSLRead now answers ", state_name(state));
    char buf[16];
    size_t got = 0;
    printf("%d (errSSLClosedGraceful)\n", (int)SSLRead(client, buf, sizeof(buf), &got));

    /* A released context is gone from the table: calls are refused, not crashes. */
    SSLContextRef stale = server;
    CFRelease(server);
    printf("\nserver released; SSLGetSessionState(stale pointer) = %d (errSecParam)\n",
           (int)SSLGetSessionState(stale, &state));
    int on_stack = 0;
    printf("SSLSetConnection(forged pointer) = %d (errSecParam)\n",
           (int)SSLSetConnection((SSLContextRef)&on_stack, NULL));
    printf("SSLHandshake(NULL) = %d (errSecParam)\n", (int)SSLHandshake(NULL));

    CFRelease(client);
    CFRelease(dtls);
    return 0;
}
