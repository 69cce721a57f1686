/// Why an identity, key or signature was refused.
public enum IdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedAccountID(String)
    case malformedKey
    case malformedSignature
    case badSignature
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .malformedAccountID(let text): "'\(text)' is not an account id (64 hex digits of an Ed25519 public key)"
        case .malformedKey: "the key is not a 32-byte Ed25519 private key"
        case .malformedSignature: "the signature is not base64 of 64 bytes"
        case .badSignature: "the signature does not verify for this account"
        case .encodingFailed(let reason): "could not encode the signed object: \(reason)"
        }
    }
}
