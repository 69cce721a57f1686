/// The deliverable of an `mlp-infer` job, hashed into the commitment as canonical JSON.
public struct MLPInferResult: Sendable, Equatable, Codable {
    public var runtime: String
    /// The predicted class of every input row, in order.
    public var predictions: [Int]
    /// The hash chain over every batch's logits (hex): commits to the raw outputs too.
    public var outputChain: String
    /// Present when the inputs had labels.
    public var correct: Int?
    /// `correct / rows` to four decimals, present when the inputs had labels.
    public var accuracy: String?

    public init(predictions: [Int], outputChain: String, correct: Int?) {
        runtime = "mlp-infer"
        self.predictions = predictions
        self.outputChain = outputChain
        self.correct = correct
        accuracy = correct.map { MLPTrainResult.fraction($0, of: predictions.count) }
    }
}
