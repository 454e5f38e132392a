/*
 * A temporary directory of a test's own under /tmp, for keychain files:
 * made in the fixture's setup, emptied and removed in its teardown.
 */
#ifndef SECTRANS_SCRATCH_DIR_H
#define SECTRANS_SCRATCH_DIR_H

#define SCRATCH_DIR_SIZE 64

/* Makes "/tmp/sectrans-<tag>-XXXXXX" and writes its name to `dir`; fails the test on error. */
void scratch_dir_create(char dir[SCRATCH_DIR_SIZE], const char *tag);

/* Removes every file in `dir`, then `dir`; fails the test if any of it cannot go. */
void scratch_dir_remove(const char *dir);

#endif
