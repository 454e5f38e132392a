/*
 * CFReadStream over a file, used synchronously: open, read until the end,
 * close, with CF's status transitions and the errno of a failure kept for
 * CFReadStreamCopyError. A stream is used by one thread at a time, as in CF.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "cf_string.h"
#include "cf_url.h"

struct cf_read_stream {
    struct cf_object base;
    CFStreamStatus status;
    char *path;
    int fd;    /* -1 unless open */
    int error; /* errno of the failure behind kCFStreamStatusError */
};

static void cf_read_stream_finalize(CFTypeRef cf);
static CFStringRef cf_read_stream_copy_description(CFTypeRef cf);

static const struct cf_class cf_read_stream_class = {
    .name = "CFReadStream",
    .finalize = cf_read_stream_finalize,
    .copy_description = cf_read_stream_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(CFReadStreamGetTypeID, cf_read_stream_class)

static struct cf_read_stream *stream_of(CFReadStreamRef stream)
{
    return cf_is_type(stream, CFReadStreamGetTypeID()) ? (struct cf_read_stream *)stream : NULL;
}

static void close_file(struct cf_read_stream *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static void cf_read_stream_finalize(CFTypeRef cf)
{
    struct cf_read_stream *s = (struct cf_read_stream *)cf;
    close_file(s);
    free(s->path);
}

static CFStringRef cf_read_stream_copy_description(CFTypeRef cf)
{
    const struct cf_read_stream *s = cf;
    return cf_string_create_format("<CFReadStream %p>{file = %s, status = %ld}", cf, s->path,
                                   (long)s->status);
}

static void fail(struct cf_read_stream *s, int error)
{
    close_file(s);
    s->status = kCFStreamStatusError;
    s->error = error != 0 ? error : EIO;
}

/* NULL unless `fileURL` is a CFURL; the file is looked at only when opened. */
CFReadStreamRef CFReadStreamCreateWithFile(CFAllocatorRef alloc, CFURLRef fileURL)
{
    (void)alloc; /* every allocator is the default one */
    char *path = cf_url_copy_resolved_path(fileURL);
    if (path == NULL)
        return NULL;
    struct cf_read_stream *s = cf_object_create(CFReadStreamGetTypeID(), sizeof(*s));
    if (s == NULL) {
        free(path);
        return NULL;
    }
    s->status = kCFStreamStatusNotOpen;
    s->path = path;
    s->fd = -1;
    return (CFReadStreamRef)s;
}

/* kCFStreamStatusError for anything that is not a read stream. */
CFStreamStatus CFReadStreamGetStatus(CFReadStreamRef stream)
{
    const struct cf_read_stream *s = stream_of(stream);
    return s != NULL ? s->status : kCFStreamStatusError;
}

/* The failure as a POSIX-domain CFError (+1), or NULL if there was none. */
CFErrorRef CFReadStreamCopyError(CFReadStreamRef stream)
{
    const struct cf_read_stream *s = stream_of(stream);
    if (s == NULL || s->status != kCFStreamStatusError)
        return NULL;
    return CFErrorCreate(kCFAllocatorDefault, kCFErrorDomainPOSIX, s->error, NULL);
}

/* A stream opens once: CF refuses to reopen one, even after closing it. */
Boolean CFReadStreamOpen(CFReadStreamRef stream)
{
    struct cf_read_stream *s = stream_of(stream);
    if (s == NULL || s->status != kCFStreamStatusNotOpen)
        return false;
    s->fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (s->fd < 0) {
        fail(s, errno);
        return false;
    }
    s->status = kCFStreamStatusOpen;
    return true;
}

/* A stream never opened stays so (CF's rule); any other becomes closed. */
void CFReadStreamClose(CFReadStreamRef stream)
{
    struct cf_read_stream *s = stream_of(stream);
    if (s == NULL || s->status == kCFStreamStatusNotOpen || s->status == kCFStreamStatusClosed)
        return;
    close_file(s);
    s->status = kCFStreamStatusClosed;
}

/* A file can always be read without waiting; "true" is CF's answer when unsure. */
Boolean CFReadStreamHasBytesAvailable(CFReadStreamRef stream)
{
    const struct cf_read_stream *s = stream_of(stream);
    return s != NULL && s->status == kCFStreamStatusOpen;
}

/*
 * The bytes read (at most bufferLength), 0 at the end of the file (status
 * kCFStreamStatusAtEnd), -1 for an error or a stream not open.
 */
CFIndex CFReadStreamRead(CFReadStreamRef stream, UInt8 *buffer, CFIndex bufferLength)
{
    struct cf_read_stream *s = stream_of(stream);
    if (s == NULL || buffer == NULL || bufferLength < 0)
        return -1;
    if (s->status == kCFStreamStatusAtEnd)
        return 0;
    if (s->status != kCFStreamStatusOpen)
        return -1;
    if (bufferLength == 0)
        return 0;
    size_t want = (size_t)bufferLength < SSIZE_MAX ? (size_t)bufferLength : SSIZE_MAX;
    ssize_t n;
    do {
        n = read(s->fd, buffer, want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        fail(s, errno);
        return -1;
    }
    if (n == 0)
        s->status = kCFStreamStatusAtEnd;
    return (CFIndex)n;
}
