import TenderStore

/// One page of a list whose records live in two places: open work in memory, finished work in the
/// store's archive. Each side gives its first `limit` records above the cursor, in id order; the
/// page is the first `limit` of both, so it costs what one page holds on each side.
enum MergedPage {
    static func merge<Record>(
        live: [Record], archived: [Record], limit: Int, id: (Record) -> UInt64
    ) -> (records: [Record], next: UInt64?) {
        // A record just archived is in both until it leaves memory. The archived copy is final,
        // and on a following controller memory may not have caught up with it yet: it wins.
        let records = ArchiveQuery.merge([archived, live], limit: limit, id: id)
        return (records, records.count == limit && limit > 0 ? records.last.map(id) : nil)
    }
}
