/*
 * Trust results, trust settings and policy details: the properties and
 * result dictionary after passing and failing evaluations, the legacy CDSA
 * view (result codes, the evidence of SecTrustGetResult, cssmPerror), the
 * trust settings of a system anchor, policy properties, the legacy policy
 * search and SecPolicySetValue, and the revocation policy.
 *
 * An unchecked fixture makes a root and points SSL_CERT_FILE at it before any
 * test runs, so the system anchors are the same with or without forking.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "sec_internal.h"
#include "sec_errors.h"
#include "trust/sec_trust_errors.h"
#include "st_test.h"

static struct factory_chain pki;

/* The system anchor, made once before the tests. */
static EVP_PKEY *system_key;
static X509 *system_root;
static char anchor_dir[64];

static const struct cert_spec leaf_spec = {"host.test", "DNS:host.test", false, -1,
                                           365,         EKU_SERVER,      NULL};

static void setup(void)
{
    factory_chain_create(&pki, KEY_EC256, &leaf_spec);
}

static void teardown(void)
{
    factory_chain_free(&pki);
}

static CFStringRef str(const char *s)
{
    return CFStringCreateWithCString(NULL, s, kCFStringEncodingUTF8);
}

/* A trust for [first, second] under `policy`, anchored at `anchor` alone (NULL: system). */
static SecTrustRef make_trust(SecCertificateRef first, SecCertificateRef second,
                              SecPolicyRef policy, SecCertificateRef anchor)
{
    const void *certs[2] = {first, second};
    CFArrayRef chain = CFArrayCreate(NULL, certs, second != NULL ? 2 : 1, &kCFTypeArrayCallBacks);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SecTrustCreateWithCertificates(chain, policy, &trust), errSecSuccess);
    CFRelease(chain);
    if (anchor != NULL) {
        CFArrayRef anchors = CFArrayCreate(NULL, (const void **)&anchor, 1, &kCFTypeArrayCallBacks);
        ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
        CFRelease(anchors);
    }
    return trust;
}

static SecTrustRef ssl_trust(SecCertificateRef first, SecCertificateRef second, const char *host,
                             SecCertificateRef anchor)
{
    CFStringRef name = host != NULL ? str(host) : NULL;
    SecPolicyRef policy = SecPolicyCreateSSL(true, name);
    SecTrustRef trust = make_trust(first, second, policy, anchor);
    CFRelease(policy);
    if (name != NULL)
        CFRelease(name);
    return trust;
}

static void assert_string(CFTypeRef value, const char *expected)
{
    char buf[256];
    ck_assert_ptr_nonnull(value);
    ck_assert_uint_eq(CFGetTypeID(value), CFStringGetTypeID());
    ck_assert(CFStringGetCString(value, buf, sizeof(buf), kCFStringEncodingUTF8));
    ck_assert_str_eq(buf, expected);
}

static void assert_message(CFTypeRef value, OSStatus status)
{
    assert_string(value, sec_error_message(status));
}

static SecTrustResultType evaluate(SecTrustRef trust)
{
    SecTrustResultType result = kSecTrustResultInvalid;
    ck_assert_int_eq(SecTrustEvaluate(trust, &result), errSecSuccess);
    return result;
}

START_TEST(properties_after_passing_evaluation)
{
    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_root);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    CFArrayRef props = SecTrustCopyProperties(trust);
    ck_assert_ptr_nonnull(props);
    ck_assert_int_eq(CFArrayGetCount(props), 3);
    const char *titles[] = {"host.test", "Test Intermediate", "Test Root"};
    for (CFIndex i = 0; i < 3; i++) {
        CFDictionaryRef dict = CFArrayGetValueAtIndex(props, i);
        assert_string(CFDictionaryGetValue(dict, kSecPropertyTypeTitle), titles[i]);
        ck_assert_ptr_null(CFDictionaryGetValue(dict, kSecPropertyTypeError));
    }
    CFRelease(props);
    CFRelease(trust);
}
END_TEST

/* Not evaluated yet: asking for properties evaluates; the reason is on the leaf. */
START_TEST(properties_after_failing_evaluation)
{
    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_other_root);
    CFArrayRef props = SecTrustCopyProperties(trust);
    SecTrustResultType result = kSecTrustResultInvalid;
    ck_assert_int_eq(SecTrustGetTrustResult(trust, &result), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultRecoverableTrustFailure);
    ck_assert_int_eq(CFArrayGetCount(props), 2); /* leaf and intermediate: no anchor found */
    assert_message(CFDictionaryGetValue(CFArrayGetValueAtIndex(props, 0), kSecPropertyTypeError),
                   errSecCreateChainFailed);
    ck_assert_ptr_null(
        CFDictionaryGetValue(CFArrayGetValueAtIndex(props, 1), kSecPropertyTypeError));
    CFRelease(props);
    CFRelease(trust);

    trust = ssl_trust(pki.s_leaf, pki.s_inter, "other.test", pki.s_root);
    props = SecTrustCopyProperties(trust);
    ck_assert_int_eq(CFArrayGetCount(props), 3);
    assert_message(CFDictionaryGetValue(CFArrayGetValueAtIndex(props, 0), kSecPropertyTypeError),
                   errSecHostNameMismatch);
    CFRelease(props);
    CFRelease(trust);
}
END_TEST

static SInt32 result_value(CFDictionaryRef dict)
{
    CFNumberRef number = CFDictionaryGetValue(dict, kSecTrustResultValue);
    SInt32 value = -1;
    ck_assert_ptr_nonnull(number);
    ck_assert(CFNumberGetValue(number, kCFNumberSInt32Type, &value));
    return value;
}

START_TEST(result_dictionary)
{
    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_root);
    CFAbsoluteTime before = CFAbsoluteTimeGetCurrent();
    CFDictionaryRef dict = SecTrustCopyResult(trust); /* evaluates */
    CFAbsoluteTime after = CFAbsoluteTimeGetCurrent();
    ck_assert_int_eq(result_value(dict), kSecTrustResultUnspecified);
    CFDateRef date = CFDictionaryGetValue(dict, kSecTrustEvaluationDate);
    ck_assert_ptr_nonnull(date);
    ck_assert(CFDateGetAbsoluteTime(date) >= before - 1 &&
              CFDateGetAbsoluteTime(date) <= after + 1);
    ck_assert_ptr_null(CFDictionaryGetValue(dict, kSecTrustExtendedValidation));
    ck_assert_ptr_null(CFDictionaryGetValue(dict, kSecTrustRevocationChecked));
    CFRelease(dict);

    /* A verify date is the evaluation date; a failure is recoverable. */
    CFDateRef then = CFDateCreate(NULL, before - 86400.0);
    ck_assert_int_eq(SecTrustSetVerifyDate(trust, then), errSecSuccess);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, NULL), errSecSuccess);
    CFArrayRef anchors =
        CFArrayCreate(NULL, (const void **)&pki.s_other_root, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
    dict = SecTrustCopyResult(trust);
    ck_assert_int_eq(result_value(dict), kSecTrustResultRecoverableTrustFailure);
    ck_assert(CFEqual(CFDictionaryGetValue(dict, kSecTrustEvaluationDate), then));
    CFRelease(dict);
    CFRelease(anchors);
    CFRelease(then);
    CFRelease(trust);
}
END_TEST

START_TEST(certificate_chain_and_network_flag)
{
    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_root);
    CFArrayRef chain = SecTrustCopyCertificateChain(trust);
    ck_assert_int_eq(CFArrayGetCount(chain), 3);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(chain, 2), pki.s_root));
    CFRelease(chain);

    Boolean allowed = 99;
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(trust, &allowed), errSecSuccess);
    ck_assert_int_eq(allowed, true);
    ck_assert_int_eq(SecTrustSetNetworkFetchAllowed(trust, false), errSecSuccess);
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(trust, &allowed), errSecSuccess);
    ck_assert_int_eq(allowed, false);
    ck_assert_int_eq(SecTrustSetNetworkFetchAllowed(trust, true), errSecSuccess);
    /* A revocation policy that forbids the network says so too. */
    SecPolicyRef ssl = SecPolicyCreateSSL(true, NULL);
    SecPolicyRef offline = SecPolicyCreateRevocation(kSecRevocationUseAnyAvailableMethod |
                                                     kSecRevocationNetworkAccessDisabled);
    const void *both[] = {ssl, offline};
    CFArrayRef policies = CFArrayCreate(NULL, both, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetPolicies(trust, policies), errSecSuccess);
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(trust, &allowed), errSecSuccess);
    ck_assert_int_eq(allowed, false);
    CFRelease(policies);
    CFRelease(offline);
    CFRelease(ssl);
    CFRelease(trust);
}
END_TEST

static OSStatus cssm_code(SecTrustRef trust)
{
    OSStatus code = 12345;
    ck_assert_int_eq(SecTrustGetCssmResultCode(trust, &code), errSecSuccess);
    return code;
}

START_TEST(cssm_result_codes)
{
    /* Apple's CDSA values: 0x8001xxxx as signed 32-bit numbers. */
    ck_assert_int_eq(CSSMERR_TP_NOT_TRUSTED, -2147409622);
    ck_assert_int_eq(CSSMERR_TP_CERT_EXPIRED, -2147409654);
    ck_assert_int_eq(CSSMERR_APPLETP_HOSTNAME_MISMATCH, -2147408896);
    ck_assert_int_eq(CSSMERR_TP_INVALID_ANCHOR_CERT, -2147409646);

    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_root);
    ck_assert_int_eq(cssm_code(trust), CSSM_OK);
    CFRelease(trust);
    trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_other_root);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_TP_NOT_TRUSTED);
    CFRelease(trust);
    trust = ssl_trust(pki.s_leaf, pki.s_inter, "wrong.test", pki.s_root);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_APPLETP_HOSTNAME_MISMATCH);
    CFRelease(trust);

    struct cert_spec expired = leaf_spec;
    expired.not_before_days = -30;
    expired.not_after_days = -2;
    EVP_PKEY *key = factory_key(KEY_EC256);
    X509 *x = factory_cert(&expired, key, pki.inter, pki.inter_key);
    SecCertificateRef cert = factory_sec_cert(x);
    trust = ssl_trust(cert, pki.s_inter, "host.test", pki.s_root);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_TP_CERT_EXPIRED);
    CFRelease(trust);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

/* Every result code a failed evaluation can carry has its own CDSA code. */
START_TEST(cssm_table_is_complete)
{
    ck_assert_int_eq(sec_cssm_code_for(errSecSuccess), CSSM_OK);
    for (int e = 1; e <= 100; e++) {
        OSStatus status = sec_trust_status_for(e);
        CSSM_RETURN code = sec_cssm_code_for(status);
        ck_assert_int_lt(code, 0);
        /* 10.15 reports a missing intermediate with the "not trusted" CDSA code too. */
        if (status != errSecNotTrusted && status != errSecCreateChainFailed)
            ck_assert_msg(code != CSSMERR_TP_NOT_TRUSTED, "X509 error %d (%d) has no CDSA code", e,
                          (int)status);
    }
    ck_assert_int_eq(sec_cssm_code_for(errSecIncompleteCertRevocationCheck),
                     CSSMERR_APPLETP_INCOMPLETE_REVOCATION_CHECK);
    ck_assert_int_eq(sec_cssm_code_for(errSecInvalidName), CSSMERR_TP_INVALID_NAME);
    ck_assert_int_eq(sec_cssm_code_for(-1234567), CSSMERR_TP_NOT_TRUSTED);
}
END_TEST

/* The layout callers index into, from Apple's cssmapple.h (LP64). */
START_TEST(legacy_struct_layouts)
{
    ck_assert_uint_eq(sizeof(CSSM_DATA), 16);
    ck_assert_uint_eq(offsetof(CSSM_DATA, Data), 8);
    ck_assert_uint_eq(sizeof(CSSM_TP_APPLE_EVIDENCE_INFO), 48);
    ck_assert_uint_eq(offsetof(CSSM_TP_APPLE_EVIDENCE_INFO, NumStatusCodes), 4);
    ck_assert_uint_eq(offsetof(CSSM_TP_APPLE_EVIDENCE_INFO, StatusCodes), 8);
    ck_assert_uint_eq(offsetof(CSSM_TP_APPLE_EVIDENCE_INFO, Index), 16);
    ck_assert_uint_eq(offsetof(CSSM_TP_APPLE_EVIDENCE_INFO, DlDbHandle), 24);
    ck_assert_uint_eq(offsetof(CSSM_TP_APPLE_EVIDENCE_INFO, UniqueRecord), 40);
    ck_assert_uint_eq(sizeof(CSSM_APPLE_TP_SSL_OPTIONS), 24);
    ck_assert_uint_eq(offsetof(CSSM_APPLE_TP_SSL_OPTIONS, ServerNameLen), 4);
    ck_assert_uint_eq(offsetof(CSSM_APPLE_TP_SSL_OPTIONS, ServerName), 8);
    ck_assert_uint_eq(offsetof(CSSM_APPLE_TP_SSL_OPTIONS, Flags), 16);
    ck_assert_uint_eq(sizeof(CSSM_APPLE_TP_CRL_OPTIONS), 16);
}
END_TEST

START_TEST(get_result_chain_and_evidence)
{
    SecTrustRef trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_root);
    SecTrustResultType result = 99;
    CFArrayRef chain = NULL;
    CSSM_TP_APPLE_EVIDENCE_INFO *info = NULL;
    /* Before an evaluation the verdict is Invalid, as Apple's; the chain evaluates. */
    ck_assert_int_eq(SecTrustGetResult(trust, &result, NULL, NULL), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultInvalid);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    ck_assert_int_eq(SecTrustGetResult(trust, &result, &chain, &info), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultUnspecified);
    ck_assert_int_eq(CFArrayGetCount(chain), 3);
    /* The caller's own objects come back (Apple keeps pointer identity). */
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(chain, 0), pki.s_leaf);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(chain, 1), pki.s_inter);
    ck_assert_ptr_eq(CFArrayGetValueAtIndex(chain, 2), pki.s_root);
    ck_assert_ptr_nonnull(info);
    ck_assert_uint_eq(info[0].StatusBits, CSSM_CERT_STATUS_IS_IN_INPUT_CERTS);
    ck_assert_uint_eq(info[0].Index, 0);
    ck_assert_uint_eq(info[1].StatusBits, CSSM_CERT_STATUS_IS_IN_INPUT_CERTS);
    ck_assert_uint_eq(info[1].Index, 1);
    ck_assert_uint_eq(info[2].StatusBits,
                      CSSM_CERT_STATUS_IS_IN_ANCHORS | CSSM_CERT_STATUS_IS_ROOT);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(info[i].NumStatusCodes, 0);
        ck_assert_ptr_nonnull(info[i].StatusCodes);
        ck_assert_int_eq(info[i].StatusCodes[0], 0); /* the CRL reason slot */
        ck_assert_ptr_null(info[i].UniqueRecord);
    }
    /* The evidence stays put until the trust changes. */
    CSSM_TP_APPLE_EVIDENCE_INFO *again = NULL;
    ck_assert_int_eq(SecTrustGetResult(trust, NULL, NULL, &again), errSecSuccess);
    ck_assert_ptr_eq(again, info);
    CFRelease(chain);
    CFRelease(trust);
}
END_TEST

START_TEST(get_result_after_failures)
{
    struct cert_spec expired = leaf_spec;
    expired.not_before_days = -30;
    expired.not_after_days = -2;
    EVP_PKEY *key = factory_key(KEY_EC256);
    X509 *x = factory_cert(&expired, key, pki.inter, pki.inter_key);
    SecCertificateRef cert = factory_sec_cert(x);
    SecTrustRef trust = ssl_trust(cert, pki.s_inter, "host.test", pki.s_root);
    SecTrustResultType result = 99;
    CFArrayRef chain = NULL;
    CSSM_TP_APPLE_EVIDENCE_INFO *info = NULL;
    ck_assert_int_eq(evaluate(trust), kSecTrustResultRecoverableTrustFailure);
    ck_assert_int_eq(SecTrustGetResult(trust, &result, &chain, &info), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultRecoverableTrustFailure);
    ck_assert_int_eq(CFArrayGetCount(chain), 3);
    ck_assert(info[0].StatusBits & CSSM_CERT_STATUS_EXPIRED);
    ck_assert_uint_eq(info[0].NumStatusCodes, 1);
    ck_assert_int_eq(info[0].StatusCodes[0], CSSMERR_TP_CERT_EXPIRED);
    ck_assert_int_eq(info[0].StatusCodes[1], 0);
    ck_assert_uint_eq(info[1].NumStatusCodes, 0);
    ck_assert(!(info[1].StatusBits & CSSM_CERT_STATUS_EXPIRED));
    CFRelease(chain);

    /* Changing the trust drops the old evidence; the new one says "fine then". */
    CFDateRef then = CFDateCreate(NULL, CFAbsoluteTimeGetCurrent() - 10 * 86400.0);
    ck_assert_int_eq(SecTrustSetVerifyDate(trust, then), errSecSuccess);
    ck_assert_int_eq(SecTrustGetResult(trust, &result, NULL, &info), errSecSuccess);
    ck_assert_int_eq(result, kSecTrustResultInvalid); /* read before the implicit evaluation */
    ck_assert_uint_eq(info[0].StatusBits, CSSM_CERT_STATUS_IS_IN_INPUT_CERTS);
    ck_assert_uint_eq(info[0].NumStatusCodes, 0);
    CFRelease(then);
    CFRelease(trust);

    /* An unknown root: the code sits on the last certificate built. */
    trust = ssl_trust(pki.s_leaf, pki.s_inter, "host.test", pki.s_other_root);
    ck_assert_int_eq(SecTrustGetResult(trust, NULL, &chain, &info), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(chain), 2);
    ck_assert_uint_eq(info[0].NumStatusCodes, 0);
    ck_assert_uint_eq(info[1].NumStatusCodes, 1);
    ck_assert_int_eq(info[1].StatusCodes[0], CSSMERR_TP_NOT_TRUSTED);
    ck_assert(!(info[1].StatusBits & CSSM_CERT_STATUS_IS_ROOT));
    CFRelease(chain);
    CFRelease(trust);

    /* A host name mismatch is the leaf's. */
    trust = ssl_trust(pki.s_leaf, pki.s_inter, "other.test", pki.s_root);
    ck_assert_int_eq(SecTrustGetResult(trust, NULL, NULL, &info), errSecSuccess);
    ck_assert_uint_eq(info[0].NumStatusCodes, 1);
    ck_assert_int_eq(info[0].StatusCodes[0], CSSMERR_APPLETP_HOSTNAME_MISMATCH);
    CFRelease(trust);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

/* A chain ending in the system anchor is marked as trusted by system settings. */
START_TEST(system_anchor_evidence_and_settings)
{
    EVP_PKEY *key = factory_key(KEY_EC256);
    X509 *x = factory_cert(&leaf_spec, key, system_root, system_key);
    SecCertificateRef cert = factory_sec_cert(x);
    SecCertificateRef s_system = factory_sec_cert(system_root);
    SecTrustRef trust = ssl_trust(cert, NULL, "host.test", NULL);
    CSSM_TP_APPLE_EVIDENCE_INFO *info = NULL;
    CFArrayRef chain = NULL;
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    ck_assert_int_eq(SecTrustGetResult(trust, NULL, &chain, &info), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(chain), 2);
    ck_assert_uint_eq(info[1].StatusBits, CSSM_CERT_STATUS_IS_ROOT |
                                              CSSM_CERT_STATUS_TRUST_SETTINGS_FOUND_SYSTEM |
                                              CSSM_CERT_STATUS_TRUST_SETTINGS_TRUST);
    CFRelease(chain);
    CFRelease(trust);

    CFArrayRef certs = (CFArrayRef)1;
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(kSecTrustSettingsDomainSystem, &certs),
                     errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(certs), 1);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(certs, 0), s_system));
    CFRelease(certs);
    certs = (CFArrayRef)1;
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(kSecTrustSettingsDomainUser, &certs),
                     errSecNoTrustSettings);
    ck_assert_ptr_null(certs);
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(kSecTrustSettingsDomainAdmin, &certs),
                     errSecNoTrustSettings);

    /* The anchor's settings: an empty array, "always trust". */
    CFArrayRef settings = NULL;
    ck_assert_int_eq(
        SecTrustSettingsCopyTrustSettings(s_system, kSecTrustSettingsDomainSystem, &settings),
        errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(settings), 0);
    CFRelease(settings);
    settings = (CFArrayRef)1;
    ck_assert_int_eq(
        SecTrustSettingsCopyTrustSettings(pki.s_root, kSecTrustSettingsDomainSystem, &settings),
        errSecItemNotFound);
    ck_assert_ptr_null(settings);
    ck_assert_int_eq(
        SecTrustSettingsCopyTrustSettings(s_system, kSecTrustSettingsDomainUser, &settings),
        errSecItemNotFound);
    ck_assert_int_eq(SecTrustSettingsCopyTrustSettings(kSecTrustSettingsDefaultRootCertSetting,
                                                       kSecTrustSettingsDomainSystem, &settings),
                     errSecItemNotFound);
    CFDateRef date = (CFDateRef)1;
    ck_assert_int_eq(
        SecTrustSettingsCopyModificationDate(s_system, kSecTrustSettingsDomainSystem, &date),
        errSecNoTrustSettings);
    ck_assert_ptr_null(date);

    CFRelease(s_system);
    CFRelease(cert);
    X509_free(x);
    EVP_PKEY_free(key);
}
END_TEST

START_TEST(trust_settings_keys_and_bad_arguments)
{
    ck_assert(CFEqual(kSecTrustSettingsResult, CFSTR("kSecTrustSettingsResult")));
    ck_assert(CFEqual(kSecTrustSettingsPolicy, CFSTR("kSecTrustSettingsPolicy")));
    ck_assert(CFEqual(kSecTrustSettingsApplication, CFSTR("kSecTrustSettingsApplication")));
    ck_assert(CFEqual(kSecTrustSettingsPolicyString, CFSTR("kSecTrustSettingsPolicyString")));
    ck_assert(CFEqual(kSecTrustSettingsAllowedError, CFSTR("kSecTrustSettingsAllowedError")));
    ck_assert(CFEqual(kSecTrustSettingsKeyUsage, CFSTR("kSecTrustSettingsKeyUsage")));
    ck_assert_uint_eq(kSecTrustSettingsKeyUseAny, 0xffffffffu);
    ck_assert_int_eq(kSecTrustSettingsDomainSystem, 2);
    ck_assert_int_eq(kSecTrustSettingsResultUnspecified, 4);

    CFArrayRef out = NULL;
    CFDateRef date = NULL;
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(kSecTrustSettingsDomainSystem, NULL),
                     errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(3, &out), errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyCertificates(0xffffffffu, &out), errSecParam);
    ck_assert_int_eq(
        SecTrustSettingsCopyTrustSettings(pki.s_root, kSecTrustSettingsDomainSystem, NULL),
        errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyTrustSettings(pki.s_root, 7, &out), errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyTrustSettings(NULL, kSecTrustSettingsDomainSystem, &out),
                     errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyTrustSettings((SecCertificateRef)kCFBooleanTrue,
                                                       kSecTrustSettingsDomainSystem, &out),
                     errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyModificationDate(pki.s_root, 0, NULL), errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyModificationDate(NULL, 0, &date), errSecParam);
    ck_assert_int_eq(SecTrustSettingsCopyModificationDate(pki.s_root, 9, &date), errSecParam);
}
END_TEST

static CFDictionaryRef props_of(SecPolicyRef policy)
{
    CFDictionaryRef props = SecPolicyCopyProperties(policy);
    ck_assert_ptr_nonnull(props);
    return props;
}

START_TEST(policy_properties)
{
    ck_assert(CFEqual(kSecPolicyAppleSSL, CFSTR("1.2.840.113635.100.1.3")));
    ck_assert(CFEqual(kSecPolicyAppleX509Basic, CFSTR("1.2.840.113635.100.1.2")));
    ck_assert(CFEqual(kSecPolicyAppleRevocation, CFSTR("1.2.840.113635.100.1.21")));
    ck_assert(CFEqual(kSecPolicyOid, CFSTR("SecPolicyOid")));
    ck_assert(CFEqual(kSecPolicyName, CFSTR("SecPolicyName")));
    ck_assert(CFEqual(kSecPolicyClient, CFSTR("SecPolicyClient")));

    CFStringRef host = str("host.test");
    SecPolicyRef server = SecPolicyCreateSSL(true, host);
    CFDictionaryRef props = props_of(server);
    ck_assert_int_eq(CFDictionaryGetCount(props), 2);
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyOid), kSecPolicyAppleSSL));
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyName), host));
    ck_assert_ptr_null(CFDictionaryGetValue(props, kSecPolicyClient));

    /* Round trip: the same properties make an equivalent policy. */
    SecPolicyRef copy = SecPolicyCreateWithProperties(kSecPolicyAppleSSL, props);
    CFDictionaryRef copy_props = props_of(copy);
    ck_assert(CFEqual(props, copy_props));
    CFRelease(copy_props);
    CFRelease(copy);
    CFRelease(props);
    CFRelease(server);

    SecPolicyRef client = SecPolicyCreateSSL(false, NULL);
    props = props_of(client);
    ck_assert_int_eq(CFDictionaryGetCount(props), 2);
    ck_assert_ptr_eq(CFDictionaryGetValue(props, kSecPolicyClient), kCFBooleanTrue);
    ck_assert_ptr_null(CFDictionaryGetValue(props, kSecPolicyName));
    copy = SecPolicyCreateWithProperties(kSecPolicyAppleSSL, props);
    ck_assert(!sec_policy_of(copy)->server);
    CFRelease(copy);
    CFRelease(props);
    CFRelease(client);

    SecPolicyRef basic = SecPolicyCreateWithProperties(kSecPolicyAppleX509Basic, NULL);
    props = props_of(basic);
    ck_assert_int_eq(CFDictionaryGetCount(props), 1);
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyOid), kSecPolicyAppleX509Basic));
    CFRelease(props);
    CFRelease(basic);

    /* Identifiers we do not implement, and names that are not strings: NULL. */
    ck_assert_ptr_null(SecPolicyCreateWithProperties(kSecPolicyAppleSMIME, NULL));
    ck_assert_ptr_null(SecPolicyCreateWithProperties(CFSTR("1.2.3"), NULL));
    ck_assert_ptr_null(SecPolicyCreateWithProperties(NULL, NULL));
    ck_assert_ptr_null(SecPolicyCreateWithProperties(host, (CFDictionaryRef)host));
    const void *keys[] = {kSecPolicyName};
    const void *values[] = {kCFBooleanTrue};
    CFDictionaryRef bad = CFDictionaryCreate(NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
    ck_assert_ptr_null(SecPolicyCreateWithProperties(kSecPolicyAppleSSL, bad));
    CFRelease(bad);
    ck_assert_ptr_null(SecPolicyCopyProperties(NULL));
    ck_assert_ptr_null(SecPolicyCopyProperties((SecPolicyRef)host));
    CFRelease(host);
}
END_TEST

/* SecPolicySetProperties changes the name and side the evaluation uses. */
START_TEST(policy_set_properties)
{
    SecPolicyRef policy = SecPolicyCreateSSL(true, NULL);
    SecTrustRef trust = make_trust(pki.s_leaf, pki.s_inter, policy, pki.s_root);
    CFStringRef wrong = str("wrong.test");
    const void *keys[] = {kSecPolicyName};
    const void *values[] = {wrong};
    CFDictionaryRef props = CFDictionaryCreate(
        NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecPolicySetProperties(policy, props), errSecSuccess);
    CFDictionaryRef now = props_of(policy);
    ck_assert(CFEqual(CFDictionaryGetValue(now, kSecPolicyName), wrong));
    CFRelease(now);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultRecoverableTrustFailure);
    CFRelease(props);

    /* The client side: the server-auth leaf fails the client EKU check. */
    const void *client_keys[] = {kSecPolicyName, kSecPolicyClient};
    const void *client_values[] = {CFSTR("host.test"), kCFBooleanTrue};
    props = CFDictionaryCreate(NULL, client_keys, client_values, 2, &kCFTypeDictionaryKeyCallBacks,
                               &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecPolicySetProperties(policy, props), errSecSuccess);
    ck_assert_int_eq(SecTrustSetPolicies(trust, policy), errSecSuccess); /* re-evaluate */
    bool ok = SecTrustEvaluateWithError(trust, NULL);
    ck_assert(!ok);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_APPLETP_INVALID_EXTENDED_KEY_USAGE);
    CFRelease(props);

    const void *server_values[] = {CFSTR("host.test"), kCFBooleanFalse};
    props = CFDictionaryCreate(NULL, client_keys, server_values, 2, &kCFTypeDictionaryKeyCallBacks,
                               &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecPolicySetProperties(policy, props), errSecSuccess);
    ck_assert_int_eq(SecTrustSetPolicies(trust, policy), errSecSuccess);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    CFRelease(props);

    /* Bad values leave the policy alone. */
    const void *bad_values[] = {kCFBooleanTrue};
    props = CFDictionaryCreate(NULL, keys, bad_values, 1, &kCFTypeDictionaryKeyCallBacks,
                               &kCFTypeDictionaryValueCallBacks);
    ck_assert_int_eq(SecPolicySetProperties(policy, props), errSecParam);
    ck_assert_int_eq(SecPolicySetProperties(policy, NULL), errSecParam);
    ck_assert_int_eq(SecPolicySetProperties(NULL, props), errSecParam);
    ck_assert_int_eq(SecPolicySetProperties((SecPolicyRef)wrong, props), errSecParam);
    now = props_of(policy);
    ck_assert(CFEqual(CFDictionaryGetValue(now, kSecPolicyName), CFSTR("host.test")));
    CFRelease(now);
    CFRelease(props);
    CFRelease(wrong);
    CFRelease(trust);
    CFRelease(policy);
}
END_TEST

static SecPolicyRef search_one(const CSSM_OID *oid)
{
    SecPolicySearchRef search = NULL;
    SecPolicyRef policy = NULL, more = (SecPolicyRef)1;
    ck_assert_int_eq(SecPolicySearchCreate(CSSM_CERT_X_509v3, oid, NULL, &search), errSecSuccess);
    ck_assert_uint_eq(CFGetTypeID(search), SecPolicySearchGetTypeID());
    ck_assert_int_eq(SecPolicySearchCopyNext(search, &policy), errSecSuccess);
    ck_assert_int_eq(SecPolicySearchCopyNext(search, &more), errSecPolicyNotFound);
    ck_assert_ptr_null(more);
    CFRelease(search);
    return policy;
}

static CSSM_DATA ssl_value(CSSM_APPLE_TP_SSL_OPTIONS *opts, uint32 version, const char *name,
                           uint32 name_len, uint32 flags)
{
    memset(opts, 0, sizeof(*opts));
    opts->Version = version;
    opts->ServerName = name;
    opts->ServerNameLen = name_len;
    opts->Flags = flags;
    CSSM_DATA value = {sizeof(*opts), (uint8 *)opts};
    return value;
}

/* The CUPS and old curl path: search by OID, then SecPolicySetValue with SSL options. */
START_TEST(legacy_policy_search_and_set_value)
{
    ck_assert_uint_eq(CSSMOID_APPLE_TP_SSL.Length, 9);
    static const uint8 ssl_oid[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x01, 0x03};
    ck_assert_mem_eq(CSSMOID_APPLE_TP_SSL.Data, ssl_oid, 9);
    ck_assert_uint_eq(CSSMOID_APPLE_X509_BASIC.Data[8], 2);

    SecPolicyRef policy = search_one(&CSSMOID_APPLE_TP_SSL);
    CFDictionaryRef props = props_of(policy);
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyOid), kSecPolicyAppleSSL));
    ck_assert_ptr_null(CFDictionaryGetValue(props, kSecPolicyClient));
    CFRelease(props);

    CSSM_APPLE_TP_SSL_OPTIONS opts;
    /* A trailing NUL counted in the length is allowed. */
    CSSM_DATA value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "host.test", 10, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecSuccess);
    props = props_of(policy);
    assert_string(CFDictionaryGetValue(props, kSecPolicyName), "host.test");
    CFRelease(props);
    SecTrustRef trust = make_trust(pki.s_leaf, pki.s_inter, policy, pki.s_root);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    CFRelease(trust);

    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "evil.test", 9, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecSuccess);
    trust = make_trust(pki.s_leaf, pki.s_inter, policy, pki.s_root);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultRecoverableTrustFailure);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_APPLETP_HOSTNAME_MISMATCH);
    CFRelease(trust);

    value =
        ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "host.test", 9, CSSM_APPLE_TP_SSL_CLIENT);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecSuccess);
    props = props_of(policy);
    ck_assert_ptr_eq(CFDictionaryGetValue(props, kSecPolicyClient), kCFBooleanTrue);
    CFRelease(props);

    /* Refused: old version, no name, a NUL inside, short or missing data. */
    value = ssl_value(&opts, 0, "host.test", 9, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, NULL, 9, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "host.test", 0, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "good.test\0evil", 14, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "\xff\xfe", 2, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "host.test", 9, 0);
    value.Length = 8;
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    value.Length = sizeof(opts);
    value.Data = NULL;
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    ck_assert_int_eq(SecPolicySetValue(policy, NULL), errSecParam);
    ck_assert_int_eq(SecPolicySetValue(NULL, &value), errSecParam);
    props = props_of(policy);
    assert_string(CFDictionaryGetValue(props, kSecPolicyName), "host.test");
    CFRelease(props);
    CFRelease(policy);

    /* The basic policy takes no value. */
    policy = search_one(&CSSMOID_APPLE_X509_BASIC);
    props = props_of(policy);
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyOid), kSecPolicyAppleX509Basic));
    CFRelease(props);
    value = ssl_value(&opts, CSSM_APPLE_TP_SSL_OPTS_VERSION, "host.test", 9, 0);
    ck_assert_int_eq(SecPolicySetValue(policy, &value), errSecParam);
    CFRelease(policy);
}
END_TEST

START_TEST(policy_search_all_unknown_and_bad_arguments)
{
    SecPolicySearchRef search = NULL;
    SecPolicyRef policy = NULL;
    ck_assert_int_eq(SecPolicySearchCreate(CSSM_CERT_X_509v3, NULL, NULL, &search), errSecSuccess);
    int found = 0;
    while (SecPolicySearchCopyNext(search, &policy) == errSecSuccess) {
        ck_assert_uint_eq(CFGetTypeID(policy), SecPolicyGetTypeID());
        CFRelease(policy);
        found++;
    }
    ck_assert_int_eq(found, 4);
    CFRelease(search);

    static const uint8 smime[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x01, 0x08};
    CSSM_OID unknown = {sizeof(smime), (uint8 *)smime};
    ck_assert_int_eq(SecPolicySearchCreate(CSSM_CERT_X_509v3, &unknown, NULL, &search),
                     errSecSuccess);
    policy = (SecPolicyRef)1;
    ck_assert_int_eq(SecPolicySearchCopyNext(search, &policy), errSecPolicyNotFound);
    ck_assert_ptr_null(policy);
    ck_assert_int_eq(SecPolicySearchCopyNext(search, NULL), errSecParam);
    CFRelease(search);

    CSSM_OID broken = {9, NULL};
    ck_assert_int_eq(SecPolicySearchCreate(CSSM_CERT_X_509v3, &broken, NULL, &search), errSecParam);
    ck_assert_ptr_null(search);
    ck_assert_int_eq(SecPolicySearchCreate(CSSM_CERT_X_509v3, &CSSMOID_APPLE_TP_SSL, NULL, NULL),
                     errSecParam);
    ck_assert_int_eq(SecPolicySearchCopyNext(NULL, &policy), errSecParam);
    SecPolicyRef not_a_search = SecPolicyCreateBasicX509();
    ck_assert_int_eq(SecPolicySearchCopyNext((SecPolicySearchRef)not_a_search, &policy),
                     errSecParam);
    CFRelease(not_a_search);
    ck_assert_uint_ne(SecPolicySearchGetTypeID(), SecPolicyGetTypeID());
}
END_TEST

/* Accepted alongside SSL, alone, and from the CRL/OCSP search; only "require" fails offline. */
START_TEST(revocation_policy)
{
    SecPolicyRef revocation = SecPolicyCreateRevocation(kSecRevocationUseAnyAvailableMethod);
    ck_assert_ptr_nonnull(revocation);
    CFDictionaryRef props = props_of(revocation);
    ck_assert(CFEqual(CFDictionaryGetValue(props, kSecPolicyOid), kSecPolicyAppleRevocation));
    CFRelease(props);
    ck_assert_ptr_null(SecPolicyCreateRevocation((CFOptionFlags)1 << 8));

    CFStringRef host = str("host.test");
    SecPolicyRef ssl = SecPolicyCreateSSL(true, host);
    const void *both[] = {ssl, revocation};
    CFArrayRef policies = CFArrayCreate(NULL, both, 2, &kCFTypeArrayCallBacks);
    SecTrustRef trust = NULL;
    const void *certs[] = {pki.s_leaf, pki.s_inter};
    CFArrayRef chain = CFArrayCreate(NULL, certs, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustCreateWithCertificates(chain, policies, &trust), errSecSuccess);
    CFArrayRef anchors = CFArrayCreate(NULL, (const void **)&pki.s_root, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    /* The SSL policy still bites next to it. */
    CFStringRef other = str("other.test");
    SecPolicyRef other_ssl = SecPolicyCreateSSL(true, other);
    const void *both_other[] = {revocation, other_ssl};
    CFArrayRef other_policies = CFArrayCreate(NULL, both_other, 2, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetPolicies(trust, other_policies), errSecSuccess);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultRecoverableTrustFailure);
    /* Alone. */
    ck_assert_int_eq(SecTrustSetPolicies(trust, revocation), errSecSuccess);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);
    /* Demanding a response we never get fails, with Apple's codes. */
    SecPolicyRef strict = SecPolicyCreateRevocation(kSecRevocationUseAnyAvailableMethod |
                                                    kSecRevocationRequirePositiveResponse);
    ck_assert_int_eq(SecTrustSetPolicies(trust, strict), errSecSuccess);
    CFErrorRef error = NULL;
    ck_assert(!SecTrustEvaluateWithError(trust, &error));
    ck_assert_int_eq(CFErrorGetCode(error), errSecIncompleteCertRevocationCheck);
    CFRelease(error);
    ck_assert_int_eq(cssm_code(trust), CSSMERR_APPLETP_INCOMPLETE_REVOCATION_CHECK);

    /* From SecPolicyCreateWithProperties and from the legacy search and options. */
    SecPolicyRef made = SecPolicyCreateWithProperties(kSecPolicyAppleRevocation, NULL);
    ck_assert_uint_eq(sec_policy_of(made)->revocation_flags, kSecRevocationUseAnyAvailableMethod);
    SecPolicyRef ocsp = search_one(&CSSMOID_APPLE_TP_REVOCATION_OCSP);
    ck_assert_uint_eq(sec_policy_of(ocsp)->kind, SEC_POLICY_REVOCATION);
    CSSM_APPLE_TP_CRL_OPTIONS crl = {CSSM_APPLE_TP_CRL_OPTS_VERSION,
                                     CSSM_TP_ACTION_REQUIRE_CRL_PER_CERT, NULL};
    CSSM_DATA value = {sizeof(crl), (uint8 *)&crl};
    ck_assert_int_eq(SecPolicySetValue(ocsp, &value), errSecSuccess);
    ck_assert(sec_policy_of(ocsp)->revocation_flags & kSecRevocationRequirePositiveResponse);
    ck_assert(sec_policy_of(ocsp)->revocation_flags & kSecRevocationNetworkAccessDisabled);
    crl.CrlFlags = CSSM_TP_ACTION_FETCH_CRL_FROM_NET | CSSM_TP_ACTION_CRL_SUFFICIENT;
    ck_assert_int_eq(SecPolicySetValue(ocsp, &value), errSecSuccess);
    ck_assert_uint_eq(sec_policy_of(ocsp)->revocation_flags, kSecRevocationUseAnyAvailableMethod);
    crl.Version = 5;
    ck_assert_int_eq(SecPolicySetValue(ocsp, &value), errSecParam);
    value.Length = 4;
    ck_assert_int_eq(SecPolicySetValue(ocsp, &value), errSecParam);
    ck_assert_int_eq(SecTrustSetPolicies(trust, ocsp), errSecSuccess);
    ck_assert_int_eq(evaluate(trust), kSecTrustResultUnspecified);

    CFRelease(ocsp);
    CFRelease(made);
    CFRelease(strict);
    CFRelease(other_policies);
    CFRelease(other_ssl);
    CFRelease(other);
    CFRelease(anchors);
    CFRelease(chain);
    CFRelease(trust);
    CFRelease(policies);
    CFRelease(ssl);
    CFRelease(host);
    CFRelease(revocation);
}
END_TEST

/* Runs cssmPerror with stderr sent to a file and returns what it printed. */
static void perror_text(const char *how, CSSM_RETURN error, char *buf, size_t size)
{
    fflush(stderr);
    FILE *tmp = tmpfile();
    ck_assert_ptr_nonnull(tmp);
    int saved = dup(STDERR_FILENO);
    ck_assert_int_ge(dup2(fileno(tmp), STDERR_FILENO), 0);
    cssmPerror(how, error);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, size - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
}

START_TEST(cssm_perror_messages)
{
    char buf[256];
    perror_text("SecTrustEvaluate", CSSMERR_TP_NOT_TRUSTED, buf, sizeof(buf));
    ck_assert_str_eq(buf, "SecTrustEvaluate: The certificate was not trusted.\n");
    perror_text(NULL, CSSMERR_APPLETP_HOSTNAME_MISMATCH, buf, sizeof(buf));
    ck_assert_str_eq(buf, "error: The host name does not match the certificate.\n");
    perror_text("search", errSecPolicyNotFound, buf, sizeof(buf));
    ck_assert_str_eq(buf, "search: Policy not found.\n");
    perror_text("x", errSecSuccess, buf, sizeof(buf));
    ck_assert_str_eq(buf, "x: No error.\n");
    perror_text("x", -1234567, buf, sizeof(buf));
    ck_assert_str_eq(buf, "x: unknown error -1234567=ffffffffffed2979\n");
}
END_TEST

START_TEST(trust_calls_with_bad_arguments)
{
    SecPolicyRef not_a_trust = SecPolicyCreateBasicX509();
    SecTrustRef bad = (SecTrustRef)not_a_trust;
    OSStatus code = 0;
    Boolean allowed = 0;
    SecTrustResultType result = 0;
    CFArrayRef chain = NULL;
    CSSM_TP_APPLE_EVIDENCE_INFO *info = NULL;
    ck_assert_ptr_null(SecTrustCopyProperties(NULL));
    ck_assert_ptr_null(SecTrustCopyProperties(bad));
    ck_assert_ptr_null(SecTrustCopyResult(NULL));
    ck_assert_ptr_null(SecTrustCopyResult(bad));
    ck_assert_ptr_null(SecTrustCopyCertificateChain(NULL));
    ck_assert_ptr_null(SecTrustCopyCertificateChain(bad));
    ck_assert_int_eq(SecTrustSetNetworkFetchAllowed(NULL, true), errSecParam);
    ck_assert_int_eq(SecTrustSetNetworkFetchAllowed(bad, true), errSecParam);
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(NULL, &allowed), errSecParam);
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(bad, &allowed), errSecParam);
    ck_assert_int_eq(SecTrustGetCssmResultCode(NULL, &code), errSecParam);
    ck_assert_int_eq(SecTrustGetCssmResultCode(bad, &code), errSecParam);
    ck_assert_int_eq(SecTrustGetResult(NULL, &result, &chain, &info), errSecParam);
    ck_assert_int_eq(SecTrustGetResult(bad, &result, &chain, &info), errSecParam);
    ck_assert_ptr_null(chain);
    ck_assert_ptr_null(info);

    SecTrustRef trust = ssl_trust(pki.s_leaf, NULL, NULL, pki.s_root);
    ck_assert_int_eq(SecTrustGetNetworkFetchAllowed(trust, NULL), errSecParam);
    ck_assert_int_eq(SecTrustGetCssmResultCode(trust, NULL), errSecParam);
    ck_assert_int_eq(SecTrustGetResult(trust, NULL, NULL, NULL), errSecSuccess);
    CFRelease(trust);
    CFRelease(not_a_trust);
}
END_TEST

static void make_system_anchor(void)
{
    static const struct cert_spec spec = {"System Root", NULL, true, -60, 3650, EKU_NONE, NULL};
    system_key = factory_key(KEY_EC256);
    system_root = factory_cert(&spec, system_key, NULL, NULL);
    snprintf(anchor_dir, sizeof(anchor_dir), "/tmp/sectrans-d-anchors-XXXXXX");
    if (mkdtemp(anchor_dir) == NULL)
        abort();
    char bundle[128];
    snprintf(bundle, sizeof(bundle), "%s/bundle.pem", anchor_dir);
    if (!factory_write_pem(bundle, system_root, NULL))
        abort();
    setenv("SSL_CERT_FILE", bundle, 1);
    setenv("SSL_CERT_DIR", anchor_dir, 1); /* no hashed names in it: adds nothing */
}

static void remove_system_anchor(void)
{
    char bundle[128];
    snprintf(bundle, sizeof(bundle), "%s/bundle.pem", anchor_dir);
    unlink(bundle);
    rmdir(anchor_dir);
    X509_free(system_root);
    EVP_PKEY_free(system_key);
}

int main(void)
{
    Suite *s = suite_create("sec_trust_details");
    TCase *tc = tcase_create("details");
    tcase_add_unchecked_fixture(tc, make_system_anchor, remove_system_anchor);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, properties_after_passing_evaluation);
    tcase_add_test(tc, properties_after_failing_evaluation);
    tcase_add_test(tc, result_dictionary);
    tcase_add_test(tc, certificate_chain_and_network_flag);
    tcase_add_test(tc, cssm_result_codes);
    tcase_add_test(tc, cssm_table_is_complete);
    tcase_add_test(tc, legacy_struct_layouts);
    tcase_add_test(tc, get_result_chain_and_evidence);
    tcase_add_test(tc, get_result_after_failures);
    tcase_add_test(tc, system_anchor_evidence_and_settings);
    tcase_add_test(tc, trust_settings_keys_and_bad_arguments);
    tcase_add_test(tc, policy_properties);
    tcase_add_test(tc, policy_set_properties);
    tcase_add_test(tc, legacy_policy_search_and_set_value);
    tcase_add_test(tc, policy_search_all_unknown_and_bad_arguments);
    tcase_add_test(tc, revocation_policy);
    tcase_add_test(tc, cssm_perror_messages);
    tcase_add_test(tc, trust_calls_with_bad_arguments);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
