import TenderCore

/// Why a controller's ledger contradicts what this client pinned for it.
public enum PinProblem: Sendable, Equatable, CustomStringConvertible {
    /// The head is signed by a key other than the pinned one.
    case keyChanged(pinned: AccountID, observed: AccountID)
    /// The signed head is behind a head verified before: entries this client saw are gone.
    case rollback(remembered: ControllerPin.Head, observed: ControllerPin.Head)
    /// The entry at the remembered head's sequence now has another hash: the history was rewritten.
    case fork(remembered: ControllerPin.Head, found: String)

    public var description: String {
        switch self {
        case .keyChanged(let pinned, let observed):
            "the controller's key changed: the pinned key is \(pinned), but the ledger head is signed by \(observed)"
        case .rollback(let remembered, let observed):
            "the ledger was rolled back: \(remembered) was verified here before, "
                + "but the controller now signs a head at entry \(observed.sequence)"
        case .fork(let remembered, let found):
            "the ledger forked: entry \(remembered.sequence) was verified here with hash \(remembered.hash), "
                + "but the controller's journal now gives it hash \(found)"
        }
    }
}
