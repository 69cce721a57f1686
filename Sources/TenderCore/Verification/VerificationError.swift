/// Why a verification input was refused: malformed hashes, secrets or evidence.
public enum VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field that must be a 32-byte SHA-256 in lowercase hex is not.
    case badHash(String)

    public var description: String {
        switch self {
        case .badHash(let field): "\(field) must be 32 bytes of lowercase hex"
        }
    }
}
