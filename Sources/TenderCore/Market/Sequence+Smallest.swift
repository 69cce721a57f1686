extension Sequence {
    /// The `limit` elements with the smallest `key`, in order of it: one page of a table kept in a
    /// dictionary, found in one pass without sorting the whole table. Each element costs a
    /// comparison with the page's last; only one that belongs in the page costs an insertion.
    public func smallest(_ limit: Int, by key: (Element) -> UInt64) -> [Element] {
        guard limit > 0 else { return [] }
        var page: [(key: UInt64, element: Element)] = []
        page.reserveCapacity(Swift.min(limit, underestimatedCount) + 1)
        for element in self {
            let value = key(element)
            if page.count == limit, let last = page.last, value >= last.key { continue }
            var low = 0, high = page.count
            while low < high {
                let middle = (low + high) / 2
                if page[middle].key <= value { low = middle + 1 } else { high = middle }
            }
            page.insert((value, element), at: low)
            if page.count > limit { page.removeLast() }
        }
        return page.map(\.element)
    }
}
