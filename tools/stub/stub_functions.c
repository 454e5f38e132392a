/*
 * A provider of every symbol libsectrans exports that does nothing: what an
 * "unmodified" binary was linked against. Functions are empty; run through
 * sectrans-run, the preloaded library answers every call instead.
 *
 * The names come from the API tables, so the stub always matches the
 * library. Functions need no prototypes here: only their names are linked.
 */
#define STUB_FUNCTION(name)                                                                        \
    void name(void);                                                                               \
    void name(void)                                                                                \
    {                                                                                              \
    }

#define ST_FN(name, vis, ret, params, guards) STUB_FUNCTION(name)
#define ST_DATA(name, vis, type)
#include "st_api.def"

#define CF_FN(name, ret, params) STUB_FUNCTION(name)
#define CF_DATA(name, type)
#include "cf_api.def"

#define SEC_FN(name, ret, params) STUB_FUNCTION(name)
#define SEC_DATA(name, type)
#include "sec_api.def"

#define CC_FN(name, ret, params) STUB_FUNCTION(name)
#define CC_DATA(name, type)
#include "cc_api.def"
