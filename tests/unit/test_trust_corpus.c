/*
 * A certificate-path corpus: one row per case (chain, anchors, verify date,
 * host or IP, policy) with the verdict 10.15 gives, as the CFError code of
 * SecTrustEvaluateWithError and the SecTrustResultType. Every row is
 * evaluated through the public SecTrust API; rows marked for it also go
 * through a TLS handshake (our client against an in-process OpenSSL server),
 * where every failure must surface as errSSLXCertChainInvalid and the
 * reason only through SSLCopyPeerTrust (behaviour.md §9). docs/trust.md
 * explains where each expected code comes from.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_factory.h"
#include "st_test.h"
#include "tls_peer.h"

/* The corpus's certificates; 0 ends a list. */
enum cert_id {
    C_END,
    ROOT,
    OTHER_ROOT,
    ROOT2,
    INTER,
    INTER_CROSS,
    LEAF,
    LEAF_EXPIRED,
    LEAF_FUTURE,
    LEAF_CN_ONLY,
    LEAF_IP_IN_CN,
    LEAF_SELF_SIGNED,
    INTER_SHA1,
    LEAF_UNDER_SHA1,
    ROOT_SHA1,
    LEAF_UNDER_ROOT_SHA1,
    LEAF_RSA1024,
    LEAF_RSA512,
    LEAF_DSA,
    ROOT_DSA,
    LEAF_UNDER_DSA,
    LEAF_MD5,
    LEAF_EMPTY_SUBJECT,
    LEAF_EMPTY_SUBJECT_CRITICAL_SAN,
    ROOT_EMPTY_SUBJECT,
    LEAF_UNDER_EMPTY,
    INTER_NC,
    LEAF_NC_OK,
    LEAF_NC_OUTSIDE,
    LEAF_NC_EXCLUDED,
    LEAF_NC_IP_OUTSIDE,
    INTER_PATHLEN0,
    INTER_UNDER_PATHLEN0,
    LEAF_TOO_DEEP,
    LEAF_UNDER_PATHLEN0,
    INTER_NOT_CA,
    LEAF_UNDER_NOT_CA,
    INTER_NO_BC,
    LEAF_UNDER_NO_BC,
    INTER_EXPIRED,
    LEAF_UNDER_EXPIRED_INTER,
    LEAF_EKU_NONE,
    LEAF_EKU_ANY,
    LEAF_EKU_CLIENT,
    LEAF_KU_CERTSIGN_ONLY,
    ROOT_NO_BC,
    LEAF_UNDER_ROOT_NO_BC,
    ROOT_KU_NO_CERTSIGN,
    LEAF_UNDER_ROOT_KU,
    INTER_NO_KEY_IDS,
    LEAF_NO_KEY_IDS,
    INTER_A,
    INTER_B,
    LEAF_UNDER_B,
    ROOT_OLD,
    LEAF_OLD_EKU_NONE,
    LEAF_OLD_EKU_ANY,
    LEAF_OLD_LONG,
    LEAF_LONG,
    LEAF_825_DAYS,
    INTER_EKU_CLIENT,
    LEAF_UNDER_EKU_CLIENT,
    SYS_ROOT,
    SYS_INTER,
    SYS_INTER_EKU_CLIENT,
    LEAF_UNDER_SYS,
    LEAF_UNDER_SYS_EKU_CLIENT,
    LEAF_SYS_EKU_NONE,
    LEAF_SYS_LONG,
    CERT_COUNT,
    SYSTEM /* in anchors: the system's anchors (SYS_ROOT), no custom ones */
};

#define SELF C_END /* the issuer of a self-signed certificate */

#define SAN_ALL "DNS:host.test,DNS:*.wild.test,IP:127.0.0.1,IP:::1"
/* A cert_spec: common name, SAN, CA or not, validity (days from now), EKU; digest by digest_of. */
#define SPEC(cn, san, ca, from, to, eku)                                                           \
    {                                                                                              \
        cn, san, ca, from, to, eku, NULL                                                           \
    }
#define CA(cn)                    SPEC(cn, NULL, true, -60, 3650, EKU_NONE)
#define SERVER_LEAF(cn, san)      SPEC(cn, san, false, -1, 365, EKU_SERVER)
#define LEAF_VALID(from, to, eku) SPEC("host.test", SAN_ALL, false, from, to, eku)
#define NO_EXTRA                                                                                   \
    {                                                                                              \
        NULL, NULL, NULL, false, false, false                                                      \
    }
#define NC_GOOD_TEST                                                                               \
    "critical,permitted;DNS:good.test,permitted;IP:127.0.0.0/255.0.0.0,excluded;DNS:bad.good.test"

static const struct cert_def {
    enum cert_id id;
    struct cert_spec spec;
    enum cert_key_kind key;
    enum cert_id issuer;   /* SELF: self-signed */
    enum cert_id same_key; /* C_END: a key of its own */
    struct cert_extra extra;
} defs[] = {
    // clang-format off
    {ROOT, CA("Corpus Root"), KEY_RSA2048, SELF, C_END, NO_EXTRA},
    {OTHER_ROOT, CA("Other Root"), KEY_EC256, SELF, C_END, NO_EXTRA},
    {ROOT2, CA("Second Root"), KEY_EC256, SELF, C_END, NO_EXTRA},
    {INTER, CA("Corpus Intermediate"), KEY_EC256, ROOT, C_END, NO_EXTRA},
    /* The same intermediate (name and key) cross-signed by the second root. */
    {INTER_CROSS, CA("Corpus Intermediate"), KEY_EC256, ROOT2, INTER, NO_EXTRA},
    {LEAF, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_EXPIRED, LEAF_VALID(-30, -1, EKU_SERVER), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_FUTURE, LEAF_VALID(2, 30, EKU_SERVER), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_CN_ONLY, SERVER_LEAF("host.test", NULL), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_IP_IN_CN, SERVER_LEAF("127.0.0.1", "DNS:host.test"), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_SELF_SIGNED, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, SELF, C_END, NO_EXTRA},
    {INTER_SHA1, CA("SHA-1 Intermediate"), KEY_EC256, ROOT, C_END, NO_EXTRA},
    {LEAF_UNDER_SHA1, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_SHA1, C_END, NO_EXTRA},
    {ROOT_SHA1, CA("SHA-1 Root"), KEY_RSA2048, SELF, C_END, NO_EXTRA},
    {LEAF_UNDER_ROOT_SHA1, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT_SHA1, C_END,
     NO_EXTRA},
    {LEAF_RSA1024, SERVER_LEAF("host.test", SAN_ALL), KEY_RSA1024, INTER, C_END, NO_EXTRA},
    {LEAF_RSA512, SERVER_LEAF("host.test", SAN_ALL), KEY_RSA512, INTER, C_END, NO_EXTRA},
    {LEAF_DSA, SERVER_LEAF("host.test", SAN_ALL), KEY_DSA2048, INTER, C_END, NO_EXTRA},
    {ROOT_DSA, CA("DSA Root"), KEY_DSA2048, SELF, LEAF_DSA, NO_EXTRA},
    {LEAF_UNDER_DSA, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT_DSA, C_END, NO_EXTRA},
    {LEAF_MD5, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT, C_END, NO_EXTRA},
    {LEAF_EMPTY_SUBJECT, SERVER_LEAF(NULL, "DNS:host.test"), KEY_EC256, INTER, C_END,
     {.empty_subject = true}},
    {LEAF_EMPTY_SUBJECT_CRITICAL_SAN, SERVER_LEAF(NULL, "DNS:host.test"), KEY_EC256, INTER, C_END,
     {.empty_subject = true, .critical_san = true}},
    {ROOT_EMPTY_SUBJECT, CA(NULL), KEY_EC256, SELF, C_END, {.empty_subject = true}},
    {LEAF_UNDER_EMPTY, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT_EMPTY_SUBJECT, C_END,
     NO_EXTRA},
    {INTER_NC, CA("Constrained Intermediate"), KEY_EC256, ROOT, C_END,
     {.name_constraints = NC_GOOD_TEST}},
    {LEAF_NC_OK, SERVER_LEAF("www.good.test", "DNS:www.good.test,IP:127.0.0.1"), KEY_EC256,
     INTER_NC, C_END, NO_EXTRA},
    {LEAF_NC_OUTSIDE, SERVER_LEAF("www.other.test", "DNS:www.other.test"), KEY_EC256, INTER_NC,
     C_END, NO_EXTRA},
    {LEAF_NC_EXCLUDED, SERVER_LEAF("bad.good.test", "DNS:bad.good.test"), KEY_EC256, INTER_NC,
     C_END, NO_EXTRA},
    {LEAF_NC_IP_OUTSIDE, SERVER_LEAF("www.good.test", "DNS:www.good.test,IP:10.0.0.1"), KEY_EC256,
     INTER_NC, C_END, NO_EXTRA},
    {INTER_PATHLEN0, CA("Path Length 0"), KEY_EC256, ROOT, C_END,
     {.basic_constraints = "critical,CA:TRUE,pathlen:0"}},
    {INTER_UNDER_PATHLEN0, CA("Under Path Length 0"), KEY_EC256, INTER_PATHLEN0, C_END, NO_EXTRA},
    {LEAF_TOO_DEEP, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_UNDER_PATHLEN0, C_END,
     NO_EXTRA},
    {LEAF_UNDER_PATHLEN0, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_PATHLEN0, C_END,
     NO_EXTRA},
    {INTER_NOT_CA, SPEC("Not A CA", NULL, false, -60, 3650, EKU_NONE), KEY_EC256, ROOT, C_END,
     {.basic_constraints = "critical,CA:FALSE", .key_usage = "critical,keyCertSign,cRLSign"}},
    {LEAF_UNDER_NOT_CA, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_NOT_CA, C_END,
     NO_EXTRA},
    {INTER_NO_BC, CA("No Basic Constraints"), KEY_EC256, ROOT, C_END,
     {.basic_constraints = ""}},
    {LEAF_UNDER_NO_BC, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_NO_BC, C_END, NO_EXTRA},
    {INTER_EXPIRED, SPEC("Expired Intermediate", NULL, true, -60, -1, EKU_NONE), KEY_EC256, ROOT,
     C_END, NO_EXTRA},
    {LEAF_UNDER_EXPIRED_INTER, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_EXPIRED, C_END,
     NO_EXTRA},
    {LEAF_EKU_NONE, LEAF_VALID(-1, 365, EKU_NONE), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_EKU_ANY, LEAF_VALID(-1, 365, EKU_ANY), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_EKU_CLIENT, LEAF_VALID(-1, 365, EKU_CLIENT), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_KU_CERTSIGN_ONLY, LEAF_VALID(-1, 365, EKU_SERVER), KEY_EC256, INTER, C_END,
     {.key_usage = "critical,keyCertSign"}},
    {ROOT_NO_BC, CA("Root Without Basic Constraints"), KEY_EC256, SELF, C_END,
     {.basic_constraints = ""}},
    {LEAF_UNDER_ROOT_NO_BC, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT_NO_BC, C_END,
     NO_EXTRA},
    {ROOT_KU_NO_CERTSIGN, CA("Root Without keyCertSign"), KEY_EC256, SELF, C_END,
     {.key_usage = "critical,digitalSignature,cRLSign"}},
    {LEAF_UNDER_ROOT_KU, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, ROOT_KU_NO_CERTSIGN, C_END,
     NO_EXTRA},
    {INTER_NO_KEY_IDS, CA("No Key Identifiers"), KEY_EC256, ROOT, C_END, {.no_key_ids = true}},
    {LEAF_NO_KEY_IDS, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_NO_KEY_IDS, C_END,
     {.no_key_ids = true}},
    {INTER_A, CA("Chain A"), KEY_EC256, ROOT, C_END, NO_EXTRA},
    {INTER_B, CA("Chain B"), KEY_EC256, INTER_A, C_END, NO_EXTRA},
    {LEAF_UNDER_B, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_B, C_END, NO_EXTRA},
    /* Issued before 1 July 2019, checked at a date inside its period. */
    {ROOT_OLD, SPEC("Old Root", NULL, true, -4000, 3650, EKU_NONE), KEY_RSA2048, SELF, C_END,
     NO_EXTRA},
    {LEAF_OLD_EKU_NONE, LEAF_VALID(-3000, -2400, EKU_NONE), KEY_EC256, ROOT_OLD, C_END, NO_EXTRA},
    {LEAF_OLD_EKU_ANY, LEAF_VALID(-3000, -2400, EKU_ANY), KEY_EC256, ROOT_OLD, C_END, NO_EXTRA},
    {LEAF_OLD_LONG, LEAF_VALID(-3000, -1000, EKU_SERVER), KEY_EC256, ROOT_OLD, C_END, NO_EXTRA},
    {LEAF_LONG, LEAF_VALID(-1, 900, EKU_SERVER), KEY_EC256, INTER, C_END, NO_EXTRA},
    {LEAF_825_DAYS, LEAF_VALID(-1, 824, EKU_SERVER), KEY_EC256, INTER, C_END, NO_EXTRA},
    {INTER_EKU_CLIENT, SPEC("Client-Auth Intermediate", NULL, true, -60, 3650, EKU_CLIENT),
     KEY_EC256, ROOT, C_END, NO_EXTRA},
    {LEAF_UNDER_EKU_CLIENT, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, INTER_EKU_CLIENT, C_END,
     NO_EXTRA},
    /* Under the system's anchor. */
    {SYS_ROOT, CA("System Root"), KEY_EC256, SELF, C_END, NO_EXTRA},
    {SYS_INTER, CA("System Intermediate"), KEY_EC256, SYS_ROOT, C_END, NO_EXTRA},
    {SYS_INTER_EKU_CLIENT, SPEC("System Client-Auth CA", NULL, true, -60, 3650, EKU_CLIENT),
     KEY_EC256, SYS_ROOT, C_END, NO_EXTRA},
    {LEAF_UNDER_SYS, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256, SYS_INTER, C_END, NO_EXTRA},
    {LEAF_UNDER_SYS_EKU_CLIENT, SERVER_LEAF("host.test", SAN_ALL), KEY_EC256,
     SYS_INTER_EKU_CLIENT, C_END, NO_EXTRA},
    {LEAF_SYS_EKU_NONE, LEAF_VALID(-1, 365, EKU_NONE), KEY_EC256, SYS_INTER, C_END, NO_EXTRA},
    {LEAF_SYS_LONG, LEAF_VALID(-1, 900, EKU_SERVER), KEY_EC256, SYS_INTER, C_END, NO_EXTRA},
    // clang-format on
};

/* Digests that are not SHA-256, by certificate (a const table cannot hold EVP_MD pointers). */
static const EVP_MD *digest_of(enum cert_id id)
{
    switch (id) {
    case INTER_SHA1:
    case ROOT_SHA1: return EVP_sha1();
    case LEAF_MD5: return EVP_md5();
    default: return NULL;
    }
}

static X509 *certs[CERT_COUNT];
static EVP_PKEY *keys[CERT_COUNT];
static SecCertificateRef sec_certs[CERT_COUNT];

/* The system's anchors come from SSL_CERT_FILE, read once per process: SYS_ROOT alone. */
static char anchor_dir[64], anchor_file[96];

static void use_system_root(void)
{
    snprintf(anchor_dir, sizeof(anchor_dir), "/tmp/sectrans-corpus-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(anchor_dir));
    snprintf(anchor_file, sizeof(anchor_file), "%s/anchors.pem", anchor_dir);
    ck_assert(factory_write_pem(anchor_file, certs[SYS_ROOT], NULL));
    setenv("SSL_CERT_FILE", anchor_file, 1);
    setenv("SSL_CERT_DIR", anchor_dir, 1); /* no hashed names: adds nothing */
}

/* Built once per process, in definition order (issuers come first). */
static void make_corpus(void)
{
    for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
        const struct cert_def *d = &defs[i];
        struct cert_spec spec = d->spec;
        spec.digest = digest_of(d->id);
        if (d->same_key != C_END) {
            keys[d->id] = keys[d->same_key];
            EVP_PKEY_up_ref(keys[d->id]);
        } else {
            keys[d->id] = factory_key(d->key);
        }
        X509 *issuer = d->issuer == SELF ? NULL : certs[d->issuer];
        EVP_PKEY *issuer_key = d->issuer == SELF ? NULL : keys[d->issuer];
        ck_assert(d->issuer == SELF || issuer != NULL); /* issuers are defined first */
        certs[d->id] = factory_cert_extra(&spec, &d->extra, keys[d->id], issuer, issuer_key);
        sec_certs[d->id] = factory_sec_cert(certs[d->id]);
    }
    use_system_root();
}

static void free_corpus(void)
{
    unlink(anchor_file);
    rmdir(anchor_dir);
    for (int i = 0; i < CERT_COUNT; i++) {
        if (sec_certs[i] != NULL)
            CFRelease(sec_certs[i]);
        X509_free(certs[i]);
        EVP_PKEY_free(keys[i]);
        sec_certs[i] = NULL;
        certs[i] = NULL;
        keys[i] = NULL;
    }
}

enum policy { SERVER, BASIC }; /* SecPolicyCreateSSL(true, host), SecPolicyCreateBasicX509() */

#define NO_DATE            (-100000L) /* SecTrustSetVerifyDate not called */
#define ALLOW_EXPIRED      kSecTrustOptionAllowExpired
#define ALLOW_EXPIRED_ROOT kSecTrustOptionAllowExpiredRoot
#define TLS                true /* also through a handshake */
#define OK                 errSecSuccess, kSecTrustResultUnspecified
#define RECOVERABLE(code)  code, kSecTrustResultRecoverableTrustFailure
#define FATAL(code)        code, kSecTrustResultFatalTrustFailure

static const struct corpus_case {
    const char *name;
    enum cert_id chain[6];   /* leaf first, as given to SecTrustCreateWithCertificates */
    enum cert_id anchors[3]; /* SecTrustSetAnchorCertificates */
    long date_days;          /* SecTrustSetVerifyDate(now + date_days), or NO_DATE */
    const char *host;        /* NULL: no name check */
    enum policy policy;
    SecTrustOptionFlags options;
    OSStatus status;
    SecTrustResultType result;
    int built; /* length of the chain built, 0: not checked */
    bool handshake;
} cases[] = {
    /* name, chain, anchors, verify date, host, policy, options, verdict, chain built, handshake */
    // clang-format off
    {"good chain", {LEAF, INTER}, {ROOT}, NO_DATE, "host.test", SERVER, 0, OK, 3, TLS},
    {"good chain, no host", {LEAF, INTER}, {ROOT}, NO_DATE, NULL, SERVER, 0, OK, 3, 0},
    {"wildcard host", {LEAF, INTER}, {ROOT}, NO_DATE, "a.wild.test", SERVER, 0, OK, 0, 0},
    {"trailing dot host", {LEAF, INTER}, {ROOT}, NO_DATE, "host.test.", SERVER, 0, OK, 0, 0},
    /* Names and addresses: subjectAltName only (SecPolicyCheckCertSSLHostname, HT210176). */
    {"wrong host", {LEAF, INTER}, {ROOT},
     NO_DATE, "other.test", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, TLS},
    {"wildcard spans two labels", {LEAF, INTER}, {ROOT},
     NO_DATE, "b.a.wild.test", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, 0},
    {"name only in CN", {LEAF_CN_ONLY, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, TLS},
    {"name only in CN, basic policy", {LEAF_CN_ONLY, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, OK, 0, 0},
    {"IPv4 in SAN", {LEAF, INTER}, {ROOT}, NO_DATE, "127.0.0.1", SERVER, 0, OK, 0, 0},
    {"IPv6 in SAN", {LEAF, INTER}, {ROOT}, NO_DATE, "::1", SERVER, 0, OK, 0, 0},
    {"IPv4 not in SAN", {LEAF, INTER}, {ROOT},
     NO_DATE, "127.0.0.2", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, 0},
    {"IPv6 not in SAN", {LEAF, INTER}, {ROOT},
     NO_DATE, "::2", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, 0},
    {"IP only in CN", {LEAF_IP_IN_CN, INTER}, {ROOT},
     NO_DATE, "127.0.0.1", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, 0},
    /* Dates: one temporal-validity check for both ends of the period. */
    {"expired leaf", {LEAF_EXPIRED, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateExpired), 0, TLS},
    {"not yet valid leaf", {LEAF_FUTURE, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateExpired), 0, TLS},
    {"expired intermediate", {LEAF_UNDER_EXPIRED_INTER, INTER_EXPIRED}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateExpired), 0, 0},
    {"expired leaf, verify date inside", {LEAF_EXPIRED, INTER}, {ROOT},
     -10, "host.test", SERVER, 0, OK, 0, 0},
    {"not yet valid leaf, verify date inside", {LEAF_FUTURE, INTER}, {ROOT},
     10, "host.test", SERVER, 0, OK, 0, 0},
    {"expired leaf, verify date now", {LEAF_EXPIRED, INTER}, {ROOT},
     0, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateExpired), 0, 0},
    {"expired leaf, allow expired", {LEAF_EXPIRED, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, ALLOW_EXPIRED, OK, 0, 0},
    {"expired leaf, verify date and allow expired", {LEAF_EXPIRED, INTER}, {ROOT},
     1, "host.test", SERVER, ALLOW_EXPIRED, OK, 0, 0},
    {"expired leaf, allow expired root only", {LEAF_EXPIRED, INTER}, {ROOT},
     1, "host.test", SERVER, ALLOW_EXPIRED_ROOT, RECOVERABLE(errSecCertificateExpired), 0, 0},
    /* Anchors and paths. */
    {"self-signed leaf", {LEAF_SELF_SIGNED}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNotTrusted), 0, TLS},
    {"untrusted root", {LEAF, INTER, ROOT}, {OTHER_ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNotTrusted), 0, TLS},
    {"incomplete chain", {LEAF}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCreateChainFailed), 1, TLS},
    {"incomplete chain, unknown root", {LEAF, INTER}, {OTHER_ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCreateChainFailed), 2, 0},
    {"intermediate as anchor", {LEAF}, {INTER}, NO_DATE, "host.test", SERVER, 0, OK, 2, 0},
    {"unordered intermediates", {LEAF_UNDER_B, INTER_A, INTER_B}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 4, 0},
    {"redundant intermediates", {LEAF, INTER_A, INTER, OTHER_ROOT, INTER, INTER_B}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 3, 0},
    {"cross-signed to second root", {LEAF, INTER_CROSS}, {ROOT2},
     NO_DATE, "host.test", SERVER, 0, OK, 3, 0},
    {"cross-signed, both intermediates", {LEAF, INTER, INTER_CROSS}, {ROOT2},
     NO_DATE, "host.test", SERVER, 0, OK, 3, 0},
    {"cross-signed, both roots", {LEAF, INTER_CROSS, INTER}, {ROOT, ROOT2},
     NO_DATE, "host.test", SERVER, 0, OK, 3, 0},
    /* Keys: non-RSA/EC and tiny keys are fatal everywhere; SSL servers want RSA 2048 / EC 256. */
    {"RSA-1024 leaf", {LEAF_RSA1024, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecUnsupportedKeySize), 0, TLS},
    {"RSA-1024 leaf, basic policy", {LEAF_RSA1024, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, OK, 0, 0},
    {"RSA-512 leaf", {LEAF_RSA512, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, FATAL(errSecUnsupportedKeySize), 0, 0},
    {"RSA-512 leaf, basic policy", {LEAF_RSA512, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, FATAL(errSecUnsupportedKeySize), 0, 0},
    {"DSA leaf", {LEAF_DSA, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, FATAL(errSecUnsupportedKeySize), 0, 0},
    {"DSA leaf, basic policy", {LEAF_DSA, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, FATAL(errSecUnsupportedKeySize), 0, 0},
    {"DSA anchor", {LEAF_UNDER_DSA}, {ROOT_DSA},
     NO_DATE, "host.test", SERVER, 0, FATAL(errSecUnsupportedKeySize), 0, TLS},
    {"DSA leaf, wrong host", {LEAF_DSA, INTER}, {ROOT},
     NO_DATE, "other.test", SERVER, 0, FATAL(errSecUnsupportedKeySize), 0, 0},
    /* Digests: MD5 is fatal everywhere; SSL servers refuse SHA-1 below a self-signed anchor. */
    {"SHA-1 intermediate", {LEAF_UNDER_SHA1, INTER_SHA1}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidDigestAlgorithm), 0, TLS},
    {"SHA-1 intermediate, basic policy", {LEAF_UNDER_SHA1, INTER_SHA1}, {ROOT},
     NO_DATE, NULL, BASIC, 0, OK, 0, 0},
    {"SHA-1 self-signed anchor", {LEAF_UNDER_ROOT_SHA1}, {ROOT_SHA1},
     NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    {"MD5 leaf", {LEAF_MD5}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, FATAL(errSecInvalidDigestAlgorithm), 0, TLS},
    /* Subjects. */
    {"empty subject, SAN not critical", {LEAF_EMPTY_SUBJECT, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidSubjectName), 0, TLS},
    {"empty subject, SAN critical", {LEAF_EMPTY_SUBJECT_CRITICAL_SAN, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    {"CA with empty subject", {LEAF_UNDER_EMPTY}, {ROOT_EMPTY_SUBJECT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidSubjectName), 0, 0},
    /* Name constraints (permitted and excluded DNS, IP). */
    {"name constraints, permitted", {LEAF_NC_OK, INTER_NC}, {ROOT},
     NO_DATE, "www.good.test", SERVER, 0, OK, 0, 0},
    {"name constraints, outside permitted DNS", {LEAF_NC_OUTSIDE, INTER_NC}, {ROOT},
     NO_DATE, "www.other.test", SERVER, 0, RECOVERABLE(errSecInvalidName), 0, TLS},
    {"name constraints, excluded DNS", {LEAF_NC_EXCLUDED, INTER_NC}, {ROOT},
     NO_DATE, "bad.good.test", SERVER, 0, RECOVERABLE(errSecInvalidName), 0, 0},
    {"name constraints, IP outside", {LEAF_NC_IP_OUTSIDE, INTER_NC}, {ROOT},
     NO_DATE, "www.good.test", SERVER, 0, RECOVERABLE(errSecInvalidName), 0, 0},
    /* Basic constraints and path length. */
    {"path length 0, one CA below", {LEAF_TOO_DEEP, INTER_UNDER_PATHLEN0, INTER_PATHLEN0}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecPathLengthConstraintExceeded), 0, 0},
    {"path length 0, leaf below", {LEAF_UNDER_PATHLEN0, INTER_PATHLEN0}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    {"intermediate not a CA", {LEAF_UNDER_NOT_CA, INTER_NOT_CA}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNoBasicConstraintsCA), 0, 0},
    {"intermediate without basic constraints", {LEAF_UNDER_NO_BC, INTER_NO_BC}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNoBasicConstraints), 0, 0},
    /* Extended key usage of an SSL server leaf. */
    /* Issued after 1 July 2019: serverAuth itself is required (SecPolicyCheckServerAuthEKU). */
    {"EKU none", {LEAF_EKU_NONE, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidExtendedKeyUsage), 0, 0},
    {"EKU serverAuth", {LEAF, INTER}, {ROOT}, NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    {"EKU anyExtendedKeyUsage", {LEAF_EKU_ANY, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidExtendedKeyUsage), 0, TLS},
    {"EKU clientAuth only", {LEAF_EKU_CLIENT, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidExtendedKeyUsage), 0, TLS},
    {"EKU clientAuth only, basic policy", {LEAF_EKU_CLIENT, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, OK, 0, 0},
    /* Issued before 1 July 2019: only set_ssl_ekus applies (none or anyExtendedKeyUsage pass). */
    {"EKU none, issued before July 2019", {LEAF_OLD_EKU_NONE}, {ROOT_OLD},
     -2900, "host.test", SERVER, 0, OK, 0, 0},
    {"EKU anyExtendedKeyUsage, issued before July 2019", {LEAF_OLD_EKU_ANY}, {ROOT_OLD},
     -2900, "host.test", SERVER, 0, OK, 0, 0},
    {"intermediate EKU clientAuth, custom anchor", {LEAF_UNDER_EKU_CLIENT, INTER_EKU_CLIENT},
     {ROOT}, NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    /* Validity period of an SSL server leaf (SecPolicyCheckValidityPeriodMaximums). */
    {"validity 825 days", {LEAF_825_DAYS, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    {"validity 901 days", {LEAF_LONG, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateValidityPeriodTooLong), 0, TLS},
    {"validity 901 days, basic policy", {LEAF_LONG, INTER}, {ROOT},
     NO_DATE, NULL, BASIC, 0, OK, 0, 0},
    {"validity 2000 days, issued before July 2019", {LEAF_OLD_LONG}, {ROOT_OLD},
     -2900, "host.test", SERVER, 0, OK, 0, 0},
    /* Under the system's anchors. */
    {"system anchor", {LEAF_UNDER_SYS, SYS_INTER}, {SYSTEM},
     NO_DATE, "host.test", SERVER, 0, OK, 3, TLS},
    {"system anchor, intermediate EKU clientAuth",
     {LEAF_UNDER_SYS_EKU_CLIENT, SYS_INTER_EKU_CLIENT}, {SYSTEM},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidExtendedKeyUsage), 0, 0},
    {"system anchor, EKU none", {LEAF_SYS_EKU_NONE, SYS_INTER}, {SYSTEM},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidExtendedKeyUsage), 0, 0},
    {"system anchor, validity 901 days", {LEAF_SYS_LONG, SYS_INTER}, {SYSTEM},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecCertificateValidityPeriodTooLong), 0, 0},
    {"system anchor, untrusted root", {LEAF, INTER, ROOT}, {SYSTEM},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNotTrusted), 0, 0},
    {"key usage keyCertSign only", {LEAF_KU_CERTSIGN_ONLY, INTER}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 0, 0},
    /* What 10.15 does not check. */
    {"anchor without basic constraints", {LEAF_UNDER_ROOT_NO_BC}, {ROOT_NO_BC},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecNoBasicConstraints), 2, 0},
    {"anchor key usage without keyCertSign", {LEAF_UNDER_ROOT_KU}, {ROOT_KU_NO_CERTSIGN},
     NO_DATE, "host.test", SERVER, 0, RECOVERABLE(errSecInvalidKeyUsageForPolicy), 2, 0},
    {"no key identifiers", {LEAF_NO_KEY_IDS, INTER_NO_KEY_IDS}, {ROOT},
     NO_DATE, "host.test", SERVER, 0, OK, 3, 0},
    /* Several failures: the highest-ranked subtype is reported. */
    {"expired and wrong host", {LEAF_EXPIRED, INTER}, {ROOT},
     NO_DATE, "other.test", SERVER, 0, RECOVERABLE(errSecHostNameMismatch), 0, 0},
    {"expired and self-signed", {LEAF_SELF_SIGNED}, {ROOT},
     400, "host.test", SERVER, 0, RECOVERABLE(errSecNotTrusted), 0, 0},
    // clang-format on
};

static CFArrayRef cert_array(const enum cert_id *ids, size_t max)
{
    CFMutableArrayRef out = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
    for (size_t i = 0; i < max && ids[i] != C_END; i++)
        CFArrayAppendValue(out, sec_certs[ids[i]]);
    return out;
}

static SecTrustRef trust_for_case(const struct corpus_case *c)
{
    CFArrayRef chain = cert_array(c->chain, sizeof(c->chain) / sizeof(c->chain[0]));
    CFStringRef host =
        c->host != NULL ? CFStringCreateWithCString(NULL, c->host, kCFStringEncodingUTF8) : NULL;
    SecPolicyRef policy =
        c->policy == BASIC ? SecPolicyCreateBasicX509() : SecPolicyCreateSSL(true, host);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SecTrustCreateWithCertificates(chain, policy, &trust), errSecSuccess);
    if (c->anchors[0] != SYSTEM) {
        CFArrayRef anchors = cert_array(c->anchors, sizeof(c->anchors) / sizeof(c->anchors[0]));
        ck_assert_int_eq(SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess);
        CFRelease(anchors);
    }
    if (c->date_days != NO_DATE) {
        CFDateRef when = CFDateCreate(NULL, CFAbsoluteTimeGetCurrent() + c->date_days * 86400.0);
        ck_assert_int_eq(SecTrustSetVerifyDate(trust, when), errSecSuccess);
        CFRelease(when);
    }
    if (c->options != 0)
        ck_assert_int_eq(SecTrustSetOptions(trust, c->options), errSecSuccess);
    CFRelease(policy);
    if (host != NULL)
        CFRelease(host);
    CFRelease(chain);
    return trust;
}

/* The verdict of an evaluated trust against the row: code, result type, and nothing else. */
static void assert_verdict(SecTrustRef trust, const struct corpus_case *c)
{
    CFErrorRef error = NULL;
    bool ok = SecTrustEvaluateWithError(trust, &error);
    OSStatus code = error != NULL ? (OSStatus)CFErrorGetCode(error) : errSecSuccess;
    ck_assert_msg(ok == (c->status == errSecSuccess) && code == c->status,
                  "%s: SecTrustEvaluateWithError gave %d, expected %d", c->name, (int)code,
                  (int)c->status);
    if (error != NULL) {
        ck_assert(CFEqual(CFErrorGetDomain(error), kCFErrorDomainOSStatus));
        CFRelease(error);
    }
    SecTrustResultType result = kSecTrustResultInvalid;
    ck_assert_int_eq(SecTrustGetTrustResult(trust, &result), errSecSuccess);
    ck_assert_msg(result == c->result, "%s: result type %d, expected %d", c->name, (int)result,
                  (int)c->result);
}

START_TEST(evaluate_case)
{
    const struct corpus_case *c = &cases[_i];
    SecTrustRef trust = trust_for_case(c);
    SecTrustResultType result = kSecTrustResultInvalid;
    ck_assert_int_eq(SecTrustEvaluate(trust, &result), errSecSuccess);
    ck_assert_msg(result == c->result, "%s: SecTrustEvaluate gave %d, expected %d", c->name,
                  (int)result, (int)c->result);
    assert_verdict(trust, c);
    if (c->built != 0)
        ck_assert_msg(SecTrustGetCertificateCount(trust) == c->built,
                      "%s: built %ld certificates, expected %d", c->name,
                      (long)SecTrustGetCertificateCount(trust), c->built);
    CFRelease(trust);
}
END_TEST

static SSLContextRef client_for_case(const struct corpus_case *c, struct mem_peer *peer)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetIOFuncs(ctx, mem_peer_read_cb, mem_peer_write_cb), errSecSuccess);
    ck_assert_int_eq(SSLSetConnection(ctx, peer), errSecSuccess);
    if (c->host != NULL)
        ck_assert_int_eq(SSLSetPeerDomainName(ctx, c->host, strlen(c->host)), errSecSuccess);
    if (c->anchors[0] != SYSTEM) {
        CFArrayRef anchors = cert_array(c->anchors, sizeof(c->anchors) / sizeof(c->anchors[0]));
        ck_assert_int_eq(SSLSetTrustedRoots(ctx, anchors, true), errSecSuccess);
        CFRelease(anchors);
    }
    return ctx;
}

/*
 * SSLHandshake says errSSLXCertChainInvalid for every class of failure, as
 * 10.15 does; the reason is in the trust SSLCopyPeerTrust hands back.
 */
START_TEST(handshake_case)
{
    const struct corpus_case *c = &cases[_i];
    if (!c->handshake)
        return;
    struct mem_peer peer;
    mem_peer_init_level0(&peer, certs[c->chain[0]], keys[c->chain[0]]);
    for (size_t i = 1; i < sizeof(c->chain) / sizeof(c->chain[0]) && c->chain[i] != C_END; i++)
        ck_assert(SSL_add1_chain_cert(peer.ssl, certs[c->chain[i]]));
    SSLContextRef ctx = client_for_case(c, &peer);
    OSStatus status = mem_peer_handshake(ctx, &peer);
    OSStatus expected = c->status == errSecSuccess ? errSecSuccess : errSSLXCertChainInvalid;
    ck_assert_msg(status == expected, "%s: SSLHandshake gave %d, expected %d", c->name, (int)status,
                  (int)expected);
    SecTrustRef trust = NULL;
    ck_assert_int_eq(SSLCopyPeerTrust(ctx, &trust), errSecSuccess);
    ck_assert_ptr_nonnull(trust);
    assert_verdict(trust, c);
    CFRelease(trust);
    CFRelease(ctx);
    mem_peer_free(&peer);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("trust_corpus");
    TCase *tc = tcase_create("corpus");
    /* The certificates are made once: with forking, before the cases fork. */
    tcase_add_unchecked_fixture(tc, make_corpus, free_corpus);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, evaluate_case, 0, COUNT(cases));
    tcase_add_loop_test(tc, handshake_case, 0, COUNT(cases));
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
