/*
 * The certificate questions the setters ask before they store anything
 * (SSLSetCertificate, SSLAddDistinguishedName, SSLSetCertificateAuthorities),
 * answered with OpenSSL here so the setters need none of it.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sec_internal.h"
#include "st_engine.h"

/* RSA or EC, as in Apple's engine (behaviour.md §9). */
bool st_identity_key_supported(SecKeyRef key)
{
    int type = EVP_PKEY_get_base_id(sec_key_pkey(key));
    return type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS || type == EVP_PKEY_EC;
}

bool st_der_name_valid(const void *der, size_t len)
{
    const unsigned char *p = der;
    X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)len);
    bool whole = name != NULL && p == (const unsigned char *)der + len;
    X509_NAME_free(name);
    return whole;
}

OSStatus st_certificate_copy_subject_der(CFTypeRef certificate, CFDataRef *subject)
{
    *subject = NULL;
    X509 *x = sec_certificate_x509(certificate);
    if (x == NULL)
        return errSecParam;
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(X509_get_subject_name(x), &der);
    if (len <= 0)
        return errSecParam;
    *subject = CFDataCreate(NULL, der, len);
    OPENSSL_free(der);
    return *subject != NULL ? errSecSuccess : errSecAllocate;
}
