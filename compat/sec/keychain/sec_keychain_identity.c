/*
 * SecIdentityCreateWithCertificate: a certificate becomes an identity when
 * the searched keychains hold the private key of its public key.
 */
#include "sec_keychain.h"

OSStatus SecIdentityCreateWithCertificate(CFTypeRef keychainOrArray,
                                          SecCertificateRef certificateRef,
                                          SecIdentityRef *identityRef)
{
    if (identityRef == NULL)
        return errSecParam;
    *identityRef = NULL;
    X509 *x509 = sec_certificate_x509(certificateRef);
    EVP_PKEY *pub = x509 != NULL ? X509_get0_pubkey(x509) : NULL;
    if (pub == NULL)
        return errSecParam;
    struct sec_item_list list = {0};
    OSStatus status = sec_keychain_collect(keychainOrArray, &list);
    bool locked = false;
    SecKeyRef key = NULL;
    for (size_t i = 0; status == errSecSuccess && key == NULL && i < list.count; i++) {
        const struct sec_item_view *v = &list.items[i];
        if (v->kind != SEC_ITEM_PRIVATE_KEY || EVP_PKEY_eq(v->public_key, pub) != 1)
            continue;
        if (v->ref == NULL)
            locked = true; /* there, but unreadable until its keychain is unlocked */
        else
            key = (SecKeyRef)v->ref;
    }
    if (status == errSecSuccess && key != NULL) {
        *identityRef = SecIdentityCreate(NULL, certificateRef, key);
        status = *identityRef != NULL ? errSecSuccess : errSecAllocate;
    } else if (status == errSecSuccess) {
        status = locked ? errSecInteractionNotAllowed : errSecItemNotFound;
    }
    sec_item_list_free(&list);
    return status;
}
