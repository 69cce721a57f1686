import Foundation
import Hummingbird
import TenderCore

/// Health, accounts, faucet, transfers and providers.
struct MarketRoutes: Sendable {
    let service: MarketService
    let settings: ControllerSettings
    let gate: RequestGate

    func register(on router: RouteTable) {
        router.get("/v1/health") { _, _ in
            let (sequence, head) = await service.read { ($0.ledger.sequence, $0.ledger.headHash) }
            return try JSONResponse.make(API.Health(
                status: "ok", ledgerSequence: sequence, ledgerHead: head, controller: service.controllerKey.account,
                role: service.isLeading ? "leader" : "follower"
            ))
        }
        router.get("/v1/accounts/:id") { _, context in
            let id = try context.parameters.account("id")
            return try JSONResponse.make(await service.read { API.AccountView(market: $0, account: id) })
        }
        // The dev faucet is how accounts come into being on a dev controller, so it serves any
        // account; without --dev it does not exist, and is refused before anything is read.
        router.post("/v1/faucet") { request, _ in
            guard settings.dev else {
                throw ProblemResponse(.notFound, "Not found", "the faucet exists only on controllers started with --dev")
            }
            return try await gate.signed(request, limit: settings.smallBodyLimit, accounts: .any) { signed in
                let body = try request.decodeJSON(API.FaucetRequest.self, from: signed.body)
                guard !body.amount.isZero, body.amount <= settings.faucetLimit else {
                    throw ProblemResponse(.unprocessableContent, "Invalid amount", "the faucet gives between 0.000001 and \(settings.faucetLimit) credits")
                }
                try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    ((), try market.mint(body.amount, to: body.account, now: now))
                }
                return try JSONResponse.make(await service.read { API.AccountView(market: $0, account: body.account) })
            }
        }
        router.post("/v1/transfers") { request, _ in
            try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                let body = try request.decodeJSON(API.TransferRequest.self, from: signed.body)
                return try await receipt(signed) { market, now throws(MarketplaceError) in
                    try market.transfer(body.amount, from: signed.account, to: body.to, now: now)
                }
            }
        }
        router.get("/v1/providers") { request, _ in
            let query = request.uri.queryParameters
            var after: AccountID?
            if let text = query["after"].map(String.init) {
                guard let parsed = try? AccountID(text) else { throw ProblemResponse(.badRequest, "Bad query", "after must be an account id") }
                after = parsed
            }
            guard let limit = Int(query["limit"].map(String.init) ?? "100"), (1...1_000).contains(limit) else {
                throw ProblemResponse(.badRequest, "Bad query", "limit must be between 1 and 1000")
            }
            let cursor = after
            return try JSONResponse.make(await service.read { market in
                let (ids, next) = market.providerPage(after: cursor, limit: limit)
                return API.ProviderList(providers: ids.map { API.AccountView(market: market, account: $0) }, next: next)
            })
        }
        // A profile is kept for good, so registering needs an account the market knows (funded):
        // a stream of fresh keys cannot fill the controller with profiles.
        router.put("/v1/providers/:id") { request, context in
            let id = try context.parameters.account("id")
            let tooLarge = "a provider profile is at most \(TenderDocument.maximumBytes) bytes (64 KiB)"
            return try await gate.signed(request, limit: TenderDocument.maximumBytes, tooLarge: tooLarge) { signed in
                try requireSelf(signed, id)
                let profile = try ProviderProfile.parse(try request.documentText(from: signed.body))
                try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
                    ((), market.register(profile: profile, for: id, now: now))
                }
                return try JSONResponse.make(await service.read { API.AccountView(market: $0, account: id) })
            }
        }
        for (action, command) in [("stake", StakeCommand.stake), ("unstake", .unstake)] {
            router.post("/v1/providers/:id/\(action)") { request, context in
                let id = try context.parameters.account("id")
                return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                    try requireSelf(signed, id)
                    let body = try request.decodeJSON(API.AmountRequest.self, from: signed.body)
                    return try await receipt(signed) { market, now throws(MarketplaceError) in
                        switch command {
                        case .stake: try market.stake(body.amount, account: id, now: now)
                        case .unstake: try market.unstake(body.amount, account: id, now: now)
                        }
                    }
                }
            }
        }
        router.post("/v1/providers/:id/withdraw") { request, context in
            let id = try context.parameters.account("id")
            return try await gate.signed(request, limit: settings.smallBodyLimit) { signed in
                try requireSelf(signed, id)
                return try await receipt(signed) { market, now throws(MarketplaceError) in try market.withdraw(account: id, now: now) }
            }
        }
    }

    enum StakeCommand: Sendable {
        case stake
        case unstake
    }

    private func requireSelf(_ signed: SignedBody, _ id: AccountID) throws {
        guard signed.account == id else {
            throw ProblemResponse(.forbidden, "Forbidden", "only account \(id.short)… can act on its own provider record")
        }
    }

    /// Runs a money-moving command and answers with the journal entries it appended.
    private func receipt(
        _ signed: SignedBody, _ command: @escaping @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> MarketChange
    ) async throws -> Response {
        let receipt = try await service.performSigned(signed.evidence) { market, now throws(MarketplaceError) in
            let change = try command(&market, now)
            return (API.Receipt(journal: change.journal.map(\.sequence), ledgerHead: market.ledger.headHash), change)
        }
        return JSONResponse.make(json: receipt.canonicalJSON)
    }
}
