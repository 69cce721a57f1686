import Foundation
import Testing
@testable import TenderCore

@Suite("Identity and signatures")
struct IdentityTests {
    @Test("account ids are 64 lowercase hex digits of the public key")
    func accountID() throws {
        let key = KeyPair()
        #expect(key.account.hex.count == 64)
        #expect(try AccountID(key.account.hex.uppercased()) == key.account)
        #expect(throws: IdentityError.self) { try AccountID("abc") }
        #expect(throws: IdentityError.self) { try AccountID(String(repeating: "g", count: 64)) }
    }

    @Test("an id's text and bytes round-trip in order, and anything but 64 hex digits is refused")
    func accountIDText() throws {
        var random = SplitMix(seed: 64)
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let hex = Hex.encode(bytes)
            let id = try AccountID(hexDigits: hex)
            #expect(id.hex == hex)
            #expect(id.bytes == bytes)
            #expect(try AccountID(hexDigits: hex.uppercased()) == id)
            #expect(Hex.decode(hex) == Data(bytes))
        }
        let valid = String(repeating: "0f", count: 32)
        for bad in [String(valid.dropLast()), valid + "0", String(valid.dropLast()) + "g", String(valid.dropLast(2)) + "é", " " + valid.dropFirst()] {
            #expect(throws: IdentityError.malformedAccountID(bad)) { try AccountID(hexDigits: bad) }
        }
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == Data())
        #expect(Hex.decode("00FfA1") == Data([0x00, 0xFF, 0xA1]))
    }

    @Test("the request signing bytes are exactly those of the design")
    func signingBytes() {
        let body = Data("{\"amount\":5}".utf8)
        let bytes = RequestSignature.signingBytes(method: "post", pathWithQuery: "/v1/orders?state=open", nonce: 42, body: body)
        let expected = "tender-v1\nPOST\n/v1/orders?state=open\n42\n" + Hashing.sha256Hex(body)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        let empty = RequestSignature.signingBytes(method: "DELETE", pathWithQuery: "/v1/orders/1", nonce: 1, body: Data())
        #expect(String(decoding: empty, as: UTF8.self).hasSuffix("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }

    @Test("a signed request verifies, and any change to it does not")
    func requestRoundTrip() throws {
        let key = KeyPair()
        let body = Data("{\"x\":1}".utf8)
        let signature = try RequestSignature.sign(method: "POST", pathWithQuery: "/v1/transfers", nonce: 7, body: body, with: key)
        try signature.verify(method: "POST", pathWithQuery: "/v1/transfers", body: body)
        #expect(throws: IdentityError.badSignature) {
            try signature.verify(method: "POST", pathWithQuery: "/v1/transfers", body: Data("{\"x\":2}".utf8))
        }
        #expect(throws: IdentityError.badSignature) {
            try signature.verify(method: "PUT", pathWithQuery: "/v1/transfers", body: body)
        }
        var replayed = signature
        replayed.nonce = 8
        #expect(throws: IdentityError.badSignature) { try replayed.verify(method: "POST", pathWithQuery: "/v1/transfers", body: body) }
        var stolen = signature
        stolen.account = KeyPair().account
        #expect(throws: IdentityError.badSignature) { try stolen.verify(method: "POST", pathWithQuery: "/v1/transfers", body: body) }
    }

    @Test("headers parse back into the same signature")
    func headers() throws {
        let key = KeyPair()
        let signature = try RequestSignature.sign(method: "POST", pathWithQuery: "/v1/x", nonce: 99, body: Data(), with: key)
        let values = Dictionary(uniqueKeysWithValues: signature.headers.map { ($0.name, $0.value) })
        let parsed = try RequestSignature(
            accountHeader: try #require(values["Tender-Account"]),
            nonceHeader: try #require(values["Tender-Nonce"]),
            signatureHeader: try #require(values["Tender-Signature"])
        )
        #expect(parsed == signature)
        #expect(throws: IdentityError.malformedSignature) {
            try RequestSignature(accountHeader: key.account.hex, nonceHeader: "-1", signatureHeader: "")
        }
        #expect(throws: IdentityError.malformedSignature) {
            try RequestSignature(accountHeader: key.account.hex, nonceHeader: "1", signatureHeader: "bm90IDY0IGJ5dGVz")
        }
    }

    struct Claim: Codable, Sendable, Equatable {
        var lease: UInt64
        var root: String
        var price: Amount
    }

    @Test("a signed object verifies for anyone, and tampering is detected")
    func signedEnvelope() throws {
        let key = KeyPair()
        let claim = Claim(lease: 3, root: "ab/cd", price: try Amount(micros: 5))
        let signed = try Signed(claim, by: key)
        #expect(signed.payloadJSON == #"{"lease":3,"price":5,"root":"ab/cd"}"#)
        #expect(try signed.verified() == claim)

        let wire = try CanonicalJSON.encode(signed)
        let received = try CanonicalJSON.decode(Signed<Claim>.self, from: wire)
        #expect(try received.verified() == claim)

        var tampered = signed
        tampered.payloadJSON = #"{"lease":3,"price":6,"root":"ab/cd"}"#
        #expect(throws: IdentityError.badSignature) { try tampered.verified() }
        var forged = signed
        forged.signer = KeyPair().account
        #expect(throws: IdentityError.badSignature) { try forged.verified() }
    }
}
