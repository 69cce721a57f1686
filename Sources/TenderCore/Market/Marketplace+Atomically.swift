/// All-or-nothing changes without copying the market.
extension Marketplace {
    /// Where to roll back to: each table's undo mark and the values small enough to keep whole.
    struct Savepoint {
        let ledger: Ledger.Savepoint
        let accounts: Int
        let orders: Int
        let leases: Int
        let disputes: Int
        let artifacts: Int
        let openOrders: Int
        let ordersBySubmitter: Int
        let leasesByOrder: Int
        let leasesByProvider: Int
        let disputesByLease: Int
        let providerIDs: Int
        let artifactsByOrder: Int
        let counters: Counters
    }

    /// Runs `body` on this market in place; if it throws, everything it changed is taken back
    /// before the error is rethrown, so the market is exactly as it was.
    ///
    /// Calls nest: an inner failure takes back only the inner call's writes, and the writes of a
    /// finished inner call are taken back too if the outer call fails. The shell wraps a request's
    /// nonce and its command in one call this way.
    public mutating func atomically<T, E: Error>(_ body: (inout Marketplace) throws(E) -> T) throws(E) -> T {
        if openTransactions == 0 { startRecording() }
        openTransactions += 1
        let savepoint = self.savepoint
        defer {
            openTransactions -= 1
            if openTransactions == 0 { stopRecording() }
        }
        do {
            return try body(&self)
        } catch {
            rollback(to: savepoint)
            throw error
        }
    }

    private var savepoint: Savepoint {
        Savepoint(
            ledger: ledger.savepoint, accounts: accounts.mark, orders: orders.mark, leases: leases.mark,
            disputes: disputes.mark, artifacts: artifacts.mark, openOrders: openOrderIDs.mark,
            ordersBySubmitter: ordersBySubmitter.mark, leasesByOrder: leasesByOrder.mark, leasesByProvider: leasesByProvider.mark,
            disputesByLease: disputesByLease.mark, providerIDs: providerIDs.mark,
            artifactsByOrder: artifactsByOrder.mark, counters: counters
        )
    }

    private mutating func startRecording() {
        ledger.startRecording()
        accounts.startRecording()
        orders.startRecording()
        leases.startRecording()
        disputes.startRecording()
        artifacts.startRecording()
        openOrderIDs.startRecording()
        ordersBySubmitter.startRecording()
        leasesByOrder.startRecording()
        leasesByProvider.startRecording()
        disputesByLease.startRecording()
        providerIDs.startRecording()
        artifactsByOrder.startRecording()
    }

    private mutating func stopRecording() {
        ledger.stopRecording()
        accounts.stopRecording()
        orders.stopRecording()
        leases.stopRecording()
        disputes.stopRecording()
        artifacts.stopRecording()
        openOrderIDs.stopRecording()
        ordersBySubmitter.stopRecording()
        leasesByOrder.stopRecording()
        leasesByProvider.stopRecording()
        disputesByLease.stopRecording()
        providerIDs.stopRecording()
        artifactsByOrder.stopRecording()
    }

    private mutating func rollback(to savepoint: Savepoint) {
        ledger.rollback(to: savepoint.ledger)
        accounts.undo(to: savepoint.accounts)
        orders.undo(to: savepoint.orders)
        leases.undo(to: savepoint.leases)
        disputes.undo(to: savepoint.disputes)
        artifacts.undo(to: savepoint.artifacts)
        openOrderIDs.undo(to: savepoint.openOrders)
        ordersBySubmitter.undo(to: savepoint.ordersBySubmitter)
        leasesByOrder.undo(to: savepoint.leasesByOrder)
        leasesByProvider.undo(to: savepoint.leasesByProvider)
        disputesByLease.undo(to: savepoint.disputesByLease)
        providerIDs.undo(to: savepoint.providerIDs)
        artifactsByOrder.undo(to: savepoint.artifactsByOrder)
        counters = savepoint.counters
    }
}
