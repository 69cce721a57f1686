#ifndef CTENDER_KERNELS_H
#define CTENDER_KERNELS_H

/*
 * Deterministic float32 matrix product, C = A x B.
 *
 * B (k x n) and C (m x n) are row-major and contiguous; element (i, p) of A is
 * a[i * rs + p * cs], so a transposed operand needs no copy. Every path computes each output as
 *
 *     c[i][j] = (((0 + A[i][0]*b[0][j]) + A[i][1]*b[1][j]) + ...) + A[i][k-1]*b[k-1][j]
 *
 * in increasing p, each product rounded to float before it is added: no fused multiply-add on
 * any path, and vector lanes always hold different outputs. The paths therefore agree bit for
 * bit with each other and with any CPU's scalar IEEE arithmetic; only their speed differs.
 * C must not overlap A or B. Safe to call from several threads at once.
 */

/* Path numbers for tender_matmul; bit (1 << path) of tender_matmul_paths() says it can run. */
#define TENDER_MATMUL_SCALAR 0
#define TENDER_MATMUL_SSE2 1
#define TENDER_MATMUL_AVX2 2
#define TENDER_MATMUL_AVX512 3
#define TENDER_MATMUL_NEON 4

/* Bit mask of the paths this CPU and operating system can run; the scalar bit is always set. */
int tender_matmul_paths(void);

/*
 * Runs the product on `path`. A path that this CPU cannot run, or that this build does not
 * contain (NEON on x86-64, AVX2 on arm64), quietly runs the scalar path, which gives the
 * same bits. If the packing buffers cannot be allocated the scalar path runs too.
 */
void tender_matmul(int path, const float *a, long rs, long cs, const float *b, float *c, long m, long k, long n);

#endif
