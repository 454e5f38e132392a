/* The legacy-provider library context (sec_legacy.h), kept for the life of the process. */
#include "sec_legacy.h"

#include <openssl/crypto.h>
#include <openssl/provider.h>
#include <pthread.h>

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_LIB_CTX *legacy_ctx;

static void make_legacy_ctx(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    if (ctx != NULL && OSSL_PROVIDER_load(ctx, "default") != NULL &&
        OSSL_PROVIDER_load(ctx, "legacy") != NULL)
        legacy_ctx = ctx;
    else
        OSSL_LIB_CTX_free(ctx);
}

OSSL_LIB_CTX *sec_legacy_libctx(void)
{
    pthread_once(&legacy_once, make_legacy_ctx);
    return legacy_ctx;
}
