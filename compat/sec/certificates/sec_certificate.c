/*
 * SecCertificate: one X.509 certificate, created from DER and read back as
 * DER, common name and summary.
 */
#include <openssl/x509v3.h>
#include <string.h>

#include "cf_string.h"
#include "sec_internal.h"

static void sec_certificate_finalize(CFTypeRef cf);
static bool sec_certificate_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode sec_certificate_hash(CFTypeRef cf);
static CFStringRef sec_certificate_copy_description(CFTypeRef cf);

static const struct cf_class sec_certificate_class = {
    .name = "SecCertificate",
    .finalize = sec_certificate_finalize,
    .equal = sec_certificate_equal,
    .hash = sec_certificate_hash,
    .copy_description = sec_certificate_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecCertificateGetTypeID, sec_certificate_class)

X509 *sec_certificate_x509(CFTypeRef cert)
{
    if (!cf_is_type(cert, SecCertificateGetTypeID()))
        return NULL;
    return ((struct sec_certificate *)cert)->x509;
}

/*
 * The version field as Apple's SecCertificateParse requires it: absent (v1),
 * or present as a one-byte INTEGER of value 1 or 2 (v2, v3). Anything else,
 * v4 and up or an explicitly encoded v1 included, makes 10.15's
 * SecCertificateCreateWithData return NULL; OpenSSL accepts them all.
 */
static bool der_version_acceptable(const unsigned char *der, long len)
{
    const unsigned char *p = der;
    long body = len;
    int tag = 0, cls = 0;
    /* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] EXPLICIT version OPTIONAL, ... */
    for (int depth = 0; depth < 2; depth++)
        if (ASN1_get_object(&p, &body, &tag, &cls, body) & 0x80 || tag != V_ASN1_SEQUENCE ||
            cls != V_ASN1_UNIVERSAL)
            return false;
    if (ASN1_get_object(&p, &body, &tag, &cls, body) & 0x80)
        return false;
    if (cls != V_ASN1_CONTEXT_SPECIFIC || tag != 0)
        return true; /* no version: v1 */
    long integer = 0;
    if (ASN1_get_object(&p, &integer, &tag, &cls, body) & 0x80 || tag != V_ASN1_INTEGER ||
        cls != V_ASN1_UNIVERSAL || integer != 1)
        return false;
    return p[0] == 1 || p[0] == 2;
}

/* The X.509 certificate is one 10.15 would make a SecCertificate of (its version field). */
static bool x509_acceptable(X509 *x509)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x509, &der);
    bool ok = len > 0 && der_version_acceptable(der, len);
    OPENSSL_free(der);
    return ok;
}

SecCertificateRef sec_certificate_from_x509(X509 *x509)
{
    if (x509 == NULL || !x509_acceptable(x509) || !X509_up_ref(x509))
        return NULL;
    struct sec_certificate *c = cf_object_create(SecCertificateGetTypeID(), sizeof(*c));
    if (c == NULL) {
        X509_free(x509);
        return NULL;
    }
    c->x509 = x509;
    return (SecCertificateRef)c;
}

static void sec_certificate_finalize(CFTypeRef cf)
{
    X509_free(((struct sec_certificate *)cf)->x509);
}

/* Exactly one DER certificate: trailing bytes are refused, as is PEM. */
SecCertificateRef SecCertificateCreateWithBytes(CFAllocatorRef allocator, const UInt8 *bytes,
                                                CFIndex length)
{
    (void)allocator;
    if (bytes == NULL || length <= 0 || length > LONG_MAX)
        return NULL;
    const unsigned char *p = bytes;
    X509 *x509 = d2i_X509(NULL, &p, (long)length);
    if (x509 == NULL)
        return NULL;
    SecCertificateRef cert = NULL;
    if (p == bytes + length)
        cert = sec_certificate_from_x509(x509);
    X509_free(x509);
    return cert;
}

SecCertificateRef SecCertificateCreateWithData(CFAllocatorRef allocator, CFDataRef data)
{
    if (!cf_is_type(data, CFDataGetTypeID()))
        return NULL;
    return SecCertificateCreateWithBytes(allocator, CFDataGetBytePtr(data), CFDataGetLength(data));
}

CFDataRef SecCertificateCopyData(SecCertificateRef certificate)
{
    X509 *x509 = sec_certificate_x509(certificate);
    unsigned char *der = NULL;
    int len = x509 != NULL ? i2d_X509(x509, &der) : -1;
    if (len <= 0)
        return NULL;
    CFDataRef data = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    return data;
}

/* The last CN of the subject, as a CFString; NULL if there is none. */
static CFStringRef subject_common_name(X509 *x509)
{
    X509_NAME *name = X509_get_subject_name(x509);
    int at = -1, last = -1;
    while ((at = X509_NAME_get_index_by_NID(name, NID_commonName, at)) >= 0)
        last = at;
    if (last < 0)
        return NULL;
    ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
    unsigned char *utf8 = NULL;
    int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len < 0)
        return NULL;
    CFStringRef s = cf_string_create_utf8((const char *)utf8, (size_t)len);
    OPENSSL_free(utf8);
    return s;
}

OSStatus SecCertificateCopyCommonName(SecCertificateRef certificate, CFStringRef *commonName)
{
    X509 *x509 = sec_certificate_x509(certificate);
    if (x509 == NULL || commonName == NULL)
        return errSecParam;
    *commonName = subject_common_name(x509);
    return errSecSuccess;
}

/*
 * A short human-readable name: the common name, else the first DNS name or
 * e-mail address of the subject alternative names, else the organization.
 */
CFStringRef SecCertificateCopySubjectSummary(SecCertificateRef certificate)
{
    X509 *x509 = sec_certificate_x509(certificate);
    if (x509 == NULL)
        return NULL;
    CFStringRef cn = subject_common_name(x509);
    if (cn != NULL)
        return cn;
    CFStringRef summary = NULL;
    GENERAL_NAMES *names = X509_get_ext_d2i(x509, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; summary == NULL && i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == GEN_DNS || gn->type == GEN_EMAIL) {
            ASN1_IA5STRING *s = gn->type == GEN_DNS ? gn->d.dNSName : gn->d.rfc822Name;
            summary = cf_string_create_utf8((const char *)ASN1_STRING_get0_data(s),
                                            (size_t)ASN1_STRING_length(s));
        }
    }
    GENERAL_NAMES_free(names);
    if (summary != NULL)
        return summary;
    char buf[256];
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_organizationName, buf,
                                  sizeof(buf)) > 0)
        return cf_string_create_format("%s", buf);
    return NULL;
}

static bool sec_certificate_equal(CFTypeRef a, CFTypeRef b)
{
    return X509_cmp(((const struct sec_certificate *)a)->x509,
                    ((const struct sec_certificate *)b)->x509) == 0;
}

static CFHashCode sec_certificate_hash(CFTypeRef cf)
{
    const ASN1_INTEGER *serial = X509_get0_serialNumber(((const struct sec_certificate *)cf)->x509);
    CFHashCode h = 0;
    for (int i = 0; i < serial->length; i++)
        h = h * 31 + serial->data[i];
    return h;
}

static CFStringRef sec_certificate_copy_description(CFTypeRef cf)
{
    CFStringRef summary = SecCertificateCopySubjectSummary((SecCertificateRef)cf);
    CFStringRef d = cf_string_create_format("<cert(%p) s: %s>", cf, cf_string_text(summary));
    CFRelease(summary);
    return d;
}

/* The certificate's public key; the key holds its own reference to it. */
SecKeyRef SecCertificateCopyKey(SecCertificateRef certificate)
{
    X509 *x509 = sec_certificate_x509(certificate);
    return x509 != NULL ? sec_key_from_pkey(X509_get0_pubkey(x509), false) : NULL;
}

OSStatus SecCertificateCopyPublicKey(SecCertificateRef certificate, SecKeyRef *key)
{
    if (key == NULL || sec_certificate_x509(certificate) == NULL)
        return errSecParam;
    *key = SecCertificateCopyKey(certificate);
    return *key != NULL ? errSecSuccess : errSecDecode;
}
