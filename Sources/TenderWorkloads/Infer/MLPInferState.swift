import Foundation

/// The state of an `mlp-infer` job: how many batches are done, a hash chain over every batch's
/// outputs, and the predictions so far.
///
/// The chain makes each checkpoint commit to all outputs before it (not just the predictions), so
/// an auditor re-running a segment checks the logits bit for bit. Predictions are kept so the
/// final state alone yields the result.
public struct MLPInferState: Sendable, Equatable {
    public let configDigest: Data
    /// Batches already processed.
    public internal(set) var step: Int
    /// `SHA-256("tender.mlp-infer.batch" || previous chain || step || logits || predictions)`,
    /// 32 zero bytes before the first batch.
    public internal(set) var chain: Data
    /// The predicted class of every row processed so far, in row order.
    public internal(set) var predictions: [Int32]
    /// Rows whose label matched the prediction (0 for unlabelled inputs).
    public internal(set) var correct: Int

    static let magic = Data("TNDRMLPI".utf8)
    static let version: UInt16 = 1

    init(configDigest: Data) {
        self.configDigest = configDigest
        step = 0
        chain = Data(count: 32)
        predictions = []
        correct = 0
    }

    /// `"TNDRMLPI"`, version (UInt16), config digest, step (UInt64), chain (32 bytes), correct
    /// (UInt64), prediction count (UInt64), predictions (Int32 each); little-endian.
    public func encoded() -> Data {
        var writer = ByteWriter(capacity: 100 + predictions.count * 4)
        writer.append(Self.magic)
        writer.append(Self.version)
        writer.append(configDigest)
        writer.append(UInt64(step))
        writer.append(chain)
        writer.append(UInt64(correct))
        writer.append(UInt64(predictions.count))
        writer.append(predictions)
        return writer.data
    }

    public static func decode(_ data: Data) throws(WorkloadError) -> MLPInferState {
        var reader = ByteReader(data)
        guard try reader.data(magic.count, "magic") == magic else { throw .badState("not an mlp-infer state (bad magic)") }
        let version = try reader.uint16("version")
        guard version == Self.version else { throw .badState("unsupported mlp-infer state version \(version)") }
        var state = MLPInferState(configDigest: try reader.data(32, "config digest"))
        let step = try reader.uint64("step")
        state.chain = try reader.data(32, "chain")
        let correct = try reader.uint64("correct")
        let count = try reader.uint64("prediction count")
        guard step <= UInt64(Int32.max), count <= UInt64(Int32.max), correct <= count else {
            throw .badState("step, prediction count or correct count out of range")
        }
        state.step = Int(step)
        state.correct = Int(correct)
        state.predictions = try reader.int32s(Int(count), "predictions")
        try reader.expectEnd()
        return state
    }
}
