/*
 * SSLKEYLOGFILE: when the variable names a file, every connection's secrets
 * are appended to it in the NSS key log format (what OpenSSL's keylog
 * callback produces: CLIENT_RANDOM for TLS 1.2, the traffic secrets for
 * TLS 1.3), so Wireshark can decrypt what a legacy binary sends. The file is
 * created with mode 0600, each line goes out in one append, and the process
 * is told once on stderr that its secrets are being written down.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "st_engine.h"

static int st_keylog_fd = -1;
static pthread_once_t st_keylog_once = PTHREAD_ONCE_INIT;

/* secure_getenv: a setuid program must not be made to write its secrets out. */
static void st_keylog_open(void)
{
    const char *path = secure_getenv("SSLKEYLOGFILE");
    if (path == NULL || path[0] == '\0')
        return;
    st_keylog_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (st_keylog_fd < 0)
        fprintf(stderr, "sectrans: SSLKEYLOGFILE: cannot open %s: %s\n", path, strerror(errno));
    else
        fprintf(stderr,
                "sectrans: warning: SSLKEYLOGFILE is set: the TLS secrets of every connection "
                "are written to %s\n",
                path);
}

static void st_keylog_line(const SSL *ssl, const char *line)
{
    (void)ssl;
    char buf[512];
    size_t n = strlen(line);
    if (n + 1 > sizeof(buf))
        return; /* longer than any NSS key log line */
    memcpy(buf, line, n);
    buf[n++] = '\n';
    /* One write per line: with O_APPEND, lines from several processes stay whole. */
    ssize_t done;
    do
        done = write(st_keylog_fd, buf, n);
    while (done < 0 && errno == EINTR);
}

void st_keylog_install(SSL_CTX *ssl_ctx)
{
    pthread_once(&st_keylog_once, st_keylog_open);
    if (st_keylog_fd >= 0)
        SSL_CTX_set_keylog_callback(ssl_ctx, st_keylog_line);
}
