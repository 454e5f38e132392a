/*
 * ST_MUST_USE marks an internal function whose result must be looked at:
 * every internal function in interpose/ and engine/ that returns a status.
 * A caller that drops a status on purpose writes (void) and says why.
 *
 * GCC ignores a (void) cast for __attribute__((warn_unused_result)) but
 * honours it for [[nodiscard]] (which it accepts in every C mode); Clang 14
 * takes [[...]] in C only from C2x and honours (void) for either form.
 */
#ifndef SECTRANS_ST_MUST_USE_H
#define SECTRANS_ST_MUST_USE_H

#if defined(__clang__)
#define ST_MUST_USE __attribute__((warn_unused_result))
#else
#define ST_MUST_USE [[nodiscard]]
#endif

#endif
