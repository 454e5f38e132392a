/*
 * The context handle table (see st_context_table.h).
 *
 * 64 shards, each an open-addressing hash set of pointers with linear probing
 * and backward-shift deletion (no tombstones, so lookups stay short however
 * many contexts come and go). A shard keeps its load at most 1/2, grows by
 * doubling and shrinks when it falls below 1/8.
 */
#include "st_context_table.h"

#include <pthread.h>

#include "cf_runtime.h"
#include <stdint.h>
#include <stdlib.h>

#define SHARD_BITS         6
#define SHARD_COUNT        (1u << SHARD_BITS)
#define SHARD_MIN_CAPACITY 16

struct shard {
    pthread_mutex_t lock;
    size_t capacity; /* power of two, or 0 before the first insert */
    size_t count;
    uintptr_t *slots;           /* 0 = empty */
} __attribute__((aligned(64))); /* one cache line each: shards do not share lines */

static struct shard shards[SHARD_COUNT] = {
    [0 ... SHARD_COUNT - 1] = {.lock = PTHREAD_MUTEX_INITIALIZER},
};

/* A full 64-bit mix (splitmix64's finalizer): heap addresses differ in few bits. */
static uint64_t pointer_hash(uintptr_t key)
{
    uint64_t h = (uint64_t)key;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9u;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebu;
    return h ^ (h >> 31);
}

static struct shard *shard_of(uint64_t hash)
{
    return &shards[hash & (SHARD_COUNT - 1)];
}

static size_t home_slot(uint64_t hash, size_t capacity)
{
    return (size_t)(hash >> SHARD_BITS) & (capacity - 1);
}

/* Index of `key` in the shard, or SIZE_MAX. Caller holds the lock. */
static size_t shard_find(const struct shard *s, uintptr_t key, uint64_t hash)
{
    if (s->capacity == 0)
        return SIZE_MAX;
    size_t mask = s->capacity - 1;
    for (size_t i = home_slot(hash, s->capacity);; i = (i + 1) & mask) {
        if (s->slots[i] == key)
            return i;
        if (s->slots[i] == 0)
            return SIZE_MAX;
    }
}

static void shard_place(uintptr_t *slots, size_t capacity, uintptr_t key)
{
    size_t mask = capacity - 1;
    size_t i = home_slot(pointer_hash(key), capacity);
    while (slots[i] != 0)
        i = (i + 1) & mask;
    slots[i] = key;
}

static bool shard_resize(struct shard *s, size_t capacity)
{
    uintptr_t *slots = calloc(capacity, sizeof(*slots));
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < s->capacity; i++)
        if (s->slots[i] != 0)
            shard_place(slots, capacity, s->slots[i]);
    free(s->slots);
    s->slots = slots;
    s->capacity = capacity;
    return true;
}

bool st_context_table_insert(struct st_context *ctx)
{
    uintptr_t key = (uintptr_t)ctx;
    uint64_t hash = pointer_hash(key);
    struct shard *s = shard_of(hash);
    bool ok = true;

    pthread_mutex_lock(&s->lock);
    if ((s->count + 1) * 2 > s->capacity)
        ok = shard_resize(s, s->capacity ? s->capacity * 2 : SHARD_MIN_CAPACITY);
    if (ok && shard_find(s, key, hash) == SIZE_MAX) {
        shard_place(s->slots, s->capacity, key);
        s->count++;
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

void st_context_table_remove(const struct st_context *ctx)
{
    uintptr_t key = (uintptr_t)ctx;
    uint64_t hash = pointer_hash(key);
    struct shard *s = shard_of(hash);

    pthread_mutex_lock(&s->lock);
    size_t hole = shard_find(s, key, hash);
    if (hole != SIZE_MAX) {
        /* Backward-shift: pull later members of the probe run into the hole. */
        size_t mask = s->capacity - 1;
        for (size_t i = (hole + 1) & mask; s->slots[i] != 0; i = (i + 1) & mask) {
            size_t home = home_slot(pointer_hash(s->slots[i]), s->capacity);
            /* Move it if its home is not cyclically inside (hole, i]. */
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                s->slots[hole] = s->slots[i];
                hole = i;
            }
        }
        s->slots[hole] = 0;
        s->count--;
        if (s->count == 0) {
            free(s->slots);
            s->slots = NULL;
            s->capacity = 0;
        } else if (s->capacity > SHARD_MIN_CAPACITY && s->count * 8 < s->capacity) {
            (void)shard_resize(s, s->capacity / 2); /* on failure the table stays valid */
        }
    }
    pthread_mutex_unlock(&s->lock);
}

struct st_context *st_context_table_acquire(const void *ref)
{
    uintptr_t key = (uintptr_t)ref;
    if (key == 0)
        return NULL;
    uint64_t hash = pointer_hash(key);
    struct shard *s = shard_of(hash);

    pthread_mutex_lock(&s->lock);
    /*
     * Every key is a context, a CF object. While we hold the lock its
     * finalizer cannot leave the table, so it is not freed under us; a
     * count already at zero means that finalizer is waiting for the lock.
     */
    bool live = shard_find(s, key, hash) != SIZE_MAX && cf_retain_if_alive((CFTypeRef)ref);
    pthread_mutex_unlock(&s->lock);
    return live ? (struct st_context *)ref : NULL;
}

struct st_context *st_context_table_find(const void *ref)
{
    uintptr_t key = (uintptr_t)ref;
    if (key == 0)
        return NULL;
    uint64_t hash = pointer_hash(key);
    struct shard *s = shard_of(hash);

    pthread_mutex_lock(&s->lock);
    bool found = shard_find(s, key, hash) != SIZE_MAX;
    pthread_mutex_unlock(&s->lock);
    return found ? (struct st_context *)ref : NULL;
}

size_t st_context_table_count(void)
{
    size_t total = 0;
    for (size_t i = 0; i < SHARD_COUNT; i++) {
        pthread_mutex_lock(&shards[i].lock);
        total += shards[i].count;
        pthread_mutex_unlock(&shards[i].lock);
    }
    return total;
}
