/*
 * Policy details: the properties dictionary of a policy (kSecPolicyOid,
 * kSecPolicyName, kSecPolicyClient), policies made from such a dictionary,
 * the revocation policy, and the legacy macOS calls that find a policy by
 * its CDSA object identifier (SecPolicySearch) and change it in place
 * (SecPolicySetValue, SecPolicySetProperties).
 *
 * A revocation policy is accepted wherever policies are and changes no
 * verdict, as Apple's soft-fail checking does offline: we never fetch OCSP
 * responses or CRLs. The one exception is kSecRevocationRequirePositiveResponse,
 * which cannot be satisfied without a response and so fails the evaluation.
 */
#include <string.h>

#include "cf_string.h"
#include "sec_internal.h"

/* Policy identifiers: 1.2.840.113635.100.1.n in dotted form. */
CF_STRING_CONSTANT(kSecPolicyAppleX509Basic, "1.2.840.113635.100.1.2");
CF_STRING_CONSTANT(kSecPolicyAppleSSL, "1.2.840.113635.100.1.3");
CF_STRING_CONSTANT(kSecPolicyAppleSMIME, "1.2.840.113635.100.1.8");
CF_STRING_CONSTANT(kSecPolicyAppleEAP, "1.2.840.113635.100.1.9");
CF_STRING_CONSTANT(kSecPolicyAppleIPsec, "1.2.840.113635.100.1.11");
CF_STRING_CONSTANT(kSecPolicyApplePKINITClient, "1.2.840.113635.100.1.14");
CF_STRING_CONSTANT(kSecPolicyApplePKINITServer, "1.2.840.113635.100.1.15");
CF_STRING_CONSTANT(kSecPolicyAppleCodeSigning, "1.2.840.113635.100.1.16");
CF_STRING_CONSTANT(kSecPolicyAppleIDValidation, "1.2.840.113635.100.1.18");
CF_STRING_CONSTANT(kSecPolicyMacAppStoreReceipt, "1.2.840.113635.100.1.19");
CF_STRING_CONSTANT(kSecPolicyAppleTimeStamping, "1.2.840.113635.100.1.20");
CF_STRING_CONSTANT(kSecPolicyAppleRevocation, "1.2.840.113635.100.1.21");
CF_STRING_CONSTANT(kSecPolicyApplePassbookSigning, "1.2.840.113635.100.1.22");
CF_STRING_CONSTANT(kSecPolicyApplePayIssuerEncryption, "1.2.840.113635.100.1.39");

CF_STRING_CONSTANT(kSecPolicyOid, "SecPolicyOid");
CF_STRING_CONSTANT(kSecPolicyName, "SecPolicyName");
CF_STRING_CONSTANT(kSecPolicyClient, "SecPolicyClient");
CF_STRING_CONSTANT(kSecPolicyRevocationFlags, "SecPolicyRevocationFlags");
CF_STRING_CONSTANT(kSecPolicyTeamIdentifier, "SecPolicyTeamIdentifier");

/* The same identifiers as CDSA object identifiers: DER content octets. */
#define APPLE_TP_ARC 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x01
static const uint8 oid_x509_basic[] = {APPLE_TP_ARC, 2};
static const uint8 oid_ssl[] = {APPLE_TP_ARC, 3};
static const uint8 oid_revocation_crl[] = {APPLE_TP_ARC, 6};
static const uint8 oid_revocation_ocsp[] = {APPLE_TP_ARC, 7};

/* CSSM_OID has a non-const Data pointer; nothing writes through these. */
const CSSM_OID CSSMOID_APPLE_X509_BASIC = {sizeof(oid_x509_basic), (uint8 *)oid_x509_basic};
const CSSM_OID CSSMOID_APPLE_TP_SSL = {sizeof(oid_ssl), (uint8 *)oid_ssl};
const CSSM_OID CSSMOID_APPLE_TP_REVOCATION_CRL = {sizeof(oid_revocation_crl),
                                                  (uint8 *)oid_revocation_crl};
const CSSM_OID CSSMOID_APPLE_TP_REVOCATION_OCSP = {sizeof(oid_revocation_ocsp),
                                                   (uint8 *)oid_revocation_ocsp};

/* Flag bits SecPolicyCreateRevocation knows; any other makes it fail, as Apple's. */
#define REVOCATION_FLAGS_KNOWN ((CFOptionFlags)0x1F)

/*
 * The legacy calls change a policy in place (Apple's do too; it tells callers
 * to treat policies as read-only instead), so they need the object writable.
 */
static struct sec_policy *policy_mut(SecPolicyRef policy)
{
    return (struct sec_policy *)sec_policy_of(policy);
}

static void set_hostname(struct sec_policy *p, CFStringRef hostname)
{
    CFStringRef old = p->hostname;
    p->hostname = hostname != NULL ? CFRetain(hostname) : NULL;
    CFRelease(old);
}

bool sec_policies_require_revocation_response(CFArrayRef policies)
{
    CFIndex n = cf_is_type(policies, CFArrayGetTypeID()) ? CFArrayGetCount(policies) : 0;
    for (CFIndex i = 0; i < n; i++) {
        const struct sec_policy *p = sec_policy_of(CFArrayGetValueAtIndex(policies, i));
        if (p != NULL && p->kind == SEC_POLICY_REVOCATION &&
            (p->revocation_flags & kSecRevocationRequirePositiveResponse))
            return true;
    }
    return false;
}

static CFStringRef policy_identifier(const struct sec_policy *p)
{
    switch (p->kind) {
    case SEC_POLICY_SSL: return kSecPolicyAppleSSL;
    case SEC_POLICY_REVOCATION: return kSecPolicyAppleRevocation;
    case SEC_POLICY_BASIC_X509:
    default: return kSecPolicyAppleX509Basic;
    }
}

/* Apple's keys: the identifier always, the name and client side for SSL only. */
CFDictionaryRef SecPolicyCopyProperties(SecPolicyRef policyRef)
{
    const struct sec_policy *p = sec_policy_of(policyRef);
    if (p == NULL)
        return NULL;
    CFMutableDictionaryRef props = CFDictionaryCreateMutable(
        NULL, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    if (props == NULL)
        return NULL;
    CFDictionarySetValue(props, kSecPolicyOid, policy_identifier(p));
    if (p->kind == SEC_POLICY_SSL && p->hostname != NULL)
        CFDictionarySetValue(props, kSecPolicyName, p->hostname);
    if (p->kind == SEC_POLICY_SSL && !p->server)
        CFDictionarySetValue(props, kSecPolicyClient, kCFBooleanTrue);
    return props;
}

SecPolicyRef SecPolicyCreateRevocation(CFOptionFlags revocationFlags)
{
    if (revocationFlags & ~REVOCATION_FLAGS_KNOWN)
        return NULL;
    SecPolicyRef policy = sec_policy_new(SEC_POLICY_REVOCATION, false, NULL);
    if (policy != NULL)
        policy_mut(policy)->revocation_flags = revocationFlags;
    return policy;
}

/* kSecPolicyRevocationFlags when given as a number, else any method (Apple's default). */
static CFOptionFlags revocation_flags_from(CFDictionaryRef properties)
{
    CFNumberRef number =
        properties != NULL ? CFDictionaryGetValue(properties, kSecPolicyRevocationFlags) : NULL;
    CFIndex flags = 0;
    if (cf_is_type(number, CFNumberGetTypeID()) &&
        CFNumberGetValue(number, kCFNumberCFIndexType, &flags))
        return (CFOptionFlags)flags;
    return kSecRevocationUseAnyAvailableMethod;
}

/*
 * The SSL, basic X.509 and revocation policies; NULL for other identifiers
 * (those policies are not implemented) and for a name that is not a string.
 */
SecPolicyRef SecPolicyCreateWithProperties(CFTypeRef policyIdentifier, CFDictionaryRef properties)
{
    if (!cf_is_type(policyIdentifier, CFStringGetTypeID()))
        return NULL;
    if (properties != NULL && !cf_is_type(properties, CFDictionaryGetTypeID()))
        return NULL;
    CFTypeRef name = properties != NULL ? CFDictionaryGetValue(properties, kSecPolicyName) : NULL;
    CFTypeRef client =
        properties != NULL ? CFDictionaryGetValue(properties, kSecPolicyClient) : NULL;
    if (name != NULL && !cf_is_type(name, CFStringGetTypeID()))
        return NULL;
    bool is_client = client != NULL && CFEqual(client, kCFBooleanTrue);
    if (CFEqual(policyIdentifier, kSecPolicyAppleSSL))
        return SecPolicyCreateSSL(!is_client, name);
    if (CFEqual(policyIdentifier, kSecPolicyAppleX509Basic))
        return SecPolicyCreateBasicX509();
    if (CFEqual(policyIdentifier, kSecPolicyAppleRevocation))
        return SecPolicyCreateRevocation(revocation_flags_from(properties));
    return NULL;
}

/* Replaces the name and side of an SSL policy; the identifier cannot change. */
OSStatus SecPolicySetProperties(SecPolicyRef policyRef, CFDictionaryRef properties)
{
    struct sec_policy *p = policy_mut(policyRef);
    if (p == NULL || !cf_is_type(properties, CFDictionaryGetTypeID()))
        return errSecParam;
    if (p->kind != SEC_POLICY_SSL)
        return errSecSuccess;
    CFTypeRef name = CFDictionaryGetValue(properties, kSecPolicyName);
    CFTypeRef client = CFDictionaryGetValue(properties, kSecPolicyClient);
    if (name != NULL && (!cf_is_type(name, CFStringGetTypeID()) || CFStringGetLength(name) == 0))
        return errSecParam;
    if (client != NULL && !cf_is_type(client, CFBooleanGetTypeID()))
        return errSecParam;
    if (name != NULL)
        set_hostname(p, name);
    if (client != NULL)
        p->server = !CFBooleanGetValue(client);
    return errSecSuccess;
}

/* A host name from CSSM_APPLE_TP_SSL_OPTIONS: UTF-8, a trailing NUL allowed, none inside. */
static CFStringRef server_name_from(const CSSM_APPLE_TP_SSL_OPTIONS *opts)
{
    size_t len = opts->ServerNameLen;
    if (opts->ServerName == NULL || len == 0)
        return NULL;
    while (len > 0 && opts->ServerName[len - 1] == '\0')
        len--;
    if (len == 0 || memchr(opts->ServerName, '\0', len) != NULL)
        return NULL;
    return cf_string_create_utf8(opts->ServerName, len);
}

/* Version 1 options only, with a name (Apple's rule); the client flag picks the side. */
static OSStatus set_ssl_value(struct sec_policy *p, const CSSM_DATA *value)
{
    const size_t needed = offsetof(CSSM_APPLE_TP_SSL_OPTIONS, Flags) + sizeof(uint32);
    if (value->Data == NULL || value->Length < needed)
        return errSecParam;
    CSSM_APPLE_TP_SSL_OPTIONS opts;
    memcpy(&opts, value->Data, needed);
    if (opts.Version != CSSM_APPLE_TP_SSL_OPTS_VERSION)
        return errSecParam;
    CFStringRef name = server_name_from(&opts);
    if (name == NULL)
        return errSecParam;
    set_hostname(p, name);
    CFRelease(name);
    p->server = (opts.Flags & CSSM_APPLE_TP_SSL_CLIENT) == 0;
    return errSecSuccess;
}

/*
 * CSSM_APPLE_TP_CRL_OPTIONS, read as Apple does (also for OCSP options, whose
 * first two fields have the same layout): no net fetch, preferred method,
 * and whether a response is required per certificate.
 */
static OSStatus set_revocation_value(struct sec_policy *p, const CSSM_DATA *value)
{
    const size_t needed = offsetof(CSSM_APPLE_TP_CRL_OPTIONS, crlStore);
    if (value->Data == NULL || value->Length < needed)
        return errSecParam;
    CSSM_APPLE_TP_CRL_OPTIONS opts;
    memcpy(&opts, value->Data, needed);
    if (opts.Version != CSSM_APPLE_TP_CRL_OPTS_VERSION)
        return errSecParam;
    CFOptionFlags flags = 0;
    if (!(opts.CrlFlags & CSSM_TP_ACTION_FETCH_CRL_FROM_NET))
        flags |= kSecRevocationNetworkAccessDisabled;
    if (opts.CrlFlags & CSSM_TP_ACTION_CRL_SUFFICIENT)
        flags |= kSecRevocationUseAnyAvailableMethod;
    else
        flags |= kSecRevocationCRLMethod | kSecRevocationPreferCRL;
    if (opts.CrlFlags & CSSM_TP_ACTION_REQUIRE_CRL_PER_CERT)
        flags |= kSecRevocationRequirePositiveResponse;
    p->revocation_flags = flags;
    return errSecSuccess;
}

OSStatus SecPolicySetValue(SecPolicyRef policyRef, const CSSM_DATA *value)
{
    struct sec_policy *p = policy_mut(policyRef);
    if (p == NULL || value == NULL)
        return errSecParam;
    switch (p->kind) {
    case SEC_POLICY_SSL: return set_ssl_value(p, value);
    case SEC_POLICY_REVOCATION: return set_revocation_value(p, value);
    case SEC_POLICY_BASIC_X509:
    default: return errSecParam; /* the basic policy takes no value */
    }
}

/* The policies a search by object identifier can find, in Apple's order. */
static const struct {
    const CSSM_OID *oid;
    enum sec_policy_kind kind;
    CFOptionFlags revocation_flags;
} searchable[] = {
    {&CSSMOID_APPLE_X509_BASIC, SEC_POLICY_BASIC_X509, 0},
    {&CSSMOID_APPLE_TP_SSL, SEC_POLICY_SSL, 0},
    {&CSSMOID_APPLE_TP_REVOCATION_CRL, SEC_POLICY_REVOCATION, kSecRevocationCRLMethod},
    {&CSSMOID_APPLE_TP_REVOCATION_OCSP, SEC_POLICY_REVOCATION, kSecRevocationOCSPMethod},
};
#define SEARCHABLE_COUNT (sizeof(searchable) / sizeof(searchable[0]))

struct sec_policy_search {
    struct cf_object base;
    size_t count, next;
    size_t found[SEARCHABLE_COUNT]; /* indexes into `searchable` */
};

static const struct cf_class sec_policy_search_class = {
    .name = "SecPolicySearch",
};

CF_DEFINE_TYPE_ID_FUNCTION(SecPolicySearchGetTypeID, sec_policy_search_class)

static bool same_oid(const CSSM_OID *a, const CSSM_OID *b)
{
    return a->Length == b->Length && memcmp(a->Data, b->Data, a->Length) == 0;
}

/* certType and value are ignored, as in Apple's; an unknown OID finds nothing. */
OSStatus SecPolicySearchCreate(CSSM_CERT_TYPE certType, const CSSM_OID *policyOID,
                               const CSSM_DATA *value, SecPolicySearchRef *searchRef)
{
    (void)certType;
    (void)value;
    if (searchRef == NULL)
        return errSecParam;
    *searchRef = NULL;
    if (policyOID != NULL && policyOID->Data == NULL && policyOID->Length > 0)
        return errSecParam;
    struct sec_policy_search *search =
        cf_object_create(SecPolicySearchGetTypeID(), sizeof(*search));
    if (search == NULL)
        return errSecAllocate;
    for (size_t i = 0; i < SEARCHABLE_COUNT; i++)
        if (policyOID == NULL || same_oid(policyOID, searchable[i].oid))
            search->found[search->count++] = i;
    *searchRef = (SecPolicySearchRef)search;
    return errSecSuccess;
}

static SecPolicyRef policy_for(size_t i)
{
    SecPolicyRef policy = sec_policy_new(searchable[i].kind, true, NULL);
    if (policy != NULL)
        policy_mut(policy)->revocation_flags = searchable[i].revocation_flags;
    return policy;
}

OSStatus SecPolicySearchCopyNext(SecPolicySearchRef searchRef, SecPolicyRef *policyRef)
{
    if (policyRef == NULL || !cf_is_type(searchRef, SecPolicySearchGetTypeID()))
        return errSecParam;
    struct sec_policy_search *search = (struct sec_policy_search *)searchRef;
    *policyRef = NULL;
    if (search->next >= search->count)
        return errSecPolicyNotFound;
    SecPolicyRef policy = policy_for(search->found[search->next]);
    if (policy == NULL)
        return errSecAllocate;
    search->next++;
    *policyRef = policy;
    return errSecSuccess;
}
