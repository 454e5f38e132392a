/* Test scratch directories; see scratch_dir.h. */
#include "scratch_dir.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void scratch_dir_create(char dir[SCRATCH_DIR_SIZE], const char *tag)
{
    int n = snprintf(dir, SCRATCH_DIR_SIZE, "/tmp/sectrans-%s-XXXXXX", tag);
    ck_assert(n > 0 && n < SCRATCH_DIR_SIZE);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void scratch_dir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[SCRATCH_DIR_SIZE + sizeof(e->d_name) + 1];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        ck_assert_int_eq(unlink(path), 0);
    }
    closedir(d);
    ck_assert_int_eq(rmdir(dir), 0);
}
