/*
 * SecPolicy: what a trust evaluation checks beyond the chain itself. The SSL
 * policy adds the extended key usage of its side and, when given, the host
 * name; the basic X.509 policy checks the chain only.
 */
#include "cf_string.h"
#include "sec_internal.h"

static void sec_policy_finalize(CFTypeRef cf);
static CFStringRef sec_policy_copy_description(CFTypeRef cf);

static const struct cf_class sec_policy_class = {
    .name = "SecPolicy",
    .finalize = sec_policy_finalize,
    .copy_description = sec_policy_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecPolicyGetTypeID, sec_policy_class)

const struct sec_policy *sec_policy_of(CFTypeRef policy)
{
    return cf_is_type(policy, SecPolicyGetTypeID()) ? (const struct sec_policy *)policy : NULL;
}

SecPolicyRef sec_policy_new(enum sec_policy_kind kind, bool server, CFStringRef hostname)
{
    struct sec_policy *p = cf_object_create(SecPolicyGetTypeID(), sizeof(*p));
    if (p == NULL)
        return NULL;
    p->kind = kind;
    p->server = server;
    p->hostname = hostname != NULL ? CFRetain(hostname) : NULL;
    return (SecPolicyRef)p;
}

static void sec_policy_finalize(CFTypeRef cf)
{
    CFRelease(((struct sec_policy *)cf)->hostname);
}

SecPolicyRef SecPolicyCreateBasicX509(void)
{
    return sec_policy_new(SEC_POLICY_BASIC_X509, false, NULL);
}

/* A hostname that is not a CFString (or is empty) is refused: NULL. */
SecPolicyRef SecPolicyCreateSSL(Boolean server, CFStringRef hostname)
{
    if (hostname != NULL &&
        (!cf_is_type(hostname, CFStringGetTypeID()) || CFStringGetLength(hostname) == 0))
        return NULL;
    return sec_policy_new(SEC_POLICY_SSL, server != 0, hostname);
}

static CFStringRef sec_policy_copy_description(CFTypeRef cf)
{
    const struct sec_policy *p = cf;
    if (p->kind == SEC_POLICY_BASIC_X509)
        return cf_string_create_format("<SecPolicyRef: %p> basicX509", cf);
    if (p->kind == SEC_POLICY_REVOCATION)
        return cf_string_create_format("<SecPolicyRef: %p> revocation flags=0x%lx", cf,
                                       (unsigned long)p->revocation_flags);
    return cf_string_create_format("<SecPolicyRef: %p> sslServer=%s hostname=%s", cf,
                                   p->server ? "yes" : "no", cf_string_text(p->hostname));
}
