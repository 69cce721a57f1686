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
    /// Either `first` or `second` is this.
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
        if let party {
            values.append(.text(party))
            let p = placeholder(firstIndex + values.count - 1)
            sql += " AND (\(table).first = \(p) OR \(table).second = \(p))"
        }
        return (sql, values)
    }

    enum ArchiveValue {
        case text(String)
        case number(UInt64)
    }
}
