/// Taking back several applied operations at once, for a market command that fails part-way.
///
/// `apply` is all-or-nothing for one operation; a market command applies several (escrow, then a
/// fee) and must be all-or-nothing as a whole. The ledger's tables log their writes while
/// recording, so rolling back costs what the command touched, not what the ledger holds.
extension Ledger {
    struct Savepoint {
        let accounts: Int
        let holds: Int
        let unbonding: Int
        let minted: Amount
        let burned: Amount
        let sequence: UInt64
        let headHash: String
        let lastTime: Timestamp?
        let request: RequestEvidence?
    }

    var savepoint: Savepoint {
        Savepoint(
            accounts: accounts.mark, holds: holds.mark, unbonding: unbonding.mark, minted: minted, burned: burned,
            sequence: sequence, headHash: headHash, lastTime: lastTime, request: request
        )
    }

    mutating func startRecording() {
        accounts.startRecording()
        holds.startRecording()
        unbonding.startRecording()
    }

    mutating func stopRecording() {
        accounts.stopRecording()
        holds.stopRecording()
        unbonding.stopRecording()
    }

    mutating func rollback(to savepoint: Savepoint) {
        accounts.undo(to: savepoint.accounts)
        holds.undo(to: savepoint.holds)
        unbonding.undo(to: savepoint.unbonding)
        minted = savepoint.minted
        burned = savepoint.burned
        sequence = savepoint.sequence
        headHash = savepoint.headHash
        lastTime = savepoint.lastTime
        request = savepoint.request
    }
}
