import CTenderKernels

/// Matrix products with a fixed per-output summation order.
///
/// Every product is `C = A × B` with `B` and `C` row-major and contiguous, and `A` addressed
/// through strides so that `Aᵀ` (for weight gradients) needs no copy: element `(i, p)` of `A` is
/// `a[i * aRowStride + p * aColStride]`. Output `c[i, j]` is always
/// `(((0 + A[i,0]·b[0,j]) + A[i,1]·b[1,j]) + …) + A[i,k-1]·b[k-1,j]`.
///
/// The work is done by `CTenderKernels`: a plain scalar loop, and for each vector instruction set
/// a tile kernel over packed copies of `A` and `B`. The tiles keep one output per lane and split
/// `k` only into blocks visited in order, resuming each output from its stored partial sum (a
/// float reloads exactly), so every path performs the scalar loop's operations and gives its bits.
extension Kernels {
    /// An implementation of the matrix product. All give the same bits; only speed differs.
    public enum MatmulPath: String, CaseIterable, Sendable {
        case scalar
        case sse2
        case avx2
        case avx512
        case neon

        /// The paths this CPU and operating system can run (`scalar` always).
        public static var available: [MatmulPath] {
            allCases.filter { mask & (1 << $0.code) != 0 }
        }

        /// The fastest available path: the widest vectors this CPU has.
        public static let best: MatmulPath = {
            let runnable = available
            return [.avx512, .avx2, .neon, .sse2].first(where: runnable.contains) ?? .scalar
        }()

        /// Detected once; the C side caches it too, this spares the call.
        private static let mask: Int32 = tender_matmul_paths()

        var code: Int32 {
            switch self {
            case .scalar: TENDER_MATMUL_SCALAR
            case .sse2: TENDER_MATMUL_SSE2
            case .avx2: TENDER_MATMUL_AVX2
            case .avx512: TENDER_MATMUL_AVX512
            case .neon: TENDER_MATMUL_NEON
            }
        }
    }

    /// `c[m×n] = A[m×k] × b[k×n]` with the order documented on `Kernels`.
    public static func matmul(
        a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, path: Path = preferredPath
    ) {
        matmul(a: a, aRowStride: aRowStride, aColStride: aColStride, b: b, c: c, m: m, k: k, n: n, using: path.matmulPath)
    }

    /// `c[m×n] = A[m×k] × b[k×n]` on a chosen implementation. `c` must not overlap `a` or `b`.
    /// A path this CPU cannot run falls back to `scalar`, which gives the same bits.
    public static func matmul(
        a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, using kernel: MatmulPath
    ) {
        precondition(m >= 0 && k >= 0 && n >= 0, "matmul: negative dimension")
        tender_matmul(kernel.code, a, aRowStride, aColStride, b, c, m, k, n)
    }

    /// `A[m×k] × B[k×n]` for row-major arrays.
    public static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, path: Path = preferredPath) -> [Float] {
        matmul(a, b, m: m, k: k, n: n, using: path.matmulPath)
    }

    /// `A[m×k] × B[k×n]` for row-major arrays, on a chosen implementation.
    public static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, using kernel: MatmulPath) -> [Float] {
        precondition(a.count == m * k && b.count == k * n, "matmul shape mismatch")
        return product(a, b, m: m, k: k, n: n, rowStride: k, colStride: 1, kernel: kernel)
    }

    /// `Aᵀ × B` where `a` is row-major `[k×m]` (so `Aᵀ` is `[m×k]`) and `b` is `[k×n]`.
    public static func matmulTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, path: Path = preferredPath) -> [Float] {
        matmulTransposedA(a, b, m: m, k: k, n: n, using: path.matmulPath)
    }

    /// `Aᵀ × B` as above, on a chosen implementation.
    public static func matmulTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, using kernel: MatmulPath) -> [Float] {
        precondition(a.count == k * m && b.count == k * n, "matmulTransposedA shape mismatch")
        return product(a, b, m: m, k: k, n: n, rowStride: 1, colStride: m, kernel: kernel)
    }

    private static func product(
        _ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, rowStride: Int, colStride: Int, kernel: MatmulPath
    ) -> [Float] {
        guard m > 0, n > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: m * n) { out, initialized in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    // With k == 0 the inputs are empty and never read; any valid pointer will do.
                    let aBase = ap.baseAddress ?? UnsafePointer(out.baseAddress!)
                    let bBase = bp.baseAddress ?? UnsafePointer(out.baseAddress!)
                    matmul(
                        a: aBase, aRowStride: rowStride, aColStride: colStride, b: bBase, c: out.baseAddress!,
                        m: m, k: k, n: n, using: kernel
                    )
                }
            }
            initialized = m * n
        }
    }

    /// Row-major transpose of `x[rows×cols]` into `[cols×rows]`; exact, no arithmetic.
    public static func transpose(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        precondition(x.count == rows * cols, "transpose shape mismatch")
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var r = 0
                while r < rows {
                    var col = 0
                    while col < cols {
                        dst[col * rows + r] = src[r * cols + col]
                        col += 1
                    }
                    r += 1
                }
            }
        }
        return out
    }
}

extension Kernels.Path {
    /// The matrix product behind this path: the best vector kernel, or the scalar loop.
    public var matmulPath: Kernels.MatmulPath {
        switch self {
        case .simd: .best
        case .scalar: .scalar
        }
    }
}
