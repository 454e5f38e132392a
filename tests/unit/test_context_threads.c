/*
 * Contexts created, used and released from two threads at once, including
 * contexts handed from one thread to the other: no lookup ever fails for a
 * live context, connection refs come back bit for bit, and at the end the
 * table is empty (and, under the sanitizers and valgrind, nothing leaked).
 * Also contexts disposed of by one thread while the other is calling them.
 * CI also runs this test under ThreadSanitizer.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "st_test.h"

#define BATCH         64
#define HANDOFF_SLOTS 256

static size_t iterations(void)
{
    const char *env = getenv("SECTRANS_STRESS_ITERATIONS");
    long n = env != NULL ? strtol(env, NULL, 10) : 0;
    return n > 0 ? (size_t)n : 200000;
}

/* A bounded queue of contexts that one thread creates and the other releases. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    SSLContextRef slots[HANDOFF_SLOTS];
    size_t head, count;
    bool done;
} handoff = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static void handoff_put(SSLContextRef ctx)
{
    pthread_mutex_lock(&handoff.lock);
    while (handoff.count == HANDOFF_SLOTS)
        pthread_cond_wait(&handoff.changed, &handoff.lock);
    handoff.slots[(handoff.head + handoff.count++) % HANDOFF_SLOTS] = ctx;
    pthread_cond_broadcast(&handoff.changed);
    pthread_mutex_unlock(&handoff.lock);
}

static SSLContextRef handoff_take(void)
{
    pthread_mutex_lock(&handoff.lock);
    while (handoff.count == 0 && !handoff.done)
        pthread_cond_wait(&handoff.changed, &handoff.lock);
    SSLContextRef ctx = NULL;
    if (handoff.count > 0) {
        ctx = handoff.slots[handoff.head];
        handoff.head = (handoff.head + 1) % HANDOFF_SLOTS;
        handoff.count--;
        pthread_cond_broadcast(&handoff.changed);
    }
    pthread_mutex_unlock(&handoff.lock);
    return ctx;
}

struct worker {
    unsigned id;
    size_t failures;
    size_t handed_over;
};

/* The connection ref encodes thread and index, so a mix-up shows. */
static SSLConnectionRef ref_for(unsigned id, size_t i)
{
    return (SSLConnectionRef)(((uintptr_t)id << 56) | i);
}

static void *producer(void *arg)
{
    struct worker *w = arg;
    size_t n = iterations();
    SSLContextRef batch[BATCH];
    for (size_t i = 0; i < n; i += BATCH) {
        for (size_t k = 0; k < BATCH; k++) {
            batch[k] = SSLCreateContext(NULL, k % 2 ? kSSLServerSide : kSSLClientSide,
                                        k % 3 ? kSSLStreamType : kSSLDatagramType);
            if (batch[k] == NULL || SSLSetConnection(batch[k], ref_for(w->id, i + k)) != 0)
                w->failures++;
        }
        for (size_t k = 0; k < BATCH; k++) {
            SSLConnectionRef got = NULL;
            if (SSLGetConnection(batch[k], &got) != 0 || got != ref_for(w->id, i + k))
                w->failures++;
            /* Every eighth context is released by the other thread. */
            if (k % 8 == 0) {
                handoff_put(batch[k]);
                w->handed_over++;
            } else {
                CFRelease(batch[k]);
            }
        }
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct worker *w = arg;
    size_t n = iterations();
    for (size_t i = 0; i < n; i++) {
        SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
        SSLSessionState state;
        if (ctx == NULL || SSLGetSessionState(ctx, &state) != 0 || state != kSSLIdle)
            w->failures++;
        /*
         * (No stale-pointer check here: the other thread may legitimately get
         * the same address from malloc for its next context.)
         */
        CFRelease(ctx);
        if (i % 16 == 0) {
            SSLContextRef foreign = handoff_take();
            if (foreign != NULL) {
                SSLConnectionRef got = NULL;
                if (SSLGetConnection(foreign, &got) != 0 || ((uintptr_t)got >> 56) != 1)
                    w->failures++;
                CFRelease(foreign);
                w->handed_over++;
            }
        }
    }
    /* Drain what the producer still hands over. */
    for (SSLContextRef foreign; (foreign = handoff_take()) != NULL;) {
        CFRelease(foreign);
        w->handed_over++;
    }
    return NULL;
}

START_TEST(two_threads_create_and_release)
{
    size_t before = st_context_table_count();
    struct worker a = {.id = 1}, b = {.id = 2};
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, producer, &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, consumer, &b), 0);
    ck_assert_int_eq(pthread_join(ta, NULL), 0);
    pthread_mutex_lock(&handoff.lock);
    handoff.done = true;
    pthread_cond_broadcast(&handoff.changed);
    pthread_mutex_unlock(&handoff.lock);
    ck_assert_int_eq(pthread_join(tb, NULL), 0);

    ck_assert_uint_eq(a.failures, 0);
    ck_assert_uint_eq(b.failures, 0);
    ck_assert_uint_eq(a.handed_over, b.handed_over); /* every handed context was released */
    ck_assert_uint_gt(a.handed_over, 0);
    ck_assert_uint_eq(st_context_table_count(), before);
}
END_TEST

/*
 * One thread disposes of contexts while another calls setters and getters
 * on the same pointers: every call either finds the context alive (and
 * finishes on it, even if the dispose lands meanwhile) or is refused with
 * errSecParam. Nothing is used after it is freed.
 */
#define SHARED_SLOTS 16

static struct {
    _Atomic(SSLContextRef) slots[SHARED_SLOTS];
    atomic_bool done;
} shared;

static void *disposer(void *arg)
{
    struct worker *w = arg;
    size_t n = iterations() / 2;
    for (size_t i = 0; i < n; i++) {
        SSLContextRef ctx = SSLCreateContext(NULL, kSSLClientSide, kSSLStreamType);
        if (ctx == NULL)
            w->failures++;
        SSLContextRef old = atomic_exchange(&shared.slots[i % SHARED_SLOTS], ctx);
        if (old != NULL && SSLDisposeContext(old) != errSecSuccess)
            w->failures++;
    }
    for (size_t k = 0; k < SHARED_SLOTS; k++) {
        SSLContextRef old = atomic_exchange(&shared.slots[k], NULL);
        if (old != NULL && SSLDisposeContext(old) != errSecSuccess)
            w->failures++;
    }
    atomic_store(&shared.done, true);
    return NULL;
}

/* Success on a live context, errSecParam on a disposed one; anything else is a failure. */
static void expect_live_or_refused(struct worker *w, OSStatus status)
{
    if (status != errSecSuccess && status != errSecParam)
        w->failures++;
}

static void *hammer(void *arg)
{
    struct worker *w = arg;
    while (!atomic_load(&shared.done)) {
        for (size_t k = 0; k < SHARED_SLOTS; k++) {
            SSLContextRef ctx = atomic_load(&shared.slots[k]);
            if (ctx == NULL)
                continue;
            size_t len = 0;
            SSLSessionState state;
            SSLConnectionRef got = NULL;
            expect_live_or_refused(w, SSLSetPeerDomainName(ctx, "localhost", 9));
            expect_live_or_refused(w, SSLGetPeerDomainNameLength(ctx, &len));
            expect_live_or_refused(w, SSLSetConnection(ctx, ref_for(w->id, k)));
            expect_live_or_refused(w, SSLGetConnection(ctx, &got));
            expect_live_or_refused(w, SSLGetSessionState(ctx, &state));
            expect_live_or_refused(w, SSLSetSessionOption(ctx, kSSLSessionOptionFalseStart, true));
        }
    }
    return NULL;
}

START_TEST(dispose_while_another_thread_calls)
{
    size_t before = st_context_table_count();
    struct worker a = {.id = 1}, b = {.id = 2};
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&tb, NULL, hammer, &b), 0);
    ck_assert_int_eq(pthread_create(&ta, NULL, disposer, &a), 0);
    ck_assert_int_eq(pthread_join(ta, NULL), 0);
    ck_assert_int_eq(pthread_join(tb, NULL), 0);
    ck_assert_uint_eq(a.failures, 0);
    ck_assert_uint_eq(b.failures, 0);
    ck_assert_uint_eq(st_context_table_count(), before);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("context_threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, two_threads_create_and_release);
    tcase_add_test(tc, dispose_while_another_thread_calls);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
