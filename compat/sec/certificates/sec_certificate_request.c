/*
 * SecGenerateSelfSignedCertificate: a version 3 certificate for a key pair,
 * its subject given as RDN arrays of [oid, value] pairs, with the validity,
 * serial number and extensions the parameter dictionary asks for, signed
 * with SHA-256 by the private key (Apple's default for RSA is SHA-1, which
 * trust evaluation here refuses; SHA-256 is what a caller can use).
 */
#include <limits.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <strings.h>

#include "cf_string.h"
#include "keys/sec_key_ops.h"

/* Subject attribute names (Apple's values: the short names). */
CF_STRING_CONSTANT(kSecOidCommonName, "CN");
CF_STRING_CONSTANT(kSecOidCountryName, "C");
CF_STRING_CONSTANT(kSecOidStateProvinceName, "ST");
CF_STRING_CONSTANT(kSecOidLocalityName, "L");
CF_STRING_CONSTANT(kSecOidOrganization, "O");
CF_STRING_CONSTANT(kSecOidOrganizationalUnit, "OU");

/* ASN.1 string tags, as Apple's constants hold them. */
const unsigned char SecASN1PrintableString = V_ASN1_PRINTABLESTRING;
const unsigned char SecASN1UTF8String = V_ASN1_UTF8STRING;

CF_STRING_CONSTANT(kSecSubjectAltName, "subjectAltName");
CF_STRING_CONSTANT(kSecCertificateKeyUsage, "keyUsage");
CF_STRING_CONSTANT(kSecCSRBasicContraintsPathLen, "basicConstraints");
CF_STRING_CONSTANT(kSecCertificateExtensions, "certificateExtensions");
CF_STRING_CONSTANT(kSecCertificateExtensionsEncoded, "certificateExtensionsEncoded");
CF_STRING_CONSTANT(kSecCertificateLifetime, "certificateLifetime");
CF_STRING_CONSTANT(kSecCertificateSerialNumber, "certificateSerial");

CF_STRING_CONSTANT(kSecSubjectAltNameDNSName, "dNSName");
CF_STRING_CONSTANT(kSecSubjectAltNameEmailAddress, "rfc822Name");
CF_STRING_CONSTANT(kSecSubjectAltNameURI, "uniformResourceIdentifier");
CF_STRING_CONSTANT(kSecSubjectAltNameNTPrincipalName, "ntPrincipalName");

#define DEFAULT_LIFETIME (365L * 24 * 3600)
#define MAX_SERIAL_BYTES 20

static bool is_type(CFTypeRef cf, CFTypeID type_id)
{
    return cf_is_type(cf, type_id);
}

/* A DER OID from CFData content bytes (checked by printing it back). */
static ASN1_OBJECT *oid_from_der(CFDataRef data)
{
    CFIndex len = CFDataGetLength(data);
    if (len <= 0 || len > 127)
        return NULL;
    unsigned char der[129] = {V_ASN1_OBJECT, (unsigned char)len};
    memcpy(der + 2, CFDataGetBytePtr(data), (size_t)len);
    const unsigned char *p = der;
    ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &p, len + 2);
    char check[8];
    if (obj != NULL && OBJ_obj2txt(check, sizeof(check), obj, 1) <= 0) {
        ASN1_OBJECT_free(obj);
        return NULL;
    }
    return obj;
}

/* The attribute type of a subject ATV: a kSecOid* short name, a dotted OID or DER bytes. */
static ASN1_OBJECT *attribute_type(CFTypeRef oid)
{
    static const struct {
        const char *name;
        int nid;
    } short_names[] = {
        {"CN", NID_commonName},  {"C", NID_countryName},      {"ST", NID_stateOrProvinceName},
        {"L", NID_localityName}, {"O", NID_organizationName}, {"OU", NID_organizationalUnitName},
    };
    if (is_type(oid, CFDataGetTypeID()))
        return oid_from_der(oid);
    const char *text = cf_string_utf8(oid);
    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(short_names) / sizeof(short_names[0]); i++)
        if (strcmp(text, short_names[i].name) == 0)
            return OBJ_nid2obj(short_names[i].nid);
    return OBJ_txt2obj(text, 1);
}

/* PrintableString's characters: letters, digits and  '()+,-./:=? and space. */
static bool printable(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c != '\0' && strchr(" '()+,-./:=?", c) != NULL)))
            return false;
    }
    return true;
}

/* Adds one [oid, value] pair; `set` 0 starts a new RDN, -1 joins the previous one. */
static bool add_atv(X509_NAME *name, CFTypeRef atv, int set)
{
    if (!is_type(atv, CFArrayGetTypeID()) || CFArrayGetCount(atv) != 2)
        return false;
    CFTypeRef value = CFArrayGetValueAtIndex(atv, 1);
    CFStringRef decoded = NULL;
    if (is_type(value, CFDataGetTypeID()))
        value = decoded = cf_string_create_utf8((const char *)CFDataGetBytePtr(value),
                                                (size_t)CFDataGetLength(value));
    const char *text = cf_string_utf8(value);
    ASN1_OBJECT *obj = text != NULL ? attribute_type(CFArrayGetValueAtIndex(atv, 0)) : NULL;
    size_t len = text != NULL ? strlen(text) : 0;
    bool ok = obj != NULL && len < INT_MAX &&
              X509_NAME_add_entry_by_OBJ(
                  name, obj, printable(text, len) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING,
                  (const unsigned char *)text, (int)len, -1, set) == 1;
    ASN1_OBJECT_free(obj);
    if (decoded != NULL)
        CFRelease(decoded);
    return ok;
}

/* The name of a subject array: RDNs, each an array of [oid, value] pairs. */
static X509_NAME *subject_name(CFArrayRef subject)
{
    X509_NAME *name = X509_NAME_new();
    for (CFIndex i = 0; name != NULL && i < CFArrayGetCount(subject); i++) {
        CFTypeRef rdn = CFArrayGetValueAtIndex(subject, i);
        bool ok = is_type(rdn, CFArrayGetTypeID()) && CFArrayGetCount(rdn) > 0;
        for (CFIndex j = 0; ok && j < CFArrayGetCount(rdn); j++)
            ok = add_atv(name, CFArrayGetValueAtIndex(rdn, j), j == 0 ? 0 : -1);
        if (!ok) {
            X509_NAME_free(name);
            name = NULL;
        }
    }
    return name;
}

static CFTypeRef parameter(CFDictionaryRef parameters, CFStringRef key)
{
    return parameters != NULL ? CFDictionaryGetValue(parameters, key) : NULL;
}

static bool number_value(CFTypeRef value, long long *out)
{
    return is_type(value, CFNumberGetTypeID()) &&
           CFNumberGetValue(value, kCFNumberLongLongType, out);
}

/* kSecCertificateSerialNumber: CFData of 1..20 bytes or a non-negative number; 1 if absent. */
static bool set_serial(X509 *x, CFTypeRef value)
{
    ASN1_INTEGER *serial = X509_get_serialNumber(x);
    long long n = 1;
    if (is_type(value, CFDataGetTypeID())) {
        CFIndex len = CFDataGetLength(value);
        BIGNUM *bn = len >= 1 && len <= MAX_SERIAL_BYTES
                         ? BN_bin2bn(CFDataGetBytePtr(value), (int)len, NULL)
                         : NULL;
        bool ok = bn != NULL && BN_to_ASN1_INTEGER(bn, serial) != NULL;
        BN_free(bn);
        return ok;
    }
    if (value != NULL && (!number_value(value, &n) || n < 0))
        return false;
    return ASN1_INTEGER_set_uint64(serial, (uint64_t)n) == 1;
}

/* From now for kSecCertificateLifetime seconds (365 days if absent). */
static bool set_validity(X509 *x, CFTypeRef lifetime)
{
    long long seconds = DEFAULT_LIFETIME;
    if (lifetime != NULL &&
        (!number_value(lifetime, &seconds) || seconds < 0 || seconds > 100LL * 366 * 24 * 3600))
        return false;
    return X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
           X509_gmtime_adj(X509_getm_notAfter(x), (long)seconds) != NULL;
}

/* Critical basic constraints of a CA, with the path length when it is 0..255. */
static bool add_basic_constraints(X509 *x, CFTypeRef value)
{
    long long path_len;
    if (value == NULL)
        return true;
    if (!number_value(value, &path_len))
        return false;
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    bool ok = bc != NULL;
    if (ok) {
        bc->ca = 0xFF;
        if (path_len >= 0 && path_len < 256)
            ok = (bc->pathlen = ASN1_INTEGER_new()) != NULL &&
                 ASN1_INTEGER_set(bc->pathlen, (long)path_len) == 1;
    }
    ok = ok && X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT) == 1;
    BASIC_CONSTRAINTS_free(bc);
    return ok;
}

/* An IA5String general name (DNS, e-mail, URI): ASCII only, as Apple requires. */
static GENERAL_NAME *ia5_name(int kind, CFTypeRef value)
{
    const char *text = cf_string_utf8(value);
    if (text == NULL)
        return NULL;
    for (const char *p = text; *p != '\0'; p++)
        if ((unsigned char)*p > 0x7f)
            return NULL;
    GENERAL_NAME *gn = GENERAL_NAME_new();
    ASN1_IA5STRING *s = ASN1_IA5STRING_new();
    if (gn == NULL || s == NULL || !ASN1_STRING_set(s, text, (int)strlen(text))) {
        GENERAL_NAME_free(gn);
        ASN1_IA5STRING_free(s);
        return NULL;
    }
    GENERAL_NAME_set0_value(gn, kind, s);
    return gn;
}

/* A Microsoft user principal name: otherName 1.3.6.1.4.1.311.20.2.3 with a UTF8String. */
static GENERAL_NAME *principal_name(CFTypeRef value)
{
    const char *text = cf_string_utf8(value);
    GENERAL_NAME *gn = text != NULL ? GENERAL_NAME_new() : NULL;
    ASN1_OBJECT *oid = gn != NULL ? OBJ_txt2obj("1.3.6.1.4.1.311.20.2.3", 1) : NULL;
    ASN1_TYPE *type = oid != NULL ? ASN1_TYPE_new() : NULL;
    ASN1_UTF8STRING *s = type != NULL ? ASN1_UTF8STRING_new() : NULL;
    if (s == NULL || !ASN1_STRING_set(s, text, (int)strlen(text))) {
        ASN1_UTF8STRING_free(s);
        ASN1_TYPE_free(type);
        ASN1_OBJECT_free(oid);
        GENERAL_NAME_free(gn);
        return NULL;
    }
    ASN1_TYPE_set(type, V_ASN1_UTF8STRING, s);
    GENERAL_NAME_set0_othername(gn, oid, type);
    return gn;
}

static GENERAL_NAME *ip_name(CFDataRef value)
{
    CFIndex len = CFDataGetLength(value);
    GENERAL_NAME *gn = len == 4 || len == 16 ? GENERAL_NAME_new() : NULL;
    ASN1_OCTET_STRING *ip = gn != NULL ? ASN1_OCTET_STRING_new() : NULL;
    if (ip == NULL || !ASN1_OCTET_STRING_set(ip, CFDataGetBytePtr(value), (int)len)) {
        ASN1_OCTET_STRING_free(ip);
        GENERAL_NAME_free(gn);
        return NULL;
    }
    GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
    return gn;
}

static bool push_name(GENERAL_NAMES *names, GENERAL_NAME *gn)
{
    if (gn != NULL && sk_GENERAL_NAME_push(names, gn) > 0)
        return true;
    GENERAL_NAME_free(gn);
    return false;
}

/* The general-name kind of a kSecSubjectAltName dictionary key (compared without case). */
static int alt_name_kind(CFTypeRef key)
{
    const char *k = cf_string_utf8(key);
    if (k == NULL)
        return -1;
    if (strcasecmp(k, cf_string_text(kSecSubjectAltNameDNSName)) == 0)
        return GEN_DNS;
    if (strcasecmp(k, cf_string_text(kSecSubjectAltNameEmailAddress)) == 0)
        return GEN_EMAIL;
    if (strcasecmp(k, cf_string_text(kSecSubjectAltNameURI)) == 0)
        return GEN_URI;
    if (strcasecmp(k, cf_string_text(kSecSubjectAltNameNTPrincipalName)) == 0)
        return GEN_OTHERNAME;
    return -1;
}

static GENERAL_NAME *named_value(int kind, CFTypeRef value)
{
    return kind == GEN_OTHERNAME ? principal_name(value) : ia5_name(kind, value);
}

struct alt_names {
    GENERAL_NAMES *names;
    bool ok;
};

/* One dictionary entry: a name or an array of names of the key's kind. */
static void add_alt_entry(const void *key, const void *value, void *context)
{
    struct alt_names *c = context;
    int kind = alt_name_kind(key);
    if (!c->ok || kind < 0) /* unknown keys are ignored, as Apple does */
        return;
    if (is_type(value, CFArrayGetTypeID()) && kind != GEN_OTHERNAME) {
        for (CFIndex i = 0; c->ok && i < CFArrayGetCount(value); i++)
            c->ok = push_name(c->names, named_value(kind, CFArrayGetValueAtIndex(value, i)));
    } else {
        c->ok = push_name(c->names, named_value(kind, value));
    }
}

/* The older array form: "@" makes an e-mail address, 4 or 16 bytes an IP address. */
static bool add_alt_array(GENERAL_NAMES *names, CFArrayRef array)
{
    bool ok = true;
    for (CFIndex i = 0; ok && i < CFArrayGetCount(array); i++) {
        CFTypeRef v = CFArrayGetValueAtIndex(array, i);
        const char *t = cf_string_utf8(v);
        GENERAL_NAME *gn = is_type(v, CFDataGetTypeID()) ? ip_name(v)
                           : t != NULL ? ia5_name(strchr(t, '@') ? GEN_EMAIL : GEN_DNS, v)
                                       : NULL;
        ok = push_name(names, gn);
    }
    return ok;
}

static bool add_subject_alt_names(X509 *x, CFTypeRef value)
{
    if (value == NULL)
        return true;
    struct alt_names c = {GENERAL_NAMES_new(), true};
    if (c.names == NULL)
        return false;
    if (is_type(value, CFDictionaryGetTypeID()))
        CFDictionaryApplyFunction(value, add_alt_entry, &c);
    else
        c.ok = is_type(value, CFArrayGetTypeID()) && add_alt_array(c.names, value);
    c.ok =
        c.ok && (sk_GENERAL_NAME_num(c.names) == 0 ||
                 X509_add1_ext_i2d(x, NID_subject_alt_name, c.names, 0, X509V3_ADD_DEFAULT) == 1);
    GENERAL_NAMES_free(c.names);
    return c.ok;
}

/* Critical key usage from a SecKeyUsage mask (bit n is named bit n of the BIT STRING). */
static bool add_key_usage(X509 *x, CFTypeRef value)
{
    long long mask;
    if (value == NULL)
        return true;
    if (!number_value(value, &mask))
        return false;
    if ((mask & kSecKeyUsageAll) == 0)
        return true;
    ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
    bool ok = bits != NULL;
    for (int i = 0; ok && i < 9; i++)
        if (mask & (1LL << i))
            ok = ASN1_BIT_STRING_set_bit(bits, i, 1) == 1;
    ok = ok && X509_add1_ext_i2d(x, NID_key_usage, bits, 1, X509V3_ADD_DEFAULT) == 1;
    ASN1_BIT_STRING_free(bits);
    return ok;
}

struct custom_extensions {
    X509 *x;
    bool encoded; /* values are already the DER extension value */
    bool ok;
};

/* The DER value of a custom extension: as given, or a UTF8String / OCTET STRING of it. */
static int custom_value(const struct custom_extensions *c, CFTypeRef value, unsigned char **der)
{
    if (is_type(value, CFDataGetTypeID()) && c->encoded) {
        CFIndex len = CFDataGetLength(value);
        *der = OPENSSL_memdup(CFDataGetBytePtr(value), len > 0 ? (size_t)len : 1);
        return *der != NULL ? (int)len : -1;
    }
    if (c->encoded)
        return -1;
    const char *text = cf_string_utf8(value);
    int tag = text != NULL ? V_ASN1_UTF8STRING : V_ASN1_OCTET_STRING;
    if (text == NULL && !is_type(value, CFDataGetTypeID()))
        return -1;
    ASN1_STRING *s = ASN1_STRING_type_new(tag);
    int ok = s != NULL && (text != NULL ? ASN1_STRING_set(s, text, (int)strlen(text))
                                        : ASN1_STRING_set(s, CFDataGetBytePtr(value),
                                                          (int)CFDataGetLength(value)));
    int len = ok ? (tag == V_ASN1_UTF8STRING ? i2d_ASN1_UTF8STRING(s, der)
                                             : i2d_ASN1_OCTET_STRING(s, der))
                 : -1;
    ASN1_STRING_free(s);
    return len;
}

static void add_custom_extension(const void *key, const void *value, void *context)
{
    struct custom_extensions *c = context;
    const char *oid = cf_string_utf8(key);
    if (!c->ok)
        return;
    ASN1_OBJECT *obj = oid != NULL ? OBJ_txt2obj(oid, 1) : NULL;
    unsigned char *der = NULL;
    int len = obj != NULL ? custom_value(c, value, &der) : -1;
    ASN1_OCTET_STRING *data = len > 0 ? ASN1_OCTET_STRING_new() : NULL;
    X509_EXTENSION *ext = NULL;
    c->ok = data != NULL && ASN1_OCTET_STRING_set(data, der, len) &&
            (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, data)) != NULL &&
            X509_add_ext(c->x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(data);
    OPENSSL_free(der);
    ASN1_OBJECT_free(obj);
}

static bool add_custom_extensions(X509 *x, CFTypeRef value, bool encoded)
{
    if (value == NULL)
        return true;
    if (!is_type(value, CFDictionaryGetTypeID()))
        return false;
    struct custom_extensions c = {x, encoded, true};
    CFDictionaryApplyFunction(value, add_custom_extension, &c);
    return c.ok;
}

/* Everything the parameters ask for, in Apple's order. */
static bool apply_parameters(X509 *x, CFDictionaryRef p)
{
    return set_serial(x, parameter(p, kSecCertificateSerialNumber)) &&
           set_validity(x, parameter(p, kSecCertificateLifetime)) &&
           add_basic_constraints(x, parameter(p, kSecCSRBasicContraintsPathLen)) &&
           add_subject_alt_names(x, parameter(p, kSecSubjectAltName)) &&
           add_key_usage(x, parameter(p, kSecCertificateKeyUsage)) &&
           add_custom_extensions(x, parameter(p, kSecCertificateExtensions), false) &&
           add_custom_extensions(x, parameter(p, kSecCertificateExtensionsEncoded), true);
}

SecCertificateRef SecGenerateSelfSignedCertificate(CFArrayRef subject, CFDictionaryRef parameters,
                                                   SecKeyRef publicKey, SecKeyRef privateKey)
{
    (void)publicKey; /* as Apple's: the public key comes from the private one */
    const struct sec_key *k = sec_key_of(privateKey);
    if (k == NULL || !k->is_private || !is_type(subject, CFArrayGetTypeID()) ||
        (parameters != NULL && !is_type(parameters, CFDictionaryGetTypeID())))
        return NULL;
    X509 *x = X509_new();
    X509_NAME *name = subject_name(subject);
    bool ok = x != NULL && name != NULL && X509_set_version(x, X509_VERSION_3) &&
              X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
              X509_set_pubkey(x, k->pkey) && apply_parameters(x, parameters) &&
              X509_sign(x, k->pkey, EVP_sha256()) > 0;
    SecCertificateRef cert = ok ? sec_certificate_from_x509(x) : NULL;
    X509_NAME_free(name);
    X509_free(x);
    return cert;
}
