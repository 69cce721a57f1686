import Foundation
import GRDB
import TenderCore
import TenderStore

/// Where the marketplace's records live in the database, and how a `MarketChange` is written.
enum MarketStore {
    static let accountKind = "account"
    static let orderKind = "order"
    static let leaseKind = "lease"
    static let metaKind = "meta"
    static let beaconKind = "beacon"
    static let countersID = "counters"

    /// Rebuilds the marketplace from the journal (the ledger) and the stored records.
    static func load(policy: MarketPolicy, in db: Database) throws -> (Marketplace, [Deadline]) {
        let ledger = try Ledger.replay(JournalStore.all(in: db))
        let accounts = try DocumentStore.all(AccountRecord.self, kind: accountKind, in: db).map(\.value)
        let orders = try DocumentStore.all(Order.self, kind: orderKind, in: db).map(\.value)
        let leases = try DocumentStore.all(Lease.self, kind: leaseKind, in: db).map(\.value)
        let counters = try DocumentStore.get(Marketplace.Counters.self, kind: metaKind, id: countersID, in: db) ?? .init()
        let deadlines = try DeadlineStore.all(in: db).compactMap { stored -> Deadline? in
            guard let kind = Deadline.Kind(rawValue: stored.kind), let subject = UInt64(stored.id) else { return nil }
            return Deadline(kind: kind, subject: subject, at: stored.dueAt)
        }
        let market = Marketplace(policy: policy, ledger: ledger, accounts: accounts, orders: orders, leases: leases, counters: counters)
        return (market, deadlines)
    }

    /// The records one change touched, captured on the market's actor so the database write
    /// needs nothing else from it.
    struct Rows: Sendable {
        var journal: [JournalEntry]
        var accounts: [AccountRecord]
        var orders: [Order]
        var leases: [Lease]
        var counters: Marketplace.Counters?
        var deadlines: [Deadline]

        init(change: MarketChange, market: Marketplace) {
            journal = change.journal
            accounts = change.accounts.sorted().map { market.account($0) }
            orders = change.orders.sorted().compactMap { market.orders[$0] }
            leases = change.leases.sorted().compactMap { market.leases[$0] }
            counters = change.orders.isEmpty && change.leases.isEmpty ? nil : market.counters
            deadlines = change.deadlines
        }

        func write(at now: Timestamp, in db: Database) throws {
            try JournalStore.append(journal, in: db)
            for record in accounts {
                try DocumentStore.put(kind: MarketStore.accountKind, id: record.id.hex, value: record, at: now, in: db)
            }
            for order in orders {
                try DocumentStore.put(kind: MarketStore.orderKind, id: String(order.id), value: order, at: now, in: db)
            }
            for lease in leases {
                try DocumentStore.put(kind: MarketStore.leaseKind, id: String(lease.id), value: lease, at: now, in: db)
            }
            if let counters {
                try DocumentStore.put(kind: MarketStore.metaKind, id: MarketStore.countersID, value: counters, at: now, in: db)
            }
            for deadline in deadlines {
                let stored = StoredDeadline(kind: deadline.kind.rawValue, id: String(deadline.subject), dueAt: deadline.at)
                try DeadlineStore.upsert(stored, in: db)
            }
        }
    }
}
