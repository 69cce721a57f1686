import Foundation
import Hummingbird
import TenderCore

/// The content-addressed artifact store over HTTP. Uploads are streamed to disk while they are
/// hashed and reads are streamed from disk, so no artifact is ever held whole in memory; who may
/// store and read what is decided by the market (`Marketplace+Artifacts`).
struct ArtifactRoutes: Sendable {
    let service: MarketService
    let settings: ControllerSettings
    let artifacts: any ArtifactStorage
    let gate: RequestGate

    func register(on router: RouteTable) {
        router.put("/v1/artifacts/:sha256") { request, context in
            try await upload(request, context)
        }
        router.get("/v1/artifacts/:sha256") { request, context in
            try await download(request, context)
        }
    }

    /// `PUT /v1/artifacts/{sha256}` (signed): for the account's own quota, or with `?lease=N` for
    /// a lease of its own. The account, its nonce, the signature and the allowance are checked
    /// before a byte of the body is read (the path names the body's hash, which the signature
    /// covers, so a forged upload is refused at its headers); the body goes to a temporary file,
    /// is hashed on the way, and is moved under its hash only once the upload is recorded, so a
    /// refused upload leaves nothing behind.
    private func upload(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let expected = try artifactHash(context)
        let lease = try leaseParameter(request)
        let signature = try await gate.admit(request, accounts: .known)
        do {
            try RequestGate.verify(signature, of: request, bodySHA256Hex: expected)
        } catch {
            throw ProblemResponse(.unauthorized, "Bad signature",
                                  "the signature does not cover a body with the SHA-256 the path names (\(expected)): name the hash of the body you sign and send")
        }
        // The request is the account's own from here: any refusal uses up its nonce.
        let size = try await gate.spendingNonce(of: signature) { () async throws -> Int64 in
            let allowance = try await service.read { market throws(MarketplaceError) in try market.uploadAllowance(hash: expected, by: signature.account, lease: lease) }
            let bodyLimit = Int64(settings.maxBodyBytes)
            let tooLarge = allowance < bodyLimit
                ? "account \(signature.account.short)… has \(allowance) bytes of its artifact quota left"
                : "an artifact is at most \(bodyLimit) bytes"
            let staged = try await artifacts.stage(request.body, limit: min(bodyLimit, allowance), tooLarge: tooLarge)
            do {
                guard staged.hash == expected else {
                    throw ProblemResponse(.unprocessableContent, "Hash mismatch", "the body's SHA-256 is \(staged.hash), not \(expected)")
                }
                let size = staged.size
                try await service.performSigned(by: signature.account, nonce: signature.nonce) { market, now throws(MarketplaceError) in
                    ((), try market.recordUpload(hash: expected, size: size, by: signature.account, lease: lease, now: now))
                }
                try staged.commit()
                return size
            } catch {
                staged.discard()
                throw error
            }
        }
        return try JSONResponse.make(["sha256": expected, "size": String(size)], status: .created)
    }

    /// `GET /v1/artifacts/{sha256}`: unsigned for an artifact of an order whose manifest says
    /// `artifacts: public`; otherwise signed by an account that may read it. An artifact the
    /// account may not read is answered as missing, so a refusal tells nobody it exists.
    private func download(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let hash = try artifactHash(context)
        let signing = [Request.accountField, Request.nonceField, Request.signatureField].contains { request.headers[$0] != nil }
        guard signing else {
            guard await service.read({ $0.mayRead(artifact: hash, reader: nil) }) else { throw AuthError.unsignedRead }
            return try await file(hash, context)
        }
        return try await gate.signed(request, limit: 0) { signed in
            try await service.performSigned(signed.evidence) { market, _ throws(MarketplaceError) in
                guard market.mayRead(artifact: hash, reader: signed.account) else {
                    throw MarketplaceError.notFound("artifact sha256:\(hash) readable by \(signed.account.short)…")
                }
                return ((), MarketChange())
            }
            return try await file(hash, context)
        }
    }

    private func file(_ hash: String, _ context: BasicRequestContext) async throws -> Response {
        guard artifacts.contains(hash) else { throw ProblemResponse(.notFound, "Not found", "no artifact sha256:\(hash)") }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        return Response(status: .ok, headers: headers, body: try await artifacts.body(for: hash, context: context))
    }

    private func artifactHash(_ context: BasicRequestContext) throws -> String {
        guard let text = context.parameters.get("sha256")?.lowercased(), Hashing.isSHA256Hex(text) else {
            throw ProblemResponse(.notFound, "Not found", "an artifact is named by 64 lowercase hex digits of its SHA-256")
        }
        return text
    }

    /// `?lease=N`: the upload is one of lease N's (checkpoint states, the final state, the result,
    /// the trace, a dispute's state).
    private func leaseParameter(_ request: Request) throws -> LeaseID? {
        guard let text = request.uri.queryParameters["lease"] else { return nil }
        guard let id = LeaseID(text) else { throw ProblemResponse(.badRequest, "Bad query", "lease must be a lease id") }
        return id
    }
}
