/*
 * The system trust anchors: loaded once per process, on first use, from
 * OpenSSL's default locations (SSL_CERT_FILE and SSL_CERT_DIR override them,
 * as for every OpenSSL program), and shared read-only by every evaluation.
 */
#define _GNU_SOURCE /* secure_getenv */
#include <dirent.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sec_internal.h"

static pthread_once_t anchors_once = PTHREAD_ONCE_INIT;
static STACK_OF(X509) * anchors;

/* Appends every certificate of a PEM file (a bundle or a single one). */
static void load_pem_file(const char *path)
{
    BIO *bio = BIO_new_file(path, "r");
    if (bio == NULL)
        return;
    X509 *x;
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
        if (!sk_X509_push(anchors, x))
            X509_free(x);
    ERR_clear_error(); /* the end of the file reads as an error */
    BIO_free(bio);
}

/* The hashed directories (colon-separated): every "<hash>.<n>" entry in them. */
static void load_cert_dirs(const char *dirs)
{
    char *copy = strdup(dirs);
    char *save = NULL;
    for (char *dir = copy != NULL ? strtok_r(copy, ":", &save) : NULL; dir != NULL;
         dir = strtok_r(NULL, ":", &save)) {
        DIR *d = opendir(dir);
        if (d == NULL)
            continue;
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            const char *dot = strrchr(e->d_name, '.');
            if (dot == NULL || dot - e->d_name != 8 || strspn(dot + 1, "0123456789") == 0)
                continue;
            char path[4096];
            if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path))
                load_pem_file(path);
        }
        closedir(d);
    }
    free(copy);
}

static void load_anchors(void)
{
    anchors = sk_X509_new_null();
    if (anchors == NULL)
        return;
    /*
     * secure_getenv: in a setuid or setgid program the caller's environment
     * must not choose the trust anchors (the variables are then ignored).
     */
    const char *file = secure_getenv(X509_get_default_cert_file_env());
    const char *dir = secure_getenv(X509_get_default_cert_dir_env());
    load_pem_file(file != NULL ? file : X509_get_default_cert_file());
    /*
     * The directory usually holds the same certificates as the bundle; load
     * it only when asked for, or when the bundle gave nothing.
     */
    if (dir != NULL || sk_X509_num(anchors) == 0)
        load_cert_dirs(dir != NULL ? dir : X509_get_default_cert_dir());
}

STACK_OF(X509) * sec_system_anchors(void)
{
    pthread_once(&anchors_once, load_anchors);
    return anchors;
}
