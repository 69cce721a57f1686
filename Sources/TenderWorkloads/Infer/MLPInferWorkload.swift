import Crypto
import Foundation
import TenderCore

/// The `mlp-infer` runtime: a trained model applied to a CSV of inputs, one batch per step.
public struct MLPInferWorkload: Workload {
    public let config: MLPInferConfig
    public let configDigest: Data
    public let model: MLPModel
    let inputs: [Float]
    public let path: Kernels.Path

    /// Decodes the model from `mlp-train` state bytes and checks the inputs fit it.
    public init(config: MLPInferConfig, path: Kernels.Path = Kernels.preferredPath) throws(WorkloadError) {
        let model = try MLPTrainState.decode(config.model).model
        var problems = [String]()
        if config.inputs.featureCount != model.inputCount {
            problems.append("inputs: \(config.inputs.featureCount) features, the model takes \(model.inputCount)")
        }
        if config.batch < 1 { problems.append("batch: must be at least 1, got \(config.batch)") }
        if config.checkpointInterval < 1 { problems.append("checkpointInterval: must be at least 1, got \(config.checkpointInterval)") }
        if !(config.inputScale > 0) || !config.inputScale.isFinite { problems.append("inputScale: must be a positive number") }
        guard problems.isEmpty else { throw .invalidConfig(problems) }
        self.config = config
        self.configDigest = config.digest
        self.model = model
        self.inputs = config.inputs.scaledFeatures(by: config.inputScale)
        self.path = path
    }

    public var runtime: String { "mlp-infer" }
    public var totalSteps: Int { (config.inputs.rowCount + config.batch - 1) / config.batch }
    public var checkpointInterval: Int { config.checkpointInterval }

    public func initialState() -> MLPInferState {
        MLPInferState(configDigest: configDigest)
    }

    public func advance(_ state: inout MLPInferState, steps count: Int) throws(WorkloadError) -> Float? {
        guard count >= 1, state.step + count <= totalSteps else {
            throw .stepsOutOfRange(start: state.step, count: count, totalSteps: totalSteps)
        }
        for _ in 0..<count { inferBatch(&state) }
        return nil
    }

    /// Runs batch `state.step` and folds its outputs into the chain.
    func inferBatch(_ state: inout MLPInferState) {
        let width = model.inputCount
        let start = state.step * config.batch
        let end = min(start + config.batch, config.inputs.rowCount)
        let logits = model.logits(input: Array(inputs[start * width..<end * width]), rows: end - start, path: path)
        let predictions = Kernels.argmax(logits: logits, classes: model.outputCount).map { Int32($0) }
        var batchBytes = ByteWriter(capacity: 8 + logits.count * 4 + predictions.count * 4)
        batchBytes.append(UInt64(state.step))
        batchBytes.append(logits)
        batchBytes.append(predictions)
        var hasher = SHA256()
        hasher.update(data: Data("tender.mlp-infer.batch".utf8))
        hasher.update(data: state.chain)
        hasher.update(data: batchBytes.data)
        state.chain = Data(hasher.finalize())
        if let labels = config.inputs.labels {
            for (offset, prediction) in predictions.enumerated() where Int(prediction) == labels[start + offset] {
                state.correct += 1
            }
        }
        state.predictions.append(contentsOf: predictions)
        state.step += 1
    }

    public func encode(_ state: MLPInferState) -> Data {
        state.encoded()
    }

    public func decode(_ bytes: Data) throws(WorkloadError) -> MLPInferState {
        let state = try MLPInferState.decode(bytes)
        guard state.configDigest == configDigest else {
            throw .stateMismatch("state belongs to config \(Hex.encode(state.configDigest)), not \(Hex.encode(configDigest))")
        }
        guard state.step <= totalSteps, state.predictions.count == min(state.step * config.batch, config.inputs.rowCount) else {
            throw .badState("step \(state.step) does not match \(state.predictions.count) predictions")
        }
        return state
    }

    public func stepCount(of state: MLPInferState) -> Int? {
        state.step
    }

    /// Canonical JSON of `MLPInferResult`.
    public func result(of finalState: MLPInferState) throws(WorkloadError) -> Data {
        let result = MLPInferResult(
            predictions: finalState.predictions.map { Int($0) }, outputChain: Hex.encode(finalState.chain),
            correct: config.inputs.labels == nil ? nil : finalState.correct
        )
        do {
            return try CanonicalJSON.encode(result)
        } catch {
            throw .io("cannot encode the result: \(error)")
        }
    }
}
