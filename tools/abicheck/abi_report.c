/*
 * Results: each unit of checks runs in a forked child that reports one line
 * per check through a pipe, so a crash or a hang in the implementation is a
 * failed check with the signal named, and the run goes on.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abicheck.h"

/* A unit that runs longer than this hangs (a loop on would-block, a deadlock). */
#define ABI_UNIT_SECONDS 30

struct abi_options abi_opts;

struct abi_record {
    enum abi_verdict verdict;
    char group[16];
    char subject[192];
    char check[64];
    char detail[256];
};

static struct abi_record *records;
static size_t nrecords, crecords;
static int child_fd = -1; /* in a child: where results go */

static const char *const verdict_names[] = {
    [ABI_PASS] = "pass", [ABI_FAIL] = "FAIL", [ABI_SKIP] = "skip", [ABI_WARN] = "warn"};

bool abi_group_selected(const char *group)
{
    return abi_opts.only == NULL || strcmp(abi_opts.only, group) == 0;
}

void abi_report_begin(void)
{
    nrecords = 0;
}

/* Tabs and newlines would break the pipe's line format. */
static void abi_flatten(char *s)
{
    for (; *s != '\0'; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r')
            *s = ' ';
}

static void abi_print_record(const struct abi_record *r)
{
    if (abi_opts.json)
        return;
    printf("%-4s  %-9s  %s: %s%s%s\n", verdict_names[r->verdict], r->group, r->subject, r->check,
           r->detail[0] ? ": " : "", r->detail);
}

static void abi_store(const struct abi_record *r)
{
    if (nrecords == crecords) {
        crecords = crecords ? crecords * 2 : 256;
        records = realloc(records, crecords * sizeof(*records));
        if (records == NULL) {
            perror("st-abicheck");
            exit(2);
        }
    }
    records[nrecords++] = *r;
    abi_print_record(r);
}

void abi_result(enum abi_verdict verdict, const char *group, const char *subject, const char *check,
                const char *fmt, ...)
{
    struct abi_record r = {.verdict = verdict};
    snprintf(r.group, sizeof(r.group), "%s", group);
    snprintf(r.subject, sizeof(r.subject), "%s", subject);
    snprintf(r.check, sizeof(r.check), "%s", check);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
    va_end(ap);
    abi_flatten(r.detail);
    abi_flatten(r.check);
    if (child_fd < 0) {
        abi_store(&r);
        return;
    }
    char line[640];
    int n = snprintf(line, sizeof(line), "R\t%d\t%s\t%s\t%s\t%s\n", (int)verdict, r.group,
                     r.subject, r.check, r.detail);
    if (n > 0 && write(child_fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line)) < 0)
        _exit(3);
}

void abi_begin(const char *check)
{
    if (child_fd < 0)
        return;
    char line[128];
    int n = snprintf(line, sizeof(line), "B\t%s\n", check);
    if (n > 0 && write(child_fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line)) < 0)
        _exit(3);
}

/* Parses one line from a child; `current` tracks the check it last began. */
static void abi_take_line(char *line, char *current, size_t current_len)
{
    char *f[6];
    unsigned n = 0;
    for (char *p = line; n < 6;) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n == 2 && strcmp(f[0], "B") == 0) {
        snprintf(current, current_len, "%s", f[1]);
    } else if (n == 6 && strcmp(f[0], "R") == 0) {
        struct abi_record r = {.verdict = (enum abi_verdict)atoi(f[1])};
        snprintf(r.group, sizeof(r.group), "%s", f[2]);
        snprintf(r.subject, sizeof(r.subject), "%s", f[3]);
        snprintf(r.check, sizeof(r.check), "%s", f[4]);
        snprintf(r.detail, sizeof(r.detail), "%s", f[5]);
        abi_store(&r);
        current[0] = '\0';
    }
}

void abi_isolate(const char *group, const char *subject, enum abi_verdict on_crash,
                 void (*unit)(void *), void *arg)
{
    int fds[2];
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0) {
        perror("st-abicheck: pipe");
        exit(2);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("st-abicheck: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        child_fd = fds[1];
        alarm(ABI_UNIT_SECONDS);
        unit(arg);
        _exit(0);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char line[700], current[64] = "";
    while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        abi_take_line(line, current, sizeof(current));
    }
    if (in != NULL)
        fclose(in);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        abi_result(on_crash, group, subject, current[0] ? current : "runs", "%s (%s)",
                   sig == SIGALRM ? "hung: no return within the time limit" : "crashed",
                   sig == SIGALRM ? "killed" : strsignal(sig));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        abi_result(on_crash, group, subject, current[0] ? current : "runs", "exited with %d",
                   WEXITSTATUS(status));
    }
}

static void abi_json_string(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int abi_report_finish(const char *library, const char *table)
{
    size_t counts[4] = {0};
    for (size_t i = 0; i < nrecords; i++)
        counts[records[i].verdict]++;
    if (abi_opts.json) {
        printf("{\"library\": ");
        abi_json_string(library);
        printf(", \"table\": ");
        abi_json_string(table);
        printf(", \"checks\": [");
        for (size_t i = 0; i < nrecords; i++) {
            const struct abi_record *r = &records[i];
            printf("%s\n  {\"result\": \"%s\", \"group\": ", i ? "," : "",
                   r->verdict == ABI_FAIL ? "fail" : verdict_names[r->verdict]);
            abi_json_string(r->group);
            printf(", \"subject\": ");
            abi_json_string(r->subject);
            printf(", \"check\": ");
            abi_json_string(r->check);
            printf(", \"detail\": ");
            abi_json_string(r->detail);
            putchar('}');
        }
        printf("\n], \"summary\": {\"pass\": %zu, \"fail\": %zu, \"warn\": %zu, \"skip\": %zu, "
               "\"conforms\": %s}}\n",
               counts[ABI_PASS], counts[ABI_FAIL], counts[ABI_WARN], counts[ABI_SKIP],
               counts[ABI_FAIL] ? "false" : "true");
    } else {
        printf("\n%s: %zu passed, %zu failed, %zu warnings, %zu skipped\n", library,
               counts[ABI_PASS], counts[ABI_FAIL], counts[ABI_WARN], counts[ABI_SKIP]);
        printf("%s\n", counts[ABI_FAIL] ? "does NOT conform to the 10.15 binary interface"
                                        : "conforms to the 10.15 binary interface");
    }
    free(records);
    records = NULL;
    return counts[ABI_FAIL] ? 1 : 0;
}
