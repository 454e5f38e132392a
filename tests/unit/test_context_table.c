/*
 * The context handle table on its own: membership of many keys through
 * growth, shrinking and backward-shift deletion, with keys that are never
 * dereferenced; and acquire, which retains only live entries.
 */
#include <stdint.h>

#include "st_test.h"

/* Keys: addresses inside one block, 16 bytes apart like malloc results. */
#define KEY_COUNT 100000
static char *block;

static struct st_context *key(size_t i)
{
    return (struct st_context *)(block + 16 * i);
}

static void setup(void)
{
    block = malloc(16 * (size_t)KEY_COUNT);
    ck_assert_ptr_nonnull(block);
}

static void teardown(void)
{
    free(block);
}

START_TEST(insert_find_remove)
{
    size_t before = st_context_table_count();
    for (size_t i = 0; i < KEY_COUNT; i++)
        ck_assert(st_context_table_insert(key(i)));
    ck_assert_uint_eq(st_context_table_count(), before + KEY_COUNT);
    for (size_t i = 0; i < KEY_COUNT; i++)
        ck_assert_ptr_eq(st_context_table_find(key(i)), key(i));

    /* Remove every other key: the rest must stay reachable across the holes. */
    for (size_t i = 0; i < KEY_COUNT; i += 2)
        st_context_table_remove(key(i));
    ck_assert_uint_eq(st_context_table_count(), before + KEY_COUNT / 2);
    for (size_t i = 0; i < KEY_COUNT; i++)
        ck_assert_ptr_eq(st_context_table_find(key(i)), i % 2 ? key(i) : NULL);

    /* Remove the rest in reverse: the shards shrink back. */
    for (size_t i = KEY_COUNT; i-- > 0;)
        if (i % 2)
            st_context_table_remove(key(i));
    ck_assert_uint_eq(st_context_table_count(), before);
    for (size_t i = 0; i < KEY_COUNT; i++)
        ck_assert_ptr_null(st_context_table_find(key(i)));
}
END_TEST

START_TEST(duplicates_and_unknown_keys)
{
    size_t before = st_context_table_count();
    ck_assert(st_context_table_insert(key(1)));
    ck_assert(st_context_table_insert(key(1)));
    ck_assert_uint_eq(st_context_table_count(), before + 1);
    st_context_table_remove(key(2)); /* never inserted: a no-op */
    ck_assert_uint_eq(st_context_table_count(), before + 1);
    st_context_table_remove(key(1));
    st_context_table_remove(key(1));
    ck_assert_uint_eq(st_context_table_count(), before);
    ck_assert_ptr_null(st_context_table_find(NULL));
    ck_assert_ptr_null(st_context_table_find((void *)UINTPTR_MAX));
}
END_TEST

/* Interleaved inserts and removes keep every live key findable (probe runs wrap). */
START_TEST(churn)
{
    size_t before = st_context_table_count();
    for (size_t round = 0; round < 20; round++) {
        for (size_t i = round; i < KEY_COUNT; i += 7)
            ck_assert(st_context_table_insert(key(i)));
        for (size_t i = round; i < KEY_COUNT; i += 14)
            st_context_table_remove(key(i));
        for (size_t i = round; i < KEY_COUNT; i += 7)
            ck_assert_ptr_eq(st_context_table_find(key(i)), (i - round) % 14 ? key(i) : NULL);
        for (size_t i = round; i < KEY_COUNT; i += 7)
            st_context_table_remove(key(i));
        ck_assert_uint_eq(st_context_table_count(), before);
    }
}
END_TEST

/*
 * acquire retains what the table holds unless its count reached zero (its
 * finalizer is waiting to remove it); immortal objects are left alone.
 * The keys here are bare CF object headers: acquire reads only the count.
 */
START_TEST(acquire_retains_live_entries_only)
{
    struct cf_object objects[3] = {
        {.retain_count = 1}, {.retain_count = 0}, {.retain_count = CF_RETAIN_IMMORTAL}};
    for (size_t i = 0; i < 3; i++)
        ck_assert(st_context_table_insert((struct st_context *)&objects[i]));
    ck_assert_ptr_eq(st_context_table_acquire(&objects[0]), (void *)&objects[0]);
    ck_assert_int_eq(objects[0].retain_count, 2);
    ck_assert_ptr_null(st_context_table_acquire(&objects[1]));
    ck_assert_int_eq(objects[1].retain_count, 0);
    ck_assert_ptr_eq(st_context_table_acquire(&objects[2]), (void *)&objects[2]);
    ck_assert_int_eq(objects[2].retain_count, CF_RETAIN_IMMORTAL);
    for (size_t i = 0; i < 3; i++)
        st_context_table_remove((struct st_context *)&objects[i]);
    /* Not in the table: refused without being read. */
    ck_assert_ptr_null(st_context_table_acquire(&objects[0]));
    ck_assert_ptr_null(st_context_table_acquire(NULL));
    ck_assert_ptr_null(st_context_table_acquire((void *)UINTPTR_MAX));
    ck_assert_int_eq(objects[0].retain_count, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("context_table");
    TCase *tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, insert_find_remove);
    tcase_add_test(tc, duplicates_and_unknown_keys);
    tcase_add_test(tc, churn);
    tcase_add_test(tc, acquire_retains_live_entries_only);
    suite_add_tcase(s, tc);
    return st_test_run(s);
}
