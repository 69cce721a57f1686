extension Marketplace {
    /// One page of a table kept in a dictionary: the records with ids above `after` that
    /// `matches` accepts, in id order, at most `limit`. When an index narrows the search,
    /// `indexed` holds its candidates, already in id order, and the page is their first matches;
    /// otherwise the whole table is searched without sorting it.
    static func page<Record>(
        of table: some Sequence<Record>, indexed: [Record]?, after: UInt64, limit: Int,
        id: @escaping (Record) -> UInt64, matches: @escaping (Record) -> Bool
    ) -> [Record] {
        let limit = max(limit, 0)
        func wanted(_ record: Record) -> Bool { id(record) > after && matches(record) }
        if let indexed { return Array(indexed.lazy.filter(wanted).prefix(limit)) }
        return table.lazy.filter(wanted).smallest(limit, by: id)
    }
}
