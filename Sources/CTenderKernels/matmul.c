#include "matmul_internal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* MARK: - Scalar path */

/*
 * One output row at a time, accumulated in place over p (an axpy per p). Written as two
 * statements so that not even a compiler that contracts within an expression could fuse them.
 */
void tender_matmul_scalar(const float *a, long rs, long cs, const float *b, float *c, long m, long k, long n) {
    for (long i = 0; i < m; i++) {
        float *restrict row = c + i * n;
        for (long j = 0; j < n; j++) row[j] = 0.0f;
        for (long p = 0; p < k; p++) {
            const float scale = a[i * rs + p * cs];
            const float *restrict bRow = b + p * n;
            for (long j = 0; j < n; j++) {
                const float product = scale * bRow[j];
                row[j] = row[j] + product;
            }
        }
    }
}

/* MARK: - Packing */

/*
 * Columns jc ..< jc+nc of rows pc ..< pc+kc of B, as panels of nr columns: panel q holds
 * bp[q*kc*nr + p*nr + j] = B[pc+p][jc + q*nr + j], zero past the last column.
 */
static void pack_b(const float *b, long n, long pc, long kc, long jc, long nc, int nr, float *bp) {
    for (long q = 0; q < nc; q += nr) {
        const long width = nc - q < nr ? nc - q : nr;
        for (long p = 0; p < kc; p++) {
            const float *src = b + (pc + p) * n + jc + q;
            float *dst = bp + q * kc + p * nr;
            memcpy(dst, src, (size_t)width * sizeof(float));
            for (long j = width; j < nr; j++) dst[j] = 0.0f;
        }
    }
}

/*
 * Rows ic ..< ic+mc of columns pc ..< pc+kc of A, as panels of mr rows: panel q holds
 * ap[q*kc*mr + p*mr + r] = A[ic + q*mr + r][pc+p], zero past the last row. The strides are
 * resolved here, so the tile kernels see the same layout for A and for Aᵀ.
 */
static void pack_a(const float *a, long rs, long cs, long ic, long mc, long pc, long kc, int mr, float *ap) {
    for (long q = 0; q < mc; q += mr) {
        const long height = mc - q < mr ? mc - q : mr;
        float *panel = ap + q * kc;
        for (long r = 0; r < height; r++) {
            const float *src = a + (ic + q + r) * rs + pc * cs;
            for (long p = 0; p < kc; p++) panel[p * mr + r] = src[p * cs];
        }
        for (long r = height; r < mr; r++) {
            for (long p = 0; p < kc; p++) panel[p * mr + r] = 0.0f;
        }
    }
}

/* MARK: - Blocked driver */

static long round_up(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }
static long min_long(long x, long y) { return x < y ? x : y; }

/*
 * The usual three-level blocking: a k block of B's columns packed once (kept in L2/L3), a
 * block of A's rows packed for it (kept in L2), and tiles that stream one panel of each. k
 * blocks are visited in increasing order, and every tile after the first block resumes from
 * the partial sums stored in C, so each output still sees p = 0, 1, ..., k-1 in order. Tiles
 * that overhang the edge of C run on a copy in a local buffer; the padding lanes compute on
 * zeros and are thrown away, and lanes never mix, so the real outputs are unaffected.
 */
void tender_matmul_blocked(const tender_tile_kernel *kernel, const float *a, long rs, long cs, const float *b, float *c,
                           long m, long k, long n) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        for (long i = 0; i < m; i++) memset(c + i * n, 0, (size_t)n * sizeof(float));
        return;
    }
    const int mr = kernel->mr, nr = kernel->nr;
    const long kcMax = min_long(k, kernel->kc);
    const long ncMax = min_long(round_up(n, nr), kernel->nc);
    const long mcMax = min_long(round_up(m, mr), kernel->mc);
    const long bFloats = round_up(kcMax * ncMax, 16);
    const size_t bytes = (size_t)(bFloats + kcMax * mcMax) * sizeof(float) + 64;
    void *raw = malloc(bytes);
    if (raw == NULL) {
        tender_matmul_scalar(a, rs, cs, b, c, m, k, n);
        return;
    }
    float *bPacked = (float *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
    float *aPacked = bPacked + bFloats;
    /* Zeroed once so that overhanging lanes never start from uninitialised memory. */
    float edge[TENDER_MAX_TILE] __attribute__((aligned(64)));
    memset(edge, 0, sizeof edge);

    for (long jc = 0; jc < n; jc += kernel->nc) {
        const long nc = min_long(kernel->nc, n - jc);
        for (long pc = 0; pc < k; pc += kernel->kc) {
            const long kc = min_long(kernel->kc, k - pc);
            const int accumulate = pc > 0;
            pack_b(b, n, pc, kc, jc, nc, nr, bPacked);
            for (long ic = 0; ic < m; ic += kernel->mc) {
                const long mc = min_long(kernel->mc, m - ic);
                pack_a(a, rs, cs, ic, mc, pc, kc, mr, aPacked);
                for (long jr = 0; jr < nc; jr += nr) {
                    const long width = min_long(nr, nc - jr);
                    const float *bPanel = bPacked + jr * kc;
                    for (long ir = 0; ir < mc; ir += mr) {
                        const long height = min_long(mr, mc - ir);
                        const float *aPanel = aPacked + ir * kc;
                        float *tile = c + (ic + ir) * n + jc + jr;
                        if (height == mr && width == nr) {
                            kernel->tile(kc, aPanel, bPanel, tile, n, accumulate);
                            continue;
                        }
                        if (accumulate) {
                            for (long r = 0; r < height; r++) memcpy(edge + r * nr, tile + r * n, (size_t)width * sizeof(float));
                        }
                        kernel->tile(kc, aPanel, bPanel, edge, nr, accumulate);
                        for (long r = 0; r < height; r++) memcpy(tile + r * n, edge + r * nr, (size_t)width * sizeof(float));
                    }
                }
            }
        }
    }
    free(raw);
}

/* MARK: - Choosing a path */

#if defined(__x86_64__)
static unsigned long long read_xcr0(void) {
    unsigned int low, high;
    __asm__ __volatile__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}

/* AVX needs the OS to save the YMM registers and AVX-512 the opmask and ZMM ones (XCR0). */
static int detect_paths(void) {
    int paths = 1 << TENDER_MATMUL_SCALAR;
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return paths;
    if (edx & (1u << 26)) paths |= 1 << TENDER_MATMUL_SSE2;
    const int osxsave = (ecx & (1u << 27)) != 0, avx = (ecx & (1u << 28)) != 0;
    if (!osxsave || !avx) return paths;
    const unsigned long long xcr0 = read_xcr0();
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return paths;
    if ((xcr0 & 0x6) == 0x6 && (ebx & (1u << 5))) paths |= 1 << TENDER_MATMUL_AVX2;
    if ((xcr0 & 0xE6) == 0xE6 && (ebx & (1u << 16))) paths |= 1 << TENDER_MATMUL_AVX512;
    return paths;
}
#elif defined(__aarch64__)
/* Advanced SIMD is part of every AArch64 CPU, with IEEE subnormals (unlike 32-bit NEON). */
static int detect_paths(void) { return (1 << TENDER_MATMUL_SCALAR) | (1 << TENDER_MATMUL_NEON); }
#else
static int detect_paths(void) { return 1 << TENDER_MATMUL_SCALAR; }
#endif

/* The detected mask plus a "known" bit; detection is idempotent, so racing threads agree. */
static _Atomic int detected = 0;

int tender_matmul_paths(void) {
    int value = atomic_load_explicit(&detected, memory_order_relaxed);
    if (value == 0) {
        value = detect_paths() | (1 << 30);
        atomic_store_explicit(&detected, value, memory_order_relaxed);
    }
    return value & ~(1 << 30);
}

void tender_matmul(int path, const float *a, long rs, long cs, const float *b, float *c, long m, long k, long n) {
    if (path < 0 || path > 30 || !((tender_matmul_paths() >> path) & 1)) path = TENDER_MATMUL_SCALAR;
    switch (path) {
#if defined(__x86_64__)
    case TENDER_MATMUL_SSE2: tender_matmul_blocked(&tender_kernel_sse2, a, rs, cs, b, c, m, k, n); return;
    case TENDER_MATMUL_AVX2: tender_matmul_blocked(&tender_kernel_avx2, a, rs, cs, b, c, m, k, n); return;
    case TENDER_MATMUL_AVX512: tender_matmul_blocked(&tender_kernel_avx512, a, rs, cs, b, c, m, k, n); return;
#endif
#if defined(__aarch64__)
    case TENDER_MATMUL_NEON: tender_matmul_blocked(&tender_kernel_neon, a, rs, cs, b, c, m, k, n); return;
#endif
    default: tender_matmul_scalar(a, rs, cs, b, c, m, k, n); return;
    }
}
