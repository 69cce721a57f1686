import Foundation
import Hummingbird
import TenderCore

/// Lets signed requests in, in the order that keeps an unauthenticated one cheap (DESIGN sections
/// 3 and 11a): first the signature headers, then the account and its nonce, and only then the
/// body, bounded per route; the signature is checked last because it covers the body's hash.
/// An unsigned 60 MiB body is refused at its headers, never read.
///
/// Once a signature has verified, the request's nonce is used up whatever the answer: a request
/// refused now can never be replayed later to succeed. `MarketService.performSigned` does this for
/// refusals by the market; `spendingNonce` does it for refusals by the route around it.
struct RequestGate: Sendable {
    let service: MarketService

    /// The longest path and query a signed request may have.
    static let maximumTargetBytes = 1_024

    /// Which accounts a route serves.
    enum Accounts: Sendable, Equatable {
        /// Accounts the market knows (`Marketplace.isKnown`): everything that costs the controller work.
        case known
        /// Any account: the dev faucet, which is how accounts come into being on a dev controller.
        case any
    }

    /// Admits a signed request, reads its body (at most `limit` bytes, else 413 with `tooLarge`),
    /// verifies the signature, and runs `handle`; a refusal from `handle` spends the nonce.
    func signed(
        _ request: Request, limit: Int, accounts: Accounts = .known, tooLarge: String? = nil,
        _ handle: (SignedBody) async throws -> Response
    ) async throws -> Response {
        let signature = try await admit(request, accounts: accounts)
        let body = try await request.bodyData(limit: limit, tooLarge: tooLarge)
        try Self.verify(signature, of: request, bodySHA256Hex: Hashing.sha256Hex(body))
        return try await spendingNonce(of: signature) {
            try await handle(SignedBody(evidence: RequestEvidence(
                account: signature.account, nonce: signature.nonce, method: request.method.rawValue, target: request.signedTarget,
                body: body, signature: signature.signature
            )))
        }
    }

    /// Parses the signature headers and admits the account and its nonce, before any body byte
    /// is read: 401 for missing, malformed or weak headers and unknown accounts, 409 for a used
    /// nonce, 422 for one too far ahead.
    func admit(_ request: Request, accounts: Accounts) async throws -> RequestSignature {
        // The target as signed is kept in the journal with the request: it may not carry a body's
        // worth of padding in its query.
        guard request.signedTarget.utf8.count <= Self.maximumTargetBytes else {
            throw ProblemResponse(.uriTooLong, "Target too long", "a signed request's path and query are at most \(Self.maximumTargetBytes) bytes")
        }
        guard let account = request.headers[Request.accountField], let nonce = request.headers[Request.nonceField],
              let signature = request.headers[Request.signatureField] else { throw AuthError.missingHeaders }
        let parsed: RequestSignature
        do {
            parsed = try RequestSignature(accountHeader: account, nonceHeader: nonce, signatureHeader: signature)
        } catch {
            throw AuthError.malformed(error)
        }
        try await service.admit(parsed.account, nonce: parsed.nonce, newAccounts: accounts == .any)
        return parsed
    }

    /// Checks the signature over the exact target as sent and the body's SHA-256; 401 if it fails.
    static func verify(_ signature: RequestSignature, of request: Request, bodySHA256Hex: String) throws {
        do {
            try signature.verify(method: request.method.rawValue, pathWithQuery: request.signedTarget, bodySHA256Hex: bodySHA256Hex)
        } catch {
            throw AuthError.badSignature
        }
    }

    /// Runs `work` for a request whose signature verified; if it refuses the request, the nonce
    /// is used up before the refusal is answered.
    func spendingNonce<T>(of signature: RequestSignature, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            if Self.spendsNonce(error) { try await service.spendNonce(signature.nonce, for: signature.account) }
            throw error
        }
    }

    /// Whether an error answering a verified request uses its nonce up: every refusal does; a
    /// failure of the controller itself (nothing was decided) and a refused nonce do not.
    static func spendsNonce(_ error: any Error) -> Bool {
        switch error {
        case is ControllerError, is CancellationError: false
        case MarketplaceError.staleNonce, MarketplaceError.futureNonce: false
        default: true
        }
    }
}
