#ifndef CTENDER_MATMUL_INTERNAL_H
#define CTENDER_MATMUL_INTERNAL_H

/*
 * Included first by every file of this target. A fused multiply-add rounds once where the
 * documented order rounds twice, so a compiler that contracted `s + x * y` (clang does within
 * an expression by default, gcc across statements, wherever the target has FMA) would change
 * the bits on some CPUs and not others. Contraction is switched off before any other header.
 */
#if defined(__clang__)
#pragma clang fp contract(off)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "CTenderKernels.h"

/*
 * One register tile: c[mr x nr] (row stride ldc) gets, for p = 0 ..< kc in order, the product
 * of packed A column p (ap[p*mr + r]) and packed B row p (bp[p*nr + j]) added to it. The tile
 * starts from +0 (accumulate == 0) or from the partial sums already in c (accumulate != 0);
 * reloading a stored float is exact, so splitting k into blocks leaves every output's sequence
 * of operations unchanged.
 */
typedef void (*tender_tile_fn)(long kc, const float *ap, const float *bp, float *c, long ldc, int accumulate);

/* A tile kernel and the block sizes the driver packs for it. */
typedef struct {
    int mr, nr;           /* tile rows and columns */
    long mc, kc, nc;      /* rows of packed A, depth of a k block, columns of packed B */
    tender_tile_fn tile;
} tender_tile_kernel;

/* The largest tile any kernel uses, for the edge buffer. */
#define TENDER_MAX_TILE (16 * 32)

void tender_matmul_scalar(const float *a, long rs, long cs, const float *b, float *c, long m, long k, long n);
void tender_matmul_blocked(const tender_tile_kernel *kernel, const float *a, long rs, long cs, const float *b, float *c,
                           long m, long k, long n);

#if defined(__x86_64__)
extern const tender_tile_kernel tender_kernel_sse2;
extern const tender_tile_kernel tender_kernel_avx2;
extern const tender_tile_kernel tender_kernel_avx512;
#endif
#if defined(__aarch64__)
extern const tender_tile_kernel tender_kernel_neon;
#endif

#endif
