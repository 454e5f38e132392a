/*
 * CFURLCreateDataAndPropertiesFromResource for file URLs: the whole content
 * of a regular file as a CFData, and the legacy file properties (existence,
 * mode, length, modification time, owner, directory contents), with CF's
 * error codes and its quirks where programs can see them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf_string.h"
#include "cf_url.h"

CF_STRING_CONSTANT(kCFURLFileExists, "kCFURLFileExists");
CF_STRING_CONSTANT(kCFURLFileDirectoryContents, "kCFURLFileDirectoryContents");
CF_STRING_CONSTANT(kCFURLFileLength, "kCFURLFileLength");
CF_STRING_CONSTANT(kCFURLFileLastModificationTime, "kCFURLFileLastModificationTime");
CF_STRING_CONSTANT(kCFURLFilePOSIXMode, "kCFURLFilePOSIXMode");
CF_STRING_CONSTANT(kCFURLFileOwnerID, "kCFURLFileOwnerID");

/* Seconds from the Unix epoch to CF's, 2001-01-01 00:00:00 UTC. */
#define CF_UNIX_TO_ABSOLUTE_TIME 978307200.0

static bool read_all(int fd, UInt8 *buf, size_t size, size_t *got)
{
    *got = 0;
    while (*got < size) {
        ssize_t n = read(fd, buf + *got, size - *got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break; /* the file shrank meanwhile: what is there */
        *got += (size_t)n;
    }
    return true;
}

/*
 * The content of a regular file. Like CF, anything else fails: a FIFO or a
 * device could block or never end (hence O_NONBLOCK, which regular files
 * ignore).
 */
static CFDataRef read_regular_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    CFDataRef data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size < (uintmax_t)LONG_MAX) {
        size_t size = (size_t)st.st_size, got;
        UInt8 *buf = malloc(size > 0 ? size : 1);
        if (buf != NULL && read_all(fd, buf, size, &got))
            data = CFDataCreate(kCFAllocatorDefault, buf, (CFIndex)got);
        free(buf);
    }
    close(fd);
    return data;
}

/* ---- Properties ---- */

static CFTypeRef copy_exists(const char *path, const struct stat *st)
{
    (void)path;
    (void)st;
    return kCFBooleanTrue; /* asked only of files that exist */
}

static CFTypeRef copy_posix_mode(const char *path, const struct stat *st)
{
    (void)path;
    SInt32 mode = (SInt32)st->st_mode; /* file type bits included, as in CF */
    return CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt32Type, &mode);
}

static CFTypeRef copy_length(const char *path, const struct stat *st)
{
    (void)path;
    SInt64 length = (SInt64)st->st_size;
    return CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt64Type, &length);
}

static CFTypeRef copy_modification_time(const char *path, const struct stat *st)
{
    (void)path;
    double unix_time = (double)st->st_mtim.tv_sec + (double)st->st_mtim.tv_nsec / 1e9;
    return CFDateCreate(kCFAllocatorDefault, unix_time - CF_UNIX_TO_ABSOLUTE_TIME);
}

static CFTypeRef copy_owner(const char *path, const struct stat *st)
{
    (void)path;
    SInt32 uid = (SInt32)st->st_uid;
    return CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt32Type, &uid);
}

static bool entry_is_directory(DIR *dir, const struct dirent *e)
{
    if (e->d_type == DT_DIR)
        return true;
    struct stat st;
    return (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) &&
           fstatat(dirfd(dir), e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* The URL of entry `name` of directory `path`. */
static CFURLRef entry_url(const char *path, const char *name, bool is_directory)
{
    size_t plen = strlen(path), nlen = strlen(name);
    bool slash = plen > 0 && path[plen - 1] == '/';
    char *child = malloc(plen + 1 + nlen + 1);
    if (child == NULL)
        return NULL;
    memcpy(child, path, plen);
    size_t n = plen;
    if (!slash)
        child[n++] = '/';
    memcpy(child + n, name, nlen + 1);
    CFURLRef url = cf_url_create_file(child, n + nlen, is_directory);
    free(child);
    return url;
}

/* A CFArray of the URLs of a directory's entries ("." and ".." left out); NULL for a file. */
static CFTypeRef copy_directory_contents(const char *path, const struct stat *st)
{
    if (!S_ISDIR(st->st_mode))
        return NULL;
    DIR *dir = opendir(path);
    if (dir == NULL)
        return NULL;
    CFMutableArrayRef urls = CFArrayCreateMutable(kCFAllocatorDefault, 0, &kCFTypeArrayCallBacks);
    struct dirent *e;
    while (urls != NULL && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        CFURLRef url = entry_url(path, e->d_name, entry_is_directory(dir, e));
        if (url == NULL) {
            CFRelease(urls);
            urls = NULL;
            break;
        }
        CFArrayAppendValue(urls, url);
        CFRelease(url);
    }
    closedir(dir);
    return urls;
}

struct file_property {
    const CFStringRef *key;
    CFTypeRef (*copy)(const char *path, const struct stat *st);
};

/* In CF's order: what a NULL list of desired properties means. */
static const struct file_property file_properties[] = {
    {&kCFURLFileExists, copy_exists},
    {&kCFURLFilePOSIXMode, copy_posix_mode},
    {&kCFURLFileDirectoryContents, copy_directory_contents},
    {&kCFURLFileLength, copy_length},
    {&kCFURLFileLastModificationTime, copy_modification_time},
    {&kCFURLFileOwnerID, copy_owner},
};
#define FILE_PROPERTY_COUNT ((CFIndex)(sizeof(file_properties) / sizeof(file_properties[0])))

static const struct file_property *property_for_key(CFTypeRef key)
{
    for (CFIndex i = 0; i < FILE_PROPERTY_COUNT; i++)
        if (CFEqual(*file_properties[i].key, key))
            return &file_properties[i];
    return NULL;
}

static CFTypeRef desired_key(CFArrayRef desired, CFIndex i)
{
    return desired != NULL ? CFArrayGetValueAtIndex(desired, i) : *file_properties[i].key;
}

/*
 * The properties asked for, as CF reports them: a missing file gives only
 * kCFURLFileExists = false when that was the one question, else an error;
 * a property that does not apply (the contents of a regular file, as the
 * default list asks) sets kCFURLUnknownError and the rest still come.
 */
static CFDictionaryRef copy_properties(const char *path, CFArrayRef desired, SInt32 *error)
{
    CFMutableDictionaryRef dict = CFDictionaryCreateMutable(
        kCFAllocatorDefault, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    CFIndex count = desired != NULL ? CFArrayGetCount(desired) : FILE_PROPERTY_COUNT;
    if (dict == NULL || count == 0)
        return dict;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (count == 1 && CFEqual(desired_key(desired, 0), kCFURLFileExists))
            CFDictionarySetValue(dict, kCFURLFileExists, kCFBooleanFalse);
        else
            *error = kCFURLUnknownError;
        return dict;
    }
    for (CFIndex i = 0; i < count; i++) {
        const struct file_property *p = property_for_key(desired_key(desired, i));
        CFTypeRef value = p != NULL ? p->copy(path, &st) : NULL;
        if (value == NULL) {
            *error = p != NULL ? kCFURLUnknownError : kCFURLUnknownPropertyKeyError;
            continue;
        }
        CFDictionarySetValue(dict, *p->key, value);
        CFRelease(value);
    }
    return dict;
}

/*
 * False when the data was asked for and could not be read (error
 * kCFURLUnknownError, as CF sets for any file failure) or `url` is not a
 * file URL (kCFURLImproperArgumentsError). Properties come back even then;
 * a property that could not be had sets the error code without making the
 * call fail, as in CF.
 */
Boolean CFURLCreateDataAndPropertiesFromResource(CFAllocatorRef alloc, CFURLRef url,
                                                 CFDataRef *resourceData,
                                                 CFDictionaryRef *properties,
                                                 CFArrayRef desiredProperties, SInt32 *errorCode)
{
    (void)alloc; /* every allocator is the default one */
    SInt32 error = 0;
    bool ok = true;
    if (resourceData != NULL)
        *resourceData = NULL;
    if (properties != NULL)
        *properties = NULL;
    char *path = cf_url_copy_resolved_path(url);
    if (path == NULL ||
        (desiredProperties != NULL && CFGetTypeID(desiredProperties) != CFArrayGetTypeID())) {
        free(path);
        if (errorCode != NULL)
            *errorCode = kCFURLImproperArgumentsError;
        return false;
    }
    if (resourceData != NULL) {
        *resourceData = read_regular_file(path);
        if (*resourceData == NULL) {
            error = kCFURLUnknownError;
            ok = false;
        }
    }
    if (properties != NULL) {
        SInt32 property_error = 0;
        *properties = copy_properties(path, desiredProperties, &property_error);
        if (*properties == NULL)
            ok = false;
        if (error == 0)
            error = property_error;
    }
    free(path);
    if (!ok && resourceData != NULL && *resourceData != NULL) {
        CFRelease(*resourceData);
        *resourceData = NULL;
    }
    if (errorCode != NULL)
        *errorCode = error;
    return ok;
}
