/// The parameters of a dense MLP and its deterministic forward pass.
///
/// Layer `l` maps `layers[l]` inputs to `layers[l + 1]` outputs with a row-major weight matrix
/// `[layers[l] × layers[l + 1]]` (so a batch is `X × W`, no transpose) and a bias per output.
/// Hidden layers apply the activation; the last layer's outputs are logits.
public struct MLPModel: Sendable, Equatable {
    public let layers: [Int]
    public let activation: MLPActivation
    public var weights: [[Float]]
    public var biases: [[Float]]

    /// A model with the given parameters; shapes are checked.
    public init(layers: [Int], activation: MLPActivation, weights: [[Float]], biases: [[Float]]) throws(WorkloadError) {
        guard layers.count >= 2, layers.allSatisfy({ $0 >= 1 }) else { throw .badState("model layers \(layers) are not usable") }
        guard weights.count == layers.count - 1, biases.count == layers.count - 1 else {
            throw .badState("model has \(weights.count) weight and \(biases.count) bias arrays for \(layers.count - 1) layers")
        }
        for l in 0..<weights.count {
            guard weights[l].count == layers[l] * layers[l + 1], biases[l].count == layers[l + 1] else {
                throw .badState("layer \(l) parameters do not match widths \(layers[l])x\(layers[l + 1])")
            }
        }
        self.layers = layers
        self.activation = activation
        self.weights = weights
        self.biases = biases
    }

    /// Glorot-uniform weights in ±sqrt(6 / (fanIn + fanOut)) drawn from the counter generator
    /// (purpose `weightInit`, step = layer, counter = element), zero biases.
    public static func initialized(layers: [Int], activation: MLPActivation, seed: UInt64) throws(WorkloadError) -> MLPModel {
        let random = CounterRandom(seed: seed)
        var weights = [[Float]]()
        var biases = [[Float]]()
        for l in 0..<max(layers.count - 1, 0) {
            let fanIn = layers[l], fanOut = layers[l + 1]
            let bound = (Float(6) / Float(fanIn + fanOut)).squareRoot()
            let width = bound + bound
            weights.append((0..<fanIn * fanOut).map { element in
                let u = random.unit(.weightInit, step: UInt64(l), counter: UInt64(element))
                return u * width - bound
            })
            biases.append([Float](repeating: 0, count: fanOut))
        }
        return try MLPModel(layers: layers, activation: activation, weights: weights, biases: biases)
    }

    public var inputCount: Int { layers[0] }
    public var outputCount: Int { layers[layers.count - 1] }

    /// The activations of every layer for a batch: element 0 is the input, the last is the logits.
    /// Training needs them all for the backward pass.
    public func activations(input: [Float], rows: Int, path: Kernels.Path = Kernels.preferredPath) -> [[Float]] {
        precondition(input.count == rows * inputCount, "forward input shape mismatch")
        var outputs = [input]
        outputs.reserveCapacity(layers.count)
        for l in 0..<weights.count {
            var z = Kernels.matmul(outputs[l], weights[l], m: rows, k: layers[l], n: layers[l + 1], path: path)
            Kernels.addBias(&z, biases[l])
            if l < weights.count - 1 {
                switch activation {
                case .relu: Kernels.relu(&z)
                case .tanh: Kernels.tanh(&z)
                }
            }
            outputs.append(z)
        }
        return outputs
    }

    /// The logits `[rows × outputCount]` for a batch of inputs.
    public func logits(input: [Float], rows: Int, path: Kernels.Path = Kernels.preferredPath) -> [Float] {
        activations(input: input, rows: rows, path: path)[layers.count - 1]
    }
}
