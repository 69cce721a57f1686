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

    /// The first `limit` records of both sides' pages, in id order, each once.
    static func merge(_ pages: [[(number: UInt64, body: String)]], limit: Int) -> [String] {
        var seen = Set<UInt64>()
        return pages.joined().sorted { $0.number < $1.number }.filter { seen.insert($0.number).inserted }.prefix(limit).map(\.body)
    }

    enum ArchiveValue {
        case text(String)
        case number(UInt64)
    }
}
