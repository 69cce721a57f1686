/// The deliverable of an `mlp-train` job, hashed into the commitment as canonical JSON.
///
/// The trained weights are the final state itself (its hash is here, its bytes are served as the
/// model artifact that `mlp-infer` reads). Only integers and strings appear, so the JSON is the
/// same everywhere; accuracy is a fixed four-decimal string derived from the integer counts.
public struct MLPTrainResult: Sendable, Equatable, Codable {
    public var runtime: String
    public var steps: Int
    /// SHA-256 of the final state's canonical bytes (the model artifact).
    public var modelStateHash: String
    public var heldOutCorrect: Int
    public var heldOutCount: Int
    /// `heldOutCorrect / heldOutCount`, rounded half-up to four decimals, e.g. `"0.9194"`.
    public var heldOutAccuracy: String
    /// The mean training-set loss, as Swift prints the float (shortest round-trip form).
    public var trainLoss: String

    public init(steps: Int, modelStateHash: String, evaluation: MLPEvaluation) {
        runtime = "mlp-train"
        self.steps = steps
        self.modelStateHash = modelStateHash
        heldOutCorrect = evaluation.heldOutCorrect
        heldOutCount = evaluation.heldOutCount
        heldOutAccuracy = Self.fraction(evaluation.heldOutCorrect, of: evaluation.heldOutCount)
        trainLoss = "\(evaluation.trainLoss)"
    }

    /// `numerator / denominator` as a decimal with four places, by integer arithmetic only.
    static func fraction(_ numerator: Int, of denominator: Int) -> String {
        guard denominator > 0 else { return "0.0000" }
        let scaled = (numerator * 20_000 + denominator) / (2 * denominator)
        let whole = scaled / 10_000, part = scaled % 10_000
        let digits = String(part)
        return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
