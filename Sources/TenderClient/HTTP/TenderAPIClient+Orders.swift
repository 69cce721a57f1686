import Foundation
import TenderCore

/// Orders, bids and leases.
extension TenderAPIClient {
    /// `POST /v1/orders`: submits a manifest (its text, with inputs already rewritten to `sha256:`
    /// references) and locks its maximum price in escrow. Answers 201 with the new order.
    public func submitOrder(manifest text: String, contentType: String = "application/json") async throws(ClientError) -> API.OrderView {
        try await call(.signed(.post, "/v1/orders", body: Data(text.utf8), contentType: contentType))
    }

    /// `GET /v1/orders?state=S&submitter=ID&after=ID&limit=N`: one page of orders, in id order;
    /// every filter optional. Pass the page's `next` as `after` for the following one.
    public func orders(
        state: Order.State? = nil, submitter: AccountID? = nil, after: UInt64? = nil, limit: Int? = nil
    ) async throws(ClientError) -> API.OrderList {
        try await call(.get("/v1/orders", query: [
            ("state", state?.rawValue), ("submitter", submitter?.hex), ("after", after.map(String.init)), ("limit", limit.map(String.init)),
        ]))
    }

    /// Every order matching the filters, following the pages' cursors to the end.
    public func allOrders(state: Order.State? = nil, submitter: AccountID? = nil) async throws(ClientError) -> [Order] {
        var orders: [Order] = []
        var after: UInt64?
        repeat {
            let page = try await self.orders(state: state, submitter: submitter, after: after)
            orders += page.orders
            after = page.next
        } while after != nil
        return orders
    }

    /// `GET /v1/orders/{id}`: the order and its leases.
    public func order(_ id: OrderID) async throws(ClientError) -> API.OrderView {
        try await call(.get("/v1/orders/\(id)"))
    }

    /// `POST /v1/orders/{id}/cancel`: cancels an open order of this client's and refunds its escrow.
    public func cancelOrder(_ id: OrderID) async throws(ClientError) -> API.OrderView {
        try await call(.signed(.post, "/v1/orders/\(id)/cancel"))
    }

    /// `POST /v1/orders/{id}/bids`: bids `price` for the whole job. Answers 201 with the bid; an
    /// ineligible bid is a 4xx problem whose `reasons` list every reason.
    public func placeBid(order id: OrderID, price: Amount) async throws(ClientError) -> Bid {
        try await call(.signed(.post, "/v1/orders/\(id)/bids", json: API.BidRequest(price: price)))
    }

    // MARK: - Leases

    /// `GET /v1/leases/{id}`: the lease with its commitment, audit summary and timeline.
    public func lease(_ id: LeaseID) async throws(ClientError) -> API.LeaseView {
        try await call(.get("/v1/leases/\(id)"))
    }

    /// `GET /v1/leases?state=S&provider=ID&submitter=ID&after=ID&limit=N`: one page of leases, in id order.
    public func leases(
        state: Lease.State? = nil, provider: AccountID? = nil, submitter: AccountID? = nil, after: UInt64? = nil, limit: Int? = nil
    ) async throws(ClientError) -> API.LeaseList {
        try await call(.get("/v1/leases", query: [
            ("state", state?.rawValue), ("provider", provider?.hex), ("submitter", submitter?.hex),
            ("after", after.map(String.init)), ("limit", limit.map(String.init)),
        ]))
    }

    /// `POST /v1/leases/{id}/heartbeat`: reports progress and keeps the lease alive.
    public func heartbeat(lease id: LeaseID, step: Int64, loss: Double? = nil) async throws(ClientError) -> API.LeaseView {
        try await call(.signed(.post, "/v1/leases/\(id)/heartbeat", json: API.HeartbeatRequest(step: step, loss: loss)))
    }

    /// `POST /v1/leases/{id}/commitment` with a commitment already signed by the provider. Its
    /// trace (`traceHash`) must be in the artifact store first.
    public func postCommitment(_ signed: Signed<Commitment>, lease id: LeaseID) async throws(ClientError) -> API.LeaseView {
        try await call(.signed(.post, "/v1/leases/\(id)/commitment", json: signed))
    }

    /// `POST /v1/leases/{id}/commitment`, signing `commitment` with this client's key first.
    public func postCommitment(_ commitment: Commitment) async throws(ClientError) -> API.LeaseView {
        guard let key else { throw .missingKey(request: "POST /v1/leases/\(commitment.lease)/commitment") }
        let signed: Signed<Commitment>
        do { signed = try Signed(commitment, by: key) } catch { throw .badRequest("cannot sign the commitment: \(error)") }
        return try await postCommitment(signed, lease: commitment.lease)
    }

    /// `GET /v1/leases/{id}/audit`: the beacon, the seed, the sample and each check's outcome.
    public func audit(lease id: LeaseID) async throws(ClientError) -> API.AuditView {
        try await call(.get("/v1/leases/\(id)/audit"))
    }

    // MARK: - Disputes

    /// `POST /v1/leases/{id}/disputes`: disputes segment `segment`, claiming `claim` for leaf
    /// `segment + 1`. Posts the bond from this client's available balance. Answers 201.
    public func openDispute(lease id: LeaseID, segment: Int, claim: String) async throws(ClientError) -> API.DisputeView {
        try await call(.signed(.post, "/v1/leases/\(id)/disputes", json: API.OpenDisputeRequest(segment: segment, claim: claim)))
    }

    /// `GET /v1/disputes/{id}`.
    public func dispute(_ id: DisputeID) async throws(ClientError) -> API.DisputeView {
        try await call(.get("/v1/disputes/\(id)"))
    }

    /// `GET /v1/disputes?lease=ID&account=ID&open=true&after=ID&limit=N`.
    public func disputes(
        lease: LeaseID? = nil, account: AccountID? = nil, openOnly: Bool = false, after: UInt64? = nil, limit: Int? = nil
    ) async throws(ClientError) -> API.DisputeList {
        try await call(.get("/v1/disputes", query: [
            ("lease", lease.map(String.init)), ("account", account?.hex), ("open", openOnly ? "true" : nil),
            ("after", after.map(String.init)), ("limit", limit.map(String.init)),
        ]))
    }

    /// `POST /v1/disputes/{id}/moves`: one move of this client's side of the game.
    public func move(_ move: DisputeMove, dispute id: DisputeID) async throws(ClientError) -> API.DisputeView {
        try await call(.signed(.post, "/v1/disputes/\(id)/moves", json: move))
    }
}
