/// Element-wise and per-column kernels of a dense layer. Each output depends on its own inputs
/// only, except the column sums, which add rows in increasing order.
extension Kernels {
    /// `z[r, j] = z[r, j] + bias[j]` for every row of a row-major `[rows × bias.count]` matrix.
    public static func addBias(_ z: inout [Float], _ bias: [Float]) {
        let cols = bias.count
        precondition(cols > 0 && z.count % cols == 0, "addBias shape mismatch")
        z.withUnsafeMutableBufferPointer { out in
            bias.withUnsafeBufferPointer { b in
                var index = 0
                while index < out.count {
                    var j = 0
                    while j < cols {
                        out[index + j] = out[index + j] + b[j]
                        j += 1
                    }
                    index += cols
                }
            }
        }
    }

    /// Sums of each column over rows 0, 1, 2, … in that order (a bias gradient).
    public static func columnSums(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        precondition(x.count == rows * cols, "columnSums shape mismatch")
        var sums = [Float](repeating: 0, count: cols)
        x.withUnsafeBufferPointer { src in
            sums.withUnsafeMutableBufferPointer { out in
                var r = 0
                while r < rows {
                    var j = 0
                    while j < cols {
                        out[j] = out[j] + src[r * cols + j]
                        j += 1
                    }
                    r += 1
                }
            }
        }
        return sums
    }

    /// max(0, x) in place. NaN stays NaN (the comparison is false), so a diverged run is visible.
    public static func relu(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                if buffer[index] < 0 { buffer[index] = 0 }
                index += 1
            }
        }
    }

    /// `DeterministicMath.tanh` in place.
    public static func tanh(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                buffer[index] = DeterministicMath.tanh(buffer[index])
                index += 1
            }
        }
    }

    /// Back through ReLU: `grad[i] = activated[i] > 0 ? grad[i] : 0`.
    public static func reluBackward(_ grad: inout [Float], activated: [Float]) {
        precondition(grad.count == activated.count, "reluBackward shape mismatch")
        grad.withUnsafeMutableBufferPointer { g in
            activated.withUnsafeBufferPointer { h in
                var index = 0
                while index < g.count {
                    if !(h[index] > 0) { g[index] = 0 }
                    index += 1
                }
            }
        }
    }

    /// Back through tanh: `grad[i] = grad[i] * (1 - h·h)` with `h = tanh(z)` already computed.
    public static func tanhBackward(_ grad: inout [Float], activated: [Float]) {
        precondition(grad.count == activated.count, "tanhBackward shape mismatch")
        grad.withUnsafeMutableBufferPointer { g in
            activated.withUnsafeBufferPointer { h in
                var index = 0
                while index < g.count {
                    let square = h[index] * h[index]
                    let slope = 1 - square
                    g[index] = g[index] * slope
                    index += 1
                }
            }
        }
    }

    /// SGD with momentum, in place: `v = μ·v − η·g`, then `w = w + v` (the heavy-ball form that
    /// scikit-learn's non-Nesterov SGD uses), each product rounded before the subtraction.
    public static func momentumUpdate(weights: inout [Float], velocity: inout [Float], gradient: [Float], learningRate: Float, momentum: Float) {
        precondition(weights.count == velocity.count && weights.count == gradient.count, "momentumUpdate shape mismatch")
        weights.withUnsafeMutableBufferPointer { w in
            velocity.withUnsafeMutableBufferPointer { v in
                gradient.withUnsafeBufferPointer { g in
                    var index = 0
                    while index < w.count {
                        let kept = momentum * v[index]
                        let step = learningRate * g[index]
                        let updated = kept - step
                        v[index] = updated
                        w[index] = w[index] + updated
                        index += 1
                    }
                }
            }
        }
    }
}
