import Foundation
import TenderCore

/// Orders, bids and leases.
extension TenderAPIClient {
    /// `POST /v1/orders`: submits a manifest (its text, with inputs already rewritten to `sha256:`
    /// references) and locks its maximum price in escrow. Answers 201 with the new order.
    public func submitOrder(manifest text: String, contentType: String = "application/json") async throws(ClientError) -> API.OrderView {
        try await call(.signed(.post, "/v1/orders", body: Data(text.utf8), contentType: contentType))
    }

    /// `GET /v1/orders?state=S&submitter=ID`; both filters optional.
    public func orders(state: Order.State? = nil, submitter: AccountID? = nil) async throws(ClientError) -> API.OrderList {
        try await call(.get("/v1/orders", query: [("state", state?.rawValue), ("submitter", submitter?.hex)]))
    }

    /// `GET /v1/orders/{id}`: the order and its leases.
    public func order(_ id: UInt64) async throws(ClientError) -> API.OrderView {
        try await call(.get("/v1/orders/\(id)"))
    }

    /// `POST /v1/orders/{id}/cancel`: cancels an open order of this client's and refunds its escrow.
    public func cancelOrder(_ id: UInt64) async throws(ClientError) -> API.OrderView {
        try await call(.signed(.post, "/v1/orders/\(id)/cancel"))
    }

    /// `POST /v1/orders/{id}/bids`: bids `price` for the whole job. Answers 201 with the bid; an
    /// ineligible bid is a 4xx problem whose `reasons` list every reason.
    public func placeBid(order id: UInt64, price: Amount) async throws(ClientError) -> Bid {
        try await call(.signed(.post, "/v1/orders/\(id)/bids", json: API.BidRequest(price: price)))
    }

    // MARK: - Leases

    /// `GET /v1/leases/{id}`.
    public func lease(_ id: UInt64) async throws(ClientError) -> Lease {
        try await call(.get("/v1/leases/\(id)"))
    }

    /// `POST /v1/leases/{id}/heartbeat`: reports progress and keeps the lease alive.
    public func heartbeat(lease id: UInt64, step: Int64, loss: Double? = nil) async throws(ClientError) -> Lease {
        try await call(.signed(.post, "/v1/leases/\(id)/heartbeat", json: API.HeartbeatRequest(step: step, loss: loss)))
    }

    /// `POST /v1/leases/{id}/commitment` with a commitment already signed by the provider.
    public func postCommitment(_ signed: Signed<LeaseCommitment>, lease id: UInt64) async throws(ClientError) -> Lease {
        try await call(.signed(.post, "/v1/leases/\(id)/commitment", json: signed))
    }

    /// `POST /v1/leases/{id}/commitment`, signing `commitment` with this client's key first.
    public func postCommitment(_ commitment: LeaseCommitment) async throws(ClientError) -> Lease {
        guard let key else { throw .missingKey(request: "POST /v1/leases/\(commitment.lease)/commitment") }
        let signed: Signed<LeaseCommitment>
        do { signed = try Signed(commitment, by: key) } catch { throw .badRequest("cannot sign the commitment: \(error)") }
        return try await postCommitment(signed, lease: commitment.lease)
    }
}
