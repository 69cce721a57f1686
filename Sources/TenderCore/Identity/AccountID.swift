import Crypto
import Foundation

/// An account: the lowercase hex of a 32-byte Ed25519 public key.
///
/// The id *is* the verification key, so anyone holding a signed message and the id can check it
/// without asking the controller.
public struct AccountID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hex: String

    /// Parses an account id: 64 hex digits (either case) of an Ed25519 public key that only its
    /// private key can sign for. A small-order or non-canonical key is refused (`weakKey`): anyone
    /// could make signatures that verify for it.
    public init(_ text: String) throws(IdentityError) {
        try self.init(hexDigits: text)
        guard isAcceptable else { throw .weakKey(hex) }
    }

    /// Checks the form only: 64 hex digits. Records and journal entries decode through this, so
    /// whatever was stored before keys were checked still loads; a weak key still cannot act,
    /// because `verify(signature:for:)` refuses it.
    init(hexDigits text: String) throws(IdentityError) {
        let lowered = text.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy(\.isHexDigit) else {
            throw .malformedAccountID(text)
        }
        self.hex = lowered
    }

    public init(publicKey: Curve25519.Signing.PublicKey) {
        self.hex = Hex.encode(publicKey.rawRepresentation)
    }

    /// The Ed25519 key this id names.
    public var publicKey: Curve25519.Signing.PublicKey {
        get throws(IdentityError) {
            guard let bytes = Hex.decode(hex),
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else {
                throw .malformedAccountID(hex)
            }
            return key
        }
    }

    /// Whether the key is one only its private key can sign for (see `Ed25519Encoding`).
    public var isAcceptable: Bool {
        guard let bytes = Hex.decode(hex) else { return false }
        return Ed25519Encoding.isAcceptablePublicKey([UInt8](bytes))
    }

    /// The first 12 hex digits, enough to tell accounts apart in logs and tables.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(hexDigits: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}
