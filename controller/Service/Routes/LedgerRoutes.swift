import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// The journal, supply and the signed head.
struct LedgerRoutes: Sendable {
    /// Request bodies one journal page carries at most.
    static let pageBodyBytes = 4 << 20

    let service: MarketService

    func register(on router: RouteTable) {
        router.get("/v1/ledger/journal") { request, _ in
            let query = request.uri.queryParameters
            guard let after = UInt64(query["after"].map(String.init) ?? "0"),
                  let limit = Int(query["limit"].map(String.init) ?? "500"), (1...5_000).contains(limit) else {
                throw ProblemResponse(.badRequest, "Bad query", "after must be a sequence number and limit between 1 and 5000")
            }
            let fetched = try await service.storage.journal(after: after, limit: limit)
            // Entries carry their requests' bodies (up to a 64 KiB manifest each): a page also
            // stops at about 4 MiB of bodies, and `next` says where to go on.
            var entries: [JournalEntry] = []
            var bodyBytes = 0
            for entry in fetched {
                if !entries.isEmpty && bodyBytes + (entry.request?.body.count ?? 0) > Self.pageBodyBytes { break }
                bodyBytes += entry.request?.body.count ?? 0
                entries.append(entry)
            }
            let more = entries.count < fetched.count || fetched.count == limit
            return try JSONResponse.make(API.JournalPage(entries: entries, next: more ? entries.last?.sequence : nil))
        }
        router.get("/v1/ledger/supply") { _, _ in
            try JSONResponse.make(await service.read { $0.ledger.totals })
        }
        router.get("/v1/ledger/head") { _, _ in
            let (sequence, hash) = await service.read { ($0.ledger.sequence, $0.ledger.headHash) }
            let head = API.LedgerHead(sequence: sequence, hash: hash, signedAt: service.now)
            return try JSONResponse.make(try Signed(head, by: service.controllerKey))
        }
    }
}
