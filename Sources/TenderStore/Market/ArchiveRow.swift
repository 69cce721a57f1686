import TenderCore

/// One finished order, lease or dispute as the archive lists it: the columns lists filter on. The
/// record itself stays in `documents` under its kind and id; a load skips every record that has
/// an archive row, so finished work is read from the store, not kept in memory.
public struct ArchiveRow: Sendable, Equatable {
    /// The record's document kind: `order`, `lease` or `dispute`.
    public var kind: String
    /// The record's id, as a number (for paging in id order) and as its document id.
    public var number: UInt64
    public var id: String { String(number) }
    /// The record's final state (`cancelled`, `settled`, `resolved`, ...).
    public var state: String
    /// An order's submitter; a lease's provider; a dispute's provider.
    public var first: String
    /// A lease's submitter; a dispute's challenger.
    public var second: String?
    /// A lease's order; a dispute's lease.
    public var parent: UInt64?

    public init(kind: String, number: UInt64, state: String, first: String, second: String? = nil, parent: UInt64? = nil) {
        self.kind = kind
        self.number = number
        self.state = state
        self.first = first
        self.second = second
        self.parent = parent
    }

    /// The rows of a finished order, its leases and their disputes.
    public static func rows(for archived: ArchivedOrder) -> [ArchiveRow] {
        [ArchiveRow(kind: MarketDocuments.orderKind, number: archived.order.id.rawValue, state: archived.order.state.rawValue,
                    first: archived.order.submitter.hex)]
            + archived.leases.map { lease in
                ArchiveRow(kind: MarketDocuments.leaseKind, number: lease.id.rawValue, state: lease.state.rawValue,
                           first: lease.provider.hex, second: lease.submitter.hex, parent: lease.order.rawValue)
            }
            + archived.disputes.map { dispute in
                ArchiveRow(kind: MarketDocuments.disputeKind, number: dispute.id.rawValue, state: dispute.isResolved ? "resolved" : "open",
                           first: dispute.provider.hex, second: dispute.challenger.hex, parent: dispute.lease.rawValue)
            }
    }
}

/// Which archived records to list: one kind, ids above `after` in id order, at most `limit`, each
/// filter that is set applied.
public struct ArchiveQuery: Sendable, Equatable {
    public var kind: String
    public var after: UInt64
    public var limit: Int
    public var state: String?
    public var first: String?
    public var second: String?
    /// Either `first` or `second` is this (not combined with `first` or `second`).
    public var party: String?
    public var parent: UInt64?

    public init(
        kind: String, after: UInt64, limit: Int, state: String? = nil, first: String? = nil, second: String? = nil,
        party: String? = nil, parent: UInt64? = nil
    ) {
        self.kind = kind
        self.after = after
        self.limit = max(0, limit)
        self.state = state
        self.first = first
        self.second = second
        self.party = party
        self.parent = parent
    }

    /// The conditions after `kind` and `number`, as SQL over the archive table aliased `table`,
    /// each with the values its placeholders take, in order. `placeholder` writes the n-th value's
    /// placeholder (`?` in SQLite, `$n` in PostgreSQL).
    func conditions(table: String, placeholder: (Int) -> String, firstIndex: Int) -> (sql: String, values: [ArchiveValue]) {
        var sql = ""
        var values: [ArchiveValue] = []
        func add(_ column: String, _ value: ArchiveValue) {
            values.append(value)
            sql += " AND \(table).\(column) = \(placeholder(firstIndex + values.count - 1))"
        }
        if let state { add("state", .text(state)) }
        if let first { add("first", .text(first)) }
        if let second { add("second", .text(second)) }
        if let parent { add("parent", .number(parent)) }
        return (sql, values)
    }

    /// The indexes for two filters at once, the same on both backends.
    static let pairIndexes = [
        "CREATE INDEX archive_by_first_state ON archive (kind, first, state, number)",
        "CREATE INDEX archive_by_second_state ON archive (kind, second, state, number)",
        "CREATE INDEX archive_by_first_second ON archive (kind, first, second, number)",
    ]

    /// The index that serves this query's page in id order with the fewest rows read. SQLite is
    /// told which (it keeps no statistics, so it cannot tell one equality index from another);
    /// a lease's or an order's children are few, so `parent` wins whatever else is asked.
    var index: String {
        if parent != nil { return "archive_by_parent" }
        switch (first != nil, second != nil, state != nil) {
        case (true, true, _): return "archive_by_first_second"
        case (true, false, true): return "archive_by_first_state"
        case (false, true, true): return "archive_by_second_state"
        case (true, false, false): return "archive_by_first"
        case (false, true, false): return "archive_by_second"
        case (false, false, true): return "archive_by_state"
        case (false, false, false): return "archive_by_number"
        }
    }

    /// A party filter as two queries, one on `first` and one on `second`, each served by its own
    /// index in id order: a single `first = ? OR second = ?` would read every row of the kind, or
    /// every row of the party and sort them, for one page. Nil without a party filter.
    var sides: [ArchiveQuery]? {
        guard let party else { return nil }
        var byFirst = self, bySecond = self
        (byFirst.party, byFirst.first) = (nil, party)
        (bySecond.party, bySecond.second) = (nil, party)
        return [byFirst, bySecond]
    }

    /// The first `limit` records of several pages, in id order, each once: where two pages hold
    /// the same id, the earlier page's copy is kept. Both sides of a party filter, and the
    /// controller's page from memory beside one from the archive.
    public static func merge<Record>(_ pages: [[Record]], limit: Int, id: (Record) -> UInt64) -> [Record] {
        var seen = Set<UInt64>()
        return Array(pages.joined().filter { seen.insert(id($0)).inserted }.sorted { id($0) < id($1) }.prefix(max(limit, 0)))
    }

    enum ArchiveValue {
        case text(String)
        case number(UInt64)
    }
}
