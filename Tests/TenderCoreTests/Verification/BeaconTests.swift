import Foundation
import Testing
@testable import TenderCore

@Suite("Beacon commit-reveal")
struct BeaconTests {
    static let secret = Hashing.sha256Hex("beacon secret")
    static let manifestHash = Hashing.sha256Hex("manifest")
    static let root = Hashing.sha256Hex("root")

    @Test("the commitment is the SHA-256 of the secret's 32 raw bytes, not of its hex text")
    func commitmentHashesRawBytes() throws {
        let bytes = try #require(Hex.decode(Self.secret))
        #expect(bytes.count == 32)
        let commitment = try Beacon.commitment(ofSecret: Self.secret)
        #expect(commitment == Hex.encode(Hashing.sha256(bytes)))
        #expect(commitment != Hashing.sha256Hex(Self.secret))
        #expect(Hashing.isSHA256Hex(commitment))
    }

    @Test("a commitment opens with its own secret and with no other")
    func opensOnlyWithItsSecret() throws {
        let commitment = try Beacon.commitment(ofSecret: Self.secret)
        #expect(Beacon.opens(commitment, with: Self.secret))
        #expect(!Beacon.opens(commitment, with: Hashing.sha256Hex("another secret")))
        #expect(!Beacon.opens(commitment, with: "not a secret"))
        // The commitment is not its own secret.
        #expect(!Beacon.opens(commitment, with: commitment))
    }

    @Test(
        "a secret that is not 32 bytes of hex is refused",
        arguments: ["", "abcd", String(repeating: "ab", count: 31), String(repeating: "ab", count: 33), String(repeating: "zz", count: 32)]
    )
    func badSecret(secret: String) {
        #expect(throws: VerificationError.badHash("secret")) { try Beacon.commitment(ofSecret: secret) }
        #expect(throws: VerificationError.badHash("secret")) {
            try Beacon.seed(manifestHash: Self.manifestHash, root: Self.root, secret: secret)
        }
        #expect(!Beacon.opens(Hashing.sha256Hex(secret), with: secret))
    }

    @Test("the seed refuses a manifest hash or root that is not 32 bytes of hex, naming the field")
    func badSeedInputs() {
        #expect(throws: VerificationError.badHash("manifestHash")) {
            try Beacon.seed(manifestHash: "mh", root: Self.root, secret: Self.secret)
        }
        #expect(throws: VerificationError.badHash("root")) {
            try Beacon.seed(manifestHash: Self.manifestHash, root: String(Self.root.dropLast(2)), secret: Self.secret)
        }
    }

    @Test("the seed is the SHA-256 of manifest hash, root and secret as 96 concatenated bytes")
    func seedIsHashOfConcatenation() throws {
        let seed = try Beacon.seed(manifestHash: Self.manifestHash, root: Self.root, secret: Self.secret)
        var input = Data()
        for hex in [Self.manifestHash, Self.root, Self.secret] {
            input.append(try #require(Hex.decode(hex)))
        }
        #expect(input.count == 96)
        #expect(seed.count == 32)
        #expect(seed == Hashing.sha256(input))
        // Hashing the hex text instead of the bytes would give something else.
        #expect(seed != Hashing.sha256(Data((Self.manifestHash + Self.root + Self.secret).utf8)))
    }

    @Test("changing any one input, or their order, changes the seed")
    func seedDependsOnEveryInput() throws {
        let other = Hashing.sha256Hex("something else")
        let (m, r, s) = (Self.manifestHash, Self.root, Self.secret)
        let seeds = try [
            Beacon.seed(manifestHash: m, root: r, secret: s),
            Beacon.seed(manifestHash: other, root: r, secret: s),
            Beacon.seed(manifestHash: m, root: other, secret: s),
            Beacon.seed(manifestHash: m, root: r, secret: other),
            Beacon.seed(manifestHash: r, root: m, secret: s),
        ]
        #expect(Set(seeds).count == seeds.count)
        // The same inputs give the same seed.
        #expect(try Beacon.seed(manifestHash: m, root: r, secret: s) == seeds[0])
    }
}
