/// Why an identity, key or signature was refused.
public enum IdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedAccountID(String)
    /// A small-order or non-canonical Ed25519 public key: signatures "by" it can be made without a
    /// private key, so it is never an account.
    case weakKey(String)
    case malformedKey
    case malformedSignature
    case badSignature
    /// A signature not in its one canonical form: `S` not below the group order, or `R` not a
    /// canonical point of large order.
    case nonCanonicalSignature
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .malformedAccountID(let text): "'\(text)' is not an account id (64 hex digits of an Ed25519 public key)"
        case .malformedKey: "the key is not a 32-byte Ed25519 private key"
        case .malformedSignature: "the signature is not base64 of 64 bytes"
        case .badSignature: "the signature does not verify for this account"
        case .weakKey(let text):
            "'\(text)' is a small-order or non-canonical Ed25519 public key: anyone could sign for it, so it cannot be an account"
        case .nonCanonicalSignature:
            "the signature is not canonical: S must be below the group order and R a canonical point of large order"
        case .encodingFailed(let reason): "could not encode the signed object: \(reason)"
        }
    }
}
