/// Why the market refused an event. Each maps to one HTTP status in the controller.
public enum MarketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bid is not eligible; every reason is listed.
    case bidDeclined([DeclineReason])
    /// The actor may not act on this object (HTTP 403).
    case notYours(String)
    /// The object is not in a state that allows this (HTTP 409).
    case wrongState(String)
    /// Arithmetic on amounts failed (an amount would overflow).
    case amount(AmountError)
    /// A dispute move that cannot be right whatever the game's state: a wrong step, the wrong kind
    /// of move for the phase, a malformed hash (HTTP 422).
    case invalidMove(String)

    public var description: String {
        switch self {
        case .bidDeclined(let reasons): "bid declined: " + reasons.map(\.description).joined(separator: "; ")
        case .notYours(let what): what
        case .wrongState(let what): what
        case .amount(let error): error.description
        case .invalidMove(let why): why
        }
    }
}
