import Foundation

/// The controller's commit-reveal beacon (DESIGN section 7).
///
/// At award the controller draws a 32-byte secret and publishes only its hash. After the
/// provider's commitment is recorded it reveals the secret, and the audit seed is
/// `SHA-256(manifestHash || root || secret)` over the raw bytes of the three. The provider cannot
/// know which segments will be checked before it commits (the secret is hidden), and the controller
/// cannot choose them afterwards (the secret was fixed at award and the root by the provider), so
/// anyone can recompute the sample and see it was not steered.
public enum Beacon {
    /// The published commitment to a secret: SHA-256 of its 32 bytes, lowercase hex.
    public static func commitment(ofSecret secret: String) throws(VerificationError) -> String {
        Hex.encode(Hashing.sha256(try bytes(secret, field: "secret")))
    }

    /// True when `secret` is 32 bytes of hex whose SHA-256 is `commitment`.
    public static func opens(_ commitment: String, with secret: String) -> Bool {
        guard let hash = try? self.commitment(ofSecret: secret) else { return false }
        return hash == commitment
    }

    /// The audit seed for a lease: SHA-256(manifestHash || root || secret).
    public static func seed(manifestHash: String, root: String, secret: String) throws(VerificationError) -> Data {
        var input = Data()
        input.append(try bytes(manifestHash, field: "manifestHash"))
        input.append(try bytes(root, field: "root"))
        input.append(try bytes(secret, field: "secret"))
        return Hashing.sha256(input)
    }

    private static func bytes(_ hex: String, field: String) throws(VerificationError) -> Data {
        guard let data = Hex.decode(hex), data.count == 32 else { throw .badHash(field) }
        return data
    }
}
