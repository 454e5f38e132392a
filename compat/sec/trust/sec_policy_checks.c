/*
 * 10.15's policy checks on the chain OpenSSL built (see sec_policy_checks.h).
 * Which certificates each check covers follows SecPolicyServer.c: the
 * issuer checks cover every certificate above the leaf, the anchor
 * included; the weak
 * key, weak signature, key size and empty-subject checks cover every
 * certificate, the anchor included; the signature hash check skips
 * self-signed certificates; extended key usage and host name are the leaf's.
 */
#include <openssl/x509v3.h>
#include <string.h>

#include "cf_string.h"
#include "sec_policy_checks.h"

/* SecCertificateIsWeakKey: RSA under 1024 bits, EC under 160, and any other key type. */
static bool key_is_weak(EVP_PKEY *key)
{
    int bits = key != NULL ? EVP_PKEY_get_bits(key) : 0;
    switch (key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE) {
    case EVP_PKEY_RSA: return bits < 1024;
    case EVP_PKEY_EC: return bits < 160;
    default: return true;
    }
}

/* SecPolicyAddStrongKeySizeOptions (SSL server): RSA 2048 bits or more, EC 256 or more. */
static bool key_is_strong_enough(EVP_PKEY *key)
{
    int bits = key != NULL ? EVP_PKEY_get_bits(key) : 0;
    switch (key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE) {
    case EVP_PKEY_RSA: return bits >= 2048;
    case EVP_PKEY_EC: return bits >= 256;
    default: return false;
    }
}

static int signature_digest(X509 *x)
{
    int md = NID_undef;
    if (!X509_get_signature_info(x, &md, NULL, NULL, NULL))
        return NID_undef;
    return md;
}

/* SecCertificateIsWeakHash: MD2, MD4 and MD5 signatures (fatal under every policy). */
static bool signature_is_weak(X509 *x)
{
    int md = signature_digest(x);
    return md == NID_md2 || md == NID_md4 || md == NID_md5;
}

/* SecPolicyRemoveWeakHashOptions (SSL server) also refuses SHA-1, but not on self-signed certs. */
static bool signature_hash_disallowed(X509 *x)
{
    return (signature_is_weak(x) || signature_digest(x) == NID_sha1) && X509_self_signed(x, 0) != 1;
}

static bool subject_is_empty(X509 *x)
{
    return X509_NAME_entry_count(X509_get_subject_name(x)) == 0;
}

/*
 * SecPolicyCheckCertNonEmptySubject: a CA needs a subject; a leaf without
 * one must carry its names in a critical subjectAltName.
 */
static bool subject_acceptable(X509 *x)
{
    if (!subject_is_empty(x))
        return true;
    if (X509_get_extension_flags(x) & EXFLAG_CA)
        return false;
    int at = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);
    return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, at)) == 1;
}

/*
 * set_ssl_ekus: no extended key usage at all is fine; otherwise it must
 * name anyExtendedKeyUsage or the side's purpose (server: serverAuth or
 * either server-gated-crypto OID; client: clientAuth).
 */
static bool extended_key_usage_allows(X509 *leaf, bool server)
{
    if (!(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE))
        return true;
    uint32_t eku = X509_get_extended_key_usage(leaf);
    uint32_t wanted = XKU_ANYEKU | (server ? XKU_SSL_SERVER | XKU_SGC : XKU_SSL_CLIENT);
    return (eku & wanted) != 0;
}

/*
 * SecPolicyCheckCertSSLHostname: DNS names of the subjectAltName (RFC 6125
 * wildcards, whole leftmost label only), then for an address literal the
 * IP addresses; never the subject's common name (HT210176). A trailing
 * dot on the reference name is ignored, as Apple's SecDNSMatch does.
 */
bool sec_policy_host_matches(X509 *leaf, const char *host)
{
    size_t len = strlen(host);
    if (len > 1 && host[len - 1] == '.')
        len--;
    unsigned int flags = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
    if (len > 0 && X509_check_host(leaf, host, len, flags, NULL) == 1)
        return true;
    return X509_check_ip_asc(leaf, host, 0) == 1;
}

static void check_every_certificate(STACK_OF(X509) * chain, bool ssl_server,
                                    struct sec_trust_findings *f)
{
    for (int i = 0; i < sk_X509_num(chain); i++) {
        X509 *x = sk_X509_value(chain, i);
        EVP_PKEY *key = X509_get0_pubkey(x);
        if (key_is_weak(key))
            sec_trust_findings_add(f, SEC_CHECK_WEAK_KEY_SIZE, i);
        if (signature_is_weak(x))
            sec_trust_findings_add(f, SEC_CHECK_WEAK_SIGNATURE, i);
        if (!subject_acceptable(x))
            sec_trust_findings_add(f, SEC_CHECK_NON_EMPTY_SUBJECT, i);
        if (ssl_server && !key_is_strong_enough(key))
            sec_trust_findings_add(f, SEC_CHECK_KEY_SIZE, i);
        if (ssl_server && signature_hash_disallowed(x))
            sec_trust_findings_add(f, SEC_CHECK_SIGNATURE_HASH_ALGORITHMS, i);
    }
}

/*
 * SecPVCParentCertificateChecks, run on every certificate above the leaf as
 * the path builder adds it, the anchor included and whatever the policy: a
 * v3 certificate needs basicConstraints with cA set, a v1/v2 one may not sit
 * between the leaf and a v3 anchor, and a key usage must allow keyCertSign.
 */
static void check_issuers(STACK_OF(X509) * chain, struct sec_trust_findings *f)
{
    int last = sk_X509_num(chain) - 1;
    bool v3_anchor = X509_get_version(sk_X509_value(chain, last)) >= X509_VERSION_3;
    for (int i = 1; i <= last; i++) {
        X509 *x = sk_X509_value(chain, i);
        uint32_t flags = X509_get_extension_flags(x);
        if (X509_get_version(x) >= X509_VERSION_3) {
            if (!(flags & EXFLAG_BCONS))
                sec_trust_findings_add(f, SEC_CHECK_BASIC_CONSTRAINTS, i);
            else if (!(flags & EXFLAG_CA))
                sec_trust_findings_add(f, SEC_CHECK_BASIC_CONSTRAINTS_CA, i);
        } else if (i < last && v3_anchor) {
            sec_trust_findings_add(f, SEC_CHECK_BASIC_CONSTRAINTS, i);
        }
        if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
            sec_trust_findings_add(f, SEC_CHECK_KEY_USAGE, i);
    }
}

/* CFAbsoluteTime constants of SecPolicyServer.c, as Unix times. */
#define CF_EPOCH     978307200L
#define JULY_2016    (CF_EPOCH + 489024000L)
#define MARCH_2018   (CF_EPOCH + 541555200L)
#define JULY_2019    (CF_EPOCH + 583628400L) /* Apple's value: 30 June 2019 23:00 UTC */
#define DAYS(n)      ((long)(n)*86400L)
#define HOUR_OF_SLIP 3600L

static bool issued_after(X509 *x, long unix_time)
{
    time_t when = (time_t)unix_time;
    return X509_cmp_time(X509_get0_notBefore(x), &when) > 0;
}

static bool has_server_auth(X509 *x)
{
    return (X509_get_extension_flags(x) & EXFLAG_XKUSAGE) &&
           (X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
}

bool sec_policy_is_system_anchor(X509 *x)
{
    STACK_OF(X509) *system = sec_system_anchors();
    for (int i = 0; x != NULL && system != NULL && i < sk_X509_num(system); i++)
        if (X509_cmp(sk_X509_value(system, i), x) == 0)
            return true;
    return false;
}

/*
 * SecPolicyCheckServerAuthEKU (SSL server, HT210176): a chain ending at a
 * system anchor needs serverAuth itself in the leaf, and in every
 * intermediate that names usages (or anyExtendedKeyUsage there); under
 * any other anchor, a leaf issued after 1 July 2019 needs serverAuth.
 */
static void check_server_auth_eku(STACK_OF(X509) * chain, bool system_anchored,
                                  struct sec_trust_findings *f)
{
    X509 *leaf = sk_X509_value(chain, 0);
    if (!system_anchored) {
        if (issued_after(leaf, JULY_2019) && !has_server_auth(leaf))
            sec_trust_findings_add(f, SEC_CHECK_SERVER_AUTH_EKU, 0);
        return;
    }
    bool ok = has_server_auth(leaf);
    for (int i = 1; i < sk_X509_num(chain) - 1; i++) {
        X509 *ca = sk_X509_value(chain, i);
        if ((X509_get_extension_flags(ca) & EXFLAG_XKUSAGE) &&
            !(X509_get_extended_key_usage(ca) & (XKU_SSL_SERVER | XKU_ANYEKU)))
            ok = false;
    }
    if (!ok)
        sec_trust_findings_add(f, SEC_CHECK_SERVER_AUTH_EKU, 0);
}

/* The longest validity 10.15 accepts for an SSL server leaf issued when `leaf` was. */
static long longest_validity(X509 *leaf, bool system_anchored)
{
    if (!system_anchored)
        return issued_after(leaf, JULY_2019) ? DAYS(825) + HOUR_OF_SLIP : -1;
    if (!issued_after(leaf, JULY_2016 - 1))
        return DAYS(365 * 5 + 2) + HOUR_OF_SLIP; /* 60 months */
    if (!issued_after(leaf, MARCH_2018 - 1))
        return DAYS(365 * 3 + 2 * 31 + 30 + 1) + HOUR_OF_SLIP; /* 39 months */
    return DAYS(825) + HOUR_OF_SLIP;
}

/* SecPolicyCheckValidityPeriodMaximums (SSL server): -1 from longest_validity means no limit. */
static void check_validity_period(X509 *leaf, bool system_anchored, struct sec_trust_findings *f)
{
    long limit = longest_validity(leaf, system_anchored);
    int days = 0, seconds = 0;
    if (limit < 0 ||
        !ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(leaf), X509_get0_notAfter(leaf)))
        return;
    if (DAYS(days) + seconds > limit)
        sec_trust_findings_add(f, SEC_CHECK_VALIDITY_PERIOD_MAXIMUMS, 0);
}

static void check_ssl_leaf(const struct sec_policy *p, STACK_OF(X509) * chain, bool system_anchored,
                           struct sec_trust_findings *f)
{
    X509 *leaf = sk_X509_value(chain, 0);
    if (!extended_key_usage_allows(leaf, p->server))
        sec_trust_findings_add(f, SEC_CHECK_EXTENDED_KEY_USAGE, 0);
    if (p->server) {
        check_server_auth_eku(chain, system_anchored, f);
        check_validity_period(leaf, system_anchored, f);
    }
    const char *host = cf_string_utf8(p->hostname);
    if (host != NULL && !sec_policy_host_matches(leaf, host))
        sec_trust_findings_add(f, SEC_CHECK_SSL_HOSTNAME, 0);
}

void sec_policy_check_chain(CFArrayRef policies, STACK_OF(X509) * chain, bool system_anchored,
                            struct sec_trust_findings *f)
{
    if (sk_X509_num(chain) == 0)
        return;
    check_issuers(chain, f);
    for (CFIndex i = 0; i < CFArrayGetCount(policies); i++) {
        const struct sec_policy *p = sec_policy_of(CFArrayGetValueAtIndex(policies, i));
        /* The revocation policy adds no certificate checks of its own. */
        if (p == NULL || p->kind == SEC_POLICY_REVOCATION)
            continue;
        bool ssl = p->kind == SEC_POLICY_SSL;
        check_every_certificate(chain, ssl && p->server, f);
        if (ssl)
            check_ssl_leaf(p, chain, system_anchored, f);
    }
}
