/*
 * CFURL, internal interface: what the URL access and stream code needs from
 * a file URL.
 */
#ifndef SECTRANS_CF_URL_H
#define SECTRANS_CF_URL_H

#include "cf_runtime.h"

/*
 * A file URL for the path `len` bytes at `path` (no NUL among them); a
 * relative path is taken relative to the current working directory. NULL
 * for an empty path or when memory runs out.
 */
CF_INTERNAL CFURLRef cf_url_create_file(const char *path, size_t len, bool is_directory);

/*
 * The file system path `url` names, resolved against its base URL, as a new
 * NUL-terminated string to free(). NULL if `url` is not a CFURL or memory
 * runs out.
 */
CF_INTERNAL char *cf_url_copy_resolved_path(CFURLRef url);

#endif
