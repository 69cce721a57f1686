/// Why the marketplace refused a command. The controller maps each case to one HTTP status.
public enum MarketplaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such order, lease or account (404).
    case notFound(String)
    /// A nonce not greater than the account's last accepted one (409).
    case staleNonce(account: AccountID, nonce: UInt64, last: UInt64)
    /// A nonce more than a day ahead of the controller's clock in milliseconds (422): accepting it
    /// would leave the account few or no greater nonces, `UInt64.max` none at all.
    case futureNonce(nonce: UInt64, limit: UInt64)
    /// A signed request from an account the market has never seen, on a route that needs one it
    /// knows (401): an unknown account cannot make the controller read a body.
    case unknownAccount(AccountID)
    /// The account holds no credits, available or staked, and the request needs some (403).
    case unfunded(String)
    /// The upload would take the account past its artifact quota (413).
    case quotaExceeded(String)
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
        case .futureNonce(let nonce, let limit):
            "nonce \(nonce) is more than a day ahead of the controller's clock; nonces are milliseconds since the epoch, "
                + "and the largest accepted now is \(limit)"
        case .unknownAccount(let account):
            "account \(account.short)… is not known here: fund it first (a transfer from another account, or the faucet "
                + "of a dev controller)"
        case .unfunded(let why): why
        case .quotaExceeded(let why): why
        case .market(let error): error.description
        case .ledger(let error): error.description
        case .invalid(let why): why
        }
    }
}
