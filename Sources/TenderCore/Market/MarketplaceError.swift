/// Why the marketplace refused a command. The controller maps each case to one HTTP status.
public enum MarketplaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such order, lease or account (404).
    case notFound(String)
    /// A nonce not greater than the account's last accepted one (409).
    case staleNonce(account: AccountID, nonce: UInt64, last: UInt64)
    /// The market's rules refused the event (422 for declined bids, 403 for someone else's object, 409 for wrong state).
    case market(MarketError)
    /// The ledger refused the money movement, e.g. insufficient funds (409).
    case ledger(LedgerError)
    /// The request is well-formed but not acceptable (422).
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .staleNonce(_, let nonce, let last): "nonce \(nonce) is not greater than the last accepted nonce \(last)"
        case .market(let error): error.description
        case .ledger(let error): error.description
        case .invalid(let why): why
        }
    }
}
