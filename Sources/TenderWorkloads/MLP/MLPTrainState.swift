import Foundation

/// The complete state of an `mlp-train` job between two steps.
///
/// Weights, biases, the momentum buffers and the step counter are all there is: the random
/// generator is counter-based and keyed by the step, and the data order is a pure function of
/// (seed, epoch), so no generator position needs saving. The config digest ties the state to its
/// job. Two states are equal when their canonical encodings are.
public struct MLPTrainState: Sendable {
    /// `MLPTrainConfig.digest` of the job this state belongs to.
    public let configDigest: Data
    /// Optimiser steps already applied.
    public internal(set) var step: Int
    public internal(set) var model: MLPModel
    /// Momentum buffers, shaped like the weights and biases.
    public internal(set) var velocityWeights: [[Float]]
    public internal(set) var velocityBiases: [[Float]]
    /// The data order of the epoch last used. Derived from (seed, epoch), so it is not encoded.
    var orderCache: (epoch: Int, order: [Int32])?

    init(configDigest: Data, step: Int, model: MLPModel, velocityWeights: [[Float]], velocityBiases: [[Float]]) {
        self.configDigest = configDigest
        self.step = step
        self.model = model
        self.velocityWeights = velocityWeights
        self.velocityBiases = velocityBiases
    }
}

extension MLPTrainState: Equatable {
    public static func == (lhs: MLPTrainState, rhs: MLPTrainState) -> Bool {
        lhs.configDigest == rhs.configDigest && lhs.step == rhs.step && lhs.model == rhs.model
            && lhs.velocityWeights == rhs.velocityWeights && lhs.velocityBiases == rhs.velocityBiases
    }
}

// MARK: - Canonical encoding

extension MLPTrainState {
    static let magic = Data("TNDRMLPT".utf8)
    static let version: UInt16 = 1

    /// The canonical bytes: `"TNDRMLPT"`, version (UInt16), config digest (32 bytes), step
    /// (UInt64), activation (UInt8), layer count and widths (UInt32 each), then for every layer its
    /// weights and biases, then for every layer its weight and bias velocities; floats as IEEE
    /// bit patterns, everything little-endian. The state hash is SHA-256 of these bytes.
    public func encoded() -> Data {
        let parameters = zip(model.weights, model.biases).reduce(0) { $0 + $1.0.count + $1.1.count }
        var writer = ByteWriter(capacity: 64 + model.layers.count * 4 + parameters * 8)
        writer.append(Self.magic)
        writer.append(Self.version)
        writer.append(configDigest)
        writer.append(UInt64(step))
        writer.append(model.activation.code)
        writer.append(UInt32(model.layers.count))
        for width in model.layers { writer.append(UInt32(width)) }
        for l in model.weights.indices {
            writer.append(model.weights[l])
            writer.append(model.biases[l])
        }
        for l in velocityWeights.indices {
            writer.append(velocityWeights[l])
            writer.append(velocityBiases[l])
        }
        return writer.data
    }

    /// Decodes canonical bytes, refusing anything `encoded()` would not have produced.
    public static func decode(_ data: Data) throws(WorkloadError) -> MLPTrainState {
        var reader = ByteReader(data)
        guard try reader.data(magic.count, "magic") == magic else { throw .badState("not an mlp-train state (bad magic)") }
        let version = try reader.uint16("version")
        guard version == Self.version else { throw .badState("unsupported mlp-train state version \(version)") }
        let digest = try reader.data(32, "config digest")
        let step = try reader.uint64("step")
        guard step <= UInt64(Int32.max) else { throw .badState("step \(step) out of range") }
        guard let activation = MLPActivation(code: try reader.uint8("activation")) else {
            throw .badState("unknown activation code")
        }
        let layerCount = Int(try reader.uint32("layer count"))
        guard layerCount >= 2, layerCount <= 64 else { throw .badState("\(layerCount) layers is out of range") }
        var layers = [Int]()
        for index in 0..<layerCount {
            let width = Int(try reader.uint32("layer \(index) width"))
            guard width >= 1, width <= 1 << 16 else { throw .badState("layer \(index) width \(width) is out of range") }
            layers.append(width)
        }
        func readParameters(_ what: String) throws(WorkloadError) -> ([[Float]], [[Float]]) {
            var weights = [[Float]](), biases = [[Float]]()
            for l in 0..<layerCount - 1 {
                weights.append(try reader.floats(layers[l] * layers[l + 1], "\(what) weights \(l)"))
                biases.append(try reader.floats(layers[l + 1], "\(what) biases \(l)"))
            }
            return (weights, biases)
        }
        let (weights, biases) = try readParameters("layer")
        let (velocityWeights, velocityBiases) = try readParameters("velocity")
        try reader.expectEnd()
        let model = try MLPModel(layers: layers, activation: activation, weights: weights, biases: biases)
        return MLPTrainState(
            configDigest: digest, step: Int(step), model: model, velocityWeights: velocityWeights, velocityBiases: velocityBiases
        )
    }
}
