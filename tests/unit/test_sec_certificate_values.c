/*
 * Certificate details: SecCertificateCopyValues against what OpenSSL reads
 * from the same certificate, validity, serial numbers, normalized names,
 * e-mail addresses, descriptions, and self-signed certificates that
 * OpenSSL and SecTrust accept.
 */
#include <openssl/x509v3.h>
#include <string.h>

#include "cert_factory.h"
#include "st_test.h"

static EVP_PKEY *cert_key;
static X509 *x509;
static SecCertificateRef cert;

static const struct cert_spec spec = {
    "Values Test", "DNS:a.test,DNS:b.test,IP:127.0.0.1,email:who@a.test", false, -1, 30, EKU_SERVER,
    NULL};

static void setup(void)
{
    cert_key = factory_key(KEY_EC256);
    x509 = factory_cert(&spec, cert_key, NULL, NULL);
    cert = factory_sec_cert(x509);
}

static void teardown(void)
{
    CFRelease(cert);
    X509_free(x509);
    EVP_PKEY_free(cert_key);
}

static char text_buf[512];

static const char *text(CFTypeRef s)
{
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(CFGetTypeID(s), CFStringGetTypeID());
    ck_assert(CFStringGetCString(s, text_buf, sizeof(text_buf), kCFStringEncodingUTF8));
    return text_buf;
}

static CFIndex code_of(CFErrorRef error)
{
    ck_assert_ptr_nonnull(error);
    ck_assert(CFEqual(CFErrorGetDomain(error), kCFErrorDomainOSStatus));
    CFIndex code = CFErrorGetCode(error);
    CFRelease(error);
    return code;
}

/* CFAbsoluteTime of an ASN1_TIME, computed apart from the library (ASN1_TIME_diff). */
static double absolute(const ASN1_TIME *t)
{
    ASN1_TIME *ref = ASN1_TIME_set(NULL, 978307200);
    int days = 0, secs = 0;
    ck_assert(ASN1_TIME_diff(&days, &secs, ref, t));
    ASN1_TIME_free(ref);
    return days * 86400.0 + secs;
}

/* values[key], checked to be a property of `type` with its four keys. */
static CFTypeRef property_value(CFDictionaryRef values, CFStringRef key, CFStringRef type)
{
    CFDictionaryRef p = CFDictionaryGetValue(values, key);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(CFGetTypeID(p), CFDictionaryGetTypeID());
    ck_assert_int_eq(CFDictionaryGetCount(p), 4);
    ck_assert(CFEqual(CFDictionaryGetValue(p, kSecPropertyKeyType), type));
    ck_assert_ptr_nonnull(CFDictionaryGetValue(p, kSecPropertyKeyLabel));
    ck_assert_ptr_nonnull(CFDictionaryGetValue(p, kSecPropertyKeyLocalizedLabel));
    return CFDictionaryGetValue(p, kSecPropertyKeyValue);
}

/* The value of the section entry labelled `label` (NULL if none). */
static CFTypeRef section_value(CFArrayRef section, const char *label)
{
    for (CFIndex i = 0; i < CFArrayGetCount(section); i++) {
        CFDictionaryRef p = CFArrayGetValueAtIndex(section, i);
        CFStringRef l = CFDictionaryGetValue(p, kSecPropertyKeyLabel);
        char buf[128];
        if (CFStringGetCString(l, buf, sizeof(buf), kCFStringEncodingUTF8) &&
            strcmp(buf, label) == 0)
            return CFDictionaryGetValue(p, kSecPropertyKeyValue);
    }
    return NULL;
}

static bool array_has_text(CFArrayRef array, const char *want)
{
    for (CFIndex i = 0; i < CFArrayGetCount(array); i++)
        if (strcmp(text(CFArrayGetValueAtIndex(array, i)), want) == 0)
            return true;
    return false;
}

START_TEST(constant_values)
{
    static const struct {
        const CFStringRef *symbol;
        const char *value;
    } table[] = {
        {&kSecPropertyKeyType, "type"},
        {&kSecPropertyKeyLabel, "label"},
        {&kSecPropertyKeyLocalizedLabel, "localized label"},
        {&kSecPropertyKeyValue, "value"},
        {&kSecPropertyTypeSection, "section"},
        {&kSecPropertyTypeString, "string"},
        {&kSecPropertyTypeData, "data"},
        {&kSecPropertyTypeNumber, "number"},
        {&kSecPropertyTypeArray, "array"},
        {&kSecPropertyTypeDate, "date"},
        {&kSecPropertyTypeURL, "url"},
        {&kSecOIDCommonName, "2.5.4.3"},
        {&kSecOIDCountryName, "2.5.4.6"},
        {&kSecOIDOrganizationName, "2.5.4.10"},
        {&kSecOIDSubjectAltName, "2.5.29.17"},
        {&kSecOIDKeyUsage, "2.5.29.15"},
        {&kSecOIDExtendedKeyUsage, "2.5.29.37"},
        {&kSecOIDBasicConstraints, "2.5.29.19"},
        {&kSecOIDX509V1SubjectName, "2.16.840.1.113741.2.1.1.1.8"},
        {&kSecOIDX509V1IssuerName, "2.16.840.1.113741.2.1.1.1.5"},
        {&kSecOIDX509V1SerialNumber, "2.16.840.1.113741.2.1.1.1.3"},
        {&kSecOIDX509V1ValidityNotBefore, "2.16.840.1.113741.2.1.1.1.6"},
        {&kSecOIDX509V1ValidityNotAfter, "2.16.840.1.113741.2.1.1.1.7"},
        {&kSecOIDX509V1Version, "2.16.840.1.113741.2.1.1.1.2"},
        {&kSecOIDX509V1SignatureAlgorithm, "2.16.840.1.113741.2.1.3.2.1"},
        {&kSecOIDSRVName, "1.3.6.1.5.5.7.8.7"},
        {&kSecOidCommonName, "CN"},
        {&kSecOidOrganizationalUnit, "OU"},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        ck_assert_str_eq(text(*table[i].symbol), table[i].value);
    ck_assert_int_eq(SecASN1PrintableString, 0x13);
    ck_assert_int_eq(SecASN1UTF8String, 0x0c);
    ck_assert_uint_eq((uint32_t)kSecKeyUsageCritical, 0x80000000u);
}
END_TEST

/* The basic fields read back as OpenSSL sees them. */
START_TEST(values_basic_fields)
{
    CFErrorRef error = NULL;
    CFDictionaryRef values = SecCertificateCopyValues(cert, NULL, &error);
    ck_assert_ptr_nonnull(values);
    ck_assert_ptr_null(error);
    ck_assert_str_eq(text(property_value(values, kSecOIDX509V1Version, kSecPropertyTypeString)),
                     "3");
    char serial[32];
    snprintf(serial, sizeof(serial), "%ld", ASN1_INTEGER_get(X509_get0_serialNumber(x509)));
    ck_assert_str_eq(
        text(property_value(values, kSecOIDX509V1SerialNumber, kSecPropertyTypeString)), serial);

    CFArrayRef subject = property_value(values, kSecOIDX509V1SubjectName, kSecPropertyTypeSection);
    ck_assert_int_eq(CFArrayGetCount(subject), 2);
    ck_assert_str_eq(text(section_value(subject, "2.5.4.3")), "Values Test");
    ck_assert_str_eq(text(section_value(subject, "2.5.4.10")), "sectrans tests");
    CFDictionaryRef first = CFArrayGetValueAtIndex(subject, 0);
    ck_assert_str_eq(text(CFDictionaryGetValue(first, kSecPropertyKeyLocalizedLabel)),
                     "Organization");
    CFArrayRef issuer = property_value(values, kSecOIDX509V1IssuerName, kSecPropertyTypeSection);
    ck_assert(CFEqual(issuer, subject));

    double nb = 0, na = 0;
    ck_assert(CFNumberGetValue(
        property_value(values, kSecOIDX509V1ValidityNotBefore, kSecPropertyTypeNumber),
        kCFNumberDoubleType, &nb));
    ck_assert(CFNumberGetValue(
        property_value(values, kSecOIDX509V1ValidityNotAfter, kSecPropertyTypeNumber),
        kCFNumberDoubleType, &na));
    ck_assert_double_eq(nb, absolute(X509_get0_notBefore(x509)));
    ck_assert_double_eq(na, absolute(X509_get0_notAfter(x509)));

    CFArrayRef sig_alg =
        property_value(values, kSecOIDX509V1SignatureAlgorithm, kSecPropertyTypeSection);
    ck_assert(strstr(text(section_value(sig_alg, "Algorithm")), "1.2.840.10045.4.3.2") != NULL);
    CFArrayRef key_alg =
        property_value(values, kSecOIDX509V1SubjectPublicKeyAlgorithm, kSecPropertyTypeSection);
    ck_assert(strstr(text(section_value(key_alg, "Algorithm")), "1.2.840.10045.2.1") != NULL);
    CFDataRef key_data =
        property_value(values, kSecOIDX509V1SubjectPublicKey, kSecPropertyTypeData);
    SecKeyRef sec_key = SecCertificateCopyKey(cert);
    CFDataRef external = SecKeyCopyExternalRepresentation(sec_key, NULL);
    ck_assert(CFEqual(key_data, external)); /* the BIT STRING holds the X9.63 point */
    CFRelease(external);
    CFRelease(sec_key);
    const ASN1_BIT_STRING *sig;
    X509_get0_signature(&sig, NULL, x509);
    CFDataRef sig_data = property_value(values, kSecOIDX509V1Signature, kSecPropertyTypeData);
    ck_assert_int_eq(CFDataGetLength(sig_data), ASN1_STRING_length(sig));
    CFRelease(values);
}
END_TEST

START_TEST(values_names_and_extensions)
{
    CFDictionaryRef values = SecCertificateCopyValues(cert, NULL, NULL);
    CFArrayRef cns = property_value(values, kSecOIDCommonName, kSecPropertyTypeArray);
    ck_assert_int_eq(CFArrayGetCount(cns), 1);
    ck_assert(array_has_text(cns, "Values Test"));
    CFArrayRef dns = property_value(values, CFSTR("DNSNAMES"), kSecPropertyTypeArray);
    ck_assert(array_has_text(dns, "a.test") && array_has_text(dns, "b.test"));
    CFArrayRef ips = property_value(values, CFSTR("IPADDRESSES"), kSecPropertyTypeArray);
    ck_assert(array_has_text(ips, "127.0.0.1"));
    CFArrayRef emails = property_value(values, kSecOIDEmailAddress, kSecPropertyTypeArray);
    ck_assert(array_has_text(emails, "who@a.test"));

    SInt32 usage = 0;
    ck_assert(CFNumberGetValue(property_value(values, kSecOIDKeyUsage, kSecPropertyTypeNumber),
                               kCFNumberSInt32Type, &usage));
    ck_assert_uint_eq((uint32_t)usage,
                      (uint32_t)(kSecKeyUsageDigitalSignature | kSecKeyUsageKeyEncipherment |
                                 kSecKeyUsageCritical));
    CFArrayRef ekus = property_value(values, kSecOIDExtendedKeyUsage, kSecPropertyTypeArray);
    static const unsigned char server_auth[] = {0x2b, 6, 1, 5, 5, 7, 3, 1};
    CFDataRef expected_eku = CFDataCreate(NULL, server_auth, sizeof(server_auth));
    ck_assert_int_eq(CFArrayGetCount(ekus), 1);
    ck_assert(CFEqual(CFArrayGetValueAtIndex(ekus, 0), expected_eku));
    CFRelease(expected_eku);

    CFArrayRef san = property_value(values, kSecOIDSubjectAltName, kSecPropertyTypeSection);
    ck_assert_int_eq(CFArrayGetCount(san), 4);
    ck_assert_str_eq(text(section_value(san, "IP Address")), "127.0.0.1");
    ck_assert_str_eq(text(section_value(san, "Email Address")), "who@a.test");
    CFArrayRef bc = property_value(values, kSecOIDBasicConstraints, kSecPropertyTypeSection);
    ck_assert_str_eq(text(section_value(bc, "Certificate Authority")), "No");
    ck_assert_ptr_null(section_value(bc, "Critical"));
    CFArrayRef ski = property_value(values, kSecOIDSubjectKeyIdentifier, kSecPropertyTypeSection);
    CFDataRef ski_data = section_value(ski, "Data");
    ck_assert_int_eq(CFDataGetLength(ski_data), 22); /* OCTET STRING of a SHA-1 hash */
    CFRelease(values);
}
END_TEST

START_TEST(values_selected_keys)
{
    const void *wanted[] = {kSecOIDX509V1SubjectName, kSecOIDKeyUsage, CFSTR("1.2.3.4")};
    CFArrayRef keys = CFArrayCreate(NULL, wanted, 3, &kCFTypeArrayCallBacks);
    CFDictionaryRef values = SecCertificateCopyValues(cert, keys, NULL);
    ck_assert_int_eq(CFDictionaryGetCount(values), 2);
    ck_assert(CFDictionaryContainsKey(values, kSecOIDX509V1SubjectName));
    ck_assert(CFDictionaryContainsKey(values, kSecOIDKeyUsage));
    CFRelease(values);
    CFRelease(keys);

    const void *bad[] = {kSecOIDKeyUsage, kCFBooleanTrue};
    keys = CFArrayCreate(NULL, bad, 2, &kCFTypeArrayCallBacks);
    CFErrorRef error = NULL;
    ck_assert_ptr_null(SecCertificateCopyValues(cert, keys, &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    CFRelease(keys);
    error = NULL;
    ck_assert_ptr_null(SecCertificateCopyValues(cert, (CFArrayRef)CFSTR("x"), &error));
    ck_assert_int_eq(code_of(error), errSecParam);
    error = NULL;
    ck_assert_ptr_null(SecCertificateCopyValues(NULL, NULL, &error));
    ck_assert_int_eq(code_of(error), errSecInvalidCertificateRef);
    ck_assert_ptr_null(SecCertificateCopyValues((SecCertificateRef)CFSTR("x"), NULL, NULL));
}
END_TEST

START_TEST(validity)
{
    double nb = absolute(X509_get0_notBefore(x509)), na = absolute(X509_get0_notAfter(x509));
    ck_assert_double_eq(SecCertificateNotValidBefore(cert), nb);
    ck_assert_double_eq(SecCertificateNotValidAfter(cert), na);
    ck_assert(SecCertificateIsValid(cert, CFAbsoluteTimeGetCurrent()));
    ck_assert(SecCertificateIsValid(cert, nb));
    ck_assert(SecCertificateIsValid(cert, na));
    ck_assert(!SecCertificateIsValid(cert, nb - 1));
    ck_assert(!SecCertificateIsValid(cert, na + 1));
    ck_assert(!SecCertificateIsValid(NULL, nb));
    ck_assert_double_eq(SecCertificateNotValidBefore(NULL), 0);
    ck_assert_double_eq(SecCertificateNotValidAfter((SecCertificateRef)CFSTR("x")), 0);
}
END_TEST

/* A copy of the test certificate with another serial number and subject, re-signed. */
static SecCertificateRef variant(const unsigned char *serial, int serial_len, const char *cn)
{
    X509 *x = X509_dup(x509);
    BIGNUM *bn = BN_bin2bn(serial, serial_len, NULL);
    ck_assert_ptr_nonnull(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
    BN_free(bn);
    if (cn != NULL) {
        X509_NAME *name = X509_NAME_new();
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "emailAddress", MBSTRING_ASC,
                                   (const unsigned char *)"subject@a.test", -1, -1, 0);
        X509_set_subject_name(x, name);
        X509_NAME_free(name);
    }
    ck_assert_int_gt(X509_sign(x, cert_key, EVP_sha256()), 0);
    SecCertificateRef c = factory_sec_cert(x);
    X509_free(x);
    return c;
}

START_TEST(serial_number_data)
{
    static const unsigned char high_bit[] = {0x80, 0x01, 0x02};
    SecCertificateRef c = variant(high_bit, sizeof(high_bit), NULL);
    CFErrorRef error = NULL;
    CFDataRef serial = SecCertificateCopySerialNumberData(c, &error);
    static const unsigned char expected[] = {0x00, 0x80, 0x01, 0x02};
    ck_assert_int_eq(CFDataGetLength(serial), 4);
    ck_assert(memcmp(CFDataGetBytePtr(serial), expected, 4) == 0);
    CFRelease(serial);
    /* A long serial is shown as spaced hex bytes in the values. */
    static const unsigned char long_serial[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    SecCertificateRef l = variant(long_serial, sizeof(long_serial), NULL);
    CFDictionaryRef values = SecCertificateCopyValues(l, NULL, NULL);
    ck_assert_str_eq(
        text(property_value(values, kSecOIDX509V1SerialNumber, kSecPropertyTypeString)),
        "01 02 03 04 05 06 07 08 09 0A");
    CFRelease(values);
    CFRelease(l);
    ck_assert_ptr_null(SecCertificateCopySerialNumberData(NULL, &error));
    ck_assert_int_eq(code_of(error), errSecInvalidCertificateRef);
    ck_assert_ptr_null(SecCertificateCopySerialNumberData(NULL, NULL));
    CFRelease(c);
}
END_TEST

static X509_NAME *decode_name(CFDataRef der)
{
    const unsigned char *p = CFDataGetBytePtr(der);
    X509_NAME *name = d2i_X509_NAME(NULL, &p, CFDataGetLength(der));
    ck_assert_ptr_nonnull(name);
    ck_assert_ptr_eq(p, CFDataGetBytePtr(der) + CFDataGetLength(der));
    return name;
}

START_TEST(normalized_names)
{
    static const unsigned char one[] = {1};
    SecCertificateRef a = variant(one, 1, "  Mixed   Case\tName ");
    SecCertificateRef b = variant(one, 1, "mixed case name");
    CFDataRef na = SecCertificateCopyNormalizedSubjectSequence(a);
    CFDataRef nb = SecCertificateCopyNormalizedSubjectSequence(b);
    ck_assert(CFEqual(na, nb));
    X509_NAME *name = decode_name(na);
    X509_NAME_ENTRY *e = X509_NAME_get_entry(name, 0);
    ck_assert_int_eq(ASN1_STRING_type(X509_NAME_ENTRY_get_data(e)), V_ASN1_UTF8STRING);
    ck_assert_str_eq((const char *)ASN1_STRING_get0_data(X509_NAME_ENTRY_get_data(e)),
                     "MIXED CASE NAME");
    X509_NAME_free(name);
    CFDataRef issuer = SecCertificateCopyNormalizedIssuerSequence(a);
    name = decode_name(issuer);
    ck_assert_int_eq(X509_NAME_entry_count(name), 2);
    X509_NAME_free(name);
    ck_assert_ptr_null(SecCertificateCopyNormalizedIssuerSequence(NULL));
    ck_assert_ptr_null(SecCertificateCopyNormalizedSubjectSequence(NULL));
    CFRelease(issuer);
    CFRelease(na);
    CFRelease(nb);
    CFRelease(a);
    CFRelease(b);
}
END_TEST

START_TEST(email_addresses_and_descriptions)
{
    static const unsigned char one[] = {1};
    SecCertificateRef c = variant(one, 1, "Described");
    CFArrayRef emails = NULL;
    ck_assert_int_eq(SecCertificateCopyEmailAddresses(c, &emails), errSecSuccess);
    ck_assert_int_eq(CFArrayGetCount(emails), 2);
    ck_assert_str_eq(text(CFArrayGetValueAtIndex(emails, 0)), "subject@a.test");
    ck_assert_str_eq(text(CFArrayGetValueAtIndex(emails, 1)), "who@a.test");
    CFRelease(emails);
    ck_assert_int_eq(SecCertificateCopyEmailAddresses(NULL, &emails), errSecParam);
    ck_assert_int_eq(SecCertificateCopyEmailAddresses(c, NULL), errSecParam);

    CFErrorRef error = NULL;
    CFStringRef s = SecCertificateCopyShortDescription(NULL, c, &error);
    CFStringRef l = SecCertificateCopyLongDescription(NULL, c, &error);
    ck_assert_ptr_null(error);
    ck_assert_str_eq(text(s), "Described");
    ck_assert(CFEqual(s, l));
    CFRelease(s);
    CFRelease(l);
    ck_assert_ptr_null(SecCertificateCopyLongDescription(NULL, NULL, &error));
    ck_assert_int_eq(code_of(error), errSecInvalidCertificateRef);
    ck_assert_ptr_null(SecCertificateCopyShortDescription(NULL, NULL, NULL));
    CFRelease(c);
}
END_TEST

/* [[oid, value]] as one RDN. */
static CFArrayRef rdn(CFTypeRef oid, CFTypeRef value)
{
    const void *pair[] = {oid, value};
    CFArrayRef atv = CFArrayCreate(NULL, pair, 2, &kCFTypeArrayCallBacks);
    const void *one[] = {atv};
    CFArrayRef r = CFArrayCreate(NULL, one, 1, &kCFTypeArrayCallBacks);
    CFRelease(atv);
    return r;
}

static CFArrayRef subject_of(CFTypeRef cn)
{
    CFArrayRef c = rdn(kSecOidCountryName, CFSTR("US"));
    CFArrayRef o = rdn(CFSTR("2.5.4.10"), CFSTR("Org Inc."));
    CFArrayRef n = rdn(kSecOidCommonName, cn);
    const void *rdns[] = {c, o, n};
    CFArrayRef s = CFArrayCreate(NULL, rdns, 3, &kCFTypeArrayCallBacks);
    CFRelease(c);
    CFRelease(o);
    CFRelease(n);
    return s;
}

static SecKeyRef new_private_key(CFStringRef type, long bits)
{
    CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongType, &bits);
    const void *keys[] = {kSecAttrKeyType, kSecAttrKeySizeInBits};
    const void *values[] = {type, n};
    CFDictionaryRef p = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                           &kCFTypeDictionaryValueCallBacks);
    SecKeyRef k = SecKeyCreateRandomKey(p, NULL);
    ck_assert_ptr_nonnull(k);
    CFRelease(p);
    CFRelease(n);
    return k;
}

static CFDictionaryRef full_parameters(void)
{
    const void *dns[] = {CFSTR("self.test"), CFSTR("www.self.test")};
    CFArrayRef dns_names = CFArrayCreate(NULL, dns, 2, &kCFTypeArrayCallBacks);
    const void *san_keys[] = {kSecSubjectAltNameDNSName, kSecSubjectAltNameEmailAddress,
                              kSecSubjectAltNameURI};
    const void *san_values[] = {dns_names, CFSTR("me@self.test"), CFSTR("https://self.test/")};
    CFDictionaryRef san =
        CFDictionaryCreate(NULL, san_keys, san_values, 3, &kCFTypeDictionaryKeyCallBacks,
                           &kCFTypeDictionaryValueCallBacks);
    const void *ext_keys[] = {CFSTR("1.2.3.4")};
    const void *ext_values[] = {CFSTR("hello")};
    CFDictionaryRef ext =
        CFDictionaryCreate(NULL, ext_keys, ext_values, 1, &kCFTypeDictionaryKeyCallBacks,
                           &kCFTypeDictionaryValueCallBacks);
    long lifetime = 3600, path_len = 0;
    int usage = kSecKeyUsageDigitalSignature | kSecKeyUsageKeyCertSign;
    static const unsigned char serial[] = {0x12, 0x34};
    CFNumberRef lt = CFNumberCreate(NULL, kCFNumberLongType, &lifetime);
    CFNumberRef pl = CFNumberCreate(NULL, kCFNumberLongType, &path_len);
    CFNumberRef ku = CFNumberCreate(NULL, kCFNumberIntType, &usage);
    CFDataRef sn = CFDataCreate(NULL, serial, sizeof(serial));
    const void *keys[] = {kSecCertificateLifetime, kSecCSRBasicContraintsPathLen,
                          kSecCertificateKeyUsage, kSecCertificateSerialNumber,
                          kSecSubjectAltName,      kSecCertificateExtensions};
    const void *values[] = {lt, pl, ku, sn, san, ext};
    CFDictionaryRef p = CFDictionaryCreate(NULL, keys, values, 6, &kCFTypeDictionaryKeyCallBacks,
                                           &kCFTypeDictionaryValueCallBacks);
    CFRelease(lt);
    CFRelease(pl);
    CFRelease(ku);
    CFRelease(sn);
    CFRelease(san);
    CFRelease(ext);
    CFRelease(dns_names);
    return p;
}

static X509 *x509_of(SecCertificateRef c)
{
    CFDataRef der = SecCertificateCopyData(c);
    const unsigned char *p = CFDataGetBytePtr(der);
    X509 *x = d2i_X509(NULL, &p, CFDataGetLength(der));
    ck_assert_ptr_nonnull(x);
    CFRelease(der);
    return x;
}

/* OpenSSL reads back exactly what the parameters asked for. */
START_TEST(self_signed_certificate_contents)
{
    SecKeyRef priv = new_private_key(kSecAttrKeyTypeECSECPrimeRandom, 256);
    CFStringRef cn = CFStringCreateWithCString(NULL, "Self Signed Ü", kCFStringEncodingUTF8);
    CFArrayRef subject = subject_of(cn);
    CFRelease(cn);
    CFDictionaryRef params = full_parameters();
    SecCertificateRef c = SecGenerateSelfSignedCertificate(subject, params, NULL, priv);
    ck_assert_ptr_nonnull(c);
    X509 *x = x509_of(c);
    ck_assert_int_eq(X509_get_version(x), X509_VERSION_3);
    SecKeyRef pub = SecKeyCopyPublicKey(priv);
    CFDataRef point = SecKeyCopyExternalRepresentation(pub, NULL);
    const unsigned char *pk;
    int pk_len;
    ck_assert(X509_PUBKEY_get0_param(NULL, &pk, &pk_len, NULL, X509_get_X509_PUBKEY(x)));
    ck_assert_int_eq(pk_len, CFDataGetLength(point));
    ck_assert(memcmp(pk, CFDataGetBytePtr(point), (size_t)pk_len) == 0);
    ck_assert_int_eq(X509_verify(x, X509_get0_pubkey(x)), 1);
    ck_assert_int_eq(X509_check_issued(x, x), X509_V_OK);
    ck_assert_int_eq(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);

    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof(buf));
    ck_assert_str_eq(buf, "/C=US/O=Org Inc./CN=Self Signed \\xC3\\x9C");
    ck_assert_int_eq(ASN1_STRING_type(X509_NAME_ENTRY_get_data(
                         X509_NAME_get_entry(X509_get_subject_name(x), 0))),
                     V_ASN1_PRINTABLESTRING);
    ck_assert_int_eq(ASN1_STRING_type(X509_NAME_ENTRY_get_data(
                         X509_NAME_get_entry(X509_get_subject_name(x), 2))),
                     V_ASN1_UTF8STRING);
    ck_assert_int_eq(ASN1_INTEGER_get(X509_get0_serialNumber(x)), 0x1234);
    int days = 0, secs = 0;
    ck_assert(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x)));
    ck_assert_int_eq(days * 86400 + secs, 3600);

    int crit = 0;
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    ck_assert(bc->ca);
    ck_assert_int_eq(crit, 1);
    ck_assert_int_eq(ASN1_INTEGER_get(bc->pathlen), 0);
    BASIC_CONSTRAINTS_free(bc);
    ck_assert_uint_eq(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN);
    ck_assert_int_eq(X509_check_host(x, "www.self.test", 0, 0, NULL), 1);
    ck_assert_int_eq(X509_check_email(x, "me@self.test", 0, 0), 1);
    ASN1_OBJECT *custom = OBJ_txt2obj("1.2.3.4", 1);
    X509_EXTENSION *ext = X509_get_ext(x, X509_get_ext_by_OBJ(x, custom, -1));
    const ASN1_OCTET_STRING *value = X509_EXTENSION_get_data(ext);
    static const unsigned char utf8_hello[] = {0x0c, 5, 'h', 'e', 'l', 'l', 'o'};
    ck_assert_int_eq(ASN1_STRING_length(value), sizeof(utf8_hello));
    ck_assert(memcmp(ASN1_STRING_get0_data(value), utf8_hello, sizeof(utf8_hello)) == 0);
    ASN1_OBJECT_free(custom);

    /* And the values dictionary reports the same content. */
    CFDictionaryRef values = SecCertificateCopyValues(c, NULL, NULL);
    CFArrayRef names = property_value(values, kSecOIDX509V1SubjectName, kSecPropertyTypeSection);
    ck_assert_str_eq(text(section_value(names, "2.5.4.3")), "Self Signed Ü");
    ck_assert_str_eq(text(section_value(names, "2.5.4.6")), "US");
    CFArrayRef bcv = property_value(values, kSecOIDBasicConstraints, kSecPropertyTypeSection);
    ck_assert_str_eq(text(section_value(bcv, "Critical")), "Yes");
    ck_assert_str_eq(text(section_value(bcv, "Certificate Authority")), "Yes");
    ck_assert_str_eq(text(section_value(bcv, "Path Length Constraint")), "0");
    CFArrayRef san = property_value(values, kSecOIDSubjectAltName, kSecPropertyTypeSection);
    ck_assert_int_eq(CFArrayGetCount(san), 4);
    ck_assert_str_eq(text(section_value(san, "URI")), "https://self.test/");
    ck_assert_str_eq(
        text(property_value(values, kSecOIDX509V1SerialNumber, kSecPropertyTypeString)), "4660");
    double nb = 0, na = 0;
    CFNumberGetValue(property_value(values, kSecOIDX509V1ValidityNotBefore, kSecPropertyTypeNumber),
                     kCFNumberDoubleType, &nb);
    CFNumberGetValue(property_value(values, kSecOIDX509V1ValidityNotAfter, kSecPropertyTypeNumber),
                     kCFNumberDoubleType, &na);
    ck_assert_double_eq(na - nb, 3600);
    ck_assert(nb <= CFAbsoluteTimeGetCurrent() + 1 && nb > CFAbsoluteTimeGetCurrent() - 60);
    CFRelease(values);

    X509_free(x);
    CFRelease(point);
    CFRelease(pub);
    CFRelease(c);
    CFRelease(params);
    CFRelease(subject);
    CFRelease(priv);
}
END_TEST

/* The generated certificate is trusted when it is its own anchor (RSA 2048, SHA-256). */
START_TEST(self_signed_certificate_is_trusted_as_anchor)
{
    SecKeyRef priv = new_private_key(kSecAttrKeyTypeRSA, 2048);
    CFArrayRef subject = subject_of(CFSTR("Trusted Self"));
    SecCertificateRef c = SecGenerateSelfSignedCertificate(subject, NULL, NULL, priv);
    ck_assert_ptr_nonnull(c);
    X509 *x = x509_of(c);
    ck_assert_int_eq(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    ck_assert_int_eq(ASN1_INTEGER_get(X509_get0_serialNumber(x)), 1); /* Apple's default */
    int days = 0, secs = 0;
    ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x));
    ck_assert_int_eq(days, 365);
    X509_free(x);

    SecPolicyRef policy = SecPolicyCreateBasicX509();
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SecTrustCreateWithCertificates(c, policy, &trust), errSecSuccess);
    CFErrorRef error = NULL;
    ck_assert(!SecTrustEvaluateWithError(trust, &error)); /* not an anchor yet */
    CFRelease(error);
    const void *anchors[] = {c};
    CFArrayRef anchor_array = CFArrayCreate(NULL, anchors, 1, &kCFTypeArrayCallBacks);
    ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchor_array), errSecSuccess);
    error = NULL;
    ck_assert(SecTrustEvaluateWithError(trust, &error));
    ck_assert_ptr_null(error);
    CFRelease(anchor_array);
    CFRelease(trust);
    CFRelease(policy);
    CFRelease(c);
    CFRelease(subject);
    CFRelease(priv);
}
END_TEST

/* OIDs as CFData, the array form of the alternative names, IP addresses, principal names. */
START_TEST(self_signed_other_forms)
{
    SecKeyRef priv = new_private_key(kSecAttrKeyTypeECSECPrimeRandom, 256);
    static const unsigned char cn_oid[] = {0x55, 0x04, 0x03};
    CFDataRef oid = CFDataCreate(NULL, cn_oid, sizeof(cn_oid));
    CFArrayRef r = rdn(oid, CFSTR("By DER OID"));
    const void *rdns[] = {r};
    CFArrayRef subject = CFArrayCreate(NULL, rdns, 1, &kCFTypeArrayCallBacks);
    static const unsigned char ip[] = {10, 0, 0, 1};
    CFDataRef ip_data = CFDataCreate(NULL, ip, sizeof(ip));
    const void *names[] = {CFSTR("dns.test"), CFSTR("mail@dns.test"), ip_data};
    CFArrayRef san = CFArrayCreate(NULL, names, 3, &kCFTypeArrayCallBacks);
    long serial = 77;
    CFNumberRef sn = CFNumberCreate(NULL, kCFNumberLongType, &serial);
    const void *keys[] = {kSecSubjectAltName, kSecCertificateSerialNumber};
    const void *values[] = {san, sn};
    CFDictionaryRef params = CFDictionaryCreate(
        NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    SecCertificateRef c = SecGenerateSelfSignedCertificate(subject, params, NULL, priv);
    ck_assert_ptr_nonnull(c);
    X509 *x = x509_of(c);
    ck_assert_int_eq(ASN1_INTEGER_get(X509_get0_serialNumber(x)), 77);
    ck_assert_int_eq(X509_check_ip_asc(x, "10.0.0.1", 0), 1);
    ck_assert_int_eq(X509_check_email(x, "mail@dns.test", 0, 0), 1);
    ck_assert_int_eq(X509_check_host(x, "dns.test", 0, 0, NULL), 1);
    CFStringRef cn = NULL;
    ck_assert_int_eq(SecCertificateCopyCommonName(c, &cn), errSecSuccess);
    ck_assert_str_eq(text(cn), "By DER OID");
    CFRelease(cn);
    X509_free(x);
    CFRelease(c);
    CFRelease(params);

    /* A user principal name: otherName 1.3.6.1.4.1.311.20.2.3. */
    const void *upn_keys[] = {kSecSubjectAltNameNTPrincipalName};
    const void *upn_values[] = {CFSTR("user@realm.test")};
    CFDictionaryRef upn =
        CFDictionaryCreate(NULL, upn_keys, upn_values, 1, &kCFTypeDictionaryKeyCallBacks,
                           &kCFTypeDictionaryValueCallBacks);
    const void *pk[] = {kSecSubjectAltName};
    const void *pv[] = {upn};
    params = CFDictionaryCreate(NULL, pk, pv, 1, &kCFTypeDictionaryKeyCallBacks,
                                &kCFTypeDictionaryValueCallBacks);
    c = SecGenerateSelfSignedCertificate(subject, params, NULL, priv);
    x = x509_of(c);
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    ck_assert_int_eq(sk_GENERAL_NAME_num(gens), 1);
    const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, 0);
    ck_assert_int_eq(gn->type, GEN_OTHERNAME);
    ck_assert_int_eq(OBJ_obj2nid(gn->d.otherName->type_id), NID_ms_upn);
    ck_assert_str_eq((const char *)ASN1_STRING_get0_data(gn->d.otherName->value->value.utf8string),
                     "user@realm.test");
    GENERAL_NAMES_free(gens);
    X509_free(x);
    CFRelease(c);
    CFRelease(params);
    CFRelease(upn);
    CFRelease(sn);
    CFRelease(san);
    CFRelease(ip_data);
    CFRelease(subject);
    CFRelease(r);
    CFRelease(oid);
    CFRelease(priv);
}
END_TEST

static CFDictionaryRef one_parameter(CFStringRef key, CFTypeRef value)
{
    const void *k[] = {key};
    const void *v[] = {value};
    return CFDictionaryCreate(NULL, k, v, 1, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

START_TEST(self_signed_hostile_arguments)
{
    SecKeyRef priv = new_private_key(kSecAttrKeyTypeECSECPrimeRandom, 256);
    SecKeyRef pub = SecKeyCopyPublicKey(priv);
    CFArrayRef subject = subject_of(CFSTR("x"));
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(subject, NULL, priv, pub));
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(subject, NULL, NULL, NULL));
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(NULL, NULL, NULL, priv));
    ck_assert_ptr_null(
        SecGenerateSelfSignedCertificate((CFArrayRef)CFSTR("CN=x"), NULL, NULL, priv));
    ck_assert_ptr_null(
        SecGenerateSelfSignedCertificate(subject, (CFDictionaryRef)subject, NULL, priv));

    /* An ATV that is not a pair, an unknown attribute name, a value of the wrong type. */
    const void *triple[] = {kSecOidCommonName, CFSTR("a"), CFSTR("b")};
    CFArrayRef atv = CFArrayCreate(NULL, triple, 3, &kCFTypeArrayCallBacks);
    const void *one[] = {atv};
    CFArrayRef bad_rdn = CFArrayCreate(NULL, one, 1, &kCFTypeArrayCallBacks);
    const void *rdns[] = {bad_rdn};
    CFArrayRef bad_subject = CFArrayCreate(NULL, rdns, 1, &kCFTypeArrayCallBacks);
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(bad_subject, NULL, NULL, priv));
    CFArrayRef unknown = rdn(CFSTR("XX"), CFSTR("y"));
    const void *u[] = {unknown};
    CFArrayRef unknown_subject = CFArrayCreate(NULL, u, 1, &kCFTypeArrayCallBacks);
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(unknown_subject, NULL, NULL, priv));
    CFArrayRef number_value = rdn(kSecOidCommonName, kCFBooleanTrue);
    const void *nv[] = {number_value};
    CFArrayRef nv_subject = CFArrayCreate(NULL, nv, 1, &kCFTypeArrayCallBacks);
    ck_assert_ptr_null(SecGenerateSelfSignedCertificate(nv_subject, NULL, NULL, priv));

    /* Bad parameter values: a serial of 21 bytes, a lifetime that is text, a negative serial. */
    unsigned char big[21] = {1};
    CFDataRef big_serial = CFDataCreate(NULL, big, sizeof(big));
    long minus = -5;
    CFNumberRef negative = CFNumberCreate(NULL, kCFNumberLongType, &minus);
    CFDictionaryRef bad[] = {
        one_parameter(kSecCertificateSerialNumber, big_serial),
        one_parameter(kSecCertificateSerialNumber, negative),
        one_parameter(kSecCertificateLifetime, CFSTR("3600")),
        one_parameter(kSecCertificateLifetime, negative),
        one_parameter(kSecSubjectAltName, CFSTR("a.test")),
        one_parameter(kSecCSRBasicContraintsPathLen, CFSTR("1")),
        one_parameter(kSecCertificateExtensions, CFSTR("1.2.3")),
        one_parameter(kSecCertificateExtensionsEncoded, subject),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(SecGenerateSelfSignedCertificate(subject, bad[i], NULL, priv) == NULL,
                      "parameters %zu", i);
        CFRelease(bad[i]);
    }
    /* An empty subject is allowed. */
    CFArrayRef empty = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    SecCertificateRef c = SecGenerateSelfSignedCertificate(empty, NULL, NULL, priv);
    ck_assert_ptr_nonnull(c);
    CFRelease(c);
    CFRelease(empty);
    CFRelease(negative);
    CFRelease(big_serial);
    CFRelease(nv_subject);
    CFRelease(number_value);
    CFRelease(unknown_subject);
    CFRelease(unknown);
    CFRelease(bad_subject);
    CFRelease(bad_rdn);
    CFRelease(atv);
    CFRelease(subject);
    CFRelease(pub);
    CFRelease(priv);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec_certificate_values");
    TCase *tc = tcase_create("values");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, constant_values);
    tcase_add_test(tc, values_basic_fields);
    tcase_add_test(tc, values_names_and_extensions);
    tcase_add_test(tc, values_selected_keys);
    tcase_add_test(tc, validity);
    tcase_add_test(tc, serial_number_data);
    tcase_add_test(tc, normalized_names);
    tcase_add_test(tc, email_addresses_and_descriptions);
    tcase_add_test(tc, self_signed_certificate_contents);
    tcase_add_test(tc, self_signed_certificate_is_trusted_as_anchor);
    tcase_add_test(tc, self_signed_other_forms);
    tcase_add_test(tc, self_signed_hostile_arguments);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
