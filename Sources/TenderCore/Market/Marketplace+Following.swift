/// A controller that follows a shared store keeps its copy of the market current by taking what
/// the leader stored, not by running commands: the leader made every decision.
extension Marketplace {
    /// What a following controller read from the store since its copy was loaded: the journal's
    /// new entries, oldest first, and the records written since, as they now stand.
    public struct StoredUpdate: Sendable {
        public var journal: [JournalEntry] = []
        public var accounts: [AccountRecord] = []
        public var orders: [Order] = []
        public var leases: [Lease] = []
        public var disputes: [Dispute] = []
        public var artifacts: [ArtifactRecord] = []
        public var counters: Counters?

        public init() {}

        public var isEmpty: Bool {
            journal.isEmpty && accounts.isEmpty && orders.isEmpty && leases.isEmpty && disputes.isEmpty
                && artifacts.isEmpty && counters == nil
        }
    }

    /// Takes `update` into this copy: the journal's entries are replayed onto the ledger, each
    /// checked as at start-up (an entry that does not extend the head throws, and the caller
    /// reloads), and the records replace what was here, the order indexes kept in step.
    public mutating func follow(_ update: StoredUpdate) throws(LedgerError) {
        // Entries this copy has already (it was loaded after the revision it follows from) are skipped.
        for entry in update.journal where entry.sequence > ledger.sequence { try ledger.replay(entry) }
        for record in update.accounts {
            accounts[record.id] = record
            if record.profile != nil { providerIDs.insert(record.id) }
        }
        for order in update.orders.sorted(by: { $0.id < $1.id }) {
            if orders[order.id] == nil { ordersBySubmitter.append(order.id, at: order.submitter) }
            put(order)
        }
        for lease in update.leases.sorted(by: { $0.id < $1.id }) {
            if leases[lease.id] == nil { index(lease) }
            leases[lease.id] = lease
        }
        for dispute in update.disputes.sorted(by: { $0.id < $1.id }) {
            if disputes[dispute.id] == nil { index(dispute) }
            disputes[dispute.id] = dispute
        }
        for record in update.artifacts {
            artifacts[record.hash] = record
            for order in record.orders where !(artifactsByOrder[order] ?? []).contains(record.hash) {
                artifactsByOrder.append(record.hash, at: order)
            }
        }
        if let counters = update.counters { self.counters = counters }
        // The leader archived what finished, in the same write: this copy lets it go too.
        let touched = Set(update.orders.map(\.id) + update.leases.map(\.order))
            .union(update.disputes.compactMap { leases[$0.lease]?.order })
        evict(touched.filter { isFinished($0) }.sorted())
    }
}
