/*
 * Messages for result codes (SecCopyErrorMessageString) and the CFErrors
 * that calls with an error out-parameter hand out.
 */
#include "cf_string.h"
#include "sec_errors.h"

static const struct {
    OSStatus code;
    const char *text;
} messages[] = {
#define SEC_MESSAGE(code, text) {code, text},
#include "sec_error_messages.def"
#undef SEC_MESSAGE
};

const char *sec_error_message(OSStatus status)
{
    for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
        if (messages[i].code == status)
            return messages[i].text;
    return NULL;
}

/* Every code gets a message; one we do not know says its number, as Apple's does. */
CFStringRef SecCopyErrorMessageString(OSStatus status, void *reserved)
{
    (void)reserved;
    const char *text = sec_error_message(status);
    if (text != NULL)
        return cf_string_create_format("%s", text);
    return cf_string_create_format("OSStatus %d", (int)status);
}

CFErrorRef sec_error_create(OSStatus status)
{
    CFStringRef text = SecCopyErrorMessageString(status, NULL);
    const void *keys[] = {kCFErrorDescriptionKey};
    const void *values[] = {text};
    CFDictionaryRef info =
        text != NULL ? CFDictionaryCreate(NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                                          &kCFTypeDictionaryValueCallBacks)
                     : NULL;
    CFErrorRef error = CFErrorCreate(NULL, kCFErrorDomainOSStatus, status, info);
    CFRelease(info);
    CFRelease(text);
    return error;
}

OSStatus sec_error_take_status(CFErrorRef error)
{
    if (error == NULL)
        return errSecSuccess;
    OSStatus status = (OSStatus)CFErrorGetCode(error);
    CFRelease(error);
    return status;
}
