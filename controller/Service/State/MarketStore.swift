import Foundation
import GRDB
import Logging
import TenderCore
import TenderStore

/// Where the marketplace's records live in the database, and how a `MarketChange` is written.
enum MarketStore {
    static let accountKind = "account"
    static let orderKind = "order"
    static let leaseKind = "lease"
    static let metaKind = "meta"
    static let disputeKind = "dispute"
    /// Beacon secrets: private records, written with the award and read only by the clock at the
    /// reveal. No route serves this kind; a revealed secret is served from the lease's audit.
    static let beaconSecretKind = "beacon-secret"
    /// What the market knows of each stored artifact (uploaders, orders), by its hash.
    static let artifactKind = "artifact"
    static let countersID = "counters"
    /// The ledger at a journal sequence (`Ledger.Snapshot`), so start-up replays only the tail.
    static let snapshotKind = "ledger-snapshot"
    static let snapshotID = "latest"

    /// What `load` found: the market, its pending deadlines, and how the ledger was rebuilt.
    struct Loaded {
        var market: Marketplace
        var deadlines: [Deadline]
        /// The sequence of the snapshot the ledger resumed from; nil for a replay from the start.
        var snapshotSequence: UInt64?
        /// How many journal entries were replayed.
        var replayed: Int
    }

    /// Rebuilds the marketplace from the journal (the ledger) and the stored records. The ledger
    /// resumes from the stored snapshot when it belongs to this journal, so start-up replays only
    /// the entries after it; otherwise from the first entry.
    ///
    /// The snapshot must be signed by `controller` (the journal's balances are not to be changed by
    /// whoever can write the database, without the key) and sit on the journal: the entry at its
    /// sequence has its head hash.
    static func load(policy: MarketPolicy, controller: AccountID, in db: Database, logger: Logger? = nil) throws -> Loaded {
        var (ledger, snapshotSequence) = (Ledger(), UInt64?.none)
        if let stored = try? DocumentStore.get(Signed<Ledger.Snapshot>.self, kind: snapshotKind, id: snapshotID, in: db) {
            if stored.signer == controller, let snapshot = try? stored.verified(),
               try JournalStore.entry(sequence: snapshot.sequence, in: db)?.hash == snapshot.headHash,
               let resumed = try? Ledger(resuming: snapshot) {
                (ledger, snapshotSequence) = (resumed, snapshot.sequence)
            } else {
                logger?.warning("the ledger snapshot is not this controller's or does not match the journal; replaying the whole journal")
            }
        }
        var replayed = 0
        try JournalStore.forEach(after: ledger.sequence, in: db) { entry in
            try ledger.replay(entry)
            replayed += 1
        }
        try ledger.checkInvariants()
        let accounts = try DocumentStore.all(AccountRecord.self, kind: accountKind, in: db).map(\.value)
        let orders = try DocumentStore.all(Order.self, kind: orderKind, in: db).map(\.value)
        let leases = try DocumentStore.all(Lease.self, kind: leaseKind, in: db).map(\.value)
        let disputes = try DocumentStore.all(Dispute.self, kind: disputeKind, in: db).map(\.value)
        let artifacts = try DocumentStore.all(ArtifactRecord.self, kind: artifactKind, in: db).map(\.value)
        let counters = try DocumentStore.get(Marketplace.Counters.self, kind: metaKind, id: countersID, in: db) ?? .init()
        let deadlines = try DeadlineStore.all(in: db).compactMap { stored -> Deadline? in
            guard let kind = Deadline.Kind(rawValue: stored.kind), let subject = UInt64(stored.id) else { return nil }
            return Deadline(kind: kind, subject: subject, at: stored.dueAt)
        }
        let market = Marketplace(
            policy: policy, ledger: ledger, accounts: accounts, orders: orders, leases: leases, disputes: disputes,
            artifacts: artifacts, counters: counters
        )
        return Loaded(market: market, deadlines: deadlines, snapshotSequence: snapshotSequence, replayed: replayed)
    }

    /// The stored form of a snapshot: signed by the controller, as JSON text ready to write.
    static func encodeSnapshot(_ snapshot: Ledger.Snapshot, signedBy key: KeyPair) throws -> String {
        String(decoding: try CanonicalJSON.encode(try Signed(snapshot, by: key)), as: UTF8.self)
    }

    /// Stores an encoded snapshot as the one the next start-up resumes from.
    static func writeSnapshot(json: String, at now: Timestamp, in db: Database) throws {
        try DocumentStore.put(kind: snapshotKind, id: snapshotID, json: json, at: now, in: db)
    }

    /// The records one change touched, captured on the market's actor so the database write
    /// needs nothing else from it.
    struct Rows: Sendable {
        var journal: [JournalEntry]
        var accounts: [AccountRecord]
        var orders: [Order]
        var leases: [Lease]
        var disputes: [Dispute]
        var artifacts: [ArtifactRecord]
        var beaconSecrets: [(lease: LeaseID, secret: String)]
        var counters: Marketplace.Counters?
        var deadlines: [Deadline]

        init(change: MarketChange, market: Marketplace) {
            journal = change.journal
            accounts = change.accounts.sorted().map { market.account($0) }
            orders = change.orders.sorted().compactMap { market.orders[$0] }
            leases = change.leases.sorted().compactMap { market.leases[$0] }
            disputes = change.disputes.sorted().compactMap { market.disputes[$0] }
            artifacts = change.artifacts.sorted().compactMap { market.artifacts[$0] }
            beaconSecrets = change.beaconSecrets.sorted { $0.key < $1.key }.map { (lease: $0.key, secret: $0.value) }
            counters = change.orders.isEmpty && change.leases.isEmpty && change.disputes.isEmpty ? nil : market.counters
            deadlines = change.deadlines
        }

        func write(at now: Timestamp, in db: Database) throws {
            try JournalStore.append(journal, in: db)
            for record in accounts {
                try DocumentStore.put(kind: MarketStore.accountKind, id: record.id.hex, value: record, at: now, in: db)
            }
            for order in orders {
                try DocumentStore.put(kind: MarketStore.orderKind, id: order.id.description, value: order, at: now, in: db)
            }
            for lease in leases {
                try DocumentStore.put(kind: MarketStore.leaseKind, id: lease.id.description, value: lease, at: now, in: db)
            }
            for dispute in disputes {
                try DocumentStore.put(kind: MarketStore.disputeKind, id: dispute.id.description, value: dispute, at: now, in: db)
            }
            for record in artifacts {
                try DocumentStore.put(kind: MarketStore.artifactKind, id: record.hash, value: record, at: now, in: db)
            }
            for (lease, secret) in beaconSecrets {
                try DocumentStore.put(kind: MarketStore.beaconSecretKind, id: lease.description, value: secret, at: now, in: db)
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

extension MarketStore {
    /// The private beacon secret drawn for a lease at award; nil if none was kept.
    static func beaconSecret(lease: LeaseID, in db: Database) throws -> String? {
        try DocumentStore.get(String.self, kind: beaconSecretKind, id: lease.description, in: db)
    }
}
