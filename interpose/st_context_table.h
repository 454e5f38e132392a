/*
 * The context handle table: the process-wide set of live SSLContextRef
 * pointers. Every entry point looks its context up here before touching it,
 * so a pointer that was never a context, was released, or was forged is
 * refused without being dereferenced.
 *
 * An entry point's lookup also retains the context (under the shard lock,
 * unless its last release already began) and releases it when the entry
 * point returns, so a context the app releases while a call on it is
 * running (from a callback, or from another thread) lives until that call
 * returns; the final release then runs, and the pointer is refused after.
 *
 * Lookups are O(1) and take one uncontended lock out of many (the table is
 * sharded by pointer hash), so two threads and a million live contexts cost
 * the same per call as one context.
 */
#ifndef SECTRANS_ST_CONTEXT_TABLE_H
#define SECTRANS_ST_CONTEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "st_must_use.h"

struct st_context;

/* Adds a context. False when out of memory (the context must not be used). */
ST_MUST_USE bool st_context_table_insert(struct st_context *ctx);

/* Removes a context; a no-op for a pointer the table does not hold. */
void st_context_table_remove(const struct st_context *ctx);

/*
 * The live context at `ref`, retained (+1: the caller releases it), or NULL
 * for a pointer the table does not hold or a context whose last release
 * has begun. Dereferences `ref` only once the table holds it.
 */
ST_MUST_USE struct st_context *st_context_table_acquire(const void *ref);

/*
 * The live context at `ref`, or NULL, without a reference: for tests and
 * for code that already holds one. Never dereferences `ref`.
 */
struct st_context *st_context_table_find(const void *ref);

/* Number of live contexts (for tests and the benchmark). */
size_t st_context_table_count(void);

#endif
