import Foundation

/// A user's signed request, kept with every journal entry it caused: what was asked, by whom, and
/// the signature that proves it, so anyone can check that no entry moves a user's money without
/// that user's word. Nothing here can be forged without the user's key.
public struct RequestEvidence: Sendable, Hashable, Codable {
    public var account: AccountID
    public var nonce: UInt64
    /// The HTTP method and the exact target as signed (path and query).
    public var method: String
    public var target: String
    /// The request body as signed; its SHA-256 is in the signed bytes. Base64 in JSON, as
    /// `JSONEncoder` writes `Data` by default.
    public var body: Data
    /// The raw 64-byte Ed25519 signature.
    public var signature: Data

    public init(account: AccountID, nonce: UInt64, method: String, target: String, body: Data, signature: Data) {
        self.account = account
        self.nonce = nonce
        self.method = method
        self.target = target
        self.body = body
        self.signature = signature
    }

    /// Whether the signature is the account's over this method, target, nonce and body.
    public var isAuthentic: Bool {
        let signed = RequestSignature(account: account, nonce: nonce, signature: signature)
        do {
            try signed.verify(method: method, pathWithQuery: target, body: body)
            return true
        } catch {
            return false
        }
    }

    /// The target's path without its query.
    public var path: String {
        String(target.prefix { $0 != "?" })
    }
}
