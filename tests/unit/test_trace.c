/*
 * Call tracing (SECTRANS_TRACE) and the key log (SSLKEYLOGFILE). Both are
 * read when the library loads, so each case runs trace_child with the
 * variables set and reads what it wrote.
 */
#include <check.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tls_peer.h"
#include "trace_child.h"

static char scratch[64];

static void scratch_setup(void)
{
    snprintf(scratch, sizeof(scratch), "/tmp/st-trace-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void scratch_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    ck_assert_int_eq(system(cmd), 0);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    static char empty[] = "";
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(f);
    return text != NULL ? text : strdup(empty);
}

/*
 * Runs trace_child ARGS with NAME=VALUE pairs added to the environment; its
 * stderr goes to `err` (a file under the scratch directory). Exit status.
 */
static int run_child(const char *const *env, const char *const *args, const char *err)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        unsetenv("SECTRANS_TRACE");
        unsetenv("SECTRANS_TRACE_FORMAT");
        unsetenv("SSLKEYLOGFILE");
        for (size_t i = 0; env != NULL && env[i] != NULL; i += 2)
            setenv(env[i], env[i + 1], 1);
        int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            dup2(fd, STDERR_FILENO);
        char *argv[8] = {(char *)TRACE_CHILD_PATH};
        for (size_t i = 0; args[i] != NULL && i < 6; i++)
            argv[i + 1] = (char *)args[i];
        execv(TRACE_CHILD_PATH, argv);
        _exit(127);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The thread id as [T] and addresses as P, so lines compare exactly. */
static char *masked(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    for (const char *p = text; *p != '\0';) {
        if (strncmp(p, "\"thread\": ", 10) == 0 && isdigit((unsigned char)p[10])) {
            p += 10;
            while (isdigit((unsigned char)*p))
                p++;
            o += sprintf(o, "\"thread\": T");
        } else if (p[0] == '[' && isdigit((unsigned char)p[1])) {
            while (*p != ']' && *p != '\0')
                p++;
            o += sprintf(o, "[T");
        } else if (p[0] == '0' && p[1] == 'x' && isxdigit((unsigned char)p[2])) {
            p += 2;
            while (isxdigit((unsigned char)*p))
                p++;
            *o++ = 'P';
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static const char expected_script[] =
    "sectrans: [T] SSLCreateContext(alloc=NULL, protocolSide=kSSLClientSide (1), "
    "connectionType=kSSLStreamType (0)) = P\n"
    "sectrans: [T] SSLSetProtocolVersionMin(context=P, minVersion=kTLSProtocol12 (8)) = "
    "errSecSuccess (0)\n"
    "sectrans: [T] SSLSetSessionOption(context=P, option=kSSLSessionOptionBreakOnServerAuth (0), "
    "value=true) = errSecSuccess (0)\n"
    "sectrans: [T] SSLGetSessionState(context=P, state=P) = errSecSuccess (0); state=kSSLIdle (0)\n"
    "sectrans: [T] SSLSetPeerDomainName(context=P, peerName=P, peerNameLen=19) = errSecSuccess "
    "(0)\n"
    "sectrans: [T] SSLHandshake(context=P) = errSecBadReq (-909)\n"
    "sectrans: [T] SSLGetSessionState(context=NULL, state=P) = errSecParam (-50)\n"
    "sectrans: [T] CFRelease(cf=P)\n";

START_TEST(trace_prints_each_call_decoded)
{
    char trace[128], err[128];
    snprintf(trace, sizeof(trace), "%s/trace", scratch);
    snprintf(err, sizeof(err), "%s/err", scratch);
    const char *env[] = {"SECTRANS_TRACE", trace, NULL};
    const char *args[] = {"script", NULL};
    ck_assert_int_eq(run_child(env, args, err), 0);
    char *text = read_text(trace), *m = masked(text);
    ck_assert_str_eq(m, expected_script);
    /* Buffers are never shown: the name passed to SSLSetPeerDomainName is not there. */
    ck_assert_ptr_null(strstr(text, TRACE_CHILD_HOST));
    struct stat st;
    ck_assert_int_eq(stat(trace, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    free(m);
    free(text);
}
END_TEST

START_TEST(trace_errors_only)
{
    char trace[128], err[128];
    snprintf(trace, sizeof(trace), "errors:%s/trace", scratch);
    snprintf(err, sizeof(err), "%s/err", scratch);
    const char *env[] = {"SECTRANS_TRACE", trace, NULL};
    const char *args[] = {"script", NULL};
    ck_assert_int_eq(run_child(env, args, err), 0);
    char *text = read_text(trace + strlen("errors:")), *m = masked(text);
    ck_assert_str_eq(m, "sectrans: [T] SSLHandshake(context=P) = errSecBadReq (-909)\n"
                        "sectrans: [T] SSLGetSessionState(context=NULL, state=P) = errSecParam "
                        "(-50)\n");
    free(m);
    free(text);
}
END_TEST

START_TEST(trace_to_stderr_as_json)
{
    char err[128];
    snprintf(err, sizeof(err), "%s/err", scratch);
    const char *env[] = {"SECTRANS_TRACE", "1", "SECTRANS_TRACE_FORMAT", "json", NULL};
    const char *args[] = {"script", NULL};
    ck_assert_int_eq(run_child(env, args, err), 0);
    char *text = read_text(err), *m = masked(text);
    ck_assert_ptr_nonnull(strstr(
        m, "{\"thread\": T, \"function\": \"SSLGetSessionState\", \"args\": {\"context\": \"P\", "
           "\"state\": \"P\"}, \"result\": \"errSecSuccess (0)\", \"out\": {\"state\": "
           "\"kSSLIdle (0)\"}}\n"));
    /* One object per line, eight calls. */
    unsigned lines = 0;
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_uint_eq(lines, 8);
    free(m);
    free(text);
}
END_TEST

START_TEST(nothing_printed_when_unset)
{
    char err[128];
    snprintf(err, sizeof(err), "%s/err", scratch);
    const char *args[] = {"script", NULL};
    ck_assert_int_eq(run_child(NULL, args, err), 0);
    char *text = read_text(err);
    ck_assert_str_eq(text, "");
    free(text);
}
END_TEST

/* Key log lines as a sorted set, for comparing two files' contents. */
static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned sorted_lines(char *text, char **lines, unsigned max)
{
    unsigned n = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l != NULL && n < max;
         l = strtok_r(NULL, "\n", &save))
        if (l[0] != '#') /* comments, such as the header of a new file */
            lines[n++] = l;
    qsort(lines, n, sizeof(*lines), compare_lines);
    return n;
}

static const char *const keylog_versions[] = {"-tls1_3", "-tls1_2"};

START_TEST(keylog_matches_s_server)
{
    struct tls_pki pki;
    tls_pki_create(&pki);
    char server_log[128], client_log[128], trace[128], err[128], port[16];
    snprintf(server_log, sizeof(server_log), "%s/server.keys", scratch);
    snprintf(client_log, sizeof(client_log), "%s/client.keys", scratch);
    snprintf(trace, sizeof(trace), "%s/trace", scratch);
    snprintf(err, sizeof(err), "%s/err", scratch);
    const char *server_args[] = {keylog_versions[_i], "-cert",       pki.ec_pem,    "-key",
                                 pki.ec_key_pem,      "-cert_chain", pki.chain_pem, "-keylogfile",
                                 server_log,          "-rev",        NULL};
    struct s_server server;
    s_server_start(&server, server_args);
    snprintf(port, sizeof(port), "%d", server.port);
    const char *env[] = {"SSLKEYLOGFILE", client_log, "SECTRANS_TRACE", trace, NULL};
    const char *args[] = {"tls", port, pki.root_pem, NULL};
    int status = run_child(env, args, err);
    s_server_stop(&server);
    ck_assert_int_eq(status, 0);

    char *ours = read_text(client_log), *theirs = read_text(server_log);
    ck_assert_ptr_nonnull(ours);
    ck_assert_ptr_nonnull(theirs);
    char *ours_copy = strdup(ours);
    char *a[32], *b[32];
    unsigned na = sorted_lines(ours, a, 32), nb = sorted_lines(theirs, b, 32);
    ck_assert_uint_ge(na, _i == 0 ? 5 : 1);
    ck_assert_uint_eq(na, nb);
    for (unsigned i = 0; i < na; i++)
        ck_assert_str_eq(a[i], b[i]);

    struct stat st;
    ck_assert_int_eq(stat(client_log, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    /* The warning, once. */
    char *warnings = read_text(err);
    const char *w = strstr(warnings, "SSLKEYLOGFILE is set");
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_null(strstr(w + 1, "SSLKEYLOGFILE is set"));

    /* The trace of the same session shows neither the data nor a secret. */
    char *traced = read_text(trace);
    ck_assert_ptr_nonnull(strstr(traced, "SSLWrite("));
    ck_assert_ptr_null(strstr(traced, TRACE_CHILD_SECRET));
    char *save = NULL;
    for (char *line = strtok_r(ours_copy, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        const char *secret = strrchr(line, ' ');
        ck_assert_ptr_nonnull(secret);
        ck_assert_ptr_null(strstr(traced, secret + 1));
    }
    free(traced);
    free(warnings);
    free(ours_copy);
    free(ours);
    free(theirs);
    tls_pki_destroy(&pki);
}
END_TEST

/* SECTRANS_DIAG: a trust failure explained in one paragraph; silence without it. */
START_TEST(diag_explains_a_failed_handshake)
{
    struct tls_pki pki;
    tls_pki_create(&pki);
    char err[128], quiet[128], port[16];
    snprintf(err, sizeof(err), "%s/err", scratch);
    snprintf(quiet, sizeof(quiet), "%s/quiet", scratch);
    const char *server_args[] = {"-cert", pki.untrusted_pem, "-key", pki.server_key_pem, "-rev",
                                 NULL};
    struct s_server server;
    s_server_start(&server, server_args);
    snprintf(port, sizeof(port), "%d", server.port);
    const char *env[] = {"SECTRANS_DIAG", "1", NULL};
    const char *args[] = {"tls", port, pki.root_pem, NULL};
    int status = run_child(env, args, err);
    int quiet_status = run_child(NULL, args, quiet);
    s_server_stop(&server);
    ck_assert_int_eq(status, 3); /* trace_child: the handshake failed */
    ck_assert_int_eq(quiet_status, 3);
    char *report = read_text(err), *none = read_text(quiet);
    ck_assert_ptr_nonnull(
        strstr(report, "sectrans: the TLS handshake failed: errSSLXCertChainInvalid (-9807)\n"));
    ck_assert_ptr_nonnull(strstr(report, "  peer: localhost (we are the client, over TLS)\n"));
    ck_assert_ptr_nonnull(strstr(report, "  OpenSSL says: certificate verify failed\n"));
    ck_assert_ptr_nonnull(strstr(report, "  alert sent: certificate unknown (46)\n"));
    ck_assert_ptr_nonnull(strstr(report, "  certificate chain (trust failed: "));
    ck_assert_ptr_nonnull(strstr(report, "not among the trusted anchors\n"));
    ck_assert_str_eq(none, "");
    free(report);
    free(none);
    tls_pki_destroy(&pki);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("trace");
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, trace_prints_each_call_decoded);
    tcase_add_test(tc, trace_errors_only);
    tcase_add_test(tc, trace_to_stderr_as_json);
    tcase_add_test(tc, nothing_printed_when_unset);
    tcase_add_loop_test(tc, keylog_matches_s_server, 0, 2);
    tcase_add_test(tc, diag_explains_a_failed_handshake);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *runner = srunner_create(trace_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
