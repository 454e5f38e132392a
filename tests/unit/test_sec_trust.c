/*
 * Trust evaluation with certificates the test makes: chains with an
 * intermediate, expired and not-yet-valid leaves, host names (wildcards, IP
 * addresses), unknown roots, anchors-only versus appended to the system
 * anchors, extended key usage, weak keys and digests, and the result codes
 * and CFErrors Apple reports for each.
 */
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "sec_errors.h"
#include "trust/sec_trust_errors.h"
#include "st_test.h"

static struct factory_chain pki;

static const struct cert_spec leaf_spec = {
    "host.test", "DNS:host.test,DNS:*.wild.test,IP:127.0.0.1", false, -1, 365, EKU_SERVER, NULL};

static void setup(void)
{
    factory_chain_create(&pki, KEY_RSA2048, &leaf_spec);
}

static void teardown(void)
{
    factory_chain_free(&pki);
}

/* A trust for [leaf, intermediates...] under an SSL server policy for `host`. */
static SecTrustRef trust_for(SecCertificateRef first, SecCertificateRef second, const char *host)
{
    const void *certs[2] = {first, second};
    CFArrayRef chain = CFArrayCreate(NULL, certs, second != NULL ? 2 : 1, &kCFTypeArrayCallBacks);
    CFStringRef name =
        host != NULL ? CFStringCreateWithCString(NULL, host, kCFStringEncodingUTF8) : NULL;
    SecPolicyRef policy = SecPolicyCreateSSL(true, name);
    ck_assert_ptr_nonnull(policy);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SecTrustCreateWithCertificates(chain, policy, &trust), errSecSuccess);
    CFRelease(policy);
    if (name != NULL)
        CFRelease(name);
    CFRelease(chain);
    return trust;
}

static void set_anchors(SecTrustRef trust, SecCertificateRef anchor)
{
    CFArrayRef anchors = CFArrayCreate(NULL, (const void **)&anchor, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
    CFRelease(anchors);
}

/* Evaluates and checks the verdict, the result type and the CFError code. */
static void expect(SecTrustRef trust, OSStatus status)
{
    SecTrustResultType result = 99;
    ck_assert_int_eq(SecTrustEvaluate(trust, &result), errSecSuccess);
    ck_assert_int_eq(result, status == errSecSuccess ? kSecTrustResultUnspecified
                                                     : kSecTrustResultRecoverableTrustFailure);
    SecTrustResultType again = 99;
    ck_assert_int_eq(SecTrustGetTrustResult(trust, &again), errSecSuccess);
    ck_assert_int_eq(again, result);
    CFErrorRef error = (CFErrorRef)1;
    bool ok = SecTrustEvaluateWithError(trust, &error);
    ck_assert_int_eq(ok, status == errSecSuccess);
    if (ok) {
        ck_assert_ptr_null(error);
        return;
    }
    ck_assert_ptr_nonnull(error);
    ck_assert(CFEqual(CFErrorGetDomain(error), kCFErrorDomainOSStatus));
    ck_assert_int_eq(CFErrorGetCode(error), status);
    CFRelease(error);
}

START_TEST(chain_with_intermediate_to_custom_anchor)
{
    SecTrustRef trust = trust_for(pki.s_leaf, pki.s_inter, "host.test");
    set_anchors(trust, pki.s_root);
    expect(trust, errSecSuccess);
    /* The built chain runs leaf to anchor. */
    ck_assert_int_eq(SecTrustGetCertificateCount(trust), 3);
    ck_assert(CFEqual(SecTrustGetCertificateAtIndex(trust, 0), pki.s_leaf));
    ck_assert(CFEqual(SecTrustGetCertificateAtIndex(trust, 1), pki.s_inter));
    ck_assert(CFEqual(SecTrustGetCertificateAtIndex(trust, 2), pki.s_root));
    ck_assert_ptr_null(SecTrustGetCertificateAtIndex(trust, 3));
    ck_assert_ptr_null(SecTrustGetCertificateAtIndex(trust, -1));
    SecKeyRef key = SecTrustCopyPublicKey(trust);
    SecKeyRef leaf_pub = SecCertificateCopyKey(pki.s_leaf);
    ck_assert(CFEqual(key, leaf_pub));
    CFRelease(key);
    CFRelease(leaf_pub);
    CFRelease(trust);
}
END_TEST

/* A chain that stops at a certificate not self-signed misses an intermediate (10.15's check). */
START_TEST(missing_intermediate_or_unknown_root_is_not_trusted)
{
    SecTrustRef trust = trust_for(pki.s_leaf, NULL, "host.test");
    set_anchors(trust, pki.s_root);
    expect(trust, errSecCreateChainFailed);
    /* Before evaluation, index 0 is the leaf; the count falls back to what was given. */
    ck_assert_int_eq(SecTrustGetCertificateCount(trust), 1);
    CFRelease(trust);

    trust = trust_for(pki.s_leaf, pki.s_inter, "host.test");
    set_anchors(trust, pki.s_other_root);
    expect(trust, errSecCreateChainFailed);
    CFRelease(trust);

    /* A self-signed root no anchor vouches for is "not trusted". */
    const void *certs[3] = {pki.s_leaf, pki.s_inter, pki.s_root};
    CFArrayRef chain = CFArrayCreate(NULL, certs, 3, &kCFTypeArrayCallBacks);
    SecPolicyRef policy = SecPolicyCreateSSL(true, CFSTR("host.test"));
    ck_assert_int_eq(SecTrustCreateWithCertificates(chain, policy, &trust), errSecSuccess);
    set_anchors(trust, pki.s_other_root);
    expect(trust, errSecNotTrusted);
    CFRelease(trust);
    CFRelease(policy);
    CFRelease(chain);
}
END_TEST

/* An anchor ends the chain even if it is not self-signed (Apple's rule). */
START_TEST(intermediate_as_anchor)
{
    SecTrustRef trust = trust_for(pki.s_leaf, NULL, "host.test");
    set_anchors(trust, pki.s_inter);
    expect(trust, errSecSuccess);
    ck_assert_int_eq(SecTrustGetCertificateCount(trust), 2);
    CFRelease(trust);
}
END_TEST

static void check_leaf(const struct cert_spec *spec, enum cert_key_kind kind, const char *host,
                       OSStatus status)
{
    EVP_PKEY *key = factory_key(kind);
    X509 *x = factory_cert(spec, key, pki.inter, pki.inter_key);
    SecCertificateRef cert = factory_sec_cert(x);
    SecTrustRef trust = trust_for(cert, pki.s_inter, host);
    set_anchors(trust, pki.s_root);
    expect(trust, status);
    CFRelease(trust);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}

START_TEST(validity_period)
{
    struct cert_spec expired = leaf_spec, future = leaf_spec;
    expired.not_before_days = -30;
    expired.not_after_days = -1;
    future.not_before_days = 2;
    future.not_after_days = 30;
    check_leaf(&expired, KEY_EC256, "host.test", errSecCertificateExpired);
    /* 10.15 has one temporal-validity check: not yet valid reads as expired too. */
    check_leaf(&future, KEY_EC256, "host.test", errSecCertificateExpired);

    /* A verify date inside the period makes the expired one good again. */
    EVP_PKEY *key = factory_key(KEY_EC256);
    X509 *x = factory_cert(&expired, key, pki.inter, pki.inter_key);
    SecCertificateRef cert = factory_sec_cert(x);
    SecTrustRef trust = trust_for(cert, pki.s_inter, "host.test");
    set_anchors(trust, pki.s_root);
    expect(trust, errSecCertificateExpired);
    CFDateRef then = CFDateCreate(NULL, CFAbsoluteTimeGetCurrent() - 10 * 86400.0);
    ck_assert_int_eq(SecTrustSetVerifyDate(trust, then), errSecSuccess);
    expect(trust, errSecSuccess);
    ck_assert_int_eq(SecTrustSetVerifyDate(trust, NULL), errSecParam);
    CFRelease(then);
    CFRelease(trust);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

/* Host names: exact, RFC 6125 wildcards (one label, leftmost only), IP literals. */
static const struct {
    const char *host;
    OSStatus status;
} hosts[] = {
    {"host.test", errSecSuccess},
    {"HOST.test", errSecSuccess},
    {"a.wild.test", errSecSuccess},
    {"b.a.wild.test", errSecHostNameMismatch},
    {"wild.test", errSecHostNameMismatch},
    {"other.test", errSecHostNameMismatch},
    {"127.0.0.1", errSecSuccess},
    {"127.0.0.2", errSecHostNameMismatch},
    {"host.test.evil", errSecHostNameMismatch},
    {NULL, errSecSuccess},
};

START_TEST(host_names)
{
    SecTrustRef trust = trust_for(pki.s_leaf, pki.s_inter, hosts[_i].host);
    set_anchors(trust, pki.s_root);
    expect(trust, hosts[_i].status);
    CFRelease(trust);
}
END_TEST

START_TEST(extended_key_usage)
{
    struct cert_spec client = leaf_spec;
    client.eku = EKU_CLIENT;
    check_leaf(&client, KEY_EC256, "host.test", errSecInvalidExtendedKeyUsage);

    /* The same certificate passes the basic X.509 policy. */
    EVP_PKEY *key = factory_key(KEY_EC256);
    X509 *x = factory_cert(&client, key, pki.inter, pki.inter_key);
    SecCertificateRef cert = factory_sec_cert(x);
    SecTrustRef trust = trust_for(cert, pki.s_inter, NULL);
    set_anchors(trust, pki.s_root);
    SecPolicyRef basic = SecPolicyCreateBasicX509();
    ck_assert_int_eq(SecTrustSetPolicies(trust, basic), errSecSuccess);
    expect(trust, errSecSuccess);
    /* And a client-side SSL policy (evaluating a client's certificate). */
    SecPolicyRef client_policy = SecPolicyCreateSSL(false, NULL);
    ck_assert_int_eq(SecTrustSetPolicies(trust, client_policy), errSecSuccess);
    expect(trust, errSecSuccess);
    CFArrayRef policies = NULL;
    ck_assert_int_eq(SecTrustCopyPolicies(trust, &policies), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(policies), 1);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(policies, 0), client_policy);
    CFRelease(policies);
    CFRelease(client_policy);
    CFRelease(basic);
    CFRelease(trust);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

START_TEST(weak_keys_and_digests)
{
    check_leaf(&leaf_spec, KEY_RSA1024, "host.test", errSecUnsupportedKeySize);
    struct cert_spec sha1 = leaf_spec;
    sha1.digest = EVP_sha1();
    check_leaf(&sha1, KEY_EC256, "host.test", errSecInvalidDigestAlgorithm);
    check_leaf(&leaf_spec, KEY_RSA2048, "host.test", errSecSuccess);
}
END_TEST

/* System anchors come from SSL_CERT_FILE/SSL_CERT_DIR, read once per process. */
static char anchor_dir[64];

static void use_system_anchors(X509 *anchor)
{
    snprintf(anchor_dir, sizeof(anchor_dir), "/tmp/sectrans-anchors-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(anchor_dir));
    char bundle[128];
    snprintf(bundle, sizeof(bundle), "%s/bundle.pem", anchor_dir);
    ck_assert(factory_write_pem(bundle, anchor, NULL));
    setenv("SSL_CERT_FILE", bundle, 1);
    setenv("SSL_CERT_DIR", anchor_dir, 1); /* holds no hashed names: adds nothing */
}

static void remove_system_anchors(void)
{
    char bundle[128];
    snprintf(bundle, sizeof(bundle), "%s/bundle.pem", anchor_dir);
    unlink(bundle);
    rmdir(anchor_dir);
}

START_TEST(system_anchors_custom_anchors_and_both)
{
    use_system_anchors(pki.root);
    SecTrustRef trust = trust_for(pki.s_leaf, pki.s_inter, "host.test");
    expect(trust, errSecSuccess); /* the system's anchors */

    set_anchors(trust, pki.s_other_root); /* anchors only: the system's are ignored */
    expect(trust, errSecCreateChainFailed);
    CFArrayRef custom = NULL;
    ck_assert_int_eq(SecTrustCopyCustomAnchorCertificates(trust, &custom), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(custom), 1);
    CFRelease(custom);

    ck_assert_int_eq(SecTrustSetAnchorCertificatesOnly(trust, false), errSecSuccess);
    expect(trust, errSecSuccess); /* appended to the system's */
    ck_assert_int_eq(SecTrustSetAnchorCertificatesOnly(trust, true), errSecSuccess);
    expect(trust, errSecCreateChainFailed);

    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, NULL), errSecSuccess);
    expect(trust, errSecSuccess); /* NULL restores the system's */
    ck_assert_int_eq(SecTrustCopyCustomAnchorCertificates(trust, &custom), errSecSuccess);
    ck_assert_ptr_null(custom);

    CFArrayRef system = NULL;
    ck_assert_int_eq(SecTrustCopyAnchorCertificates(&system), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(system), 1);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(system, 0), pki.s_root));
    CFRelease(system);
    CFRelease(trust);
    remove_system_anchors();
}
END_TEST

START_TEST(bad_arguments)
{
    SecTrustRef trust = (SecTrustRef)1;
    SecPolicyRef policy = SecPolicyCreateSSL(true, NULL);
    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    const void *mixed_values[] = {pki.s_leaf, policy};
    CFArrayRef mixed = CFArrayCreate(NULL, mixed_values, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustCreateWithCertificates(NULL, policy, &trust), errSecParam);
    ck_assert_ptr_null(trust);
    ck_assert_int_eq(SecTrustCreateWithCertificates(empty, policy, &trust), errSecParam);
    ck_assert_int_eq(SecTrustCreateWithCertificates(mixed, policy, &trust), errSecParam);
    ck_assert_int_eq(SecTrustCreateWithCertificates(pki.s_leaf, pki.s_leaf, &trust), errSecParam);
    ck_assert_int_eq(SecTrustCreateWithCertificates(pki.s_leaf, policy, NULL), errSecParam);
    /* One certificate and no policy (basic X.509) are fine. */
    ck_assert_int_eq(SecTrustCreateWithCertificates(pki.s_leaf, NULL, &trust), errSecSuccess);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, mixed), errSecParam);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, (CFArrayRef)pki.s_root), errSecParam);
    ck_assert_int_eq(SecTrustSetPolicies(trust, NULL), errSecParam);
    ck_assert_int_eq(SecTrustEvaluate(trust, NULL), errSecParam);
    SecTrustResultType result;
    ck_assert_int_eq(SecTrustEvaluate(NULL, &result), errSecParam);
    ck_assert_int_eq(SecTrustEvaluate((SecTrustRef)policy, &result), errSecParam);
    ck_assert(!SecTrustEvaluateWithError(NULL, NULL));
    ck_assert_int_eq(SecTrustGetCertificateCount(NULL), 0);
    ck_assert_ptr_null(SecTrustGetCertificateAtIndex(NULL, 0));
    ck_assert_ptr_null(SecTrustCopyPublicKey(NULL));
    ck_assert_int_eq(SecTrustGetTrustResult(trust, &result), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultInvalid); /* not evaluated yet */
    /* SSL policies refuse hostnames that are not strings. */
    ck_assert_ptr_null(SecPolicyCreateSSL(true, (CFStringRef)pki.s_leaf));
    ck_assert_ptr_null(SecPolicyCreateSSL(true, CFSTR("")));
    CFRelease(trust);
    CFRelease(mixed);
    CFRelease(empty);
    CFRelease(policy);
}
END_TEST

/* Every verification error has a result code, and every result code a message. */
START_TEST(error_table_is_complete)
{
    for (int e = 0; e <= 100; e++) {
        OSStatus status = sec_trust_status_for(e);
        ck_assert_int_eq(status == errSecSuccess, e == X509_V_OK);
        ck_assert_msg(sec_error_message(status) != NULL, "X509 error %d -> %d has no message", e,
                      (int)status);
    }
    ck_assert_int_eq(sec_trust_status_for(X509_V_ERR_CERT_HAS_EXPIRED), errSecCertificateExpired);
    ck_assert_int_eq(sec_trust_status_for(X509_V_ERR_HOSTNAME_MISMATCH), errSecHostNameMismatch);
    ck_assert_int_eq(sec_trust_status_for(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
                     errSecCreateChainFailed);
    ck_assert_int_eq(sec_trust_status_for(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
                     errSecNotTrusted);
}
END_TEST

static const struct {
    const char *name;
    long long value;
} constants[] = {
#define ABI_CONST(name, value) {#name, value},
#define ABI_STRING(name, text)
#define ABI_SEC_STRING(name, text)
#include "constants.def"
#undef ABI_CONST
#undef ABI_STRING
#undef ABI_SEC_STRING
};

START_TEST(every_result_code_has_a_message)
{
    int checked = 0;
    for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++) {
        if (strncmp(constants[i].name, "errSec", 6) != 0 &&
            strncmp(constants[i].name, "errSSL", 6) != 0)
            continue;
        CFStringRef text = SecCopyErrorMessageString((OSStatus)constants[i].value, NULL);
        char buf[256];
        ck_assert_ptr_nonnull(text);
        ck_assert(CFStringGetCString(text, buf, sizeof(buf), kCFStringEncodingUTF8));
        ck_assert_msg(strncmp(buf, "OSStatus", 8) != 0, "%s has no message", constants[i].name);
        CFRelease(text);
        checked++;
    }
    ck_assert_int_gt(checked, 440);
    CFStringRef unknown = SecCopyErrorMessageString(-1234567, NULL);
    ck_assert(CFEqual(unknown, CFSTR("OSStatus -1234567")));
    CFRelease(unknown);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("sec_trust");
    TCase *tc = tcase_create("trust");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, chain_with_intermediate_to_custom_anchor);
    tcase_add_test(tc, missing_intermediate_or_unknown_root_is_not_trusted);
    tcase_add_test(tc, intermediate_as_anchor);
    tcase_add_test(tc, validity_period);
    tcase_add_loop_test(tc, host_names, 0, COUNT(hosts));
    tcase_add_test(tc, extended_key_usage);
    tcase_add_test(tc, weak_keys_and_digests);
    tcase_add_test(tc, system_anchors_custom_anchors_and_both);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, error_table_is_complete);
    tcase_add_test(errors, every_result_code_has_a_message);
    suite_add_tcase(s, errors);
    return st_test_run(s);
}
