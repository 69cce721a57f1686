/// Softmax with cross-entropy, the output layer of a classifier.
extension Kernels {
    /// The mean loss of a batch and the gradient with respect to the logits.
    public struct SoftmaxCrossEntropy: Sendable {
        /// Mean over rows of `−log softmax(z)[label]`.
        public var loss: Float
        /// `(softmax(z) − onehot(label)) / rows`, row-major like the logits.
        public var gradient: [Float]
        /// The arg-max class of each row (the first one on ties).
        public var predictions: [Int]
    }

    /// Softmax cross-entropy over row-major `logits[rows × classes]`.
    ///
    /// Per row: `m = max z` (scanned left to right), `e_j = exp(z_j − m)`, `s = Σ e_j` left to right,
    /// `loss = log s − (z_label − m)`, `p_j = e_j / s`. Rows are then averaged in order. Labels
    /// outside `0..<classes` contribute no loss and a gradient of `p / rows` (no target).
    public static func softmaxCrossEntropy(logits: [Float], labels: [Int], classes: Int) -> SoftmaxCrossEntropy {
        let rows = labels.count
        precondition(classes > 0 && logits.count == rows * classes, "softmaxCrossEntropy shape mismatch")
        var gradient = [Float](repeating: 0, count: logits.count)
        var predictions = [Int](repeating: 0, count: rows)
        var total: Float = 0
        let scale = Float(rows)
        logits.withUnsafeBufferPointer { z in
            gradient.withUnsafeMutableBufferPointer { g in
                var r = 0
                while r < rows {
                    let base = r * classes
                    var maximum = z[base]
                    var best = 0
                    var j = 1
                    while j < classes {
                        if z[base + j] > maximum {
                            maximum = z[base + j]
                            best = j
                        }
                        j += 1
                    }
                    predictions[r] = best
                    var sum: Float = 0
                    j = 0
                    while j < classes {
                        let e = DeterministicMath.exp(z[base + j] - maximum)
                        g[base + j] = e
                        sum = sum + e
                        j += 1
                    }
                    let label = labels[r]
                    if label >= 0 && label < classes {
                        let shifted = z[base + label] - maximum
                        total = total + (DeterministicMath.log(sum) - shifted)
                    }
                    j = 0
                    while j < classes {
                        var p = g[base + j] / sum
                        if j == label { p = p - 1 }
                        g[base + j] = p / scale
                        j += 1
                    }
                    r += 1
                }
            }
        }
        return SoftmaxCrossEntropy(loss: rows > 0 ? total / scale : 0, gradient: gradient, predictions: predictions)
    }

    /// The arg-max of each row of `logits[rows × classes]` (the first one on ties).
    public static func argmax(logits: [Float], classes: Int) -> [Int] {
        precondition(classes > 0 && logits.count % classes == 0, "argmax shape mismatch")
        let rows = logits.count / classes
        var out = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            var best = 0
            for j in 1..<max(classes, 1) where logits[r * classes + j] > logits[r * classes + best] {
                best = j
            }
            out[r] = best
        }
        return out
    }
}
