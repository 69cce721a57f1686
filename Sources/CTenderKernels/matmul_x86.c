#include "matmul_internal.h"

/*
 * x86-64 tile kernels. Each is compiled for its own instruction set with a target attribute
 * (never "fma"), so the rest of the program stays baseline x86-64 and the choice is made at
 * run time. All three share one shape: mr rows by two vectors of columns, one accumulator per
 * (row, vector), and for each p a broadcast of A[row][p], a multiply, then an add.
 */
#if defined(__x86_64__)

#include <immintrin.h>

/* MARK: - SSE2: 6 rows x 8 columns, 12 accumulators of 4 lanes */

#define SSE2_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5)

__attribute__((target("sse2")))
static void tile_sse2(long kc, const float *ap, const float *bp, float *c, long ldc, int accumulate) {
#define SSE2_DECLARE(r) __m128 c##r##0 = _mm_setzero_ps(), c##r##1 = _mm_setzero_ps();
    SSE2_ROWS(SSE2_DECLARE)
#undef SSE2_DECLARE
    if (accumulate) {
#define SSE2_LOAD(r) c##r##0 = _mm_loadu_ps(c + (r) * ldc); c##r##1 = _mm_loadu_ps(c + (r) * ldc + 4);
        SSE2_ROWS(SSE2_LOAD)
#undef SSE2_LOAD
    }
    for (long p = 0; p < kc; p++) {
        const __m128 b0 = _mm_loadu_ps(bp), b1 = _mm_loadu_ps(bp + 4);
#define SSE2_STEP(r) { \
            const __m128 s = _mm_set1_ps(ap[r]); \
            c##r##0 = _mm_add_ps(c##r##0, _mm_mul_ps(s, b0)); \
            c##r##1 = _mm_add_ps(c##r##1, _mm_mul_ps(s, b1)); }
        SSE2_ROWS(SSE2_STEP)
#undef SSE2_STEP
        ap += 6;
        bp += 8;
    }
#define SSE2_STORE(r) _mm_storeu_ps(c + (r) * ldc, c##r##0); _mm_storeu_ps(c + (r) * ldc + 4, c##r##1);
    SSE2_ROWS(SSE2_STORE)
#undef SSE2_STORE
}

const tender_tile_kernel tender_kernel_sse2 = {.mr = 6, .nr = 8, .mc = 120, .kc = 256, .nc = 2048, .tile = tile_sse2};

/* MARK: - AVX2: 6 rows x 16 columns, 12 accumulators of 8 lanes (with b0, b1, s: all 16 registers) */

#define AVX2_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5)

__attribute__((target("avx2")))
static void tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc, int accumulate) {
#define AVX2_DECLARE(r) __m256 c##r##0 = _mm256_setzero_ps(), c##r##1 = _mm256_setzero_ps();
    AVX2_ROWS(AVX2_DECLARE)
#undef AVX2_DECLARE
    if (accumulate) {
#define AVX2_LOAD(r) c##r##0 = _mm256_loadu_ps(c + (r) * ldc); c##r##1 = _mm256_loadu_ps(c + (r) * ldc + 8);
        AVX2_ROWS(AVX2_LOAD)
#undef AVX2_LOAD
    }
    for (long p = 0; p < kc; p++) {
        const __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
#define AVX2_STEP(r) { \
            const __m256 s = _mm256_broadcast_ss(ap + (r)); \
            c##r##0 = _mm256_add_ps(c##r##0, _mm256_mul_ps(s, b0)); \
            c##r##1 = _mm256_add_ps(c##r##1, _mm256_mul_ps(s, b1)); }
        AVX2_ROWS(AVX2_STEP)
#undef AVX2_STEP
        ap += 6;
        bp += 16;
    }
#define AVX2_STORE(r) _mm256_storeu_ps(c + (r) * ldc, c##r##0); _mm256_storeu_ps(c + (r) * ldc + 8, c##r##1);
    AVX2_ROWS(AVX2_STORE)
#undef AVX2_STORE
}

const tender_tile_kernel tender_kernel_avx2 = {.mr = 6, .nr = 16, .mc = 120, .kc = 256, .nc = 2048, .tile = tile_avx2};

/* MARK: - AVX-512: 8 rows x 32 columns, 16 accumulators of 16 lanes */

#define AVX512_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

__attribute__((target("avx512f")))
static void tile_avx512(long kc, const float *ap, const float *bp, float *c, long ldc, int accumulate) {
#define AVX512_DECLARE(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps();
    AVX512_ROWS(AVX512_DECLARE)
#undef AVX512_DECLARE
    if (accumulate) {
#define AVX512_LOAD(r) c##r##0 = _mm512_loadu_ps(c + (r) * ldc); c##r##1 = _mm512_loadu_ps(c + (r) * ldc + 16);
        AVX512_ROWS(AVX512_LOAD)
#undef AVX512_LOAD
    }
    for (long p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
#define AVX512_STEP(r) { \
            const __m512 s = _mm512_set1_ps(ap[r]); \
            c##r##0 = _mm512_add_ps(c##r##0, _mm512_mul_ps(s, b0)); \
            c##r##1 = _mm512_add_ps(c##r##1, _mm512_mul_ps(s, b1)); }
        AVX512_ROWS(AVX512_STEP)
#undef AVX512_STEP
        ap += 8;
        bp += 32;
    }
#define AVX512_STORE(r) _mm512_storeu_ps(c + (r) * ldc, c##r##0); _mm512_storeu_ps(c + (r) * ldc + 16, c##r##1);
    AVX512_ROWS(AVX512_STORE)
#undef AVX512_STORE
}

const tender_tile_kernel tender_kernel_avx512 = {.mr = 8, .nr = 32, .mc = 128, .kc = 256, .nc = 2048, .tile = tile_avx512};

_Static_assert(8 * 32 <= TENDER_MAX_TILE, "edge buffer too small for the AVX-512 tile");

#endif
