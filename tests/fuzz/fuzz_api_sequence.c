/*
 * libFuzzer target: sequences of Secure Transport calls on live, released,
 * forged and wrong-type context pointers. The handle table must refuse
 * every pointer that is not a live context with errSecParam, without
 * touching it (behaviour.md §2); live contexts go through whatever state
 * the sequence drives them to. No threads: sequences only.
 *
 * Input: a list of operations, each an opcode byte and its argument bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"

#define SLOTS 8

static const void *slots[SLOTS];
static bool live[SLOTS];
static CFTypeRef wrong_types[4]; /* CFString, CFData, SecCertificate, CFArray */
static uint8_t forged_target[64];

/* Whether `ref` is a context the sequence still owns. */
static bool is_live(const void *ref)
{
    for (int i = 0; i < SLOTS; i++)
        if (live[i] && slots[i] == ref)
            return true;
    return false;
}

/* A handle to call with: a slot (live or released), a wrong type, NULL or a forged value. */
static SSLContextRef pick_handle(struct fuzz_input *in)
{
    uint8_t b = fuzz_take_u8(in);
    switch (b >> 5) {
    case 0:
    case 1:
    case 2:
    case 3: return (SSLContextRef)slots[b % SLOTS];
    case 4: return (SSLContextRef)wrong_types[b % 4];
    case 5: return NULL;
    case 6: return (SSLContextRef)(forged_target + (b & 31));
    default: {
        uintptr_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | fuzz_take_u8(in);
        return (SSLContextRef)v;
    }
    }
}

static OSStatus io_would_block(SSLConnectionRef connection, void *data, size_t *length)
{
    (void)connection, (void)data;
    *length = 0;
    return errSSLWouldBlock;
}

static OSStatus io_sink(SSLConnectionRef connection, const void *data, size_t *length)
{
    (void)connection, (void)data, (void)length;
    return errSecSuccess;
}

static void create(struct fuzz_input *in)
{
    uint8_t b = fuzz_take_u8(in);
    int slot = b % SLOTS;
    if (live[slot])
        return;
    SSLContextRef ctx = SSLCreateContext(NULL, (b & 8) ? kSSLServerSide : kSSLClientSide,
                                         (b & 16) ? kSSLDatagramType : kSSLStreamType);
    if (ctx == NULL)
        abort();
    slots[slot] = ctx;
    live[slot] = true;
    if (b & 32) {
        SSLSetIOFuncs(ctx, io_would_block, io_sink);
        SSLSetConnection(ctx, NULL);
    }
}

static void release(struct fuzz_input *in, bool dispose)
{
    int slot = fuzz_take_u8(in) % SLOTS;
    if (!live[slot])
        return;
    if (dispose) {
        if (SSLDisposeContext((SSLContextRef)slots[slot]) != errSecSuccess)
            abort();
    } else {
        CFRelease(slots[slot]);
    }
    live[slot] = false; /* the pointer stays in the slot: now a released one */
}

/* Calls one context function; a handle that is not live must get errSecParam. */
static void call(struct fuzz_input *in)
{
    uint8_t op = fuzz_take_u8(in);
    SSLContextRef ctx = pick_handle(in);
    uint8_t arg = fuzz_take_u8(in);
    bool null_out = arg & 0x80;
    size_t len = 0, n = 0;
    Boolean flag = 0;
    SSLProtocol protocol = 0;
    SSLCipherSuite suites[64];
    char name[64];
    CFArrayRef array = NULL;
    SecTrustRef trust = NULL;
    const void *ptr = NULL;
    OSStatus status;
    switch (op % 32) {
    case 0: status = SSLSetSessionOption(ctx, arg % 12, arg & 16); break;
    case 1: status = SSLGetSessionOption(ctx, arg % 12, null_out ? NULL : &flag); break;
    case 2: status = SSLSetProtocolVersionMin(ctx, arg % 12); break;
    case 3: status = SSLSetProtocolVersionMax(ctx, arg % 12); break;
    case 4: status = SSLGetProtocolVersionMax(ctx, null_out ? NULL : &protocol); break;
    case 5: status = SSLSetPeerDomainName(ctx, "localhost", arg % 10); break;
    case 6:
        n = sizeof(name);
        status = SSLGetPeerDomainName(ctx, null_out ? NULL : name, &n);
        break;
    case 7: status = SSLGetNumberEnabledCiphers(ctx, null_out ? NULL : &n); break;
    case 8:
        n = arg % 65;
        status = SSLGetEnabledCiphers(ctx, null_out ? NULL : suites, &n);
        break;
    case 9:
        suites[0] = 0xc02f, suites[1] = 0x1301, suites[2] = (SSLCipherSuite)(arg << 8 | op);
        status = SSLSetEnabledCiphers(ctx, null_out ? NULL : suites, arg % 4);
        break;
    case 10: status = SSLHandshake(ctx); break;
    case 11: status = SSLRead(ctx, name, arg % sizeof(name), null_out ? NULL : &n); break;
    case 12: status = SSLWrite(ctx, "data", arg % 5, null_out ? NULL : &n); break;
    case 13: status = SSLClose(ctx); break;
    case 14: status = SSLGetBufferedReadSize(ctx, null_out ? NULL : &n); break;
    case 15: status = SSLCopyPeerTrust(ctx, null_out ? NULL : &trust); break;
    case 16: status = SSLCopyPeerCertificates(ctx, null_out ? NULL : &array); break;
    case 17: status = SSLSetPeerID(ctx, null_out ? NULL : "peer", arg % 5); break;
    case 18: status = SSLGetPeerID(ctx, &ptr, null_out ? NULL : &len); break;
    case 19: status = SSLSetCertificate(ctx, (CFArrayRef)wrong_types[arg % 4]); break;
    case 20: status = SSLSetTrustedRoots(ctx, (CFArrayRef)wrong_types[arg % 4], arg & 4); break;
    case 21: status = SSLCopyTrustedRoots(ctx, null_out ? NULL : &array); break;
    case 22: status = SSLSetALPNProtocols(ctx, (CFArrayRef)wrong_types[arg % 4]); break;
    case 23: status = SSLCopyALPNProtocols(ctx, null_out ? NULL : &array); break;
    case 24: status = SSLSetClientSideAuthenticate(ctx, arg % 4); break;
    case 25: status = SSLSetDatagramHelloCookie(ctx, forged_target, arg % 40); break;
    case 26: status = SSLSetMaxDatagramRecordSize(ctx, (size_t)arg * 16); break;
    case 27: status = SSLGetDatagramWriteSize(ctx, null_out ? NULL : &n); break;
    case 28: status = SSLReHandshake(ctx); break;
    case 29: status = SSLSetError(ctx, -(OSStatus)arg); break;
    case 30: status = SSLGetNegotiatedProtocolVersion(ctx, null_out ? NULL : &protocol); break;
    default: status = SSLGetSessionState(ctx, null_out ? NULL : (SSLSessionState *)&protocol);
    }
    if (trust != NULL)
        CFRelease(trust);
    if (array != NULL)
        CFRelease(array);
    if (!is_live(ctx) && status != errSecParam)
        abort(); /* the handle table let a dead, forged or foreign pointer through */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size};
    memset(slots, 0, sizeof(slots));
    for (int steps = 0; in.size > 0 && steps < 256; steps++) {
        uint8_t op = fuzz_take_u8(&in);
        switch (op % 8) {
        case 0: create(&in); break;
        case 1: release(&in, false); break;
        case 2: release(&in, true); break;
        default: call(&in); break;
        }
    }
    for (int i = 0; i < SLOTS; i++)
        if (live[i])
            CFRelease(slots[i]);
    memset(live, 0, sizeof(live));
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    wrong_types[0] = CFSTR("not a context");
    wrong_types[1] = CFDataCreate(NULL, (const UInt8 *)"data", 4);
    wrong_types[2] = fuzz_identity_certificate();
    wrong_types[3] = CFArrayCreate(NULL, &wrong_types[0], 1, &kCFTypeArrayCallBacks);
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        /* create, configure, handshake, read, write, close, release; then use the dead one */
        static const uint8_t lifecycle[] = {0,  32, 3,  5, 0, 9,  3,  10, 0, 0,  3, 11, 0,
                                            20, 3,  12, 0, 4, 3,  13, 0,  0, 1,  0, 3,  10,
                                            0,  0,  3,  0, 0, 17, 2,  0,  3, 15, 0, 0};
        static const uint8_t wrong[] = {0, 8, 3,  10,   0x80, 0, 3, 5, 0xa0, 9, 3, 13, 0xc5,
                                        0, 3, 14, 0xe0, 1,    2, 3, 4, 5,    6, 7, 8,  0};
        static const uint8_t datagram[] = {0, 48, 3, 25, 0, 12, 3, 26, 0, 90, 3, 27,
                                           0, 0,  3, 10, 0, 0,  2, 0,  3, 26, 0, 90};
        fuzz_record_write(dir, "lifecycle", lifecycle, sizeof(lifecycle));
        fuzz_record_write(dir, "wrong-handles", wrong, sizeof(wrong));
        fuzz_record_write(dir, "datagram", datagram, sizeof(datagram));
        exit(0);
    }
    return 0;
}
