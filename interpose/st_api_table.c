/*
 * st_api.def as data: names, signatures and guards of every entry point, for
 * call tracing, the ABI checker and the tests.
 */
#include "st_entry.h"

const struct st_api_entry st_api_table[ST_FUNCTION_COUNT] = {
#define ST_FN(name, vis, ret, params, guards) [ST_ID_##name] = {#name, #ret, #params, guards, vis},
#define ST_DATA(name, vis, type)
#include "st_api.def"
#undef ST_FN
#undef ST_DATA
};
