import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// Leases as clients read them, their audits, and the dispute game.
struct VerificationRoutes: Sendable {
    let service: MarketService
    let settings: ControllerSettings
    let artifacts: any ArtifactStorage
    let gate: RequestGate

    func register(on router: RouteTable) {
        router.get("/v1/leases") { request, _ in
            let query = request.uri.queryParameters
            let page = try Page(request)
            let state = try query["state"].map { text in
                guard let state = Lease.State(rawValue: String(text)) else {
                    throw ProblemResponse(.badRequest, "Bad query", "state must be one of \(Lease.State.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
            let provider = try query["provider"].map { text in
                guard let id = try? AccountID(String(text)) else { throw ProblemResponse(.badRequest, "Bad query", "provider must be an account id") }
                return id
            }
            let submitter = try query["submitter"].map { text in
                guard let id = try? AccountID(String(text)) else { throw ProblemResponse(.badRequest, "Bad query", "submitter must be an account id") }
                return id
            }
            let filter = LeaseFilter(state: state, provider: provider, submitter: submitter)
            // Leases whose order can still change are in memory (what is open, so the scan is
            // bounded); the rest are in the archive.
            let live = await service.read { $0.leasePage(filter, after: page.after, limit: page.limit) }
            let archived = !filter.mayMatchArchived ? [] : try await service.storage.archived(Lease.self, ArchiveQuery(
                kind: MarketDocuments.leaseKind, after: page.after, limit: page.limit, state: state?.rawValue,
                first: provider?.hex, second: submitter?.hex
            ))
            let (leases, next) = MergedPage.merge(live: live, archived: archived, limit: page.limit) { $0.id.rawValue }
            return try JSONResponse.make(API.LeaseList(leases: leases.map(API.LeaseView.init), next: next))
        }
        router.get("/v1/leases/:id") { _, context in
            try JSONResponse.make(API.LeaseView(try await lease(context)))
        }
        router.get("/v1/leases/:id/audit") { _, context in
            try JSONResponse.make(API.AuditView(try await lease(context)))
        }
        router.post("/v1/leases/:id/disputes") { request, context in
            let id = (try context.parameters.id("id", what: "lease") as LeaseID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                let body = try request.decodeJSON(API.OpenDisputeRequest.self, from: signed.body)
                // The trace is read only for a request the market could accept, so one it will refuse
                // (unstaked, the provider itself, a lease not under verification) never costs the
                // controller a read and a hash of it; the market then refuses it for its real reason.
                let found = await service.read { market in
                    market.leases[id].map { lease in
                        (lease, lease.isUnderVerification && lease.provider != signed.account
                            && market.ledger.balances(of: signed.account).staked >= market.policy.challengerMinimumStake)
                    }
                }
                // A lease not in memory is refused by the market for its own reason: finished, or unknown.
                let trace = if let (lease, mayDispute) = found, mayDispute {
                    try lease.commitment.flatMap { try artifacts.get($0.traceHash) } ?? Data()
                } else {
                    Data()
                }
                let dispute = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    try market.openDispute(lease: id, segment: body.segment, claim: body.claim, trace: trace, by: signed.account, now: now)
                }
                return try JSONResponse.make(API.DisputeView(dispute), status: .created)
            }
        }
        router.get("/v1/disputes") { request, _ in
            let query = request.uri.queryParameters
            let page = try Page(request)
            let lease = try query["lease"].map { text in
                guard let id = LeaseID(text) else { throw ProblemResponse(.badRequest, "Bad query", "lease must be a lease id") }
                return id
            }
            let account = try query["account"].map { text in
                guard let id = try? AccountID(String(text)) else { throw ProblemResponse(.badRequest, "Bad query", "account must be an account id") }
                return id
            }
            let openOnly: Bool
            switch query["open"].map(String.init) {
            case nil, "false": openOnly = false
            case "true": openOnly = true
            default: throw ProblemResponse(.badRequest, "Bad query", "open must be true or false")
            }
            let filter = DisputeFilter(lease: lease, account: account, openOnly: openOnly)
            let live = await service.read { $0.disputePage(filter, after: page.after, limit: page.limit) }
            let archived = !filter.mayMatchArchived ? [] : try await service.storage.archived(Dispute.self, ArchiveQuery(
                kind: MarketDocuments.disputeKind, after: page.after, limit: page.limit, party: account?.hex, parent: lease?.rawValue
            ))
            let (disputes, next) = MergedPage.merge(live: live, archived: archived, limit: page.limit) { $0.id.rawValue }
            return try JSONResponse.make(API.DisputeList(disputes: disputes.map(API.DisputeView.init), next: next))
        }
        router.get("/v1/disputes/:id") { _, context in
            let id = (try context.parameters.id("id", what: "dispute") as DisputeID)
            guard let dispute = try await service.dispute(id) else { throw MarketplaceError.notFound("dispute \(id)") }
            return try JSONResponse.make(API.DisputeView(dispute))
        }
        router.post("/v1/disputes/:id/moves") { request, context in
            let id = (try context.parameters.id("id", what: "dispute") as DisputeID)
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                let move = try request.decodeJSON(DisputeMove.self, from: signed.body)
                let dispute = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    // Only a `state` move needs the store: the state the range starts from must be in
                    // it. Looked up here, on the market's actor, against the range as it is now.
                    let available = market.disputes[id]?.range.map { artifacts.contains($0.lowHash) } ?? false
                    let change = try market.moveDispute(id, move, by: signed.account, stateAvailable: available, now: now)
                    guard let dispute = market.disputes[id] else { throw MarketplaceError.notFound("dispute \(id)") }
                    return (dispute, change)
                }
                return try JSONResponse.make(API.DisputeView(dispute))
            }
        }
    }

    private func lease(_ context: BasicRequestContext) async throws -> Lease {
        let id = (try context.parameters.id("id", what: "lease") as LeaseID)
        guard let lease = try await service.lease(id) else { throw MarketplaceError.notFound("lease \(id)") }
        return lease
    }
}

/// `after` and `limit` of a paginated list: ids greater than `after`, at most `limit` (1...1000, default 100).
struct Page {
    var after: UInt64
    var limit: Int

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        guard let after = UInt64(query["after"].map(String.init) ?? "0"),
              let limit = Int(query["limit"].map(String.init) ?? "100"), (1...1_000).contains(limit) else {
            throw ProblemResponse(.badRequest, "Bad query", "after must be an id and limit between 1 and 1000")
        }
        self.after = after
        self.limit = limit
    }
}
