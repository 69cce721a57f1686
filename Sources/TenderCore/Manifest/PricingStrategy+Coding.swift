/// A pricing strategy as JSON reads the way the profile's YAML does: the strategy beside its
/// terms, `{"strategy": "linear", "perCPUHour": 20000, …}` or
/// `{"strategy": "script", "command": "…", "timeoutSeconds": 2}`.
///
/// Stores written before this shape (`{"linear": {"_0": {…}}}`) still decode.
extension PricingStrategy: Codable {
    private enum Keys: String, CodingKey {
        case strategy, command, timeoutSeconds
        // The synthesized shape's case names and payload key.
        case linear, script, payload = "_0"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let strategy = try container.decodeIfPresent(String.self, forKey: .strategy) {
            switch strategy {
            case "linear":
                self = .linear(try LinearRates(from: decoder))
            case "script":
                self = .script(
                    command: try container.decode(String.self, forKey: .command),
                    timeoutSeconds: try container.decode(Int64.self, forKey: .timeoutSeconds)
                )
            default:
                throw DecodingError.dataCorruptedError(forKey: .strategy, in: container, debugDescription: "strategy is linear or script")
            }
        } else if let legacy = try? container.nestedContainer(keyedBy: Keys.self, forKey: .linear) {
            self = .linear(try legacy.decode(LinearRates.self, forKey: .payload))
        } else if let legacy = try? container.nestedContainer(keyedBy: Keys.self, forKey: .script) {
            self = .script(
                command: try legacy.decode(String.self, forKey: .command),
                timeoutSeconds: try legacy.decode(Int64.self, forKey: .timeoutSeconds)
            )
        } else {
            throw DecodingError.dataCorruptedError(forKey: .strategy, in: container, debugDescription: "pricing names its strategy: linear or script")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .linear(let rates):
            try rates.encode(to: encoder)
            try container.encode("linear", forKey: .strategy)
        case .script(let command, let timeoutSeconds):
            try container.encode("script", forKey: .strategy)
            try container.encode(command, forKey: .command)
            try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
        }
    }
}
