/*
 * Trust failures: OpenSSL's verification errors as Security result codes,
 * and the CFError SecTrustEvaluateWithError returns for them.
 */
#ifndef SECTRANS_SEC_TRUST_ERRORS_H
#define SECTRANS_SEC_TRUST_ERRORS_H

#include "sec_internal.h"

/* The OSStatus for an X509_V_ERR_* code; errSecNotTrusted for anything unlisted. */
CF_INTERNAL OSStatus sec_trust_status_for(int x509_error);

/* The message of a result code, or NULL for a code Security does not define. */
CF_INTERNAL const char *sec_error_message(OSStatus status);

/* A +1 CFError in kCFErrorDomainOSStatus with the code's message as description. */
CF_INTERNAL CFErrorRef sec_trust_error_create(OSStatus status);

#endif
