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
        var page: [Order] = []
        func take<IDs: Sequence>(_ ids: IDs) where IDs.Element == OrderID {
            for id in ids {
                guard page.count < limit else { return }
                guard let order = orders[id], state.map({ order.state == $0 }) ?? true,
                      submitter.map({ order.submitter == $0 }) ?? true else { continue }
                page.append(order)
            }
        }
        if state == .open {
            take(openOrderIDs.lazy.filter { id in
                id.rawValue > after && (submitter.map { orders[id]?.submitter == $0 } ?? true)
            }.smallest(limit, by: \.rawValue))
        } else if let submitter {
            let own = ordersBySubmitter[submitter] ?? []
            take(own.lazy.filter { $0.rawValue > after })
        } else {
            // The page's ids alone, found without sorting every order.
            take(orders.values.lazy.filter { order in
                order.id.rawValue > after && (state.map { order.state == $0 } ?? true)
            }.smallest(limit, by: \.id.rawValue).map(\.id))
        }
        return (page, page.count == limit && limit > 0 ? page.last?.id.rawValue : nil)
    }
}
