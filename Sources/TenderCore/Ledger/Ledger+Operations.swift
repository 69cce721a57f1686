/// How each operation turns into postings. Reads the ledger, writes nothing: `prepare` checks the
/// result against the balances and `commit` writes it.
extension Ledger {
    // MARK: - Split rules (DESIGN.md section 8)

    /// A slashed collateral's share for the winning challenger (or audit pool): 40%.
    public static let slashChallengerBasisPoints: Int64 = 4_000
    /// A slashed collateral's share for the defrauded submitter: 10%. The rest, 50% plus any
    /// rounding, is burned so a provider gains nothing by challenging itself.
    public static let slashSubmitterBasisPoints: Int64 = 1_000
    /// A forfeited bond's share for the provider: 50%, rounded down. The rest is burned.
    public static let forfeitProviderBasisPoints: Int64 = 5_000

    /// The longest hold id accepted, in UTF-8 bytes.
    public static let maxHoldIDLength = 200

    func plan(_ operation: LedgerOperation, at now: Timestamp) throws(LedgerError) -> LedgerEffect {
        var effect = LedgerEffect()
        switch operation {
        case .mint(let to, let amount):
            try requirePositive(amount, operation)
            effect.credit(to, .available, amount)
            effect.mint(amount)

        case .transfer(let from, let to, let amount):
            try requirePositive(amount, operation)
            effect.debit(from, .available, amount)
            effect.credit(to, .available, amount)

        case .fee(let from, let amount, let burnBasisPoints, let treasury):
            try requirePositive(amount, operation)
            guard (0...10_000).contains(burnBasisPoints) else { throw .invalidBasisPoints(burnBasisPoints) }
            let burnt = try share(of: amount, basisPoints: burnBasisPoints)
            effect.debit(from, .available, amount)
            effect.credit(treasury, .available, try remainder(of: amount, minus: burnt))
            effect.burn(burnt)

        case .stake(let account, let amount):
            try requirePositive(amount, operation)
            effect.move(account, from: .available, to: .staked, amount)

        case .unbond(let account, let amount, let releaseAt):
            try requirePositive(amount, operation)
            effect.move(account, from: .staked, to: .unbonding, amount)
            let entry = UnbondingEntry(amount: amount, releaseAt: releaseAt)
            effect.unbonding = (account, unbondingEntries(of: account) + [entry])

        case .withdraw(let account):
            let entries = unbondingEntries(of: account)
            let matured = entries.filter { $0.isMatured(at: now) }
            guard !matured.isEmpty else {
                throw .nothingMatured(account: account, nextReleaseAt: entries.map(\.releaseAt).min())
            }
            var total = Amount.zero
            for entry in matured { total = try sum(total, entry.amount) }
            effect.move(account, from: .unbonding, to: .available, total)
            effect.unbonding = (account, entries.filter { !$0.isMatured(at: now) })

        case .lockEscrow(let id, let owner, let amount):
            try open(id, .escrow, owner: owner, amount: amount, from: .available, at: now, operation, into: &effect)

        case .releaseEscrow(let id, let payee, let amount):
            try requirePositive(amount, operation)
            var hold = try openHold(id, .escrow)
            guard amount <= hold.remaining else {
                throw .overRelease(id, requested: amount, remaining: hold.remaining)
            }
            effect.debit(hold.owner, .escrowed, amount)
            effect.credit(payee, .available, amount)
            hold.remaining = try remainder(of: hold.remaining, minus: amount)
            effect.hold = (id, hold)

        case .refundEscrow(let id):
            try close(id, .escrow, backTo: .available, into: &effect)

        case .lockCollateral(let id, let provider, let amount):
            try open(id, .collateral, owner: provider, amount: amount, from: .staked, at: now, operation, into: &effect)

        case .unlockCollateral(let id):
            try close(id, .collateral, backTo: .staked, into: &effect)

        case .penalizeCollateral(let id, let amount, let beneficiary):
            try requirePositive(amount, operation)
            var hold = try openHold(id, .collateral)
            guard amount <= hold.remaining else {
                throw .overRelease(id, requested: amount, remaining: hold.remaining)
            }
            effect.debit(hold.owner, .lockedCollateral, amount)
            effect.credit(beneficiary, .available, amount)
            hold.remaining = try remainder(of: hold.remaining, minus: amount)
            effect.hold = (id, hold)

        case .burnCollateral(let id, let amount):
            try requirePositive(amount, operation)
            var hold = try openHold(id, .collateral)
            guard amount <= hold.remaining else {
                throw .overRelease(id, requested: amount, remaining: hold.remaining)
            }
            effect.debit(hold.owner, .lockedCollateral, amount)
            effect.burn(amount)
            hold.remaining = try remainder(of: hold.remaining, minus: amount)
            effect.hold = (id, hold)

        case .slashCollateral(let id, let challenger, let submitter):
            var hold = try openHold(id, .collateral)
            let amount = hold.remaining
            let toChallenger = try share(of: amount, basisPoints: Self.slashChallengerBasisPoints)
            let toSubmitter = try share(of: amount, basisPoints: Self.slashSubmitterBasisPoints)
            let paidOut = try sum(toChallenger, toSubmitter)
            effect.debit(hold.owner, .lockedCollateral, amount)
            effect.credit(challenger, .available, toChallenger)
            effect.credit(submitter, .available, toSubmitter)
            effect.burn(try remainder(of: amount, minus: paidOut))
            hold.remaining = .zero
            effect.hold = (id, hold)

        case .postBond(let id, let account, let amount):
            try open(id, .bond, owner: account, amount: amount, from: .available, at: now, operation, into: &effect)

        case .returnBond(let id):
            try close(id, .bond, backTo: .available, into: &effect)

        case .forfeitBond(let id, let provider):
            var hold = try openHold(id, .bond)
            let amount = hold.remaining
            let toProvider = try share(of: amount, basisPoints: Self.forfeitProviderBasisPoints)
            effect.debit(hold.owner, .bonded, amount)
            effect.credit(provider, .available, toProvider)
            effect.burn(try remainder(of: amount, minus: toProvider))
            hold.remaining = .zero
            effect.hold = (id, hold)
        }
        return effect
    }

    // MARK: - Holds

    /// Opens a new hold of `kind`, moving `amount` from the owner's `source` bucket into the kind's bucket.
    private func open(
        _ id: HoldID, _ kind: LedgerHold.Kind, owner: AccountID, amount: Amount, from source: Bucket,
        at now: Timestamp, _ operation: LedgerOperation, into effect: inout LedgerEffect
    ) throws(LedgerError) {
        try requirePositive(amount, operation)
        try requireNewHold(id)
        effect.move(owner, from: source, to: kind.bucket, amount)
        effect.hold = (id, LedgerHold(kind: kind, owner: owner, locked: amount, remaining: amount, openedAt: now))
    }

    /// Closes an open hold, moving what remains back to the owner's `target` bucket.
    private func close(
        _ id: HoldID, _ kind: LedgerHold.Kind, backTo target: Bucket, into effect: inout LedgerEffect
    ) throws(LedgerError) {
        var hold = try openHold(id, kind)
        effect.move(hold.owner, from: kind.bucket, to: target, hold.remaining)
        hold.remaining = .zero
        effect.hold = (id, hold)
    }

    /// The hold with this id, if it exists, is of `kind`, and still holds something.
    private func openHold(_ id: HoldID, _ kind: LedgerHold.Kind) throws(LedgerError) -> LedgerHold {
        guard let hold = holds[id] else { throw .unknownHold(id) }
        guard hold.kind == kind else { throw .wrongHoldKind(id, expected: kind, actual: hold.kind) }
        guard hold.isOpen else { throw .holdClosed(id) }
        return hold
    }

    /// A usable id (non-empty, printable, no spaces, bounded) that has never named a hold.
    private func requireNewHold(_ id: HoldID) throws(LedgerError) {
        let text = id.rawValue
        let printable = text.unicodeScalars.allSatisfy { scalar in
            !scalar.properties.isWhitespace && scalar.value >= 0x20 && scalar.value != 0x7f
        }
        guard !text.isEmpty, text.utf8.count <= Self.maxHoldIDLength, printable else { throw .invalidHoldID(id) }
        guard holds[id] == nil else { throw .duplicateHold(id) }
    }

    // MARK: - Amount arithmetic, with amount errors as ledger errors

    private func requirePositive(_ amount: Amount, _ operation: LedgerOperation) throws(LedgerError) {
        guard !amount.isZero else { throw .zeroAmount(operation: operation.name) }
    }

    private func share(of amount: Amount, basisPoints: Int64) throws(LedgerError) -> Amount {
        do { return try amount.basisPoints(basisPoints) } catch { throw .overflow }
    }

    private func sum(_ lhs: Amount, _ rhs: Amount) throws(LedgerError) -> Amount {
        do { return try lhs.adding(rhs) } catch { throw .overflow }
    }

    /// `amount - part` where the caller knows `part <= amount`.
    private func remainder(of amount: Amount, minus part: Amount) throws(LedgerError) -> Amount {
        do { return try amount.subtracting(part) } catch { throw .overflow }
    }
}
