import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// Orders, bids and leases.
struct OrderRoutes: Sendable {
    let service: MarketService
    let settings: ControllerSettings
    let artifacts: any ArtifactStorage
    let gate: RequestGate
    let inputCheck: OrderInputCheck

    func register(on router: RouteTable) {
        router.post("/v1/orders") { request, context in
            let tooLarge = "a manifest is at most \(TenderDocument.maximumBytes) bytes (64 KiB)"
            return try await gate.signed(request, limit: TenderDocument.maximumBytes, tooLarge: tooLarge) { signed in
                let manifest = try JobManifest.parse(try request.documentText(from: signed.body))
                let hash = Hashing.sha256Hex(signed.body)
                // The market checks that every input is stored and readable by the submitter.
                let stored = Set(manifest.workload.storedInputHashes.filter(artifacts.contains))
                let problem = try await inputCheck.problem(manifest, submitter: signed.account, stored: stored, service: service)
                let id = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    try market.submitOrder(
                        manifest: manifest, manifestHash: hash, by: signed.account, storedInputs: stored, inputProblem: problem, now: now
                    )
                }
                // The manifest is kept by its hash, so anyone can later check what was asked for.
                // It is written only now, so a refused order leaves nothing on disk; the order
                // itself holds the parsed manifest, so a failed write loses only the text.
                do {
                    _ = try artifacts.put(signed.body, expected: hash)
                } catch {
                    context.logger.error("could not store an accepted order's manifest", metadata: ["order": "\(id)", "error": "\(error)"])
                }
                return try JSONResponse.make(try await view(id), status: .created)
            }
        }
        router.get("/v1/orders") { request, _ in
            let query = request.uri.queryParameters
            let page = try Page(request)
            var state: Order.State?
            if let text = query["state"].map(String.init) {
                guard let parsed = Order.State(rawValue: text) else {
                    throw ProblemResponse(.badRequest, "Bad query", "state must be open, awarded, expired or cancelled")
                }
                state = parsed
            }
            var submitter: AccountID?
            if let text = query["submitter"].map(String.init) {
                guard let parsed = try? AccountID(text) else { throw ProblemResponse(.badRequest, "Bad query", "submitter must be an account id") }
                submitter = parsed
            }
            let (wanted, owner) = (state, submitter)
            let (live, _) = await service.read { $0.orderPage(state: wanted, submitter: owner, after: page.after, limit: page.limit) }
            // Finished orders are in the archive; an open order never is.
            let archived = state == .open ? [] : try await service.storage.archived(Order.self, ArchiveQuery(
                kind: MarketDocuments.orderKind, after: page.after, limit: page.limit, state: state?.rawValue, first: submitter?.hex
            ))
            let (orders, next) = MergedPage.merge(live: live, archived: archived, limit: page.limit) { $0.id.rawValue }
            return try JSONResponse.make(API.OrderList(orders: orders, next: next))
        }
        router.get("/v1/orders/:id") { _, context in
            try JSONResponse.make(try await view((try context.parameters.id("id", what: "order") as OrderID)))
        }
        router.post("/v1/orders/:id/cancel") { request, context in
            let id = (try context.parameters.id("id", what: "order") as OrderID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    ((), try market.cancelOrder(id, by: signed.account, now: now))
                }
                return try JSONResponse.make(try await view(id))
            }
        }
        router.post("/v1/orders/:id/bids") { request, context in
            let id = (try context.parameters.id("id", what: "order") as OrderID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                let body = try request.decodeJSON(API.BidRequest.self, from: signed.body)
                let bid = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    try market.placeBid(on: id, by: signed.account, price: body.price, now: now)
                }
                return try JSONResponse.make(bid, status: .created)
            }
        }
        router.post("/v1/leases/:id/heartbeat") { request, context in
            let id = (try context.parameters.id("id", what: "lease") as LeaseID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                let body = try request.decodeJSON(API.HeartbeatRequest.self, from: signed.body)
                if let loss = body.loss, !loss.isFinite {
                    throw ProblemResponse(.unprocessableContent, "Invalid heartbeat", "loss must be a finite number")
                }
                return try await leaseAnswer(id, signed) { market, now throws(MarketplaceError) in
                    try market.heartbeat(lease: id, by: signed.account, step: body.step, loss: body.loss, now: now)
                }
            }
        }
        router.post("/v1/leases/:id/commitment") { request, context in
            let id = (try context.parameters.id("id", what: "lease") as LeaseID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                try await commit(id, signed, request)
            }
        }
    }

    /// `POST /v1/leases/{id}/commitment`. The commitment is signed in its own right and kept as
    /// signed, so a challenger can later prove what the provider claimed without trusting the controller.
    private func commit(_ id: LeaseID, _ signed: SignedBody, _ request: Request) async throws -> Response {
        let envelope = try request.decodeJSON(Signed<Commitment>.self, from: signed.body)
        guard envelope.signer == signed.account else {
            throw ProblemResponse(.forbidden, "Forbidden", "the commitment must be signed by the account posting it")
        }
        let claimed: Commitment
        do {
            claimed = try envelope.verified()
        } catch {
            throw ProblemResponse(.unprocessableContent, "Invalid commitment", "the commitment's own signature does not verify: \(error.description)")
        }
        guard let lease = try await service.lease(id) else { throw MarketplaceError.notFound("lease \(id)") }
        guard lease.provider == signed.account, lease.state == .running else {
            throw ProblemResponse(.conflict, "Not committable", "lease \(id) is \(lease.state.rawValue) and belongs to \(lease.provider.short)…; only its provider commits, once, while it runs")
        }
        guard claimed.lease == id else {
            throw ProblemResponse(.unprocessableContent, "Invalid commitment", "the commitment names lease \(claimed.lease), not \(id)")
        }
        guard Hashing.isSHA256Hex(claimed.traceHash), let trace = try artifacts.get(claimed.traceHash) else {
            throw ProblemResponse(
                .unprocessableContent, "Missing trace",
                "upload the trace (every leaf's state hash, 32 bytes each) as artifact sha256:\(claimed.traceHash.prefix(64)) before committing"
            )
        }
        return try await leaseAnswer(id, signed) { market, now throws(MarketplaceError) in
            try market.commit(envelope, trace: trace, lease: id, by: signed.account, now: now)
        }
    }

    private func leaseAnswer(
        _ id: LeaseID, _ signed: SignedBody, _ command: @escaping @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> MarketChange
    ) async throws -> Response {
        let lease = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
            let change = try command(&market, now)
            guard let lease = market.leases[id] else { throw MarketplaceError.notFound("lease \(id)") }
            return (lease, change)
        }
        return try JSONResponse.make(API.LeaseView(lease))
    }

    private func view(_ id: OrderID) async throws -> API.OrderView {
        guard let (order, leases) = try await service.orderWithLeases(id) else { throw MarketplaceError.notFound("order \(id)") }
        return API.OrderView(order: order, leases: leases)
    }
}
