/*
 * Fault injection: the Nth allocation fails, for every N through a whole
 * connection of our client against our server in-process (contexts, setup,
 * handshake, data both ways, close, release). Each run must end with a
 * clear status, the contexts must still be releasable, none may stay in the
 * handle table, and nothing may leak (ASan/LSan and valgrind check that).
 *
 * The seam: this executable links the library's objects with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so our own allocations
 * come here; OpenSSL's come through CRYPTO_set_mem_functions. The library's
 * production path is untouched.
 *
 * Every N costs a connection, so by default N is exhaustive over the first
 * allocations (context creation and setup) and strided after them, keeping
 * the gcc and ASan stages to seconds; SECTRANS_FAULT_STRIDE=1 covers every N
 * (the "exhaustive" CTest test, run by tests/fuzz/run).
 */
#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mem_pipe.h"
#include "scratch_dir.h"
#include "st_test.h"
#include "tls_peer.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

static bool armed;
static unsigned long allocations, fail_at;
static bool fired;
static unsigned long unclear; /* runs that ended with a status that does not say what failed */
static bool hello_lost;       /* a run succeeded but the server lost the client's SNI or ALPN */

static bool ours_only; /* count and fail the library's own allocations, not OpenSSL's */

static bool fail_this_one(bool ours)
{
    if (!armed || (ours_only && !ours) || ++allocations != fail_at)
        return false;
    fired = true;
    return true;
}

void *__wrap_malloc(size_t size)
{
    return fail_this_one(true) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return fail_this_one(true) ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    return fail_this_one(true) ? NULL : __real_realloc(ptr, size);
}

static void *crypto_malloc(size_t size, const char *file, int line)
{
    (void)file, (void)line;
    return fail_this_one(false) ? NULL : __real_malloc(size);
}

static void *crypto_realloc(void *ptr, size_t size, const char *file, int line)
{
    (void)file, (void)line;
    return fail_this_one(false) ? NULL : __real_realloc(ptr, size);
}

static void crypto_free(void *ptr, const char *file, int line)
{
    (void)file, (void)line;
    free(ptr);
}

static struct tls_pki pki;
static CFArrayRef identity, roots;
static struct mem_pair pair;
static const char request[] = "GET / HTTP/1.1\r\n\r\n", response[] = "HTTP/1.1 200 OK\r\n\r\n";

static void setup(void)
{
    tls_pki_create(&pki);
    identity = tls_pki_server_identity(&pki, pki.server, pki.server_key);
    roots = tls_pki_roots(&pki);
}

static void teardown(void)
{
    CFRelease(identity);
    CFRelease(roots);
    tls_pki_destroy(&pki);
}

/* A status a caller can act on: success, out of memory, or one of Secure Transport's errors. */
static bool clear_status(OSStatus status)
{
    return status == errSecSuccess || status == errSecAllocate ||
           (status <= -9800 && status >= -9899);
}

/*
 * After a successful handshake the server knows the client's SNI name and
 * ALPN offer: an allocation failure may fail the handshake, not lose them.
 * Looked at with allocations counted but none failing.
 */
static bool server_saw_the_whole_hello(void)
{
    bool was_armed = armed;
    armed = false;
    size_t name_len = 0;
    CFArrayRef offered = NULL;
    SSLCopyRequestedPeerNameLength(pair.server, &name_len);
    SSLCopyALPNProtocols(pair.server, &offered);
    bool whole =
        name_len == sizeof("localhost") && offered != NULL && CFArrayGetCount(offered) == 1;
    if (offered != NULL)
        CFRelease(offered);
    armed = was_armed;
    return whole;
}

/* One whole connection; the first status that was not success (either side). */
static OSStatus connection(SSLProtocol version)
{
    OSStatus status = mem_pair_open(&pair, identity, roots, version, 0);
    if (status == errSecSuccess) {
        OSStatus client, server;
        mem_pair_handshake(&pair, &client, &server);
        /* no ck_assert while armed: Check allocates for every assertion it records */
        status = client != errSecSuccess ? client : server;
        /* both sides still waiting (not a clear status) stays errSSLWouldBlock */
    }
    if (status == errSecSuccess)
        hello_lost = !server_saw_the_whole_hello();
    if (status == errSecSuccess)
        status = mem_pair_send(&pair, true, request, sizeof(request) - 1);
    if (status == errSecSuccess)
        status = mem_pair_send(&pair, false, response, sizeof(response) - 1);
    OSStatus closed = mem_pair_close(&pair); /* releases whatever was made */
    return status != errSecSuccess ? status : closed;
}

/* Runs the connection with allocation `n` failing; false once `n` is past the last one. */
static bool connection_failing_at(SSLProtocol version, unsigned long n, OSStatus *status)
{
    allocations = 0;
    fail_at = n;
    fired = false;
    armed = true;
    hello_lost = false;
    *status = connection(version);
    armed = false;
    if (hello_lost && unclear++ < 20)
        fprintf(stderr, "allocation %lu: handshake succeeded without the client's SNI/ALPN\n", n);
    if (!clear_status(*status) && unclear++ < 20)
        fprintf(stderr, "allocation %lu failed: status %d\n", n, (int)*status);
    ck_assert_msg(st_context_table_count() == 0, "allocation %lu: a context was left live", n);
    return fired;
}

/* SECTRANS_FAULT_STRIDE, or `fallback` when it is not set. */
static unsigned long stride_from_env(unsigned long fallback)
{
    const char *env = getenv("SECTRANS_FAULT_STRIDE");
    return env != NULL && atol(env) > 0 ? (unsigned long)atol(env) : fallback;
}

/* The distinct errors other than errSecAllocate, for the summary line. */
static OSStatus seen[16];
static size_t seen_count;

static void note_status(OSStatus status)
{
    for (size_t i = 0; i < seen_count; i++)
        if (seen[i] == status)
            return;
    if (seen_count < sizeof(seen) / sizeof(seen[0]))
        seen[seen_count++] = status;
}

static const SSLProtocol versions[] = {kTLSProtocol12, kTLSProtocol13};

/*
 * Fails allocation 1, 2, ... `prefix`, then every `samples`th part of the
 * rest (every one when SECTRANS_FAULT_STRIDE=1), one connection each.
 */
static void fail_allocations(SSLProtocol version, unsigned long prefix, unsigned long samples)
{
    unclear = 0, seen_count = 0;
    /* The first connection makes the library's shared state (SSL_CTXs): not counted. */
    ck_assert_int_eq(connection(version), errSecSuccess);
    allocations = 0, fail_at = 0, armed = true;
    ck_assert_int_eq(connection(version), errSecSuccess);
    armed = false;
    unsigned long total = allocations;
    unsigned long stride = stride_from_env(total / samples > 0 ? total / samples : 1);
    if (stride == 1)
        prefix = total;
    unsigned long runs = 0, allocate = 0, other = 0, recovered = 0;
    OSStatus status;
    for (unsigned long n = 1; connection_failing_at(version, n, &status);
         n += n < prefix ? 1 : stride) {
        runs++;
        if (getenv("SECTRANS_FAULT_VERBOSE") != NULL)
            fprintf(stderr, "allocation %lu: %d\n", n, (int)status);
        if (status == errSecAllocate)
            allocate++;
        else if (status == errSecSuccess)
            recovered++;
        else if (clear_status(status))
            other++, note_status(status);
    }
    fprintf(stderr,
            "%s: %lu allocations, %lu runs (stride %lu after %lu): %lu errSecAllocate, "
            "%lu other errors, %lu recovered\n",
            version == kTLSProtocol13 ? "TLS 1.3" : "TLS 1.2", total, runs, stride, prefix,
            allocate, other, recovered);
    fprintf(stderr, "  other errors:");
    for (size_t i = 0; i < seen_count; i++)
        fprintf(stderr, " %d", (int)seen[i]);
    fprintf(stderr, "\n");
    ck_assert_uint_eq(unclear, 0);
    ck_assert_uint_gt(allocate, 0);
    /* And nothing stays broken: a clean connection still works. */
    ck_assert_int_eq(connection(version), errSecSuccess);
}

/* A sample cheap enough for valgrind: the first allocations, then 12 points of the connection. */
START_TEST(sampled_allocation_failures)
{
    fail_allocations(versions[_i], 24, 12);
}
END_TEST

/* Every allocation of creation and setup, then 300 points (SECTRANS_FAULT_STRIDE=1: all). */
START_TEST(every_allocation_failure_is_reported_and_released)
{
    fail_allocations(versions[_i], 400, 300);
}
END_TEST

/*
 * The one failure of SNI setup that is the caller's: a name longer than SNI
 * allows stays errSecParam, while OpenSSL running out of memory copying a
 * valid name is errSecAllocate (found by the runs above).
 */
START_TEST(sni_name_too_long_is_a_parameter_error)
{
    char name[300];
    memset(name, 'a', sizeof(name));
    ck_assert_int_eq(mem_pair_open(&pair, identity, roots, kTLSProtocol13, 0), errSecSuccess);
    ck_assert_int_eq(SSLSetPeerDomainName(pair.client, name, sizeof(name)), errSecSuccess);
    ck_assert_int_eq(SSLHandshake(pair.client), errSecParam);
    mem_pair_close(&pair);
}
END_TEST

/*
 * SSLSetTrustedRoots out of memory says errSecAllocate and keeps the roots
 * it had (it used to store a short list and report success).
 */
START_TEST(trusted_roots_out_of_memory_keep_the_old_roots)
{
    SSLContextRef ctx = st_test_context(kSSLClientSide, kSSLStreamType);
    ck_assert_int_eq(SSLSetTrustedRoots(ctx, roots, true), errSecSuccess);
    unsigned long failures = 0;
    for (unsigned long n = 1;; n++) {
        allocations = 0, fail_at = n, fired = false, armed = true;
        OSStatus status = SSLSetTrustedRoots(ctx, roots, false);
        armed = false;
        if (!fired)
            break;
        failures++;
        ck_assert_int_eq(status, errSecAllocate);
        CFArrayRef kept = NULL;
        ck_assert_int_eq(SSLCopyTrustedRoots(ctx, &kept), errSecSuccess);
        ck_assert_int_eq(CFArrayGetCount(kept), CFArrayGetCount(roots));
        CFRelease(kept);
    }
    ck_assert_uint_ge(failures, 2); /* the new array, and room for its values */
    CFRelease(ctx);
}
END_TEST

/*
 * A keychain's life with allocation N failing: created with a password,
 * given a password item, opened again, unlocked, searched, the item changed
 * and searched for again. Each run ends with success or a clear code,
 * leaves no file behind when creation failed, and the file a finished run
 * leaves opens again.
 */
static char keychain_dir[SCRATCH_DIR_SIZE];

static OSStatus keychain_life(const char *path)
{
    SecKeychainRef kc = NULL;
    OSStatus status = SecKeychainCreate(path, 2, "pw", false, NULL, &kc);
    bool created = status == errSecSuccess;
    if (status == errSecSuccess)
        status = SecKeychainAddGenericPassword(kc, 7, "service", 5, "alice", 6, "secret", NULL);
    if (kc != NULL)
        CFRelease(kc);
    kc = NULL;
    if (status == errSecSuccess)
        status = SecKeychainOpen(path, &kc);
    if (status == errSecSuccess)
        status = SecKeychainUnlock(kc, 2, "pw", true);
    UInt32 length = 0;
    void *data = NULL;
    SecKeychainItemRef item = NULL;
    if (status == errSecSuccess)
        status =
            SecKeychainFindGenericPassword(kc, 7, "service", 5, "alice", &length, &data, &item);
    if (data != NULL)
        SecKeychainItemFreeContent(NULL, data);
    /* A change that reports success is made: the item is found under its new account. */
    SecKeychainAttribute account = {kSecAccountItemAttr, 3, (void *)"bob"};
    SecKeychainAttributeList changes = {1, &account};
    if (status == errSecSuccess)
        status = SecKeychainItemModifyAttributesAndData(item, &changes, 0, NULL);
    if (status == errSecSuccess)
        status = SecKeychainFindGenericPassword(kc, 7, "service", 3, "bob", NULL, NULL, NULL);
    if (item != NULL)
        CFRelease(item);
    if (kc != NULL)
        CFRelease(kc);
    /* A keychain that was never made leaves no file to trip over. */
    if (!created && access(path, F_OK) == 0)
        return errSecDuplicateKeychain;
    return status;
}

/*
 * Unarmed: a file a run left behind was never damaged (it unlocks), and it
 * is removed from the disk and the search list.
 */
static void keychain_clean_up(const char *path, unsigned long n)
{
    SecKeychainRef kc = NULL;
    ck_assert_int_eq(SecKeychainOpen(path, &kc), errSecSuccess);
    if (access(path, F_OK) == 0)
        ck_assert_msg(SecKeychainUnlock(kc, 2, "pw", true) == errSecSuccess,
                      "allocation %lu: the file no longer unlocks", n);
    OSStatus deleted = SecKeychainDelete(kc);
    ck_assert(deleted == errSecSuccess || deleted == errSecNoSuchKeychain);
    CFRelease(kc);
    ck_assert_int_ne(access(path, F_OK), 0);
}

/*
 * Fails allocations 1, 2, ... `prefix`, then every `samples`th of the rest;
 * with `ours`, only the library's own allocations count (the key derivation
 * alone makes a million of OpenSSL's). Returns how many runs said errSecAllocate.
 */
static unsigned long keychain_failures(const char *path, bool ours, unsigned long prefix,
                                       unsigned long samples)
{
    ours_only = ours;
    allocations = 0, fail_at = 0, armed = true;
    OSStatus status = keychain_life(path);
    armed = false;
    ck_assert_int_eq(status, errSecSuccess);
    keychain_clean_up(path, 0);
    unsigned long total = allocations;
    unsigned long stride = stride_from_env(total / samples > 0 ? total / samples : 1);
    unsigned long runs = 0, allocate = 0;
    for (unsigned long n = 1; n <= total; n += n < prefix ? 1 : stride) {
        allocations = 0, fail_at = n, fired = false, armed = true;
        status = keychain_life(path);
        armed = false;
        /* Reading a file without the memory to hold it is still errSecInvalidKeychain. */
        ck_assert_msg(status == errSecSuccess || status == errSecAllocate ||
                          status == errSecInvalidKeychain,
                      "allocation %lu (%s): status %d", n, ours ? "ours" : "any", (int)status);
        keychain_clean_up(path, n);
        runs++;
        allocate += status == errSecAllocate;
    }
    ours_only = false;
    fprintf(stderr,
            "keychain, %s allocations: %lu, %lu runs (stride %lu after %lu), %lu errSecAllocate\n",
            ours ? "the library's" : "all", total, runs, stride, prefix, allocate);
    return allocate;
}

START_TEST(keychain_allocation_failures)
{
    scratch_dir_create(keychain_dir, "fault");
    char path[SCRATCH_DIR_SIZE + 32];
    snprintf(path, sizeof(path), "%s/life.keychain", keychain_dir);
    ck_assert_uint_gt(keychain_failures(path, true, ULONG_MAX, 1), 0);
    ck_assert_uint_gt(keychain_failures(path, false, 60, 60), 0);
    scratch_dir_remove(keychain_dir);
}
END_TEST

static Suite *fault_injection_suite(void)
{
    Suite *s = suite_create("fault_injection");
    TCase *sampled = tcase_create("sampled");
    tcase_add_unchecked_fixture(sampled, setup, teardown);
    tcase_add_loop_test(sampled, sampled_allocation_failures, 0, 2);
    tcase_add_test(sampled, sni_name_too_long_is_a_parameter_error);
    tcase_add_test(sampled, trusted_roots_out_of_memory_keep_the_old_roots);
    suite_add_tcase(s, sampled);
    TCase *tc = tcase_create("allocations");
    tcase_set_tags(tc, "slow"); /* a few seconds natively, many minutes under valgrind */
    tcase_set_timeout(tc, 3600);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, every_allocation_failure_is_reported_and_released, 0, 2);
    suite_add_tcase(s, tc);
    TCase *keychain = tcase_create("keychain");
    tcase_set_tags(keychain, "slow"); /* a key derivation per run: slow under valgrind */
    tcase_set_timeout(keychain, 600);
    tcase_add_test(keychain, keychain_allocation_failures);
    suite_add_tcase(s, keychain);
    return s;
}

int main(void)
{
    /* Before OpenSSL's first allocation, or it refuses. */
    if (!CRYPTO_set_mem_functions(crypto_malloc, crypto_realloc, crypto_free)) {
        fputs("CRYPTO_set_mem_functions: OpenSSL already allocated\n", stderr);
        return EXIT_FAILURE;
    }
    return st_test_run(fault_injection_suite());
}
