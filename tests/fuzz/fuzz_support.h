/*
 * What the libFuzzer targets share: a deterministic OpenSSL randomness
 * source (so a recorded handshake replays byte for byte), a fixed test
 * identity, a reader over the fuzz input, and the seed-recording mode.
 *
 * Fuzz builds only: nothing here is linked into the library.
 */
#ifndef SECTRANS_FUZZ_SUPPORT_H
#define SECTRANS_FUZZ_SUPPORT_H

#include <CoreFoundation/CoreFoundation.h>
#include <Security/Security.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- Randomness: OpenSSL's RAND method replaced by seeded streams. --- */

struct fuzz_rng {
    uint64_t state;
};

/* Installs the deterministic method (once); every RAND_bytes then reads the selected stream. */
void fuzz_rng_install(void);

/* Restarts a stream from a seed. */
void fuzz_rng_seed(struct fuzz_rng *rng, uint64_t seed);

/* The stream RAND_bytes reads from now on (one per TLS side, so each side replays alone). */
void fuzz_rng_select(struct fuzz_rng *rng);

/* --- The fixed identity: a self-signed ECDSA P-256 "localhost" certificate. --- */

/* Made once from the deterministic stream, valid 2000-2099 so the clock never matters. */
SecCertificateRef fuzz_identity_certificate(void);
/* +1 [identity] for SSLSetCertificate. */
CFArrayRef fuzz_identity_array(void);
/* +1 [certificate] for SSLSetTrustedRoots. */
CFArrayRef fuzz_identity_roots(void);
/* DER of the certificate, the PKCS#8 private key and a PKCS#12 (password "fuzz"). */
CFDataRef fuzz_identity_der(void);
CFDataRef fuzz_identity_key_der(void);
CFDataRef fuzz_identity_p12(void);

/* --- Reading the fuzz input. --- */

struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

uint8_t fuzz_take_u8(struct fuzz_input *in);
uint16_t fuzz_take_u16(struct fuzz_input *in);
/* Up to `n` bytes (fewer at the end); `*got` says how many. */
const uint8_t *fuzz_take_bytes(struct fuzz_input *in, size_t n, size_t *got);

/* --- Seeds. --- */

/* The directory named by SECTRANS_FUZZ_RECORD, or NULL when not recording. */
const char *fuzz_record_dir(void);

/* Writes one seed file `<dir>/<name>`; aborts on failure. */
void fuzz_record_write(const char *dir, const char *name, const void *data, size_t size);

/* Same, the bytes of a prefix then of a CFData. */
void fuzz_record_data(const char *dir, const char *name, const uint8_t *prefix, size_t prefix_len,
                      CFDataRef data);

#endif
