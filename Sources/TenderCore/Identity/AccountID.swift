import Crypto
import Foundation

/// An account: the lowercase hex of a 32-byte Ed25519 public key.
///
/// The id *is* the verification key, so anyone holding a signed message and the id can check it
/// without asking the controller.
///
/// Kept as the key's 32 bytes in four words, not as its text: accounts key every dictionary of the
/// market, and hashing or comparing four integers costs nothing next to a 64-character string on
/// the heap. The text form is made when it is asked for.
public struct AccountID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The key's bytes, big-endian, eight to a word: word order is byte order, so comparing the
    /// words compares the hex.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The lowercase hex of the public key.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { text in
            func put(_ word: UInt64, at start: Int) {
                for nibble in 0..<16 {
                    text[start + nibble] = Hex.digit(UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * nibble)) & 0x0F)
                }
            }
            put(words.0, at: 0)
            put(words.1, at: 16)
            put(words.2, at: 32)
            put(words.3, at: 48)
            return 64
        }
    }

    /// The 32 bytes of the public key.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    private init(bytes: some Collection<UInt8>) {
        var words = [UInt64](repeating: 0, count: 4)
        for (index, byte) in bytes.prefix(32).enumerated() {
            words[index / 8] |= UInt64(byte) << UInt64(56 - 8 * (index % 8))
        }
        self.words = (words[0], words[1], words[2], words[3])
    }

    public static func == (lhs: AccountID, rhs: AccountID) -> Bool {
        lhs.words == rhs.words
    }

    /// All 32 bytes: an id need not be anyone's key (a transfer can name any), so ids sharing a
    /// prefix are free to make, and hashing less would let them collide on purpose.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

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
        var utf8 = text
        let parsed = utf8.withUTF8 { utf8 -> (UInt64, UInt64, UInt64, UInt64)? in
            guard utf8.count == 64 else { return nil }
            var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            let complete = withUnsafeMutableBytes(of: &bytes) { Hex.decode(utf8, into: $0) }
            // The words hold the bytes in order; on a little-endian machine each is read swapped.
            return complete ? (UInt64(bigEndian: bytes.0), UInt64(bigEndian: bytes.1), UInt64(bigEndian: bytes.2), UInt64(bigEndian: bytes.3)) : nil
        }
        guard let parsed else { throw .malformedAccountID(text) }
        self.words = parsed
    }

    public init(publicKey: Curve25519.Signing.PublicKey) {
        self.init(bytes: publicKey.rawRepresentation)
    }

    /// The Ed25519 key this id names.
    public var publicKey: Curve25519.Signing.PublicKey {
        get throws(IdentityError) {
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else {
                throw .malformedAccountID(hex)
            }
            return key
        }
    }

    /// Whether the key is one only its private key can sign for (see `Ed25519Encoding`).
    public var isAcceptable: Bool {
        Ed25519Encoding.isAcceptablePublicKey(bytes)
    }

    /// The first 12 hex digits, enough to tell accounts apart in logs and tables.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool {
        (lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3) < (rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3)
    }

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
