/// Matrix products with a fixed per-output summation order.
///
/// Every product is `C = A × B` with `B` and `C` row-major and contiguous, and `A` addressed
/// through strides so that `Aᵀ` (for weight gradients) needs no copy: element `(i, p)` of `A` is
/// `a[i * aRowStride + p * aColStride]`. Output `c[i, j]` is always
/// `(((0 + A[i,0]·b[0,j]) + A[i,1]·b[1,j]) + …) + A[i,k-1]·b[k-1,j]`.
extension Kernels {
    /// `c[m×n] = A[m×k] × b[k×n]` with the order documented on `Kernels`.
    public static func matmul(
        a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, path: Path = preferredPath
    ) {
        switch path {
        case .simd: matmulSIMD(a: a, rs: aRowStride, cs: aColStride, b: b, c: c, m: m, k: k, n: n)
        case .scalar: matmulScalar(a: a, rs: aRowStride, cs: aColStride, b: b, c: c, m: m, k: k, n: n)
        }
    }

    /// `A[m×k] × B[k×n]` for row-major arrays.
    public static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, path: Path = preferredPath) -> [Float] {
        precondition(a.count == m * k && b.count == k * n, "matmul shape mismatch")
        return product(a, b, m: m, k: k, n: n, rowStride: k, colStride: 1, path: path)
    }

    /// `Aᵀ × B` where `a` is row-major `[k×m]` (so `Aᵀ` is `[m×k]`) and `b` is `[k×n]`.
    public static func matmulTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, path: Path = preferredPath) -> [Float] {
        precondition(a.count == k * m && b.count == k * n, "matmulTransposedA shape mismatch")
        return product(a, b, m: m, k: k, n: n, rowStride: 1, colStride: m, path: path)
    }

    private static func product(
        _ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, rowStride: Int, colStride: Int, path: Path
    ) -> [Float] {
        guard m > 0, n > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: m * n) { out, initialized in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    let aBase = ap.baseAddress ?? UnsafePointer(out.baseAddress!)
                    let bBase = bp.baseAddress ?? UnsafePointer(out.baseAddress!)
                    matmul(
                        a: aBase, aRowStride: rowStride, aColStride: colStride, b: bBase, c: out.baseAddress!,
                        m: m, k: k, n: n, path: path
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

    // MARK: - Scalar path

    /// One output row at a time, accumulated in place over `p` (an axpy per `p`): the same
    /// per-output operation sequence as the SIMD path.
    private static func matmulScalar(
        a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int
    ) {
        var i = 0
        while i < m {
            let row = c + i * n
            var j = 0
            while j < n {
                row[j] = 0
                j += 1
            }
            var p = 0
            while p < k {
                let scale = a[i * rs + p * cs]
                let bRow = b + p * n
                j = 0
                while j < n {
                    row[j] = row[j] + scale * bRow[j]
                    j += 1
                }
                p += 1
            }
            i += 1
        }
    }

    // MARK: - SIMD path

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// Register-blocked: four rows by sixteen columns (eight accumulators), then four by eight,
    /// then single rows; leftover columns are summed one output at a time in the same order.
    private static func matmulSIMD(
        a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int
    ) {
        var i = 0
        while i + 4 <= m {
            let a0 = a + i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs
            let c0 = c + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
            var j = 0
            while j + 16 <= n {
                var x0 = SIMD8<Float>(), y0 = SIMD8<Float>(), x1 = SIMD8<Float>(), y1 = SIMD8<Float>()
                var x2 = SIMD8<Float>(), y2 = SIMD8<Float>(), x3 = SIMD8<Float>(), y3 = SIMD8<Float>()
                var p = 0
                while p < k {
                    let bRow = b + p * n + j
                    let bx = load(bRow), by = load(bRow + 8)
                    let offset = p * cs
                    let s0 = SIMD8<Float>(repeating: a0[offset]), s1 = SIMD8<Float>(repeating: a1[offset])
                    let s2 = SIMD8<Float>(repeating: a2[offset]), s3 = SIMD8<Float>(repeating: a3[offset])
                    x0 = x0 + s0 * bx
                    y0 = y0 + s0 * by
                    x1 = x1 + s1 * bx
                    y1 = y1 + s1 * by
                    x2 = x2 + s2 * bx
                    y2 = y2 + s2 * by
                    x3 = x3 + s3 * bx
                    y3 = y3 + s3 * by
                    p += 1
                }
                store(x0, c0 + j); store(y0, c0 + j + 8)
                store(x1, c1 + j); store(y1, c1 + j + 8)
                store(x2, c2 + j); store(y2, c2 + j + 8)
                store(x3, c3 + j); store(y3, c3 + j + 8)
                j += 16
            }
            while j + 8 <= n {
                var x0 = SIMD8<Float>(), x1 = SIMD8<Float>(), x2 = SIMD8<Float>(), x3 = SIMD8<Float>()
                var p = 0
                while p < k {
                    let bx = load(b + p * n + j)
                    let offset = p * cs
                    x0 = x0 + SIMD8<Float>(repeating: a0[offset]) * bx
                    x1 = x1 + SIMD8<Float>(repeating: a1[offset]) * bx
                    x2 = x2 + SIMD8<Float>(repeating: a2[offset]) * bx
                    x3 = x3 + SIMD8<Float>(repeating: a3[offset]) * bx
                    p += 1
                }
                store(x0, c0 + j); store(x1, c1 + j); store(x2, c2 + j); store(x3, c3 + j)
                j += 8
            }
            for row in 0..<4 {
                scalarColumns(from: j, row: i + row, a: a, rs: rs, cs: cs, b: b, c: c, k: k, n: n)
            }
            i += 4
        }
        while i < m {
            let a0 = a + i * rs
            var j = 0
            while j + 8 <= n {
                var x0 = SIMD8<Float>()
                var p = 0
                while p < k {
                    x0 = x0 + SIMD8<Float>(repeating: a0[p * cs]) * load(b + p * n + j)
                    p += 1
                }
                store(x0, c + i * n + j)
                j += 8
            }
            scalarColumns(from: j, row: i, a: a, rs: rs, cs: cs, b: b, c: c, k: k, n: n)
            i += 1
        }
    }

    /// Outputs `c[row, start..<n]`, each summed over `p` in increasing order.
    @inline(__always)
    private static func scalarColumns(
        from start: Int, row: Int, a: UnsafePointer<Float>, rs: Int, cs: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, k: Int, n: Int
    ) {
        var j = start
        while j < n {
            var sum: Float = 0
            var p = 0
            while p < k {
                sum = sum + a[row * rs + p * cs] * b[p * n + j]
                p += 1
            }
            c[row * n + j] = sum
            j += 1
        }
    }
}
