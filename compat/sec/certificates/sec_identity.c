/*
 * SecIdentity: a certificate with the private key that matches it.
 */
#include "cf_string.h"
#include "sec_internal.h"

static void sec_identity_finalize(CFTypeRef cf);
static bool sec_identity_equal(CFTypeRef a, CFTypeRef b);
static CFStringRef sec_identity_copy_description(CFTypeRef cf);

static const struct cf_class sec_identity_class = {
    .name = "SecIdentity",
    .finalize = sec_identity_finalize,
    .equal = sec_identity_equal,
    .copy_description = sec_identity_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecIdentityGetTypeID, sec_identity_class)

static const struct sec_identity *sec_identity_of(SecIdentityRef identity)
{
    return cf_is_type(identity, SecIdentityGetTypeID()) ? (const struct sec_identity *)identity
                                                        : NULL;
}

/*
 * NULL unless `privateKey` is a private key whose public half is the
 * certificate's: an identity that cannot sign for its certificate is useless
 * to TLS, so it is refused here rather than at handshake time.
 */
SecIdentityRef SecIdentityCreate(CFAllocatorRef allocator, SecCertificateRef certificate,
                                 SecKeyRef privateKey)
{
    (void)allocator;
    X509 *x509 = sec_certificate_x509(certificate);
    EVP_PKEY *pkey = sec_key_pkey(privateKey);
    if (x509 == NULL || pkey == NULL || !((const struct sec_key *)privateKey)->is_private ||
        X509_check_private_key(x509, pkey) != 1)
        return NULL;
    struct sec_identity *id = cf_object_create(SecIdentityGetTypeID(), sizeof(*id));
    if (id == NULL)
        return NULL;
    id->certificate = (SecCertificateRef)CFRetain(certificate);
    id->private_key = (SecKeyRef)CFRetain(privateKey);
    return (SecIdentityRef)id;
}

static void sec_identity_finalize(CFTypeRef cf)
{
    struct sec_identity *id = (struct sec_identity *)cf;
    CFRelease(id->certificate);
    CFRelease(id->private_key);
}

OSStatus SecIdentityCopyCertificate(SecIdentityRef identityRef, SecCertificateRef *certificateRef)
{
    const struct sec_identity *id = sec_identity_of(identityRef);
    if (id == NULL || certificateRef == NULL)
        return errSecParam;
    *certificateRef = (SecCertificateRef)CFRetain(id->certificate);
    return errSecSuccess;
}

OSStatus SecIdentityCopyPrivateKey(SecIdentityRef identityRef, SecKeyRef *privateKeyRef)
{
    const struct sec_identity *id = sec_identity_of(identityRef);
    if (id == NULL || privateKeyRef == NULL)
        return errSecParam;
    *privateKeyRef = (SecKeyRef)CFRetain(id->private_key);
    return errSecSuccess;
}

static bool sec_identity_equal(CFTypeRef a, CFTypeRef b)
{
    const struct sec_identity *x = a, *y = b;
    return CFEqual(x->certificate, y->certificate) && CFEqual(x->private_key, y->private_key);
}

static CFStringRef sec_identity_copy_description(CFTypeRef cf)
{
    const struct sec_identity *id = cf;
    CFStringRef cert = CFCopyDescription(id->certificate);
    CFStringRef d = cf_string_create_format("<SecIdentityRef: %p> %s", cf, cf_string_text(cert));
    CFRelease(cert);
    return d;
}
