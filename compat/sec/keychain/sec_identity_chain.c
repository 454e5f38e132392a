/*
 * SecIdentityCopySSLClientAuthenticationChain: an identity and the
 * intermediates that lead from it to an anchor, looked up among the
 * certificates of the keychains and evaluated as SecTrust does. It sits
 * above both identities and keychain items, so neither needs the other.
 */
#include "sec_internal.h"

/* Every certificate the keychain search list holds, as extra chain candidates. */
static void add_keychain_certificates(CFMutableArrayRef certs)
{
    const void *keys[] = {kSecClass, kSecMatchLimit, kSecReturnRef};
    const void *values[] = {kSecClassCertificate, kSecMatchLimitAll, kCFBooleanTrue};
    CFDictionaryRef query = CFDictionaryCreate(
        NULL, keys, values, 3, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFTypeRef found = NULL;
    if (query != NULL && SecItemCopyMatching(query, &found) == errSecSuccess && found != NULL &&
        CFGetTypeID(found) == CFArrayGetTypeID())
        CFArrayAppendArray(certs, found, CFRangeMake(0, CFArrayGetCount(found)));
    if (found != NULL)
        CFRelease(found);
    if (query != NULL)
        CFRelease(query);
}

/*
 * The identity followed by the intermediates that lead to an anchor, for
 * SSLSetCertificate: the chain a client-auth policy builds at `atTime`, with
 * the identity in place of its certificate and without the anchor.
 */
CFArrayRef SecIdentityCopySSLClientAuthenticationChain(SecIdentityRef identity,
                                                       CFAbsoluteTime atTime)
{
    if (!cf_is_type(identity, SecIdentityGetTypeID()))
        return NULL;
    const struct sec_identity *id = (const struct sec_identity *)identity;
    CFMutableArrayRef certs = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    CFMutableArrayRef result = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    SecPolicyRef policy = SecPolicyCreateSSL(false, NULL);
    CFDateRef when = CFDateCreate(NULL, atTime);
    SecTrustRef trust = NULL;
    if (certs == NULL || result == NULL || policy == NULL || when == NULL)
        goto out;
    CFArrayAppendValue(certs, id->certificate);
    add_keychain_certificates(certs);
    if (SecTrustCreateWithCertificates(certs, policy, &trust) != errSecSuccess)
        goto out;
    SecTrustSetVerifyDate(trust, when);
    bool anchored = SecTrustEvaluateWithError(trust, NULL);
    CFArrayAppendValue(result, identity);
    CFIndex count = SecTrustGetCertificateCount(trust);
    /* Skip the leaf (the identity stands for it) and the anchor, if the chain reached one. */
    CFIndex end = anchored ? count - 1 : count;
    for (CFIndex i = 1; i < end; i++)
        CFArrayAppendValue(result, SecTrustGetCertificateAtIndex(trust, i));
out:
    if (trust != NULL)
        CFRelease(trust);
    if (when != NULL)
        CFRelease(when);
    if (policy != NULL)
        CFRelease(policy);
    if (certs != NULL)
        CFRelease(certs);
    if (result != NULL && CFArrayGetCount(result) == 0) {
        CFRelease(result);
        result = NULL;
    }
    return result;
}
