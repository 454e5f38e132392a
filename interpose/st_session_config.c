/*
 * The twelve kSSLSessionConfig_* names (data symbols of SecureTransport.h).
 * SSLSetSessionConfig compares by content, so only the text matters.
 */
#include "cf_string.h"
#include "st_entry.h"

CF_STRING_CONSTANT(kSSLSessionConfig_default, "default");
CF_STRING_CONSTANT(kSSLSessionConfig_ATSv1, "ATSv1");
CF_STRING_CONSTANT(kSSLSessionConfig_ATSv1_noPFS, "ATSv1_noPFS");
CF_STRING_CONSTANT(kSSLSessionConfig_standard, "standard");
CF_STRING_CONSTANT(kSSLSessionConfig_RC4_fallback, "RC4_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_fallback, "TLSv1_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_RC4_fallback, "TLSv1_RC4_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_legacy, "legacy");
CF_STRING_CONSTANT(kSSLSessionConfig_legacy_DHE, "legacy_DHE");
CF_STRING_CONSTANT(kSSLSessionConfig_anonymous, "anonymous");
CF_STRING_CONSTANT(kSSLSessionConfig_3DES_fallback, "3DES_fallback");
CF_STRING_CONSTANT(kSSLSessionConfig_TLSv1_3DES_fallback, "TLSv1_3DES_fallback");
