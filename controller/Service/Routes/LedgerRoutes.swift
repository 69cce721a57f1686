import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// The journal, supply and the signed head.
struct LedgerRoutes: Sendable {
    let service: MarketService
    let database: TenderDatabase

    func register(on router: RouteTable) {
        router.get("/v1/ledger/journal") { request, _ in
            let query = request.uri.queryParameters
            guard let after = UInt64(query["after"].map(String.init) ?? "0"),
                  let limit = Int(query["limit"].map(String.init) ?? "500"), (1...5_000).contains(limit) else {
                throw ProblemResponse(.badRequest, "Bad query", "after must be a sequence number and limit between 1 and 5000")
            }
            let entries = try await database.read { db in try JournalStore.page(after: after, limit: limit, in: db) }
            return try JSONResponse.make(API.JournalPage(entries: entries, next: entries.count == limit ? entries.last?.sequence : nil))
        }
        router.get("/v1/ledger/supply") { _, _ in
            try JSONResponse.make(await service.market.ledger.totals)
        }
        router.get("/v1/ledger/head") { _, _ in
            let ledger = await service.market.ledger
            let head = API.LedgerHead(sequence: ledger.sequence, hash: ledger.headHash, signedAt: service.now)
            return try JSONResponse.make(try Signed(head, by: service.controllerKey))
        }
    }
}
