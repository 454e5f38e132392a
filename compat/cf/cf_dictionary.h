/*
 * CFDictionary, internal interface: what the library needs beyond Apple's
 * API, whose setters cannot say that they ran out of memory.
 */
#ifndef SECTRANS_CF_DICTIONARY_H
#define SECTRANS_CF_DICTIONARY_H

#include "cf_runtime.h"

/*
 * CFDictionarySetValue that reports whether the value was stored: false for
 * a dictionary that is not mutable, or when there was no memory to grow it.
 */
CF_INTERNAL bool cf_dictionary_set_value(CFMutableDictionaryRef dict, const void *key,
                                         const void *value);

#endif
