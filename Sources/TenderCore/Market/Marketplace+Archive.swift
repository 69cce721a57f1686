/// Finished work leaves memory.
///
/// An order is finished once it is no longer open and every lease it made is final with no
/// dispute left open on it: nothing can change it, its leases or their disputes again. The shell
/// then archives the group: it folds the order's artifact ties into the artifacts' records
/// (`retire`, part of the change that finished it, so who may read them is kept), writes the
/// group's records with an archive row each in the same transaction, and once that is durable
/// drops them from memory (`evict`). Reads of finished records go to the store. So memory holds
/// open work, accounts and artifact records, whatever the market's history.
extension Marketplace {
    /// Whether order `id` is in memory and finished: not open, every lease final, no dispute open.
    public func isFinished(_ id: OrderID) -> Bool {
        guard let order = orders[id], order.state != .open else { return false }
        for lease in leases(ofOrder: id) {
            guard lease.isFinal, !disputes(ofLease: lease.id).contains(where: { !$0.isResolved }) else { return false }
        }
        return true
    }

    /// The finished orders among those `change` touched, directly or through a lease or dispute.
    public func finishedOrders(touchedBy change: MarketChange) -> [OrderID] {
        var touched = change.orders
        for id in change.leases { if let lease = leases[id] { touched.insert(lease.order) } }
        for id in change.disputes {
            if let dispute = disputes[id], let lease = leases[dispute.lease] { touched.insert(lease.order) }
        }
        // A loop, not `filter` with a closure: the closure would hold a copy of the market.
        var finished: [OrderID] = []
        for id in touched where isFinished(id) { finished.append(id) }
        return finished.sorted()
    }

    /// Every finished order still in memory: what start-up archives when an older store kept them.
    /// Costs what memory holds.
    public func finishedOrders() -> [OrderID] {
        orders.keys.filter { isFinished($0) }.sorted()
    }

    /// Order `id` with its leases and their disputes, as they stand: what is archived for it.
    public func archive(of id: OrderID) -> ArchivedOrder? {
        guard let order = orders[id] else { return nil }
        let leases = leases(ofOrder: id)
        return ArchivedOrder(order: order, leases: leases, disputes: leases.flatMap { disputes(ofLease: $0.id) })
    }

    /// Folds each finished order's artifact ties into the artifacts' records: its submitter and
    /// its leases' providers stay readers, and a public order leaves its artifacts public. The
    /// returned change names the records it rewrote, to be stored with the archive. An order that
    /// is not finished is left as it is.
    public mutating func retire(_ ids: [OrderID]) -> MarketChange {
        var change = MarketChange()
        for id in ids {
            // An order that can still change keeps its ties: its readers may still change.
            guard isFinished(id), let order = orders[id] else { continue }
            let readers = [order.submitter] + leases(ofOrder: id).map(\.provider)
            for hash in artifactsByOrder[id] ?? [] {
                guard var record = artifacts[hash], record.orders.contains(id) else { continue }
                record.fold(order: id, readers: readers, isPublic: order.manifest.artifacts == .anyone)
                artifacts[hash] = record
                change.artifacts.insert(hash)
            }
            artifactsByOrder[id] = nil
        }
        return change
    }

    /// Drops finished orders, their leases and disputes from memory and from every index. Called
    /// once their archive is durable; an order that is not finished is kept.
    public mutating func evict(_ ids: [OrderID]) {
        for id in ids {
            guard isFinished(id), let order = orders[id] else { continue }
            // Ties `retire` folded are gone already; one still here (a market reloaded from the store
            // while the archive was being written) is folded now, so no reader is lost.
            _ = retire([id])
            for lease in leases(ofOrder: id) {
                for dispute in disputesByLease[lease.id] ?? [] { disputes[dispute] = nil }
                disputesByLease[lease.id] = nil
                leases[lease.id] = nil
                dropIndexEntry(lease.id, at: lease.provider, in: &leasesByProvider)
            }
            leasesByOrder[id] = nil
            dropIndexEntry(id, at: order.submitter, in: &ordersBySubmitter)
            openOrderIDs.remove(id)
            orders[id] = nil
        }
    }

    // MARK: - Records not in memory

    /// The refusal for a command on an order that is not in memory: one this market handed out has
    /// finished (it can no longer change); any other id was never an order.
    func missing(order id: OrderID) -> MarketplaceError {
        id.rawValue > 0 && id < counters.nextOrder
            ? .market(.wrongState("order \(id) has finished; it can no longer change")) : .notFound("order \(id)")
    }

    func missing(lease id: LeaseID) -> MarketplaceError {
        id.rawValue > 0 && id < counters.nextLease
            ? .market(.wrongState("lease \(id) has finished; nothing more is accepted for it")) : .notFound("lease \(id)")
    }

    func missing(dispute id: DisputeID) -> MarketplaceError {
        id.rawValue > 0 && id < counters.nextDispute
            ? .market(.wrongState("dispute \(id) is resolved; it takes no more moves")) : .notFound("dispute \(id)")
    }

    private func dropIndexEntry<Key: Hashable & Sendable, ID: Equatable & Sendable>(
        _ id: ID, at key: Key, in index: inout UndoableDictionary<Key, [ID]>
    ) {
        guard var ids = index[key] else { return }
        ids.removeAll { $0 == id }
        index[key] = ids.isEmpty ? nil : ids
    }
}

/// An order that finished, with its leases and their disputes: what the store archives for it.
public struct ArchivedOrder: Sendable, Equatable {
    public var order: Order
    public var leases: [Lease]
    public var disputes: [Dispute]

    public init(order: Order, leases: [Lease], disputes: [Dispute]) {
        self.order = order
        self.leases = leases
        self.disputes = disputes
    }

    /// Every clock deadline that can name this group's records (an auction close for a cancelled
    /// order, a lease's check): finished, none of them has anything left to do.
    public var deadlineSubjects: [(kind: Deadline.Kind, subject: UInt64)] {
        [(.auctionClose, order.id.rawValue)]
            + leases.flatMap { [(Deadline.Kind.leaseCheck, $0.id.rawValue), (.beaconReveal, $0.id.rawValue)] }
            + disputes.map { (.disputeCheck, $0.id.rawValue) }
    }
}
