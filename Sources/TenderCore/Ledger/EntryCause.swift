/// What a journal entry follows from in the market: the order, lease or dispute whose event moved
/// the money. Entries the controller makes on its own (clearing, settlement, slashing, penalties,
/// bonds returned or forfeited) always name one.
public enum EntryCause: Sendable, Hashable, Codable, CustomStringConvertible {
    case order(OrderID)
    case lease(LeaseID)
    case dispute(DisputeID)

    private enum CodingKeys: String, CodingKey {
        case order, lease, dispute
    }

    /// `{"lease": 7}`: one key, the kind, with the id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try container.decodeIfPresent(OrderID.self, forKey: .order) {
            self = .order(id)
        } else if let id = try container.decodeIfPresent(LeaseID.self, forKey: .lease) {
            self = .lease(id)
        } else if let id = try container.decodeIfPresent(DisputeID.self, forKey: .dispute) {
            self = .dispute(id)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a cause names an order, a lease or a dispute"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .order(let id): try container.encode(id, forKey: .order)
        case .lease(let id): try container.encode(id, forKey: .lease)
        case .dispute(let id): try container.encode(id, forKey: .dispute)
        }
    }

    public var description: String {
        switch self {
        case .order(let id): "order \(id)"
        case .lease(let id): "lease \(id)"
        case .dispute(let id): "dispute \(id)"
        }
    }
}
