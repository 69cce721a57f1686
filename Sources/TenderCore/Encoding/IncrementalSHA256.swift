import Crypto
import Foundation

/// SHA-256 over bytes that arrive in pieces (a streamed upload): the same lowercase hex as
/// `Hashing.sha256Hex` over the whole, without holding the whole.
public struct IncrementalSHA256: Sendable {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ data: Data) {
        hasher.update(data: data)
    }

    /// The digest of everything given so far, in lowercase hex.
    public func finalizeHex() -> String {
        Hex.encode(hasher.finalize())
    }
}
