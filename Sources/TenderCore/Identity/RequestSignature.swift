import Foundation

/// The signature on a mutating HTTP request (DESIGN section 3).
///
/// The signed bytes are
/// `"tender-v1\n" + METHOD + "\n" + PATH_WITH_QUERY + "\n" + NONCE + "\n" + hex(sha256(body))`,
/// so any client in any language can sign with these bytes alone.
public struct RequestSignature: Sendable, Equatable {
    public static let accountHeader = "Tender-Account"
    public static let nonceHeader = "Tender-Nonce"
    public static let signatureHeader = "Tender-Signature"

    public var account: AccountID
    public var nonce: UInt64
    /// The raw 64-byte Ed25519 signature; base64 on the wire.
    public var signature: Data

    public init(account: AccountID, nonce: UInt64, signature: Data) {
        self.account = account
        self.nonce = nonce
        self.signature = signature
    }

    /// The exact bytes that are signed for a request.
    public static func signingBytes(method: String, pathWithQuery: String, nonce: UInt64, body: Data) -> Data {
        signingBytes(method: method, pathWithQuery: pathWithQuery, nonce: nonce, bodySHA256Hex: Hashing.sha256Hex(body))
    }

    /// The same bytes from the body's SHA-256 alone, for a body hashed as it streamed past.
    public static func signingBytes(method: String, pathWithQuery: String, nonce: UInt64, bodySHA256Hex: String) -> Data {
        Data("tender-v1\n\(method.uppercased())\n\(pathWithQuery)\n\(nonce)\n\(bodySHA256Hex)".utf8)
    }

    /// Signs a request with `key`.
    public static func sign(
        method: String, pathWithQuery: String, nonce: UInt64, body: Data, with key: KeyPair
    ) throws(IdentityError) -> RequestSignature {
        let bytes = signingBytes(method: method, pathWithQuery: pathWithQuery, nonce: nonce, body: body)
        return RequestSignature(account: key.account, nonce: nonce, signature: try key.sign(bytes))
    }

    /// Parses the three headers; `nil` header values are reported as missing by the caller.
    ///
    /// Everything that can be refused without the body is refused here: a weak account key and a
    /// non-canonical signature as well as malformed text, so a controller can turn such a request
    /// away before it reads a byte of the body.
    public init(accountHeader: String, nonceHeader: String, signatureHeader: String) throws(IdentityError) {
        self.account = try AccountID(accountHeader)
        guard let nonce = UInt64(nonceHeader) else { throw .malformedSignature }
        self.nonce = nonce
        guard let raw = Data(base64Encoded: signatureHeader), raw.count == 64 else { throw .malformedSignature }
        guard Ed25519Encoding.isAcceptableSignature([UInt8](raw)) else { throw .nonCanonicalSignature }
        self.signature = raw
    }

    /// Header values as sent.
    public var headers: [(name: String, value: String)] {
        [
            (Self.accountHeader, account.hex),
            (Self.nonceHeader, String(nonce)),
            (Self.signatureHeader, signature.base64EncodedString()),
        ]
    }

    /// Verifies this signature against the request it claims to sign.
    public func verify(method: String, pathWithQuery: String, body: Data) throws(IdentityError) {
        try verify(method: method, pathWithQuery: pathWithQuery, bodySHA256Hex: Hashing.sha256Hex(body))
    }

    /// Verifies this signature against a request whose body is known by its SHA-256 (lowercase hex).
    public func verify(method: String, pathWithQuery: String, bodySHA256Hex: String) throws(IdentityError) {
        let bytes = Self.signingBytes(method: method, pathWithQuery: pathWithQuery, nonce: nonce, bodySHA256Hex: bodySHA256Hex)
        try account.verify(signature: signature, for: bytes)
    }
}
