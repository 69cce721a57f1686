import Foundation
import TenderCore

/// Builds the workload a manifest names, the same way for the CLI, the agent and every verifier.
///
/// Inputs are found through `resolve`, which turns an artifact reference into a local file: a path
/// relative to the manifest before submission, a file in an artifact store after it. Numeric
/// tables are read by `table` (`NumericCSV.load`, unless the caller keeps parsed ones). An `exec`
/// program runs under `exec`, the isolation this machine offers other people's code.
public enum WorkloadFactory {
    public static func make(
        _ spec: WorkloadSpec, exec isolation: ExecIsolation, resolve: (ArtifactReference) throws -> URL,
        table: (URL) throws -> Dataset = { url in try NumericCSV.load(contentsOf: url) }
    ) throws -> any Workload {
        switch spec {
        case .mlpTrain(let train):
            let dataset = try table(try resolve(train.dataset))
            guard let activation = MLPActivation(rawValue: train.activation.rawValue) else {
                throw WorkloadError.invalidConfig(["activation: unknown '\(train.activation.rawValue)'"])
            }
            let config = MLPTrainConfig(
                dataset: dataset, trainRows: train.trainRows, layers: train.layers, activation: activation,
                steps: train.steps, batch: train.batch, learningRate: train.learningRate, momentum: train.momentum,
                seed: train.seed, checkpointInterval: train.checkpointInterval, inputScale: train.inputScale
            )
            return try MLPTrainWorkload(config: config)
        case .mlpInfer(let infer):
            let model = try Data(contentsOf: try resolve(infer.model))
            let inputs = try table(try resolve(infer.inputs))
            let config = MLPInferConfig(model: model, inputs: inputs, batch: infer.batch,
                                        checkpointInterval: infer.checkpointInterval, inputScale: infer.inputScale)
            return try MLPInferWorkload(config: config)
        case .exec(let exec):
            if case .refused(let reason) = isolation { throw WorkloadError.execRefused(reason) }
            return try ExecWorkload(
                programAt: try resolve(exec.program), sha256: exec.programSHA256, steps: exec.steps,
                checkpointInterval: exec.checkpointInterval, stepTimeout: .seconds(exec.stepTimeoutSeconds),
                isolation: isolation
            )
        }
    }
}
