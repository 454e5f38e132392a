/*
 * Certificate details: SecCertificateCopyValues (the fields keyed by OID,
 * each a {type, label, localized label, value} property as on macOS), the
 * descriptions, validity dates, serial number, normalized names and e-mail
 * addresses.
 */
#include <arpa/inet.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cf_string.h"
#include "sec_errors.h"

CF_STRING_CONSTANT(kSecPropertyKeyType, "type");
CF_STRING_CONSTANT(kSecPropertyKeyLabel, "label");
CF_STRING_CONSTANT(kSecPropertyKeyLocalizedLabel, "localized label");
CF_STRING_CONSTANT(kSecPropertyKeyValue, "value");
CF_STRING_CONSTANT(kSecPropertyTypeWarning, "warning");
CF_STRING_CONSTANT(kSecPropertyTypeSuccess, "success");
CF_STRING_CONSTANT(kSecPropertyTypeSection, "section");
CF_STRING_CONSTANT(kSecPropertyTypeData, "data");
CF_STRING_CONSTANT(kSecPropertyTypeString, "string");
CF_STRING_CONSTANT(kSecPropertyTypeURL, "url");
CF_STRING_CONSTANT(kSecPropertyTypeDate, "date");
CF_STRING_CONSTANT(kSecPropertyTypeArray, "array");
CF_STRING_CONSTANT(kSecPropertyTypeNumber, "number");

/* Seconds from the Unix epoch to CF's reference date, 2001-01-01 00:00:00 GMT. */
#define UNIX_TO_CF_EPOCH 978307200.0

static void set_certificate_error(CFErrorRef *error)
{
    sec_set_error(error, errSecInvalidCertificateRef);
}

static bool absolute_time_of(const ASN1_TIME *t, CFAbsoluteTime *out)
{
    struct tm tm;
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return false;
    *out = (double)timegm(&tm) - UNIX_TO_CF_EPOCH;
    return true;
}

CFAbsoluteTime SecCertificateNotValidBefore(SecCertificateRef certificate)
{
    X509 *x = sec_certificate_x509(certificate);
    CFAbsoluteTime t = 0;
    return x != NULL && absolute_time_of(X509_get0_notBefore(x), &t) ? t : 0;
}

CFAbsoluteTime SecCertificateNotValidAfter(SecCertificateRef certificate)
{
    X509 *x = sec_certificate_x509(certificate);
    CFAbsoluteTime t = 0;
    return x != NULL && absolute_time_of(X509_get0_notAfter(x), &t) ? t : 0;
}

/* Both ends of the validity period count as valid. */
bool SecCertificateIsValid(SecCertificateRef certificate, CFAbsoluteTime verifyTime)
{
    X509 *x = sec_certificate_x509(certificate);
    CFAbsoluteTime from, until;
    return x != NULL && absolute_time_of(X509_get0_notBefore(x), &from) &&
           absolute_time_of(X509_get0_notAfter(x), &until) && from <= verifyTime &&
           verifyTime <= until;
}

/* The content octets of a DER TLV (without tag and length) as CFData. */
static CFDataRef der_content(const unsigned char *der, long len)
{
    const unsigned char *p = der;
    long content_len = 0;
    int tag, cls;
    if (der == NULL || len <= 0 || (ASN1_get_object(&p, &content_len, &tag, &cls, len) & 0x80) ||
        content_len > len - (p - der))
        return NULL;
    return CFDataCreate(NULL, p, content_len);
}

/* The DER INTEGER's content: the two's complement bytes, sign byte included. */
CFDataRef SecCertificateCopySerialNumberData(SecCertificateRef certificate, CFErrorRef *error)
{
    X509 *x = sec_certificate_x509(certificate);
    unsigned char *der = NULL;
    int len = x != NULL ? i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der) : -1;
    CFDataRef serial = der_content(der, len);
    OPENSSL_free(der);
    if (serial == NULL)
        set_certificate_error(error);
    return serial;
}

/* Trims, folds runs of white space to one space and upper-cases ASCII letters, in place. */
static size_t normalize_text(unsigned char *s, size_t len)
{
    size_t out = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = out > 0;
            continue;
        }
        if (space)
            s[out++] = ' ';
        space = false;
        s[out++] = c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
    }
    return out;
}

/* Copies entry `i` of `name` into `out` normalized, keeping the RDN grouping. */
static bool add_normalized_entry(X509_NAME *out, const X509_NAME *name, int i)
{
    const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
    int set =
        i > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i - 1)) == X509_NAME_ENTRY_set(e)
            ? -1
            : 0;
    unsigned char *utf8 = NULL;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    bool ok;
    if (len < 0) {
        /* A value that is no string (or not convertible) is kept as it is. */
        ok = X509_NAME_add_entry(out, e, -1, set) == 1;
    } else {
        size_t n = normalize_text(utf8, (size_t)len);
        ok = X509_NAME_add_entry_by_OBJ(out, X509_NAME_ENTRY_get_object(e), V_ASN1_UTF8STRING, utf8,
                                        (int)n, -1, set) == 1;
    }
    OPENSSL_free(utf8);
    return ok;
}

static CFDataRef copy_normalized_name(const X509_NAME *name)
{
    X509_NAME *norm = X509_NAME_new();
    bool ok = norm != NULL;
    for (int i = 0; ok && i < X509_NAME_entry_count(name); i++)
        ok = add_normalized_entry(norm, name, i);
    unsigned char *der = NULL;
    int len = ok ? i2d_X509_NAME(norm, &der) : -1;
    CFDataRef data = len > 0 ? CFDataCreate(NULL, der, len) : NULL;
    OPENSSL_free(der);
    X509_NAME_free(norm);
    return data;
}

CFDataRef SecCertificateCopyNormalizedIssuerSequence(SecCertificateRef certificate)
{
    X509 *x = sec_certificate_x509(certificate);
    return x != NULL ? copy_normalized_name(X509_get_issuer_name(x)) : NULL;
}

CFDataRef SecCertificateCopyNormalizedSubjectSequence(SecCertificateRef certificate)
{
    X509 *x = sec_certificate_x509(certificate);
    return x != NULL ? copy_normalized_name(X509_get_subject_name(x)) : NULL;
}

/* A CFString of an ASN.1 string's text; NULL when it is not convertible. */
static CFStringRef string_of(const ASN1_STRING *s)
{
    unsigned char *utf8 = NULL;
    int len = ASN1_STRING_to_UTF8(&utf8, s);
    CFStringRef text = len >= 0 ? cf_string_create_utf8((const char *)utf8, (size_t)len) : NULL;
    OPENSSL_free(utf8);
    return text;
}

/* Appends `value` and releases it (NULL is skipped). */
static void append_taken(CFMutableArrayRef array, CFTypeRef value)
{
    if (value == NULL)
        return;
    CFArrayAppendValue(array, value);
    CFRelease(value);
}

/* Every value of attribute `nid` in `name`, in order. */
static void append_name_values(CFMutableArrayRef out, const X509_NAME *name, int nid)
{
    for (int i = -1; (i = X509_NAME_get_index_by_NID(name, nid, i)) >= 0;)
        append_taken(out, string_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i))));
}

/* The text of an IP address general name. */
static CFStringRef ip_string(const ASN1_OCTET_STRING *ip)
{
    char text[INET6_ADDRSTRLEN];
    int len = ASN1_STRING_length(ip);
    int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : -1;
    if (family < 0 || inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof(text)) == NULL)
        return NULL;
    return cf_string_create_format("%s", text);
}

/* The subject alternative names of one kind (GEN_DNS, GEN_EMAIL, GEN_IPADD). */
static void append_alt_names(CFMutableArrayRef out, X509 *x, int kind)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == kind)
            append_taken(out,
                         kind == GEN_IPADD ? ip_string(gn->d.iPAddress) : string_of(gn->d.ia5));
    }
    GENERAL_NAMES_free(names);
}

/* E-mail addresses of the subject name, then of the subject alternative names. */
static CFMutableArrayRef copy_emails(X509 *x)
{
    CFMutableArrayRef emails = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    if (emails != NULL) {
        append_name_values(emails, X509_get_subject_name(x), NID_pkcs9_emailAddress);
        append_alt_names(emails, x, GEN_EMAIL);
    }
    return emails;
}

OSStatus SecCertificateCopyEmailAddresses(SecCertificateRef certificate, CFArrayRef *emailAddresses)
{
    X509 *x = sec_certificate_x509(certificate);
    if (x == NULL || emailAddresses == NULL)
        return errSecParam;
    *emailAddresses = copy_emails(x);
    return *emailAddresses != NULL ? errSecSuccess : errSecAllocate;
}

/* The subject as RFC 2253 text (UTF-8 kept): the label of last resort. */
static CFStringRef subject_text(X509 *x)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *text = NULL;
    long len = 0;
    if (bio != NULL && X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
                                          XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
        len = BIO_get_mem_data(bio, &text);
    CFStringRef s = len >= 0 && text != NULL ? cf_string_create_utf8(text, (size_t)len)
                                             : cf_string_create_utf8("", 0);
    BIO_free(bio);
    return s;
}

/*
 * macOS gives the same inferred label for both descriptions: the subject
 * summary (common name, else a SAN name, else the organization), else the
 * subject name as text.
 */
CFStringRef SecCertificateCopyShortDescription(CFAllocatorRef alloc, SecCertificateRef certificate,
                                               CFErrorRef *error)
{
    (void)alloc;
    X509 *x = sec_certificate_x509(certificate);
    if (x == NULL) {
        set_certificate_error(error);
        return NULL;
    }
    CFStringRef label = SecCertificateCopySubjectSummary(certificate);
    return label != NULL ? label : subject_text(x);
}

CFStringRef SecCertificateCopyLongDescription(CFAllocatorRef alloc, SecCertificateRef certificate,
                                              CFErrorRef *error)
{
    return SecCertificateCopyShortDescription(alloc, certificate, error);
}

/* ---- SecCertificateCopyValues ---- */

/* One property: {type, label, localized label, value}; the localized label defaults to the label.
 */
static CFDictionaryRef property_create(CFStringRef type, CFStringRef label, CFStringRef localized,
                                       CFTypeRef value)
{
    const void *keys[] = {kSecPropertyKeyType, kSecPropertyKeyLabel, kSecPropertyKeyLocalizedLabel,
                          kSecPropertyKeyValue};
    const void *values[] = {type, label, localized != NULL ? localized : label, value};
    if (label == NULL || value == NULL)
        return NULL;
    return CFDictionaryCreate(NULL, keys, values, 4, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

static void release_all(CFTypeRef a, CFTypeRef b, CFTypeRef c)
{
    if (a != NULL)
        CFRelease(a);
    if (b != NULL)
        CFRelease(b);
    if (c != NULL)
        CFRelease(c);
}

/* Appends a property to a section; takes (releases) `label`, `localized` and `value`. */
static void append_property(CFMutableArrayRef section, CFStringRef type, CFStringRef label,
                            CFStringRef localized, CFTypeRef value)
{
    append_taken(section, property_create(type, label, localized, value));
    release_all(label, localized, value);
}

/* Sets values[key] to a property; takes `key`, `localized` and `value`. */
static void set_property(CFMutableDictionaryRef values, CFStringRef key, CFStringRef type,
                         CFStringRef label, CFStringRef localized, CFTypeRef value)
{
    CFDictionaryRef p = property_create(type, label, localized, value);
    if (p != NULL && key != NULL && !CFDictionaryContainsKey(values, key))
        CFDictionarySetValue(values, key, p);
    if (p != NULL)
        CFRelease(p);
    release_all(localized, value, NULL);
}

static CFStringRef text(const char *s)
{
    return cf_string_create_utf8(s, strlen(s));
}

static CFStringRef oid_string(const ASN1_OBJECT *obj)
{
    char buf[128];
    int n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
    return n > 0 && (size_t)n < sizeof(buf) ? text(buf) : NULL;
}

/* Readable names for the usual name attributes; OpenSSL's long name for others. */
static CFStringRef attribute_name(const ASN1_OBJECT *obj)
{
    static const struct {
        int nid;
        const char *name;
    } names[] = {
        {NID_commonName, "Common Name"},
        {NID_countryName, "Country"},
        {NID_stateOrProvinceName, "State/Province"},
        {NID_localityName, "Locality"},
        {NID_organizationName, "Organization"},
        {NID_organizationalUnitName, "Organizational Unit"},
        {NID_pkcs9_emailAddress, "Email Address"},
        {NID_serialNumber, "Serial Number"},
        {NID_streetAddress, "Street Address"},
        {NID_title, "Title"},
        {NID_surname, "Surname"},
        {NID_givenName, "Given Name"},
        {NID_description, "Description"},
    };
    int nid = OBJ_obj2nid(obj);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].nid == nid)
            return text(names[i].name);
    return nid != NID_undef ? text(OBJ_nid2ln(nid)) : oid_string(obj);
}

/* One string property per attribute: label the OID, localized label its name. */
static CFArrayRef name_section(const X509_NAME *name)
{
    CFMutableArrayRef section = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    for (int i = 0; section != NULL && i < X509_NAME_entry_count(name); i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
        const ASN1_STRING *value = X509_NAME_ENTRY_get_data(e);
        CFTypeRef v = string_of(value);
        CFStringRef type = kSecPropertyTypeString;
        if (v == NULL) {
            v = CFDataCreate(NULL, ASN1_STRING_get0_data(value), ASN1_STRING_length(value));
            type = kSecPropertyTypeData;
        }
        append_property(section, type, oid_string(obj), attribute_name(obj), v);
    }
    return section;
}

/* "name ( dotted.oid )" for a known OID, the dotted OID alone otherwise. */
static CFStringRef oid_description(const ASN1_OBJECT *obj)
{
    char dotted[128];
    int nid = OBJ_obj2nid(obj);
    if (OBJ_obj2txt(dotted, sizeof(dotted), obj, 1) <= 0)
        return NULL;
    if (nid == NID_undef)
        return text(dotted);
    return cf_string_create_format("%s ( %s )", OBJ_nid2ln(nid), dotted);
}

/* The "Algorithm" and "Parameters" of an AlgorithmIdentifier. */
static CFArrayRef algorithm_section(const X509_ALGOR *alg)
{
    const ASN1_OBJECT *obj;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&obj, &ptype, &pval, alg);
    CFMutableArrayRef section = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    if (section == NULL)
        return NULL;
    append_property(section, kSecPropertyTypeString, text("Algorithm"), NULL, oid_description(obj));
    if (ptype == V_ASN1_NULL) {
        append_property(section, kSecPropertyTypeString, text("Parameters"), NULL, text("None"));
    } else if (ptype != V_ASN1_UNDEF && alg->parameter != NULL) {
        unsigned char *der = NULL;
        int len = i2d_ASN1_TYPE(alg->parameter, &der);
        append_property(section, kSecPropertyTypeData, text("Parameters"), NULL,
                        len > 0 ? CFDataCreate(NULL, der, len) : NULL);
        OPENSSL_free(der);
    }
    return section;
}

/* Apple's decimal for serial numbers of up to 8 bytes, spaced hex bytes beyond. */
static CFStringRef serial_text(const ASN1_INTEGER *serial)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    CFStringRef s = NULL;
    if (bn != NULL && BN_num_bytes(bn) <= 8) {
        char *dec = BN_bn2dec(bn);
        s = dec != NULL ? text(dec) : NULL;
        OPENSSL_free(dec);
    } else if (bn != NULL) {
        const unsigned char *p = ASN1_STRING_get0_data(serial);
        s = cf_string_create_format("%02X", p[0]);
        for (int i = 1; s != NULL && i < ASN1_STRING_length(serial); i++)
            s = cf_string_append_format(s, " %02X", p[i]);
    }
    BN_free(bn);
    return s;
}

static CFNumberRef time_number(const ASN1_TIME *t)
{
    CFAbsoluteTime at;
    return absolute_time_of(t, &at) ? CFNumberCreate(NULL, kCFNumberDoubleType, &at) : NULL;
}

/* The bytes of a BIT STRING (public key, signature) as CFData. */
static CFDataRef bit_string_data(const ASN1_BIT_STRING *bits)
{
    return bits != NULL ? CFDataCreate(NULL, ASN1_STRING_get0_data(bits), ASN1_STRING_length(bits))
                        : NULL;
}

/* Version, serial, names, validity, algorithms, key and signature. */
static void add_basic_fields(CFMutableDictionaryRef values, X509 *x)
{
    set_property(values, kSecOIDX509V1Version, kSecPropertyTypeString, CFSTR("Version"), NULL,
                 cf_string_create_format("%ld", X509_get_version(x) + 1));
    set_property(values, kSecOIDX509V1SerialNumber, kSecPropertyTypeString, CFSTR("Serial Number"),
                 NULL, serial_text(X509_get0_serialNumber(x)));
    set_property(values, kSecOIDX509V1SubjectName, kSecPropertyTypeSection, CFSTR("Subject Name"),
                 NULL, name_section(X509_get_subject_name(x)));
    set_property(values, kSecOIDX509V1IssuerName, kSecPropertyTypeSection, CFSTR("Issuer Name"),
                 NULL, name_section(X509_get_issuer_name(x)));
    /* macOS reports the validity dates as CFAbsoluteTime numbers. */
    set_property(values, kSecOIDX509V1ValidityNotBefore, kSecPropertyTypeNumber,
                 CFSTR("Not Valid Before"), NULL, time_number(X509_get0_notBefore(x)));
    set_property(values, kSecOIDX509V1ValidityNotAfter, kSecPropertyTypeNumber,
                 CFSTR("Not Valid After"), NULL, time_number(X509_get0_notAfter(x)));

    const ASN1_BIT_STRING *signature;
    const X509_ALGOR *sig_alg;
    X509_get0_signature(&signature, &sig_alg, x);
    set_property(values, kSecOIDX509V1SignatureAlgorithm, kSecPropertyTypeSection,
                 CFSTR("Signature Algorithm"), NULL, algorithm_section(sig_alg));
    set_property(values, kSecOIDX509V1Signature, kSecPropertyTypeData, CFSTR("Signature"), NULL,
                 bit_string_data(signature));

    const unsigned char *key_bytes;
    int key_len;
    X509_ALGOR *key_alg;
    if (X509_PUBKEY_get0_param(NULL, &key_bytes, &key_len, &key_alg, X509_get_X509_PUBKEY(x))) {
        set_property(values, kSecOIDX509V1SubjectPublicKeyAlgorithm, kSecPropertyTypeSection,
                     CFSTR("Public Key Algorithm"), NULL, algorithm_section(key_alg));
        set_property(values, kSecOIDX509V1SubjectPublicKey, kSecPropertyTypeData,
                     CFSTR("Public Key Data"), NULL, CFDataCreate(NULL, key_bytes, key_len));
    }
}

/* Sets an array property when the array has elements; takes `array`. */
static void set_array(CFMutableDictionaryRef values, CFStringRef key, CFStringRef label,
                      CFMutableArrayRef array)
{
    if (array != NULL && CFArrayGetCount(array) == 0) {
        CFRelease(array);
        return;
    }
    set_property(values, key, kSecPropertyTypeArray, label, NULL, array);
}

static CFMutableArrayRef new_array(void)
{
    return CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
}

/* The lists macOS adds: common names, e-mail addresses, DNS names, IP addresses. */
static void add_name_lists(CFMutableDictionaryRef values, X509 *x)
{
    CFMutableArrayRef names = new_array();
    if (names != NULL)
        append_name_values(names, X509_get_subject_name(x), NID_commonName);
    set_array(values, kSecOIDCommonName, CFSTR("CN"), names);
    set_array(values, kSecOIDEmailAddress, CFSTR("Email Address"), copy_emails(x));
    CFMutableArrayRef dns = new_array();
    if (dns != NULL)
        append_alt_names(dns, x, GEN_DNS);
    set_array(values, CFSTR("DNSNAMES"), CFSTR("DNS"), dns);
    CFMutableArrayRef ips = new_array();
    if (ips != NULL)
        append_alt_names(ips, x, GEN_IPADD);
    set_array(values, CFSTR("IPADDRESSES"), CFSTR("IP"), ips);
}

/* X509_get_key_usage's bits (OpenSSL's KU_* layout) as SecKeyUsage bits. */
static SecKeyUsage key_usage_of(X509 *x)
{
    static const struct {
        uint32_t ku;
        SecKeyUsage usage;
    } bits[] = {
        {KU_DIGITAL_SIGNATURE, kSecKeyUsageDigitalSignature},
        {KU_NON_REPUDIATION, kSecKeyUsageNonRepudiation},
        {KU_KEY_ENCIPHERMENT, kSecKeyUsageKeyEncipherment},
        {KU_DATA_ENCIPHERMENT, kSecKeyUsageDataEncipherment},
        {KU_KEY_AGREEMENT, kSecKeyUsageKeyAgreement},
        {KU_KEY_CERT_SIGN, kSecKeyUsageKeyCertSign},
        {KU_CRL_SIGN, kSecKeyUsageCRLSign},
        {KU_ENCIPHER_ONLY, kSecKeyUsageEncipherOnly},
        {KU_DECIPHER_ONLY, kSecKeyUsageDecipherOnly},
    };
    int at = X509_get_ext_by_NID(x, NID_key_usage, -1);
    if (at < 0)
        return kSecKeyUsageUnspecified;
    uint32_t ku = X509_get_key_usage(x);
    SecKeyUsage usage =
        X509_EXTENSION_get_critical(X509_get_ext(x, at)) ? (SecKeyUsage)kSecKeyUsageCritical : 0;
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (ku & bits[i].ku)
            usage |= bits[i].usage;
    return usage;
}

/* Key usage (a number, always present) and extended key usages (OID bytes). */
static void add_usages(CFMutableDictionaryRef values, X509 *x)
{
    int32_t usage = (int32_t)key_usage_of(x);
    set_property(values, kSecOIDKeyUsage, kSecPropertyTypeNumber, CFSTR("Key Usage"), NULL,
                 CFNumberCreate(NULL, kCFNumberSInt32Type, &usage));
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    if (eku == NULL)
        return;
    CFMutableArrayRef oids = new_array();
    for (int i = 0; oids != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
        const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value(eku, i);
        append_taken(oids, CFDataCreate(NULL, OBJ_get0_data(obj), (CFIndex)OBJ_length(obj)));
    }
    EXTENDED_KEY_USAGE_free(eku);
    set_property(values, kSecOIDExtendedKeyUsage, kSecPropertyTypeArray,
                 CFSTR("Extended Key Usage"), NULL, oids);
}

static void append_general_names(CFMutableArrayRef section, X509_EXTENSION *ext)
{
    GENERAL_NAMES *names = X509V3_EXT_d2i(ext);
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        switch (gn->type) {
        case GEN_DNS:
            append_property(section, kSecPropertyTypeString, text("DNS Name"), NULL,
                            string_of(gn->d.dNSName));
            break;
        case GEN_EMAIL:
            append_property(section, kSecPropertyTypeString, text("Email Address"), NULL,
                            string_of(gn->d.rfc822Name));
            break;
        case GEN_URI:
            append_property(section, kSecPropertyTypeURL, text("URI"), NULL,
                            string_of(gn->d.uniformResourceIdentifier));
            break;
        case GEN_IPADD:
            append_property(section, kSecPropertyTypeString, text("IP Address"), NULL,
                            ip_string(gn->d.iPAddress));
            break;
        default: break;
        }
    }
    GENERAL_NAMES_free(names);
}

static void append_basic_constraints(CFMutableArrayRef section, X509_EXTENSION *ext)
{
    BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i(ext);
    if (bc == NULL)
        return;
    append_property(section, kSecPropertyTypeString, text("Certificate Authority"), NULL,
                    text(bc->ca ? "Yes" : "No"));
    if (bc->pathlen != NULL)
        append_property(section, kSecPropertyTypeString, text("Path Length Constraint"), NULL,
                        cf_string_create_format("%ld", ASN1_INTEGER_get(bc->pathlen)));
    BASIC_CONSTRAINTS_free(bc);
}

/* One extension as a section: "Critical" when it is, then its content. */
static CFArrayRef extension_section(X509_EXTENSION *ext)
{
    CFMutableArrayRef section = new_array();
    if (section == NULL)
        return NULL;
    if (X509_EXTENSION_get_critical(ext))
        append_property(section, kSecPropertyTypeString, text("Critical"), NULL, text("Yes"));
    switch (OBJ_obj2nid(X509_EXTENSION_get_object(ext))) {
    case NID_subject_alt_name:
    case NID_issuer_alt_name: append_general_names(section, ext); break;
    case NID_basic_constraints: append_basic_constraints(section, ext); break;
    default: {
        const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
        append_property(section, kSecPropertyTypeData, text("Data"), NULL,
                        CFDataCreate(NULL, ASN1_STRING_get0_data(data), ASN1_STRING_length(data)));
    }
    }
    return section;
}

/* Every other extension, keyed by its OID (key usages are reported above). */
static void add_extensions(CFMutableDictionaryRef values, X509 *x)
{
    for (int i = 0; i < X509_get_ext_count(x); i++) {
        X509_EXTENSION *ext = X509_get_ext(x, i);
        const ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);
        int nid = OBJ_obj2nid(obj);
        if (nid == NID_key_usage || nid == NID_ext_key_usage)
            continue;
        CFStringRef oid = oid_string(obj);
        set_property(values, oid, kSecPropertyTypeSection, oid, attribute_name(obj),
                     extension_section(ext));
        if (oid != NULL)
            CFRelease(oid);
    }
}

static CFMutableDictionaryRef copy_all_values(X509 *x)
{
    CFMutableDictionaryRef values = CFDictionaryCreateMutable(
        NULL, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    if (values == NULL)
        return NULL;
    add_basic_fields(values, x);
    add_name_lists(values, x);
    add_usages(values, x);
    add_extensions(values, x);
    return values;
}

static bool all_strings(CFArrayRef keys)
{
    for (CFIndex i = 0; i < CFArrayGetCount(keys); i++)
        if (!cf_is_type(CFArrayGetValueAtIndex(keys, i), CFStringGetTypeID()))
            return false;
    return true;
}

/* The entries of `all` whose keys are listed; unknown keys are ignored. */
static CFDictionaryRef select_values(CFDictionaryRef all, CFArrayRef keys)
{
    CFMutableDictionaryRef out = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                           &kCFTypeDictionaryValueCallBacks);
    for (CFIndex i = 0; out != NULL && i < CFArrayGetCount(keys); i++) {
        const void *key = CFArrayGetValueAtIndex(keys, i);
        const void *value = CFDictionaryGetValue(all, key);
        if (value != NULL)
            CFDictionarySetValue(out, key, value);
    }
    return out;
}

CFDictionaryRef SecCertificateCopyValues(SecCertificateRef certificate, CFArrayRef keys,
                                         CFErrorRef *error)
{
    X509 *x = sec_certificate_x509(certificate);
    if (x == NULL) {
        set_certificate_error(error);
        return NULL;
    }
    if (keys != NULL && (!cf_is_type(keys, CFArrayGetTypeID()) || !all_strings(keys))) {
        sec_set_error(error, errSecParam);
        return NULL;
    }
    CFMutableDictionaryRef all = copy_all_values(x);
    if (all == NULL || keys == NULL) {
        if (all == NULL)
            sec_set_error(error, errSecAllocate);
        return all;
    }
    CFDictionaryRef selected = select_values(all, keys);
    CFRelease(all);
    if (selected == NULL)
        sec_set_error(error, errSecAllocate);
    return selected;
}
