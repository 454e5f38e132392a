/*
 * CFURL for local files: a file system path (bytes, as Linux has them), a
 * flag for directories, and for a relative path the working directory at
 * creation as its base URL, as CF does. The URL string ("file:///a%20b/")
 * is made once, percent-escaped, for CFURLGetString and descriptions.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_string.h"
#include "cf_unicode.h"
#include "cf_url.h"

struct cf_url {
    struct cf_object base;
    char *path; /* without trailing slashes, except the root "/" */
    size_t path_len;
    bool is_directory;
    CFURLRef base_url; /* relative paths only */
    CFStringRef string;
};

static void cf_url_finalize(CFTypeRef cf);
static bool cf_url_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_url_hash(CFTypeRef cf);
static CFStringRef cf_url_copy_description(CFTypeRef cf);

static const struct cf_class cf_url_class = {
    .name = "CFURL",
    .finalize = cf_url_finalize,
    .equal = cf_url_equal,
    .hash = cf_url_hash,
    .copy_description = cf_url_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(CFURLGetTypeID, cf_url_class)

static const struct cf_url *url_of(CFURLRef url)
{
    return cf_is_type(url, CFURLGetTypeID()) ? (const struct cf_url *)url : NULL;
}

static void cf_url_finalize(CFTypeRef cf)
{
    struct cf_url *u = (struct cf_url *)cf;
    free(u->path);
    if (u->base_url != NULL)
        CFRelease(u->base_url);
    if (u->string != NULL)
        CFRelease(u->string);
}

/* As in CF: the same string against the same base (or both without one). */
static bool cf_url_equal(CFTypeRef a, CFTypeRef b)
{
    const struct cf_url *x = a, *y = b;
    if (!CFEqual(x->string, y->string))
        return false;
    return x->base_url == y->base_url ||
           (x->base_url != NULL && y->base_url != NULL && CFEqual(x->base_url, y->base_url));
}

static CFHashCode cf_url_hash(CFTypeRef cf)
{
    return CFHash(((const struct cf_url *)cf)->string);
}

/* CF's form: the string, then " -- " and the base URL for a relative one. */
static CFStringRef cf_url_copy_description(CFTypeRef cf)
{
    const struct cf_url *u = cf;
    const struct cf_url *base = url_of(u->base_url);
    if (base == NULL)
        return CFStringCreateCopy(kCFAllocatorDefault, u->string);
    return cf_string_create_format("%s -- %s", cf_string_text(u->string),
                                   cf_string_text(base->string));
}

/* Path bytes a URL carries as they are (RFC 3986 unreserved, sub-delimiters but ';', ':', '@',
 * '/'). */
static bool stays_unescaped(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,=:@/", c) != NULL);
}

static CFStringRef make_url_string(const struct cf_url *u)
{
    static const char hex[] = "0123456789ABCDEF";
    struct cf_bytebuf b = {0};
    if (u->base_url == NULL)
        cf_bytebuf_append(&b, "file://", 7);
    for (size_t i = 0; i < u->path_len; i++) {
        unsigned char c = (unsigned char)u->path[i];
        if (stays_unescaped(c)) {
            cf_bytebuf_append(&b, &c, 1);
        } else {
            char escaped[3] = {'%', hex[c >> 4], hex[c & 15]};
            cf_bytebuf_append(&b, escaped, 3);
        }
    }
    if (u->is_directory && !(u->path_len == 1 && u->path[0] == '/'))
        cf_bytebuf_append(&b, "/", 1);
    CFStringRef s = b.failed ? NULL : cf_string_create_utf8((const char *)b.bytes, b.len);
    cf_bytebuf_free(&b);
    return s;
}

static CFURLRef working_directory_url(void)
{
    char *cwd = getcwd(NULL, 0); /* glibc allocates a buffer of the right size */
    if (cwd == NULL || cwd[0] != '/') {
        free(cwd);
        return NULL;
    }
    CFURLRef url = cf_url_create_file(cwd, strlen(cwd), true);
    free(cwd);
    return url;
}

CFURLRef cf_url_create_file(const char *path, size_t len, bool is_directory)
{
    if (len == 0 || memchr(path, '\0', len) != NULL)
        return NULL;
    while (len > 1 && path[len - 1] == '/')
        len--;
    bool absolute = path[0] == '/';
    struct cf_url *u = cf_object_create(CFURLGetTypeID(), sizeof(*u));
    if (u == NULL)
        return NULL;
    u->path = malloc(len + 1);
    if (u->path != NULL) {
        memcpy(u->path, path, len);
        u->path[len] = '\0';
    }
    u->path_len = len;
    u->is_directory = is_directory || (absolute && len == 1);
    if (!absolute)
        u->base_url = working_directory_url();
    if (u->path != NULL && (absolute || u->base_url != NULL))
        u->string = make_url_string(u);
    if (u->string == NULL) {
        CFRelease(u);
        return NULL;
    }
    return (CFURLRef)u;
}

/* The path ends at the first NUL within `bufLen`, as a C string would. */
CFURLRef CFURLCreateFromFileSystemRepresentation(CFAllocatorRef allocator, const UInt8 *buffer,
                                                 CFIndex bufLen, Boolean isDirectory)
{
    (void)allocator; /* every allocator is the default one */
    if (buffer == NULL || bufLen <= 0)
        return NULL;
    const UInt8 *nul = memchr(buffer, '\0', (size_t)bufLen);
    size_t len = nul != NULL ? (size_t)(nul - buffer) : (size_t)bufLen;
    return cf_url_create_file((const char *)buffer, len, isDirectory != 0);
}

/* Only POSIX paths: the HFS and Windows styles name no Linux file. */
CFURLRef CFURLCreateWithFileSystemPath(CFAllocatorRef allocator, CFStringRef filePath,
                                       CFURLPathStyle pathStyle, Boolean isDirectory)
{
    (void)allocator;
    const char *path = cf_string_utf8(filePath);
    if (path == NULL || pathStyle != kCFURLPOSIXPathStyle)
        return NULL;
    return cf_url_create_file(path, strlen(path), isDirectory != 0);
}

char *cf_url_copy_resolved_path(CFURLRef url)
{
    const struct cf_url *u = url_of(url);
    if (u == NULL)
        return NULL;
    const struct cf_url *base = url_of(u->base_url);
    size_t base_len = base != NULL ? base->path_len : 0;
    char *out = malloc(base_len + 1 + u->path_len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    if (base != NULL) {
        memcpy(out, base->path, base_len);
        n = base_len;
        if (base_len > 1) /* the root already ends in '/' */
            out[n++] = '/';
    }
    memcpy(out + n, u->path, u->path_len);
    out[n + u->path_len] = '\0';
    return out;
}

/* False if `url` is not a CFURL or the path and its NUL do not fit. */
Boolean CFURLGetFileSystemRepresentation(CFURLRef url, Boolean resolveAgainstBase, UInt8 *buffer,
                                         CFIndex maxBufLen)
{
    const struct cf_url *u = url_of(url);
    if (u == NULL || buffer == NULL || maxBufLen <= 0)
        return false;
    char *resolved = resolveAgainstBase ? cf_url_copy_resolved_path(url) : NULL;
    const char *path = resolveAgainstBase ? resolved : u->path;
    bool fits = path != NULL && strlen(path) < (size_t)maxBufLen;
    if (fits)
        memcpy(buffer, path, strlen(path) + 1);
    free(resolved);
    return fits;
}

/* Not resolved against the base (CF's rule). NULL if the path is not UTF-8 text. */
CFStringRef CFURLCopyFileSystemPath(CFURLRef anURL, CFURLPathStyle pathStyle)
{
    const struct cf_url *u = url_of(anURL);
    if (u == NULL || pathStyle != kCFURLPOSIXPathStyle)
        return NULL;
    return cf_string_create_utf8(u->path, u->path_len);
}

CFStringRef CFURLGetString(CFURLRef anURL)
{
    const struct cf_url *u = url_of(anURL);
    return u != NULL ? u->string : NULL;
}

CFURLRef CFURLGetBaseURL(CFURLRef anURL)
{
    const struct cf_url *u = url_of(anURL);
    return u != NULL ? u->base_url : NULL;
}

Boolean CFURLHasDirectoryPath(CFURLRef anURL)
{
    const struct cf_url *u = url_of(anURL);
    return u != NULL && u->is_directory;
}
