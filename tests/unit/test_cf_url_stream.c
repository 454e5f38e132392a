/*
 * File URLs, CFURLCreateDataAndPropertiesFromResource and file read
 * streams, through the public API, on files each test makes in its own
 * temporary directory (removed afterwards): paths in and out of URLs
 * (escaping, directories, relative paths and their base), whole files read
 * back through a URL and through a stream in chunks, CF's error codes and
 * stream states, and bad arguments that get NULL, false, -1 or an error
 * state, never a crash, a hang or a leaked descriptor.
 */
#define _GNU_SOURCE
#include <CoreFoundation/CoreFoundation.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_dir[PATH_MAX];
static char text_buf[PATH_MAX * 2];

static void make_tmp_dir(void)
{
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/sectrans-cfurl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tmp_dir(void)
{
    nftw(tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The path of `name` in the test's directory (a static buffer per call site is enough). */
static const char *tmp_path(const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/%s", tmp_dir, name);
    ck_assert(n > 0 && (size_t)n < size);
    return buf;
}

static void write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static CFURLRef file_url(const char *path, Boolean is_directory)
{
    CFURLRef url = CFURLCreateFromFileSystemRepresentation(NULL, (const UInt8 *)path, strlen(path),
                                                           is_directory);
    ck_assert_ptr_nonnull(url);
    return url;
}

static const char *text(CFStringRef s)
{
    ck_assert_ptr_nonnull(s);
    ck_assert(CFStringGetCString(s, text_buf, sizeof(text_buf), kCFStringEncodingUTF8));
    return text_buf;
}

/* Open descriptors of this process, to see that streams close theirs. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    ck_assert_ptr_nonnull(d);
    int n = 0;
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}

/* Bytes 0..255 repeated: NULs and high bytes included. */
static UInt8 *pattern(size_t len)
{
    UInt8 *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < len; i++)
        p[i] = (UInt8)(i * 7 + i / 256);
    return p;
}

START_TEST(url_from_absolute_path)
{
    CFStringRef path =
        CFStringCreateWithCString(NULL, "/tmp/a b/caf\xC3\xA9;1%.txt", kCFStringEncodingUTF8);
    CFURLRef url = CFURLCreateWithFileSystemPath(NULL, path, kCFURLPOSIXPathStyle, false);
    ck_assert_ptr_nonnull(url);
    ck_assert_uint_eq(CFGetTypeID(url), CFURLGetTypeID());
    ck_assert_uint_ne(CFURLGetTypeID(), CFStringGetTypeID());
    ck_assert_str_eq(text(CFURLGetString(url)), "file:///tmp/a%20b/caf%C3%A9%3B1%25.txt");
    ck_assert_ptr_null(CFURLGetBaseURL(url));
    ck_assert(!CFURLHasDirectoryPath(url));

    CFStringRef back = CFURLCopyFileSystemPath(url, kCFURLPOSIXPathStyle);
    ck_assert(CFEqual(back, path));
    CFRelease(back);
    UInt8 buf[64];
    const char *expect = "/tmp/a b/caf\xC3\xA9;1%.txt";
    ck_assert(CFURLGetFileSystemRepresentation(url, true, buf, sizeof(buf)));
    ck_assert_str_eq((const char *)buf, expect);
    ck_assert(CFURLGetFileSystemRepresentation(url, false, buf, (CFIndex)strlen(expect) + 1));
    ck_assert(!CFURLGetFileSystemRepresentation(url, true, buf, (CFIndex)strlen(expect)));

    /* A URL describes itself by its string. */
    CFStringRef d = CFCopyDescription(url);
    ck_assert_str_eq(text(d), "file:///tmp/a%20b/caf%C3%A9%3B1%25.txt");
    CFRelease(d);

    /* Equal URLs for the same path made both ways; not equal to the directory. */
    CFURLRef same = file_url(expect, false);
    ck_assert(CFEqual(url, same));
    ck_assert_uint_eq(CFHash(url), CFHash(same));
    CFURLRef dir = file_url(expect, true);
    ck_assert(!CFEqual(url, dir));
    ck_assert_int_eq(CFGetRetainCount(url), 1);
    CFRelease(dir);
    CFRelease(same);
    CFRelease(url);
    CFRelease(path);
}
END_TEST

START_TEST(url_for_directories)
{
    CFURLRef dir =
        CFURLCreateWithFileSystemPath(NULL, CFSTR("/usr/lib//"), kCFURLPOSIXPathStyle, true);
    ck_assert_ptr_nonnull(dir);
    ck_assert(CFURLHasDirectoryPath(dir));
    ck_assert_str_eq(text(CFURLGetString(dir)), "file:///usr/lib/");
    CFStringRef path = CFURLCopyFileSystemPath(dir, kCFURLPOSIXPathStyle);
    ck_assert_str_eq(text(path), "/usr/lib");
    CFRelease(path);

    CFURLRef root = file_url("/", false);
    ck_assert(CFURLHasDirectoryPath(root));
    ck_assert_str_eq(text(CFURLGetString(root)), "file:///");
    UInt8 buf[4];
    ck_assert(CFURLGetFileSystemRepresentation(root, true, buf, 2));
    ck_assert_str_eq((const char *)buf, "/");
    CFRelease(root);
    CFRelease(dir);
}
END_TEST

START_TEST(url_relative_to_working_directory)
{
    char cwd[PATH_MAX];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    CFURLRef url =
        CFURLCreateWithFileSystemPath(NULL, CFSTR("sub dir/x.pem"), kCFURLPOSIXPathStyle, false);
    ck_assert_ptr_nonnull(url);
    ck_assert_str_eq(text(CFURLGetString(url)), "sub%20dir/x.pem");
    CFURLRef base = CFURLGetBaseURL(url);
    ck_assert_ptr_nonnull(base);
    ck_assert(CFURLHasDirectoryPath(base));
    UInt8 buf[PATH_MAX + 32];
    ck_assert(CFURLGetFileSystemRepresentation(base, false, buf, sizeof(buf)));
    ck_assert_str_eq((const char *)buf, cwd);

    /* Resolved against the base only when asked; the path stays relative. */
    char expect[PATH_MAX + 32];
    snprintf(expect, sizeof(expect), "%s%ssub dir/x.pem", cwd, strcmp(cwd, "/") == 0 ? "" : "/");
    ck_assert(CFURLGetFileSystemRepresentation(url, true, buf, sizeof(buf)));
    ck_assert_str_eq((const char *)buf, expect);
    ck_assert(CFURLGetFileSystemRepresentation(url, false, buf, sizeof(buf)));
    ck_assert_str_eq((const char *)buf, "sub dir/x.pem");
    CFStringRef path = CFURLCopyFileSystemPath(url, kCFURLPOSIXPathStyle);
    ck_assert_str_eq(text(path), "sub dir/x.pem");
    CFRelease(path);

    /* CF's description of a relative URL names its base. */
    CFStringRef d = CFCopyDescription(url);
    ck_assert(strstr(text(d), "sub%20dir/x.pem -- file://") == text_buf);
    CFRelease(d);
    CFRelease(url);
}
END_TEST

START_TEST(url_bad_input)
{
    const UInt8 raw[] = {'/', 't', 'm', 'p', '/', 0xFF, 0, 'x'};
    /* The representation ends at a NUL; bytes that are not UTF-8 still name a file. */
    CFURLRef url = CFURLCreateFromFileSystemRepresentation(NULL, raw, sizeof(raw), false);
    ck_assert_ptr_nonnull(url);
    ck_assert_str_eq(text(CFURLGetString(url)), "file:///tmp/%FF");
    ck_assert_ptr_null(CFURLCopyFileSystemPath(url, kCFURLPOSIXPathStyle));
    UInt8 buf[16];
    ck_assert(CFURLGetFileSystemRepresentation(url, true, buf, sizeof(buf)));
    ck_assert_mem_eq(buf, raw, 7);

    ck_assert_ptr_null(CFURLCreateFromFileSystemRepresentation(NULL, NULL, 4, false));
    ck_assert_ptr_null(CFURLCreateFromFileSystemRepresentation(NULL, raw, 0, false));
    ck_assert_ptr_null(CFURLCreateFromFileSystemRepresentation(NULL, raw, -1, false));
    ck_assert_ptr_null(CFURLCreateFromFileSystemRepresentation(NULL, raw + 6, 2, false));
    ck_assert_ptr_null(CFURLCreateWithFileSystemPath(NULL, NULL, kCFURLPOSIXPathStyle, false));
    ck_assert_ptr_null(CFURLCreateWithFileSystemPath(NULL, CFSTR(""), kCFURLPOSIXPathStyle, false));
    ck_assert_ptr_null(
        CFURLCreateWithFileSystemPath(NULL, (CFStringRef)url, kCFURLPOSIXPathStyle, false));
    ck_assert_ptr_null(
        CFURLCreateWithFileSystemPath(NULL, CFSTR("C:\\x"), kCFURLWindowsPathStyle, false));
    ck_assert_ptr_null(
        CFURLCreateWithFileSystemPath(NULL, CFSTR("a:b"), kCFURLHFSPathStyle, false));
    ck_assert_ptr_null(CFURLCreateWithFileSystemPath(NULL, CFSTR("/x"), (CFURLPathStyle)99, false));

    ck_assert(!CFURLGetFileSystemRepresentation(NULL, true, buf, sizeof(buf)));
    ck_assert(!CFURLGetFileSystemRepresentation(url, true, NULL, sizeof(buf)));
    ck_assert(!CFURLGetFileSystemRepresentation(url, true, buf, 0));
    ck_assert(!CFURLGetFileSystemRepresentation(url, true, buf, -5));
    ck_assert(!CFURLGetFileSystemRepresentation((CFURLRef)CFSTR("/tmp"), true, buf, sizeof(buf)));
    ck_assert_ptr_null(CFURLCopyFileSystemPath(NULL, kCFURLPOSIXPathStyle));
    ck_assert_ptr_null(CFURLCopyFileSystemPath(url, kCFURLWindowsPathStyle));
    ck_assert_ptr_null(CFURLGetString(NULL));
    ck_assert_ptr_null(CFURLGetString((CFURLRef)CFSTR("file:///")));
    ck_assert_ptr_null(CFURLGetBaseURL(NULL));
    ck_assert(!CFURLHasDirectoryPath(NULL));
    CFRelease(url);
}
END_TEST

START_TEST(resource_data_read_back)
{
    char path[PATH_MAX];
    size_t len = 70000;
    UInt8 *bytes = pattern(len);
    write_file(tmp_path("data.bin", path, sizeof(path)), bytes, len);
    CFURLRef url = file_url(path, false);

    CFDataRef data = NULL;
    SInt32 error = 99;
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, url, &data, NULL, NULL, &error));
    ck_assert_int_eq(error, 0);
    ck_assert_ptr_nonnull(data);
    ck_assert_int_eq(CFDataGetLength(data), (CFIndex)len);
    ck_assert_mem_eq(CFDataGetBytePtr(data), bytes, len);
    ck_assert_int_eq(CFGetRetainCount(data), 1);
    CFRelease(data);

    /* An empty file is empty data; the error code is optional. */
    write_file(tmp_path("empty", path, sizeof(path)), "", 0);
    CFURLRef empty = file_url(path, false);
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, empty, &data, NULL, NULL, NULL));
    ck_assert_int_eq(CFDataGetLength(data), 0);
    CFRelease(data);
    /* Nothing asked, nothing to fail. */
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, empty, NULL, NULL, NULL, &error));
    ck_assert_int_eq(error, 0);
    CFRelease(empty);
    CFRelease(url);
    free(bytes);
}
END_TEST

static SInt64 number64(CFDictionaryRef d, CFStringRef key)
{
    CFNumberRef n = CFDictionaryGetValue(d, key);
    ck_assert_ptr_nonnull(n);
    SInt64 v = 0;
    ck_assert(CFNumberGetValue(n, kCFNumberSInt64Type, &v));
    return v;
}

START_TEST(resource_properties)
{
    char path[PATH_MAX];
    write_file(tmp_path("props.txt", path, sizeof(path)), "twelve bytes", 12);
    chmod(path, 0640);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    CFURLRef url = file_url(path, false);

    const void *keys[] = {kCFURLFileLength, kCFURLFileExists, kCFURLFilePOSIXMode,
                          kCFURLFileOwnerID, kCFURLFileLastModificationTime};
    CFArrayRef desired = CFArrayCreate(NULL, keys, 5, &kCFTypeArrayCallBacks);
    CFDictionaryRef props = NULL;
    CFDataRef data = NULL;
    SInt32 error = 99;
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, url, &data, &props, desired, &error));
    ck_assert_int_eq(error, 0);
    ck_assert_int_eq(CFDataGetLength(data), 12);
    ck_assert_int_eq(CFDictionaryGetCount(props), 5);
    ck_assert_int_eq(number64(props, kCFURLFileLength), 12);
    ck_assert_ptr_eq(CFDictionaryGetValue(props, kCFURLFileExists), kCFBooleanTrue);
    ck_assert_int_eq(number64(props, kCFURLFilePOSIXMode), (SInt64)(S_IFREG | 0640));
    ck_assert_int_eq(number64(props, kCFURLFileOwnerID), (SInt64)getuid());
    CFDateRef mtime = CFDictionaryGetValue(props, kCFURLFileLastModificationTime);
    ck_assert_uint_eq(CFGetTypeID(mtime), CFDateGetTypeID());
    double unix_time = CFDateGetAbsoluteTime(mtime) + 978307200.0;
    ck_assert(unix_time > (double)st.st_mtim.tv_sec - 1 &&
              unix_time < (double)st.st_mtim.tv_sec + 1);
    /* Keys are CF's own strings, whatever equal string the caller gave. */
    ck_assert_str_eq(text(kCFURLFileLength), "kCFURLFileLength");
    ck_assert_ptr_nonnull(CFDictionaryGetValue(props, CFSTR("kCFURLFilePOSIXMode")));
    CFRelease(props);
    CFRelease(data);

    /* No list: CF's six properties; the directory contents of a file set kCFURLUnknownError. */
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, url, NULL, &props, NULL, &error));
    ck_assert_int_eq(error, kCFURLUnknownError);
    ck_assert_int_eq(CFDictionaryGetCount(props), 5);
    ck_assert_ptr_null(CFDictionaryGetValue(props, kCFURLFileDirectoryContents));
    CFRelease(props);

    /* An empty list asks nothing; an unknown key has its own code. */
    CFArrayRef none = CFArrayCreate(NULL, NULL, 0, &kCFTypeArrayCallBacks);
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, url, NULL, &props, none, &error));
    ck_assert_int_eq(error, 0);
    ck_assert_int_eq(CFDictionaryGetCount(props), 0);
    CFRelease(props);
    const void *odd[] = {CFSTR("kCFURLNoSuchThing"), kCFBooleanTrue, kCFURLFileLength};
    CFArrayRef unknown = CFArrayCreate(NULL, odd, 3, &kCFTypeArrayCallBacks);
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, url, NULL, &props, unknown, &error));
    ck_assert_int_eq(error, kCFURLUnknownPropertyKeyError);
    ck_assert_int_eq(CFDictionaryGetCount(props), 1);
    CFRelease(props);

    ck_assert_int_eq(CFGetRetainCount(desired), 1);
    CFRelease(unknown);
    CFRelease(none);
    CFRelease(desired);
    CFRelease(url);
}
END_TEST

START_TEST(resource_directory_and_missing)
{
    char path[PATH_MAX];
    write_file(tmp_path("one", path, sizeof(path)), "1", 1);
    ck_assert_int_eq(mkdir(tmp_path("two", path, sizeof(path)), 0700), 0);
    CFURLRef dir = file_url(tmp_dir, true);

    /* A directory has no data (CF reads regular files only) but has contents. */
    CFDataRef data = (CFDataRef)kCFBooleanTrue;
    CFDictionaryRef props = NULL;
    SInt32 error = 0;
    const void *keys[] = {kCFURLFileDirectoryContents};
    CFArrayRef desired = CFArrayCreate(NULL, keys, 1, &kCFTypeArrayCallBacks);
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, dir, &data, &props, desired, &error));
    ck_assert_int_eq(error, kCFURLUnknownError);
    ck_assert_ptr_null(data);
    ck_assert_ptr_nonnull(props);
    CFArrayRef contents = CFDictionaryGetValue(props, kCFURLFileDirectoryContents);
    ck_assert_int_eq(CFArrayGetCount(contents), 2);
    int directories = 0;
    for (CFIndex i = 0; i < 2; i++) {
        CFURLRef entry = CFArrayGetValueAtIndex(contents, i);
        ck_assert_uint_eq(CFGetTypeID(entry), CFURLGetTypeID());
        UInt8 buf[PATH_MAX];
        ck_assert(CFURLGetFileSystemRepresentation(entry, true, buf, sizeof(buf)));
        ck_assert(strncmp((const char *)buf, tmp_dir, strlen(tmp_dir)) == 0);
        directories += CFURLHasDirectoryPath(entry);
    }
    ck_assert_int_eq(directories, 1);
    CFRelease(props);
    CFRelease(desired);

    /* A missing file: no data; kCFURLFileExists alone answers false without an error. */
    CFURLRef missing = file_url(tmp_path("missing", path, sizeof(path)), false);
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, missing, &data, NULL, NULL, &error));
    ck_assert_int_eq(error, kCFURLUnknownError);
    ck_assert_ptr_null(data);
    const void *exists_key[] = {kCFURLFileExists};
    CFArrayRef exists = CFArrayCreate(NULL, exists_key, 1, &kCFTypeArrayCallBacks);
    ck_assert(
        CFURLCreateDataAndPropertiesFromResource(NULL, missing, NULL, &props, exists, &error));
    ck_assert_int_eq(error, 0);
    ck_assert_ptr_eq(CFDictionaryGetValue(props, kCFURLFileExists), kCFBooleanFalse);
    CFRelease(props);
    ck_assert(CFURLCreateDataAndPropertiesFromResource(NULL, missing, NULL, &props, NULL, &error));
    ck_assert_int_eq(error, kCFURLUnknownError);
    ck_assert_int_eq(CFDictionaryGetCount(props), 0);
    CFRelease(props);

    /* A FIFO is refused at once rather than waited on. */
    ck_assert_int_eq(mkfifo(tmp_path("fifo", path, sizeof(path)), 0600), 0);
    CFURLRef fifo = file_url(path, false);
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, fifo, &data, NULL, NULL, &error));
    ck_assert_int_eq(error, kCFURLUnknownError);
    CFRelease(fifo);
    CFRelease(exists);
    CFRelease(missing);
    CFRelease(dir);
}
END_TEST

START_TEST(resource_bad_arguments)
{
    CFDataRef data = (CFDataRef)kCFBooleanTrue;
    CFDictionaryRef props = (CFDictionaryRef)kCFBooleanTrue;
    SInt32 error = 0;
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, NULL, &data, &props, NULL, &error));
    ck_assert_int_eq(error, kCFURLImproperArgumentsError);
    ck_assert_ptr_null(data);
    ck_assert_ptr_null(props);
    error = 0;
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(
        NULL, (CFURLRef)CFSTR("file:///etc/hostname"), &data, NULL, NULL, &error));
    ck_assert_int_eq(error, kCFURLImproperArgumentsError);
    CFURLRef url = file_url("/", true);
    error = 0;
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, url, NULL, &props,
                                                        (CFArrayRef)CFSTR("not a list"), &error));
    ck_assert_int_eq(error, kCFURLImproperArgumentsError);
    ck_assert(!CFURLCreateDataAndPropertiesFromResource(NULL, NULL, NULL, NULL, NULL, NULL));
    CFRelease(url);
}
END_TEST

START_TEST(stream_reads_file_in_chunks)
{
    char path[PATH_MAX];
    size_t len = 10007;
    UInt8 *bytes = pattern(len);
    write_file(tmp_path("stream.bin", path, sizeof(path)), bytes, len);
    CFURLRef url = file_url(path, false);
    int fds = open_fds();

    CFReadStreamRef stream = CFReadStreamCreateWithFile(NULL, url);
    ck_assert_ptr_nonnull(stream);
    ck_assert_uint_eq(CFGetTypeID(stream), CFReadStreamGetTypeID());
    ck_assert_uint_ne(CFReadStreamGetTypeID(), CFURLGetTypeID());
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusNotOpen);
    UInt8 buf[4096];
    ck_assert_int_eq(CFReadStreamRead(stream, buf, sizeof(buf)), -1); /* not open yet */
    ck_assert(!CFReadStreamHasBytesAvailable(stream));
    ck_assert_int_eq(open_fds(), fds); /* nothing opened before CFReadStreamOpen */

    ck_assert(CFReadStreamOpen(stream));
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusOpen);
    ck_assert(CFReadStreamHasBytesAvailable(stream));
    ck_assert(!CFReadStreamOpen(stream)); /* once only */
    ck_assert_int_eq(open_fds(), fds + 1);

    UInt8 *got = malloc(len + 1);
    size_t total = 0;
    CFIndex n;
    while ((n = CFReadStreamRead(stream, buf, 1000)) > 0) {
        ck_assert(total + (size_t)n <= len);
        memcpy(got + total, buf, (size_t)n);
        total += (size_t)n;
    }
    ck_assert_int_eq(n, 0);
    ck_assert_uint_eq(total, len);
    ck_assert_mem_eq(got, bytes, len);
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusAtEnd);
    ck_assert_int_eq(CFReadStreamRead(stream, buf, sizeof(buf)), 0);
    ck_assert_ptr_null(CFReadStreamCopyError(stream));

    CFReadStreamClose(stream);
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusClosed);
    ck_assert_int_eq(open_fds(), fds);
    ck_assert_int_eq(CFReadStreamRead(stream, buf, sizeof(buf)), -1);
    ck_assert(!CFReadStreamOpen(stream));
    CFReadStreamClose(stream); /* twice is harmless */
    ck_assert_int_eq(CFGetRetainCount(stream), 1);
    CFStringRef d = CFCopyDescription(stream);
    ck_assert(strstr(text(d), "stream.bin") != NULL);
    CFRelease(d);
    CFRelease(stream);

    /* Released while open: the descriptor goes too. */
    stream = CFReadStreamCreateWithFile(NULL, url);
    ck_assert(CFReadStreamOpen(stream));
    ck_assert_int_eq(CFReadStreamRead(stream, buf, 10), 10);
    ck_assert_mem_eq(buf, bytes, 10);
    ck_assert_int_eq(CFReadStreamRead(stream, buf, 0), 0);
    CFRelease(stream);
    ck_assert_int_eq(open_fds(), fds);
    free(got);
    free(bytes);
    CFRelease(url);
}
END_TEST

static void assert_posix_error(CFReadStreamRef stream, int code)
{
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusError);
    CFErrorRef e = CFReadStreamCopyError(stream);
    ck_assert_ptr_nonnull(e);
    ck_assert(CFEqual(CFErrorGetDomain(e), kCFErrorDomainPOSIX));
    ck_assert_int_eq(CFErrorGetCode(e), code);
    CFRelease(e);
}

START_TEST(stream_errors)
{
    char path[PATH_MAX];
    int fds = open_fds();
    CFURLRef missing = file_url(tmp_path("missing", path, sizeof(path)), false);
    CFReadStreamRef stream = CFReadStreamCreateWithFile(NULL, missing);
    ck_assert_ptr_nonnull(stream); /* the file is looked at on open */
    ck_assert(!CFReadStreamOpen(stream));
    assert_posix_error(stream, ENOENT);
    UInt8 buf[16];
    ck_assert_int_eq(CFReadStreamRead(stream, buf, sizeof(buf)), -1);
    CFReadStreamClose(stream);
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusClosed);
    CFRelease(stream);

    /* A directory opens but cannot be read. */
    CFURLRef dir = file_url(tmp_dir, true);
    stream = CFReadStreamCreateWithFile(NULL, dir);
    ck_assert(CFReadStreamOpen(stream));
    ck_assert_int_eq(CFReadStreamRead(stream, buf, sizeof(buf)), -1);
    assert_posix_error(stream, EISDIR);
    ck_assert_int_eq(open_fds(), fds);
    CFRelease(stream);

    /* A stream never opened stays so when closed. */
    stream = CFReadStreamCreateWithFile(NULL, dir);
    CFReadStreamClose(stream);
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusNotOpen);
    ck_assert(CFReadStreamOpen(stream));
    ck_assert_int_eq(CFReadStreamRead(stream, NULL, 4), -1);
    ck_assert_int_eq(CFReadStreamRead(stream, buf, -1), -1);
    ck_assert_int_eq(CFReadStreamGetStatus(stream), kCFStreamStatusOpen);
    CFRelease(stream);
    CFRelease(dir);
    CFRelease(missing);
}
END_TEST

START_TEST(stream_bad_arguments)
{
    ck_assert_ptr_null(CFReadStreamCreateWithFile(NULL, NULL));
    ck_assert_ptr_null(CFReadStreamCreateWithFile(NULL, (CFURLRef)CFSTR("/etc/hostname")));
    CFReadStreamRef not_stream = (CFReadStreamRef)CFSTR("stream");
    UInt8 buf[4];
    CFReadStreamRef streams[] = {NULL, not_stream};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(CFReadStreamGetStatus(streams[i]), kCFStreamStatusError);
        ck_assert(!CFReadStreamOpen(streams[i]));
        ck_assert_int_eq(CFReadStreamRead(streams[i], buf, sizeof(buf)), -1);
        ck_assert(!CFReadStreamHasBytesAvailable(streams[i]));
        ck_assert_ptr_null(CFReadStreamCopyError(streams[i]));
        CFReadStreamClose(streams[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_url_stream");
    TCase *tc = tcase_create("url_stream");
    tcase_add_checked_fixture(tc, make_tmp_dir, remove_tmp_dir);
    tcase_add_test(tc, url_from_absolute_path);
    tcase_add_test(tc, url_for_directories);
    tcase_add_test(tc, url_relative_to_working_directory);
    tcase_add_test(tc, url_bad_input);
    tcase_add_test(tc, resource_data_read_back);
    tcase_add_test(tc, resource_properties);
    tcase_add_test(tc, resource_directory_and_missing);
    tcase_add_test(tc, resource_bad_arguments);
    tcase_add_test(tc, stream_reads_file_in_chunks);
    tcase_add_test(tc, stream_errors);
    tcase_add_test(tc, stream_bad_arguments);
    suite_add_tcase(s, tc);

    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
