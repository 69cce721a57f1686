/// Hand-written JSON for the dispute's enums: a flat object with a `kind`, the form a client
/// author would design (`{"kind":"midpoint","step":45,"hash":"ab.."}`), not Swift's synthesized one.
extension DisputeMove: Codable {
    private enum CodingKeys: String, CodingKey { case kind, step, hash }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let step = try c.decode(Int.self, forKey: .step)
        switch try c.decode(String.self, forKey: .kind) {
        case "midpoint": self = .midpoint(step: step, hash: try c.decode(String.self, forKey: .hash))
        case "agree": self = .agree(step: step)
        case "disagree": self = .disagree(step: step)
        case "state": self = .state(step: step)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown move '\(other)': expected midpoint, agree, disagree or state"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(step, forKey: .step)
        if case .midpoint(_, let hash) = self { try c.encode(hash, forKey: .hash) }
    }
}

extension Dispute.Phase: Codable {
    private enum CodingKeys: String, CodingKey { case kind, range, midpointHash, deadline, ruling }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func range() throws -> Dispute.Bisection { try c.decode(Dispute.Bisection.self, forKey: .range) }
        func deadline() throws -> Timestamp { try c.decode(Timestamp.self, forKey: .deadline) }
        switch try c.decode(String.self, forKey: .kind) {
        case "awaiting-midpoint": self = .awaitingMidpoint(try range(), deadline: try deadline())
        case "awaiting-verdict":
            self = .awaitingVerdict(try range(), midpointHash: try c.decode(String.self, forKey: .midpointHash), deadline: try deadline())
        case "awaiting-state": self = .awaitingState(try range(), deadline: try deadline())
        case "awaiting-ruling": self = .awaitingRuling(try range())
        case "resolved": self = .resolved(try c.decode(Dispute.Ruling.self, forKey: .ruling))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown dispute phase '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .kind)
        switch self {
        case .awaitingMidpoint(let range, let deadline), .awaitingState(let range, let deadline):
            try c.encode(range, forKey: .range)
            try c.encode(deadline, forKey: .deadline)
        case .awaitingVerdict(let range, let midpointHash, let deadline):
            try c.encode(range, forKey: .range)
            try c.encode(midpointHash, forKey: .midpointHash)
            try c.encode(deadline, forKey: .deadline)
        case .awaitingRuling(let range):
            try c.encode(range, forKey: .range)
        case .resolved(let ruling):
            try c.encode(ruling, forKey: .ruling)
        }
    }

    /// The phase's name on the wire.
    public var name: String {
        switch self {
        case .awaitingMidpoint: "awaiting-midpoint"
        case .awaitingVerdict: "awaiting-verdict"
        case .awaitingState: "awaiting-state"
        case .awaitingRuling: "awaiting-ruling"
        case .resolved: "resolved"
        }
    }
}
