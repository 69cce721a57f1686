/// The hidden-layer nonlinearity of an MLP. Raw values match the manifest's `activation` field.
public enum MLPActivation: String, Sendable, Codable, CaseIterable {
    case relu
    case tanh

    /// The byte that records the activation in a state encoding.
    var code: UInt8 {
        switch self {
        case .relu: 1
        case .tanh: 2
        }
    }

    init?(code: UInt8) {
        switch code {
        case 1: self = .relu
        case 2: self = .tanh
        default: return nil
        }
    }
}
