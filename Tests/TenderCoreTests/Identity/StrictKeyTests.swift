import Foundation
import Testing
@testable import TenderCore

/// Small-order and non-canonical keys and signatures (hardening issue): with them, a signature
/// can be made for an "account" without any private key.
@Suite("Strict Ed25519 keys and signatures")
struct StrictKeyTests {
    static let identity = "0100000000000000000000000000000000000000000000000000000000000000"

    /// Every encoding of the eight small-order points, and keys whose y is not below p.
    static let weakKeys = [
        identity,                                                              // order 1
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",    // order 2 (y = p - 1)
        "0000000000000000000000000000000000000000000000000000000000000000",    // order 4
        "0000000000000000000000000000000000000000000000000000000000000080",    // order 4, the other x
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",    // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "0100000000000000000000000000000000000000000000000000000000000080",    // x = 0 with its sign bit set
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",    // y = p
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",    // y = p + 1
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",    // y = 2^255 - 1
    ]

    @Test("small-order and non-canonical public keys are not account ids", arguments: StrictKeyTests.weakKeys)
    func weakKeysRefused(hex: String) {
        #expect(throws: IdentityError.weakKey(hex)) { try AccountID(hex) }
        #expect(throws: IdentityError.weakKey(hex)) { try AccountID(hex.uppercased()) }
        #expect(throws: IdentityError.self) {
            try RequestSignature(accountHeader: hex, nonceHeader: "1", signatureHeader: Data(count: 64).base64EncodedString())
        }
    }

    @Test("real keys, and the canonical y just below the refused range, are accounts")
    func acceptableKeys() throws {
        let key = KeyPair()
        #expect(try AccountID(key.account.hex) == key.account)
        #expect(key.account.isAcceptable)
        #expect(try AccountID("ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f").isAcceptable)
    }

    @Test("the forgery a small-order key allows is refused: R = identity, S = 0 'signs' anything for the identity key")
    func identityForgery() throws {
        var forged = try #require(Hex.decode(Self.identity))
        forged.append(Data(count: 32))
        let weak = try AccountID(hexDigits: Self.identity)
        #expect(throws: IdentityError.weakKey(Self.identity)) { try weak.verify(signature: forged, for: Data("pay mallory".utf8)) }
        #expect(throws: IdentityError.weakKey(Self.identity)) {
            try RequestSignature(accountHeader: Self.identity, nonceHeader: "1", signatureHeader: forged.base64EncodedString())
        }
        // A signed object carrying the weak signer still decodes (stored records must load), and never verifies.
        let json = #"{"payloadJSON":"{\"lease\":1}","signature":"\#(forged.base64EncodedString())","signer":"\#(Self.identity)"}"#
        let envelope = try JSONDecoder().decode(Signed<IdentityTests.Claim>.self, from: Data(json.utf8))
        #expect(throws: IdentityError.weakKey(Self.identity)) { try envelope.verified() }
    }

    @Test("a signature whose S is not below the group order is refused, though S mod L is the same signature")
    func nonCanonicalS() throws {
        let key = KeyPair()
        let message = Data("tender".utf8)
        let signature = try key.sign(message)
        try key.account.verify(signature: signature, for: message)
        // S + L: the same scalar mod L, a second encoding of the same signature.
        var bytes = [UInt8](signature)
        var carry: UInt16 = 0
        for index in 0..<32 {
            let sum = UInt16(bytes[32 + index]) + UInt16(Ed25519Encoding.groupOrder[index]) + carry
            bytes[32 + index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        #expect(carry == 0)
        let malleated = Data(bytes)
        #expect(throws: IdentityError.nonCanonicalSignature) { try key.account.verify(signature: malleated, for: message) }
        #expect(throws: IdentityError.nonCanonicalSignature) {
            try RequestSignature(accountHeader: key.account.hex, nonceHeader: "1", signatureHeader: malleated.base64EncodedString())
        }
    }

    @Test("a signature whose R is a small-order point is refused")
    func smallOrderR() throws {
        let key = KeyPair()
        let message = Data("x".utf8)
        var bytes = [UInt8](try key.sign(message))
        bytes.replaceSubrange(0..<32, with: [UInt8](try #require(Hex.decode(Self.identity))))
        #expect(throws: IdentityError.nonCanonicalSignature) { try key.account.verify(signature: Data(bytes), for: message) }
    }

    @Test("S = L is refused, L - 1 and 0 are canonical")
    func scalarBoundary() {
        let order = Ed25519Encoding.groupOrder
        #expect(!Ed25519Encoding.isCanonicalScalar(order))
        var below = order
        below[0] -= 1
        #expect(Ed25519Encoding.isCanonicalScalar(below))
        #expect(Ed25519Encoding.isCanonicalScalar([UInt8](repeating: 0, count: 32)))
        #expect(!Ed25519Encoding.isCanonicalScalar([UInt8](repeating: 0xff, count: 32)))
    }

    @Test("records written before keys were checked still load; the weak id they hold cannot act")
    func storedWeakIDsLoad() throws {
        let decoded = try JSONDecoder().decode([AccountID].self, from: Data("[\"\(Self.identity)\"]".utf8))
        #expect(decoded.first?.hex == Self.identity)
        #expect(decoded.first?.isAcceptable == false)
    }
}
