extension Marketplace {
    /// Accounts with a registered profile, in account order after `after`, at most `limit`.
    ///
    /// An unsigned read anyone may send, so it looks only at the providers (`providerIDs`), never
    /// at every account.
    public func providerPage(after: AccountID?, limit: Int) -> (providers: [AccountID], next: AccountID?) {
        let limit = max(limit, 0)
        var ids: [AccountID] = []
        for id in providerIDs {
            if let after, id <= after { continue }
            ids.append(id)
        }
        ids.sort()
        let page = Array(ids.prefix(limit))
        return (page, ids.count > limit ? page.last : nil)
    }
}
