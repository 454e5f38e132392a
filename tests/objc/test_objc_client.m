/*
 * A TLS client written as a macOS Objective-C program writes it, built with
 * gobjc against gnustep-base: the client identity from a PKCS#12 read into
 * NSData and imported with an NSDictionary of options, SSLSetCertificate and
 * SSLSetTrustedRoots given NSArrays, the peer's trust read back through
 * NSArray and NSDictionary, against `openssl s_server` on 127.0.0.1 that
 * requires a client certificate.
 */
#import <Foundation/Foundation.h>
#include <Security/SecureTransport.h>
#include <Security/Security.h>
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "tls_peer.h"

static struct tls_pki pki;
static NSAutoreleasePool *pool;

static void setup(void)
{
    pool = [NSAutoreleasePool new];
    tls_pki_create(&pki);
}

static void teardown(void)
{
    tls_pki_destroy(&pki);
    [pool release];
}

/* The root as a port builds it: DER in NSData, bridged to CFDataRef. */
static SecCertificateRef root_certificate(void)
{
    unsigned char *der = NULL;
    int len = i2d_X509(pki.root, &der);
    ck_assert_int_gt(len, 0);
    NSData *data = [NSData dataWithBytes:der length:(NSUInteger)len];
    OPENSSL_free(der);
    SecCertificateRef cert = SecCertificateCreateWithData(NULL, (CFDataRef)data);
    ck_assert_ptr_nonnull(cert);
    return cert;
}

/* The identity of the PKCS#12 file, +0 (held by the autoreleased items). */
static id import_identity(NSString *password, OSStatus expected)
{
    NSData *p12 = [NSData dataWithContentsOfFile:[NSString stringWithUTF8String:pki.client_p12]];
    ck_assert_ptr_nonnull(p12);
    NSDictionary *options = [NSDictionary dictionaryWithObject:password
                                                        forKey:(id)kSecImportExportPassphrase];
    CFArrayRef items = NULL;
    ck_assert_int_eq(SecPKCS12Import((CFDataRef)p12, (CFDictionaryRef)options, &items), expected);
    if (expected != errSecSuccess) {
        ck_assert_ptr_null(items);
        return nil;
    }
    NSArray *list = [(NSArray *)items autorelease]; /* __bridge_transfer */
    ck_assert_uint_eq([list count], 1);
    NSDictionary *item = [list objectAtIndex:0];
    id identity = [item objectForKey:(id)kSecImportItemIdentity];
    ck_assert_ptr_nonnull(identity);
    ck_assert_uint_eq(CFGetTypeID((CFTypeRef)identity), SecIdentityGetTypeID());
    NSArray *chain = [item objectForKey:(id)kSecImportItemCertChain];
    ck_assert_uint_ge([chain count], 1);
    return identity;
}

static NSString *page_from(SSLContextRef ctx)
{
    const char request[] = "GET / HTTP/1.0\r\n\r\n";
    size_t processed = 0;
    ck_assert_int_eq(SSLWrite(ctx, request, sizeof(request) - 1, &processed), errSecSuccess);
    ck_assert_uint_eq(processed, sizeof(request) - 1);
    NSMutableData *page = [NSMutableData data];
    char buffer[4096];
    for (;;) {
        size_t got = 0;
        OSStatus status = SSLRead(ctx, buffer, sizeof(buffer), &got);
        [page appendBytes:buffer length:got];
        if (status != errSecSuccess)
            break;
    }
    return [[[NSString alloc] initWithData:page encoding:NSUTF8StringEncoding] autorelease];
}

START_TEST(client_identity_and_trust_through_foundation)
{
    const char *args[] = {
        "-tls1_2",     "-cert",       pki.server_pem, "-key", pki.server_key_pem,
        "-cert_chain", pki.chain_pem, "-Verify",      "2",    "-verify_return_error",
        "-CAfile",     pki.root_pem,  "-www",         NULL};
    struct s_server server;
    s_server_start(&server, args);

    /* A wrong passphrase first: the exact status, nothing returned. */
    import_identity(@"wrong", errSecAuthFailed);
    id identity = import_identity(@"secret", errSecSuccess);

    struct socket_conn conn = {.fd = tls_connect_loopback(server.port, false)};
    SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, socket_read_cb, socket_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, &conn), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(ctx, "localhost", strlen("localhost")), errSecSuccess);
    SecCertificateRef root = root_certificate();
    ck_assert_int_eq(SSLSetTrustedRoots(ctx, (CFArrayRef)[NSArray arrayWithObject:(id)root], false),
                     errSecSuccess);
    /* The context keeps the NSArray itself (retained) and reads it at the handshake. */
    NSArray *certificates = [[NSArray alloc] initWithObjects:identity, nil];
    ck_assert_int_eq(SSLSetCertificate(ctx, (CFArrayRef)certificates), errSecSuccess);
    ck_assert_uint_eq([certificates retainCount], 2);
    [certificates release];

    ck_assert_int_eq(handshake_until_done(ctx, conn.fd), errSecSuccess);
    SSLClientCertificateState state;
    ck_assert_int_eq(SSLGetClientCertificateState(ctx, &state), errSecSuccess);
    ck_assert_int_eq(state, kSSLClientCertSent);

    /* The peer's trust, read as Foundation collections. */
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    NSArray *properties = [(NSArray *)SecTrustCopyProperties(trust) autorelease];
    ck_assert_uint_eq([properties count], 3);
    NSMutableArray *titles = [NSMutableArray array];
    for (NSDictionary *certificate in properties)
        [titles addObject:[certificate objectForKey:(id)kSecPropertyTypeTitle]];
    ck_assert_str_eq([[titles componentsJoinedByString:@"|"] UTF8String],
                     "localhost|sectrans test intermediate|sectrans test root");
    ck_assert_ptr_null([[properties objectAtIndex:0] objectForKey:(id)kSecPropertyTypeError]);
    NSDictionary *result = [(NSDictionary *)SecTrustCopyResult(trust) autorelease];
    ck_assert_int_eq([[result objectForKey:(id)kSecTrustResultValue] intValue],
                     kSecTrustResultUnspecified);
    CFRelease(trust);

    NSString *page = page_from(ctx);
    ck_assert([page rangeOfString:@"200 ok"].location != NSNotFound);

    SSLClose(ctx);
    CFRelease(ctx);
    close(conn.fd);
    CFRelease(root);
    s_server_stop(&server);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("objc_client");
    TCase *tc = tcase_create("gnustep_port");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, client_identity_and_trust_through_foundation);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
