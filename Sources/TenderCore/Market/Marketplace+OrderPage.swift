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
        func matches(_ order: Order) -> Bool {
            order.id.rawValue > after && (state.map { order.state == $0 } ?? true) && (submitter.map { order.submitter == $0 } ?? true)
        }
        let page: [Order]
        if state == .open {
            page = openOrderIDs.lazy.compactMap { orders[$0] }.filter(matches).smallest(limit, by: \.id.rawValue)
        } else if let submitter {
            // A submitter's ids are kept in order.
            page = Array((ordersBySubmitter[submitter] ?? []).lazy.compactMap { orders[$0] }.filter(matches).prefix(limit))
        } else {
            // The page found without sorting every order.
            page = orders.values.lazy.filter(matches).smallest(limit, by: \.id.rawValue)
        }
        return (page, page.count == limit && limit > 0 ? page.last?.id.rawValue : nil)
    }
}
