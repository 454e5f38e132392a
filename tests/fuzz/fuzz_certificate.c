/*
 * libFuzzer target: certificate parsing. The input is DER for
 * SecCertificateCreateWithData; every accessor then reads the result,
 * SecCertificateCopyValues with all OIDs, and a SecTrust evaluation.
 */
#include <Security/SecCertificatePriv.h>
#include <stdlib.h>

#include "fuzz_support.h"

static void release(CFTypeRef object)
{
    if (object != NULL)
        CFRelease(object);
}

static void read_everything(SecCertificateRef cert)
{
    CFErrorRef error = NULL;
    release(SecCertificateCopyValues(cert, NULL, &error));
    release(error);
    release(SecCertificateCopySubjectSummary(cert));
    CFStringRef name = NULL;
    SecCertificateCopyCommonName(cert, &name);
    release(name);
    CFArrayRef emails = NULL;
    SecCertificateCopyEmailAddresses(cert, &emails);
    release(emails);
    release(SecCertificateCopyKey(cert));
    error = NULL;
    release(SecCertificateCopySerialNumberData(cert, &error));
    release(error);
    release(SecCertificateCopyNormalizedIssuerSequence(cert));
    release(SecCertificateCopyNormalizedSubjectSequence(cert));
    error = NULL;
    release(SecCertificateCopyLongDescription(NULL, cert, &error));
    release(error);
    error = NULL;
    release(SecCertificateCopyShortDescription(NULL, cert, &error));
    release(error);
    SecCertificateIsValid(cert, SecCertificateNotValidBefore(cert));
    SecCertificateNotValidAfter(cert);
}

/* Chains the parsed certificate under the fixed identity: the verifier reads it too. */
static void evaluate(SecCertificateRef cert)
{
    SecPolicyRef policy = SecPolicyCreateSSL(true, CFSTR("localhost"));
    SecTrustRef trust = NULL;
    if (SecTrustCreateWithCertificates(cert, policy, &trust) == errSecSuccess) {
        CFArrayRef roots = fuzz_identity_roots();
        SecTrustSetAnchorCertificates(trust, roots);
        CFRelease(roots);
        CFErrorRef error = NULL;
        (void)SecTrustEvaluateWithError(trust, &error);
        release(error);
        release(SecTrustCopyProperties(trust));
        CFRelease(trust);
    }
    release(policy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CFDataRef der = CFDataCreate(NULL, data, (CFIndex)size);
    SecCertificateRef cert = SecCertificateCreateWithData(NULL, der);
    CFRelease(der);
    if (cert != NULL) {
        read_everything(cert);
        evaluate(cert);
        CFRelease(cert);
    }
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_rng_install();
    fuzz_identity_certificate();
    const char *dir = fuzz_record_dir();
    if (dir != NULL) {
        CFDataRef der = fuzz_identity_der();
        fuzz_record_data(dir, "identity.der", NULL, 0, der);
        CFRelease(der);
        exit(0);
    }
    return 0;
}
