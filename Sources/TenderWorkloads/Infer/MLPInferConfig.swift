import Foundation
import TenderCore

/// Everything that determines an `mlp-infer` job: a trained model and the inputs to label.
public struct MLPInferConfig: Sendable, Equatable {
    /// The canonical bytes of an `mlp-train` state (normally a job's final state); only the
    /// weights and biases are used.
    public var model: Data
    /// Inputs with `model`'s input width; labels, when present, give an accuracy.
    public var inputs: Dataset
    /// Rows per step; the last step takes what is left.
    public var batch: Int
    public var checkpointInterval: Int
    /// Inputs are divided by this first, as in training.
    public var inputScale: Float

    public init(model: Data, inputs: Dataset, batch: Int, checkpointInterval: Int, inputScale: Float = 1) {
        self.model = model
        self.inputs = inputs
        self.batch = batch
        self.checkpointInterval = checkpointInterval
        self.inputScale = inputScale
    }

    /// SHA-256 over the model's hash, the inputs' digest and the parameters.
    public var digest: Data {
        var writer = ByteWriter()
        writer.append(Data("tender.mlp-infer.config.v1".utf8))
        writer.append(Hashing.sha256(model))
        writer.append(inputs.digest)
        writer.append(UInt64(truncatingIfNeeded: batch))
        writer.append(UInt64(truncatingIfNeeded: checkpointInterval))
        writer.append(inputScale)
        return Hashing.sha256(writer.data)
    }
}
