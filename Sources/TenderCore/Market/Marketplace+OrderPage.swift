/// One page of orders, as `GET /v1/orders` lists them.
extension Marketplace {
    /// Orders with ids above `after`, in id order, at most `limit`, filtered by `state` and
    /// `submitter`; `next` is the cursor for the following page, nil on the last one.
    ///
    /// Only orders in memory, which finished orders have left (the controller adds those from the
    /// store's archive). The work is what memory holds, not the market's history: open orders
    /// come from `openOrderIDs` and a submitter's from `ordersBySubmitter`.
    public func orderPage(state: Order.State?, submitter: AccountID?, after: UInt64, limit: Int) -> (orders: [Order], next: UInt64?) {
        let limit = max(limit, 0)
        let matches = { (order: Order) in
            (state.map { order.state == $0 } ?? true) && (submitter.map { order.submitter == $0 } ?? true)
        }
        let page = if state == .open {
            Self.page(of: openOrderIDs.lazy.compactMap { orders[$0] }, indexed: nil, after: after, limit: limit, id: \.id.rawValue, matches: matches)
        } else {
            // A submitter's ids are kept in order.
            Self.page(
                of: orders.values, indexed: submitter.map { (ordersBySubmitter[$0] ?? []).compactMap { orders[$0] } },
                after: after, limit: limit, id: \.id.rawValue, matches: matches
            )
        }
        return (page, page.count == limit && limit > 0 ? page.last?.id.rawValue : nil)
    }
}
