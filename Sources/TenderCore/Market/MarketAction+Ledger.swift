extension MarketAction {
    /// The ledger operations that carry out this action, in order; empty for actions that move no money.
    ///
    /// Zero amounts produce no operation (the ledger refuses them), so a job with no collateral or a
    /// zero fee settles without touching holds that were never opened.
    public var ledgerOperations: [LedgerOperation] {
        switch self {
        case .lockEscrow(let order, let owner, let amount):
            return amount.isZero ? [] : [.lockEscrow(hold: order.hold, owner: owner, amount: amount)]
        case .refundEscrow(let order, let owner, let amount):
            return amount.isZero ? [] : [.releaseEscrow(hold: order.hold, to: owner, amount: amount)]
        case .lockCollateral(let lease, let provider, let amount):
            return amount.isZero ? [] : [.lockCollateral(hold: lease.hold, provider: provider, amount: amount)]
        case .settle(let lease, let order, let provider, let payment, let collateral, let fee):
            var operations: [LedgerOperation] = []
            if !payment.isZero { operations.append(.releaseEscrow(hold: order.hold, to: provider, amount: payment)) }
            if !fee.amount.isZero {
                operations.append(.fee(from: provider, amount: fee.amount, burnBasisPoints: fee.burnBasisPoints, treasury: fee.treasury))
            }
            if !collateral.isZero { operations.append(.unlockCollateral(hold: lease.hold)) }
            return operations
        case .penalize(let lease, _, let collateral, let penalty):
            var operations: [LedgerOperation] = []
            if !penalty.isZero { operations.append(.burnCollateral(hold: lease.hold, amount: penalty)) }
            if penalty < collateral { operations.append(.unlockCollateral(hold: lease.hold)) }
            return operations
        case .slash(let lease, _, let collateral, let challenger, let submitter):
            return collateral.isZero ? [] : [.slashCollateral(hold: lease.hold, challenger: challenger, submitter: submitter)]
        case .postBond(let dispute, let challenger, let amount):
            return amount.isZero ? [] : [.postBond(hold: dispute.hold, account: challenger, amount: amount)]
        case .returnBond(let dispute, _):
            return [.returnBond(hold: dispute.hold)]
        case .forfeitBond(let dispute, _, let provider):
            return [.forfeitBond(hold: dispute.hold, to: provider)]
        case .scheduleAuctionClose, .awardLease, .scheduleLeaseCheck, .scheduleSettlement, .scheduleBeaconReveal,
             .scheduleDisputeCheck, .reputation, .jail:
            return []
        }
    }
}
