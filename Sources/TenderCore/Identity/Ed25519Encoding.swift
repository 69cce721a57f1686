import Foundation

/// What an Ed25519 public key and signature must look like before they are verified (RFC 8032
/// sections 5.1.3 and 5.1.7, with the small-order checks libsodium makes).
///
/// A public key of small order lets a signature verify for many messages without any private key,
/// so "signing" as such an account needs no secret; so does a signature whose `R` is of small
/// order. A non-canonical encoding (a coordinate >= p, or `S` >= the group order L) gives one key
/// or one signature several byte strings, and verifiers may then disagree on what verifies. Every
/// one of these is refused here, before any curve arithmetic.
public enum Ed25519Encoding {
    /// The eight points of order 1, 2, 4 and 8, little-endian, with the sign bit of x (the top bit)
    /// cleared: the identity, the point of order 2 (y = p - 1), the two of order 4 (y = 0) and the
    /// four of order 8 (two y values, two signs each). Comparing with the sign bit cleared also
    /// catches the encodings that set it on a point whose x is 0, which are not canonical.
    static let smallOrderPoints: [[UInt8]] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    ].map { [UInt8](Hex.decode($0) ?? Data()) }

    /// L = 2^252 + 27742317777372353535851937790883648493, the order of the base point, little-endian.
    static let groupOrder: [UInt8] = [UInt8](Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010") ?? Data())

    /// A public key anyone may sign for only with its private key: 32 bytes, a canonical y, not of small order.
    public static func isAcceptablePublicKey(_ bytes: [UInt8]) -> Bool {
        isCanonicalPoint(bytes) && !hasSmallOrder(bytes)
    }

    /// A signature in its one canonical form: `R` a canonical point of large order, `S` below L.
    public static func isAcceptableSignature(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 64 else { return false }
        let r = Array(bytes[0..<32])
        return isCanonicalPoint(r) && !hasSmallOrder(r) && isCanonicalScalar(Array(bytes[32..<64]))
    }

    /// True when the 32 bytes encode y < p = 2^255 - 19 (the top bit is x's sign and is ignored).
    /// The values from p to 2^255 - 1 are the bytes ed..ff, then thirty 0xff, then 0x7f.
    static func isCanonicalPoint(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        guard bytes[31] & 0x7f == 0x7f, bytes[1...30].allSatisfy({ $0 == 0xff }) else { return true }
        return bytes[0] < 0xed
    }

    /// True for any encoding of one of the eight small-order points.
    static func hasSmallOrder(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        var masked = bytes
        masked[31] &= 0x7f
        return smallOrderPoints.contains(masked)
    }

    /// True when the 32 little-endian bytes are a scalar below L.
    static func isCanonicalScalar(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        for index in stride(from: 31, through: 0, by: -1) where bytes[index] != groupOrder[index] {
            return bytes[index] < groupOrder[index]
        }
        return false
    }
}
