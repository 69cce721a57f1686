#include "matmul_internal.h"

/*
 * AArch64 tile kernel: the same shape as the x86-64 ones. The multiply is vmulq_laneq_f32 (a
 * plain FMUL by element) and the add a separate vaddq_f32; vfmaq/vmlaq are never used, since
 * the fused forms round once. AArch64 Advanced SIMD keeps subnormals and rounds to nearest
 * like the scalar unit, so its lanes match the scalar path exactly.
 */
#if defined(__aarch64__)

#include <arm_neon.h>

/* MARK: - NEON: 8 rows x 8 columns, 16 accumulators of 4 lanes */

#define NEON_ROWS(X) X(0, a0, 0) X(1, a0, 1) X(2, a0, 2) X(3, a0, 3) X(4, a1, 0) X(5, a1, 1) X(6, a1, 2) X(7, a1, 3)

static void tile_neon(long kc, const float *ap, const float *bp, float *c, long ldc, int accumulate) {
#define NEON_DECLARE(r, v, lane) float32x4_t c##r##0 = vdupq_n_f32(0.0f), c##r##1 = vdupq_n_f32(0.0f);
    NEON_ROWS(NEON_DECLARE)
#undef NEON_DECLARE
    if (accumulate) {
#define NEON_LOAD(r, v, lane) c##r##0 = vld1q_f32(c + (r) * ldc); c##r##1 = vld1q_f32(c + (r) * ldc + 4);
        NEON_ROWS(NEON_LOAD)
#undef NEON_LOAD
    }
    for (long p = 0; p < kc; p++) {
        const float32x4_t b0 = vld1q_f32(bp), b1 = vld1q_f32(bp + 4);
        const float32x4_t a0 = vld1q_f32(ap), a1 = vld1q_f32(ap + 4);
#define NEON_STEP(r, v, lane) \
        c##r##0 = vaddq_f32(c##r##0, vmulq_laneq_f32(b0, v, lane)); \
        c##r##1 = vaddq_f32(c##r##1, vmulq_laneq_f32(b1, v, lane));
        NEON_ROWS(NEON_STEP)
#undef NEON_STEP
        ap += 8;
        bp += 8;
    }
#define NEON_STORE(r, v, lane) vst1q_f32(c + (r) * ldc, c##r##0); vst1q_f32(c + (r) * ldc + 4, c##r##1);
    NEON_ROWS(NEON_STORE)
#undef NEON_STORE
}

const tender_tile_kernel tender_kernel_neon = {.mr = 8, .nr = 8, .mc = 128, .kc = 256, .nc = 2048, .tile = tile_neon};

#else

/* Keeps the translation unit non-empty on other architectures. */
typedef int tender_matmul_neon_unused;

#endif
