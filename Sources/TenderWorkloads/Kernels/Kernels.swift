/// Deterministic float32 kernels: every output is the same sequence of IEEE operations on
/// every CPU, in debug and release builds (DESIGN section 6).
///
/// The rules that make that true:
/// - A matrix product's output `c[i, j]` is `((0 + a[i,0]*b[0,j]) + a[i,1]*b[1,j]) + ...`, summed
///   in increasing `k`, each product rounded before it is added. Vector lanes hold *different*
///   outputs, so no reduction is ever split across lanes and no horizontal sum is needed;
///   where one is unavoidable, `horizontalSum` fixes the tree.
/// - No fused multiply-add: Swift never contracts `a * b + c`, and these kernels never call `fma`.
/// - Parallelism, if a caller adds it, may only split independent outputs.
/// - Transcendentals come from `DeterministicMath`, never from the system library.
///
/// Every kernel has a vectorised path (`SIMD8<Float>`, fast once optimised) and a scalar path
/// (fast in an unoptimised debug build, where generic SIMD code is ~15x slower than scalar code).
/// Both compute each output by the same operation sequence, and a test pins them bit-equal.
public enum Kernels {
    /// Which implementation a kernel call uses. Results are identical; only speed differs.
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
