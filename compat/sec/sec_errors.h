/*
 * Result codes of the Security subset, internal interface: their messages,
 * and the CFErrors the calls with a CFErrorRef out-parameter report. Every
 * Security file reports errors through these, so a code has one message and
 * one CFError shape wherever it comes from.
 */
#ifndef SECTRANS_SEC_ERRORS_H
#define SECTRANS_SEC_ERRORS_H

#include "sec_internal.h"

/* The message of a result code, or NULL for a code Security does not define. */
CF_INTERNAL const char *sec_error_message(OSStatus status);

/* A +1 CFError in kCFErrorDomainOSStatus with the code's message as description. */
CF_INTERNAL CFErrorRef sec_error_create(OSStatus status);

/* Reports `status` through an optional CFErrorRef out-parameter (+1 for the caller). */
static inline void sec_set_error(CFErrorRef *error, OSStatus status)
{
    if (error != NULL)
        *error = sec_error_create(status);
}

/* The code of a CFError a call reported, releasing it; errSecSuccess for none. */
CF_INTERNAL OSStatus sec_error_take_status(CFErrorRef error);

#endif
