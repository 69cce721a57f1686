import Foundation
import TenderCore

/// The `mlp-train` runtime: mini-batch SGD with momentum on a dense MLP, one batch per step.
///
/// Step `s` trains on stream positions `s·batch ..< (s+1)·batch`, where the stream is epoch 0's
/// permutation of the training rows, then epoch 1's, and so on (a batch may straddle two epochs);
/// every batch has the same size, so every step does the same work and is cheap to re-execute.
public struct MLPTrainWorkload: Workload {
    public let config: MLPTrainConfig
    /// `config.digest`, computed once.
    public let configDigest: Data
    /// Training features after `inputScale`, row-major.
    let inputs: [Float]
    let random: CounterRandom
    /// Which kernels to run; results are identical either way.
    public let path: Kernels.Path

    /// Validates the config (collecting every problem) and prepares the scaled inputs.
    public init(config: MLPTrainConfig, path: Kernels.Path = Kernels.preferredPath) throws(WorkloadError) {
        let problems = config.problems
        guard problems.isEmpty else { throw .invalidConfig(problems) }
        self.config = config
        self.configDigest = config.digest
        self.inputs = config.dataset.scaledFeatures(by: config.inputScale)
        self.random = CounterRandom(seed: config.seed)
        self.path = path
    }

    public var runtime: String { "mlp-train" }
    public var totalSteps: Int { config.steps }
    public var checkpointInterval: Int { config.checkpointInterval }

    public func initialState() throws(WorkloadError) -> MLPTrainState {
        let model = try MLPModel.initialized(layers: config.layers, activation: config.activation, seed: config.seed)
        return MLPTrainState(
            configDigest: configDigest, step: 0, model: model,
            velocityWeights: model.weights.map { [Float](repeating: 0, count: $0.count) },
            velocityBiases: model.biases.map { [Float](repeating: 0, count: $0.count) }
        )
    }

    public func advance(_ state: inout MLPTrainState, steps count: Int) throws(WorkloadError) -> Float? {
        guard count >= 1, state.step + count <= totalSteps else {
            throw .stepsOutOfRange(start: state.step, count: count, totalSteps: totalSteps)
        }
        var loss: Float = 0
        for _ in 0..<count {
            loss = trainStep(&state)
        }
        return loss
    }

    public func encode(_ state: MLPTrainState) -> Data {
        state.encoded()
    }

    public func decode(_ bytes: Data) throws(WorkloadError) -> MLPTrainState {
        let state = try MLPTrainState.decode(bytes)
        guard state.configDigest == configDigest else {
            throw .stateMismatch("state belongs to config \(Hex.encode(state.configDigest)), not \(Hex.encode(configDigest))")
        }
        guard state.model.layers == config.layers, state.model.activation == config.activation else {
            throw .stateMismatch("state's architecture differs from the config's")
        }
        guard state.step <= totalSteps else { throw .badState("step \(state.step) is past the job's \(totalSteps) steps") }
        return state
    }

    public func stepCount(of state: MLPTrainState) -> Int? {
        state.step
    }

    /// Canonical JSON of `MLPTrainResult`: the final state hash and the held-out evaluation.
    public func result(of finalState: MLPTrainState) throws(WorkloadError) -> Data {
        let result = MLPTrainResult(
            steps: finalState.step,
            modelStateHash: Hashing.sha256Hex(finalState.encoded()),
            evaluation: evaluate(finalState.model)
        )
        do {
            return try CanonicalJSON.encode(result)
        } catch {
            throw .io("cannot encode the result: \(error)")
        }
    }

    /// Loss and accuracy on the training rows and on the held-out rows after them.
    public func evaluate(_ model: MLPModel) -> MLPEvaluation {
        MLPEvaluation(model: model, inputs: inputs, labels: config.dataset.labels ?? [], trainRows: config.trainRows, path: path)
    }
}
