import Foundation
import Hummingbird
import TenderCore
import TenderStore

/// The journal, supply and the signed head, and the artifact store.
struct LedgerRoutes: Sendable {
    let service: MarketService
    let database: TenderDatabase
    let settings: ControllerSettings
    let artifacts: ArtifactStore

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
        router.put("/v1/artifacts/:sha256") { request, context in
            let expected = try artifactHash(context)
            let signed = try await request.signed(limit: settings.maxBodyBytes)
            _ = try await service.performSigned(signed.evidence) { _, _ throws(MarketplaceError) in
                ((), MarketChange())
            }
            let hash = try artifacts.put(signed.body, expected: expected)
            return try JSONResponse.make(["sha256": hash, "size": String(signed.body.count)], status: .created)
        }
        router.get("/v1/artifacts/:sha256") { _, context in
            let hash = try artifactHash(context)
            guard let data = try artifacts.get(hash) else { throw ProblemResponse(.notFound, "Not found", "no artifact sha256:\(hash)") }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    private func artifactHash(_ context: BasicRequestContext) throws -> String {
        guard let text = context.parameters.get("sha256")?.lowercased(), Hashing.isSHA256Hex(text) else {
            throw ProblemResponse(.notFound, "Not found", "an artifact is named by 64 lowercase hex digits of its SHA-256")
        }
        return text
    }
}
