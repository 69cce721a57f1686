import Foundation

/// A protocol message signed in its own right: a bid, a commitment, a dispute move, a receipt.
///
/// The signature covers `"tender-signed-v1\n" + canonicalJSON(payload)`. The payload travels as
/// canonical JSON text beside the signature, so a verifier checks the exact bytes that were signed
/// and never depends on re-encoding agreeing byte for byte.
public struct Signed<Payload: Codable & Sendable>: Codable, Sendable {
    public var signer: AccountID
    /// Canonical JSON of the payload, exactly as signed.
    public var payloadJSON: String
    /// Base64 Ed25519 signature.
    public var signature: String

    static var domain: Data { Data("tender-signed-v1\n".utf8) }

    public init(_ payload: Payload, by key: KeyPair) throws(IdentityError) {
        let json: Data
        do { json = try CanonicalJSON.encode(payload) } catch { throw .encodingFailed("\(error)") }
        self.signer = key.account
        self.payloadJSON = String(decoding: json, as: UTF8.self)
        self.signature = try key.sign(Self.domain + json).base64EncodedString()
    }

    /// Checks the signature and returns the payload it covers.
    public func verified() throws(IdentityError) -> Payload {
        guard let raw = Data(base64Encoded: signature) else { throw .malformedSignature }
        let json = Data(payloadJSON.utf8)
        try signer.verify(signature: raw, for: Self.domain + json)
        do {
            return try CanonicalJSON.decode(Payload.self, from: json)
        } catch {
            throw .encodingFailed("payload does not decode: \(error)")
        }
    }
}
extension Signed: Equatable {}
