/// A file a job reads: a local path (relative to the manifest) before submission, or the SHA-256
/// of the artifact in the store after the client has uploaded it.
public enum ArtifactReference: Sendable, Hashable, Codable, CustomStringConvertible {
    case local(path: String)
    case sha256(String)

    /// `sha256:<64 hex>` names a stored artifact; anything else is a local path.
    public static func parse(_ text: String) -> Result<ArtifactReference, ValidationProblem> {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("sha256:") {
            let hex = String(trimmed.dropFirst("sha256:".count)).lowercased()
            guard Hashing.isSHA256Hex(hex) else {
                return .failure(ValidationProblem(path: "", message: "'\(text)' is not sha256: followed by 64 hex digits"))
            }
            return .success(.sha256(hex))
        }
        guard !trimmed.isEmpty else { return .failure(ValidationProblem(path: "", message: "must not be empty")) }
        return .success(.local(path: trimmed))
    }

    public var description: String {
        switch self {
        case .local(let path): path
        case .sha256(let hex): "sha256:\(hex)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch Self.parse(text) {
        case .success(let reference): self = reference
        case .failure(let problem): throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
