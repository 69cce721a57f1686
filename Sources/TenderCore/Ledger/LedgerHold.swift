/// What the ledger knows about one hold: whose money it is, what kind of lock, and how much is left.
///
/// The owner's escrowed, locked-collateral or bonded bucket is the sum of the `remaining` of their
/// open holds of that kind. Releasing more than `remaining`, or anything from a closed hold, is
/// refused, which is what makes a double release impossible.
public struct LedgerHold: Sendable, Hashable, Codable {
    /// The kind of lock, which decides the bucket it draws on and the operations that may close it.
    public enum Kind: String, Sendable, Hashable, Codable, CustomStringConvertible {
        /// A submitter's payment for an order, in `escrowed`.
        case escrow
        /// A provider's stake behind a lease, in `lockedCollateral`.
        case collateral
        /// A challenger's dispute bond, in `bonded`.
        case bond

        /// The owner's bucket that holds this kind of lock.
        public var bucket: Bucket {
            switch self {
            case .escrow: .escrowed
            case .collateral: .lockedCollateral
            case .bond: .bonded
            }
        }

        public var description: String { rawValue }
    }

    public let kind: Kind
    /// The account whose money is locked.
    public let owner: AccountID
    /// The amount first locked.
    public let locked: Amount
    /// What is still locked. Zero once the hold is closed.
    public internal(set) var remaining: Amount
    /// When the hold was opened.
    public let openedAt: Timestamp

    /// Open while anything is left; a closed hold cannot be touched again.
    public var isOpen: Bool { !remaining.isZero }
}
