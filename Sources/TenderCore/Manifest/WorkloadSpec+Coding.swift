/// A workload as JSON reads the way its YAML does: the runtime beside its parameters,
/// `{"runtime": "mlp-train", "dataset": "sha256:…", "steps": 2700, …}`.
///
/// Stores written before this shape (`{"mlpTrain": {"_0": {…}}}`, what Swift synthesizes for an
/// enum with a payload) still decode.
extension WorkloadSpec: Codable {
    private enum Keys: String, CodingKey {
        case runtime
        // The synthesized shape's case names and payload key.
        case mlpTrain, mlpInfer, exec, payload = "_0"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let runtime = try container.decodeIfPresent(Runtime.self, forKey: .runtime) {
            switch runtime {
            case .mlpTrain: self = .mlpTrain(try MLPTrainSpec(from: decoder))
            case .mlpInfer: self = .mlpInfer(try MLPInferSpec(from: decoder))
            case .exec: self = .exec(try ExecSpec(from: decoder))
            }
            return
        }
        if let legacy = try? container.nestedContainer(keyedBy: Keys.self, forKey: .mlpTrain) {
            self = .mlpTrain(try legacy.decode(MLPTrainSpec.self, forKey: .payload))
        } else if let legacy = try? container.nestedContainer(keyedBy: Keys.self, forKey: .mlpInfer) {
            self = .mlpInfer(try legacy.decode(MLPInferSpec.self, forKey: .payload))
        } else if let legacy = try? container.nestedContainer(keyedBy: Keys.self, forKey: .exec) {
            self = .exec(try legacy.decode(ExecSpec.self, forKey: .payload))
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .runtime, in: container, debugDescription: "a workload names its runtime: mlp-train, mlp-infer or exec"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mlpTrain(let spec): try spec.encode(to: encoder)
        case .mlpInfer(let spec): try spec.encode(to: encoder)
        case .exec(let spec): try spec.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(runtime, forKey: .runtime)
    }
}
