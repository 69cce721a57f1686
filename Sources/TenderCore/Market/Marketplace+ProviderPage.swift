extension Marketplace {
    /// Accounts with a registered profile, in account order after `after`, at most `limit`.
    ///
    /// A read for dashboards and operators, not a write: it looks at every account once (about a
    /// millisecond at 20,000 accounts) instead of keeping a second index that every write would
    /// have to maintain and undo.
    public func providerPage(after: AccountID?, limit: Int) -> (providers: [AccountID], next: AccountID?) {
        let limit = max(limit, 0)
        var ids: [AccountID] = []
        for (id, record) in accounts where record.profile != nil {
            if let after, id <= after { continue }
            ids.append(id)
        }
        ids.sort()
        let page = Array(ids.prefix(limit))
        return (page, ids.count > limit ? page.last : nil)
    }
}
