import Crypto
import Foundation

/// An Ed25519 signing key and the account it controls.
public struct KeyPair: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    /// A fresh key from the system's secure generator. This is the one place the core asks for
    /// randomness it was not handed: a signing key must come from a CSPRNG, not a seed.
    public init() {
        self.privateKey = Curve25519.Signing.PrivateKey()
    }

    /// Restores a key from its 32 raw bytes.
    public init(rawPrivateKey: Data) throws(IdentityError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey) else {
            throw .malformedKey
        }
        self.privateKey = key
    }

    public var account: AccountID { AccountID(publicKey: privateKey.publicKey) }

    public var rawPrivateKey: Data { privateKey.rawRepresentation }

    public func sign(_ message: Data) throws(IdentityError) -> Data {
        do {
            return try privateKey.signature(for: message)
        } catch {
            throw .encodingFailed("\(error)")
        }
    }
}

extension AccountID {
    /// Checks that `signature` over `message` was made by this account's key, strictly: a weak key
    /// or a non-canonical signature is refused before the curve arithmetic, whatever the library
    /// underneath would accept. A key that signs again and again is checked through its table
    /// (`RepeatSignerTables`), which can only confirm; swift-crypto decides everything else.
    public func verify(signature: Data, for message: Data, tables: RepeatSignerTables = .shared) throws(IdentityError) {
        guard signature.count == 64 else { throw .malformedSignature }
        guard isAcceptable else { throw .weakKey(hex) }
        guard Ed25519Encoding.isAcceptableSignature([UInt8](signature)) else { throw .nonCanonicalSignature }
        if tables.accepts(signature: signature, for: message, by: self) { return }
        guard try publicKey.isValidSignature(signature, for: message) else { throw .badSignature }
    }
}
