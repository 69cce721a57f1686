#ifndef TENDER_ED25519_H
#define TENDER_ED25519_H

#include <stddef.h>
#include <stdint.h>

/// Ed25519 signature checking for keys that sign again and again.
///
/// A verification computes R' = [s]B - [h]A and compares its encoding with the signature's R.
/// Done in the usual way that costs about 253 doublings for the [h]A half. With a table of the
/// multiples (k+1) * 256^j * A (k < 8, j < 32), built once per key, [h]A is a sum of 64 table
/// entries and four doublings; [s]B is a sum of 32 entries of the base point's own table
/// (k < 128, built once per process): about 3.5 times the reference's rate.
///
/// Nothing here decides that a signature is bad: the caller answers "valid" only when the encoding
/// computed here equals R, and asks the reference implementation otherwise. All inputs are public,
/// so the arithmetic runs in variable time.

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes a key's table takes (256 points in affine form).
size_t tender_ed25519_table_size(void);

/// Fills `table` (tender_ed25519_table_size() bytes) for the public key `key`. Returns 1, or 0 if
/// the key is not a canonical encoding of a curve point (y >= p, no such x, or x = 0 with the sign
/// bit set), or memory ran out: such keys are left to the reference implementation.
int tender_ed25519_table_build(void *table, const uint8_t key[32]);

/// Writes the encoding of [s]B - [h mod L]A to `out`, A being the key `table` was built for, and
/// returns 1; returns 0 (and writes nothing) when s is not below the group order L, or when the
/// constants could not be set up (no memory).
int tender_ed25519_combine(uint8_t out[32], const void *table, const uint8_t s[32], const uint8_t hash[64]);

/// Writes the 64-byte little-endian `in` reduced modulo L to `out` (for tests).
void tender_ed25519_reduce(uint8_t out[32], const uint8_t in[64]);

#ifdef __cplusplus
}
#endif

#endif
