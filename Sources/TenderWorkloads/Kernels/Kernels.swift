/// Deterministic float32 kernels: every output is the same sequence of IEEE operations on
/// every CPU, in debug and release builds (DESIGN section 6).
///
/// The rules that make that true:
/// - A matrix product's output `c[i, j]` is `((0 + a[i,0]*b[0,j]) + a[i,1]*b[1,j]) + ...`, summed
///   in increasing `k`, each product rounded before it is added. Vector lanes hold *different*
///   outputs, so no reduction is ever split across lanes, no horizontal sum is needed, and the
///   order of one output does not depend on how wide the vectors are; where a horizontal sum is
///   unavoidable, `horizontalSum` fixes the tree.
/// - No fused multiply-add on any path. A fused operation rounds once where the documented order
///   rounds twice, and only some CPUs have it, so allowing it anywhere would make the bits (and
///   with them every committed state) depend on the machine. Swift never contracts `a * b + c`,
///   these kernels never call `fma`, and the C matrix kernels switch contraction off.
/// - The instruction set is chosen at run time (`MatmulPath.available`, `MatmulPath.best`), not
///   at build time: one binary runs everywhere, and because every path does the same operations
///   per output, the choice changes only the speed.
/// - Parallelism, if a caller adds it, may only split independent outputs.
/// - Transcendentals come from `DeterministicMath`, never from the system library.
///
/// Every kernel has a vectorised path and a scalar path, and tests pin them bit-equal. For the
/// element-wise kernels the vectorised path is Swift `SIMD8<Float>`, fast once optimised; the
/// scalar path is fast in an unoptimised debug build, where generic SIMD code is ~15x slower. The
/// matrix product, where nearly all the time goes, is C (`CTenderKernels`): register-blocked tile
/// kernels for SSE2, AVX2, AVX-512 and NEON, each compiled for its own instruction set.
public enum Kernels {
    /// Which implementation a kernel call uses. Results are identical; only speed differs. For a
    /// matrix product `.simd` means `MatmulPath.best` and `.scalar` the C scalar loop.
    public enum Path: Sendable, CaseIterable {
        case simd
        case scalar
    }

    /// The faster path for this build: SIMD when optimised, scalar in a debug build.
    public static var preferredPath: Path {
        #if DEBUG
        .scalar
        #else
        .simd
        #endif
    }

    /// Sums eight lanes by a fixed tree: (0+4, 1+5, 2+6, 3+7), then pairs at distance 2, then 1.
    @inline(__always)
    public static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        let s0 = v[0] + v[4], s1 = v[1] + v[5], s2 = v[2] + v[6], s3 = v[3] + v[7]
        let t0 = s0 + s2, t1 = s1 + s3
        return t0 + t1
    }
}
