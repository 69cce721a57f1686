/// One thing the ledger can be asked to do; the journal records it next to its postings.
///
/// Each case is a whole business step (lock an order's escrow, slash a lease's collateral), not a
/// raw debit and credit: the ledger derives the postings itself, so a caller cannot write an
/// unbalanced entry, and `replay` can re-derive the postings to check a stored journal.
public enum LedgerOperation: Sendable, Hashable {
    // MARK: - Supply and transfers

    /// Creates money in `to`'s available balance (genesis allocation, dev faucet).
    case mint(to: AccountID, amount: Amount)
    /// Moves available money between accounts.
    case transfer(from: AccountID, to: AccountID, amount: Amount)
    /// A protocol fee from `from`'s available: `burnBasisPoints` of it (rounded down) is burned and
    /// the rest goes to `treasury`'s available.
    case fee(from: AccountID, amount: Amount, burnBasisPoints: Int64, treasury: AccountID)

    // MARK: - Stake

    /// Available to free stake.
    case stake(account: AccountID, amount: Amount)
    /// Free stake to unbonding, withdrawable from `releaseAt`.
    case unbond(account: AccountID, amount: Amount, releaseAt: Timestamp)
    /// Every matured unbonding entry of `account` back to available.
    case withdraw(account: AccountID)

    // MARK: - Escrow

    /// Available to escrowed, under a new hold.
    case lockEscrow(hold: HoldID, owner: AccountID, amount: Amount)
    /// Part or all of an escrow hold to `payee`'s available. Paying the owner is a partial refund.
    case releaseEscrow(hold: HoldID, to: AccountID, amount: Amount)
    /// What is left of an escrow hold back to its owner; closes the hold.
    case refundEscrow(hold: HoldID)

    // MARK: - Collateral

    /// Free stake to locked collateral, under a new hold.
    case lockCollateral(hold: HoldID, provider: AccountID, amount: Amount)
    /// Locked collateral back to the provider's free stake; closes the hold.
    case unlockCollateral(hold: HoldID)
    /// A missed deadline: `amount` of the locked collateral to `beneficiary`'s available (the
    /// submitter whose job was delayed); the rest stays locked until `unlockCollateral`.
    case penalizeCollateral(hold: HoldID, amount: Amount, to: AccountID)
    /// A missed deadline: `amount` of the locked collateral burned; the rest stays locked until
    /// `unlockCollateral`. Burned rather than paid to anyone who could have caused the failure.
    case burnCollateral(hold: HoldID, amount: Amount)
    /// Proven fraud: 40% to `challenger` (or the audit pool the caller names), 10% to `submitter`,
    /// the rest (50% plus rounding) burned; closes the hold.
    case slashCollateral(hold: HoldID, challenger: AccountID, submitter: AccountID)

    // MARK: - Dispute bonds

    /// Available to bonded, under a new hold.
    case postBond(hold: HoldID, account: AccountID, amount: Amount)
    /// A won or withdrawn dispute: the bond back to its owner's available; closes the hold.
    case returnBond(hold: HoldID)
    /// A lost dispute: half to `provider`'s available (rounded down), the rest burned; closes the hold.
    case forfeitBond(hold: HoldID, to: AccountID)

    /// The operation's name as written in the journal (`"lockEscrow"`), also used in errors.
    public var name: String {
        switch self {
        case .mint: "mint"
        case .transfer: "transfer"
        case .fee: "fee"
        case .stake: "stake"
        case .unbond: "unbond"
        case .withdraw: "withdraw"
        case .lockEscrow: "lockEscrow"
        case .releaseEscrow: "releaseEscrow"
        case .refundEscrow: "refundEscrow"
        case .lockCollateral: "lockCollateral"
        case .unlockCollateral: "unlockCollateral"
        case .penalizeCollateral: "penalizeCollateral"
        case .burnCollateral: "burnCollateral"
        case .slashCollateral: "slashCollateral"
        case .postBond: "postBond"
        case .returnBond: "returnBond"
        case .forfeitBond: "forfeitBond"
        }
    }
}
