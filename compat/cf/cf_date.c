/*
 * CFDate and the current absolute time (seconds since 2001-01-01 00:00 GMT),
 * which SecTrustSetVerifyDate takes.
 */
#include <time.h>

#include "cf_string.h"

/* Seconds from the Unix epoch to CF's reference date, 2001-01-01 00:00:00 GMT. */
#define CF_ABSOLUTE_TIME_UNIX_OFFSET 978307200.0

struct cf_date {
    struct cf_object base;
    CFAbsoluteTime time;
};

static bool cf_date_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode cf_date_hash(CFTypeRef cf);
static CFStringRef cf_date_copy_description(CFTypeRef cf);

const struct cf_class cf_date_class = {
    .name = "CFDate",
    .equal = cf_date_equal,
    .hash = cf_date_hash,
    .copy_description = cf_date_copy_description,
};

CFTypeID CFDateGetTypeID(void)
{
    return CF_TYPE_ID_DATE;
}

CFAbsoluteTime CFAbsoluteTimeGetCurrent(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec - CF_ABSOLUTE_TIME_UNIX_OFFSET + (double)ts.tv_nsec / 1e9;
}

CFDateRef CFDateCreate(CFAllocatorRef allocator, CFAbsoluteTime at)
{
    (void)allocator;
    struct cf_date *d = cf_object_create(CF_TYPE_ID_DATE, sizeof(*d));
    if (d != NULL)
        d->time = at;
    return (CFDateRef)d;
}

CFAbsoluteTime CFDateGetAbsoluteTime(CFDateRef theDate)
{
    return cf_is_type(theDate, CF_TYPE_ID_DATE) ? ((const struct cf_date *)theDate)->time : 0;
}

time_t cf_date_unix_time(CFDateRef date)
{
    return (time_t)(CFDateGetAbsoluteTime(date) + CF_ABSOLUTE_TIME_UNIX_OFFSET);
}

static bool cf_date_equal(CFTypeRef a, CFTypeRef b)
{
    return ((const struct cf_date *)a)->time == ((const struct cf_date *)b)->time;
}

static CFHashCode cf_date_hash(CFTypeRef cf)
{
    return (CFHashCode)(long long)((const struct cf_date *)cf)->time;
}

static CFStringRef cf_date_copy_description(CFTypeRef cf)
{
    time_t t = cf_date_unix_time((CFDateRef)cf);
    struct tm tm;
    char text[64] = "?";
    if (gmtime_r(&t, &tm) != NULL)
        strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S +0000", &tm);
    return cf_string_create_format("<CFDate %p [%s]>", cf, text);
}
