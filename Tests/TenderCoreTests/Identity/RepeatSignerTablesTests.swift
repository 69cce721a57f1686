import CTenderEd25519
import Crypto
import Foundation
import Testing
@testable import TenderCore

/// The table path of Ed25519 verification (`RepeatSignerTables`) against swift-crypto: it must
/// confirm every valid signature once a key has a table, and confirm nothing swift-crypto refuses.
@Suite("Ed25519 through repeat signers' tables")
struct RepeatSignerTablesTests {
    static func keys(_ count: Int, seed: UInt64) throws -> [KeyPair] {
        var random = SplitMix(seed: seed)
        return try (0..<count).map { _ in try KeyPair(rawPrivateKey: random.bytes(32)) }
    }

    static func reference(_ signature: Data, _ message: Data, _ account: AccountID) throws -> Bool {
        try account.publicKey.isValidSignature(signature, for: message)
    }

    @Test("every valid signature is confirmed through the table from a key's second one on")
    func validSignaturesConfirmed() throws {
        let tables = RepeatSignerTables(capacity: 64)
        var random = SplitMix(seed: 7)
        for key in try Self.keys(40, seed: 1) {
            for index in 0..<30 {
                let message = random.bytes(1 + Int(random.next() % 300))
                let signature = try key.sign(message)
                #expect(try Self.reference(signature, message, key.account))
                #expect(tables.accepts(signature: signature, for: message, by: key.account) == (index > 0))
            }
        }
        #expect(tables.counters.accepted == 40 * 29)
        #expect(tables.counters.mismatched == 0)
        #expect(tables.counters.built == 40)
    }

    @Test("an altered signature, message or signer is never confirmed, and swift-crypto refuses it too")
    func alterationsNeverConfirmed() throws {
        let tables = RepeatSignerTables(capacity: 64)
        let keys = try Self.keys(12, seed: 2)
        var random = SplitMix(seed: 11)
        for (position, key) in keys.enumerated() {
            let other = keys[(position + 1) % keys.count]
            for warm in 0..<2 {
                let message = Data("warm \(warm)".utf8)
                _ = tables.accepts(signature: try key.sign(message), for: message, by: key.account)
                _ = tables.accepts(signature: try other.sign(message), for: message, by: other.account)
            }
            for _ in 0..<20 {
                let message = random.bytes(1 + Int(random.next() % 100))
                let signature = try key.sign(message)
                var alterations: [(Data, Data, AccountID)] = []
                var badR = signature
                let rByte = Int(random.next() % 32)
                badR[rByte] ^= UInt8(1) << (random.next() % 8)
                alterations.append((badR, message, key.account))
                var badS = signature
                badS[32 + Int(random.next() % 31)] ^= UInt8(1) << (random.next() % 8)
                alterations.append((badS, message, key.account))
                var badMessage = message
                badMessage[Int(random.next() % UInt64(badMessage.count))] ^= 0x01
                alterations.append((signature, badMessage, key.account))
                alterations.append((signature, message, other.account))
                alterations.append((try other.sign(message), message, key.account))
                for (signature, message, account) in alterations {
                    #expect(!tables.accepts(signature: signature, for: message, by: account))
                    #expect(try !Self.reference(signature, message, account))
                }
            }
        }
    }

    @Test("S + L, the same signature in a second form, is not confirmed")
    func malleatedScalarRefused() throws {
        let tables = RepeatSignerTables(capacity: 4)
        let key = try Self.keys(1, seed: 3)[0]
        let message = Data("pay 1".utf8)
        let signature = try key.sign(message)
        #expect(!tables.accepts(signature: signature, for: message, by: key.account))
        #expect(tables.accepts(signature: signature, for: message, by: key.account))
        // Add L to S (little-endian); S < L < 2^253, so the sum fits in 32 bytes.
        var malleated = signature
        var carry = 0
        for index in 0..<32 {
            let sum = Int(signature[32 + index]) + Int(Ed25519Encoding.groupOrder[index]) + carry
            malleated[32 + index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        #expect(!tables.accepts(signature: malleated, for: message, by: key.account))
        #expect(throws: IdentityError.nonCanonicalSignature) { try key.account.verify(signature: malleated, for: message, tables: tables) }
    }

    @Test("reduction modulo L")
    func reduction() {
        func reduce(_ value: [UInt8]) -> [UInt8] {
            let input = value + [UInt8](repeating: 0, count: 64 - value.count)
            var out = [UInt8](repeating: 0, count: 32)
            tender_ed25519_reduce(&out, input)
            return out
        }
        let order = Ed25519Encoding.groupOrder
        #expect(reduce(order) == [UInt8](repeating: 0, count: 32))
        var orderPlusNine = order
        orderPlusNine[0] += 9
        #expect(reduce(orderPlusNine) == [9] + [UInt8](repeating: 0, count: 31))
        #expect(reduce([5]) == [5] + [UInt8](repeating: 0, count: 31))
        // The largest input comes out below L; a multiple of L shifted up 256 bits adds nothing.
        let top = reduce([UInt8](repeating: 0xff, count: 64))
        #expect(Ed25519Encoding.isCanonicalScalar(top))
        var shifted = [UInt8](repeating: 0, count: 32) + order
        shifted[0] = 0x2a
        #expect(reduce(shifted) == [0x2a] + [UInt8](repeating: 0, count: 31))
    }

    @Test("tables stay within capacity, and keys that come round too rarely stop costing builds")
    func boundedUnderThrash() throws {
        let tables = RepeatSignerTables(capacity: 4)
        let keys = try Self.keys(16, seed: 4)
        let message = Data("round".utf8)
        let signatures = try keys.map { try $0.sign(message) }
        for _ in 0..<20 {
            for (key, signature) in zip(keys, signatures) {
                try key.account.verify(signature: signature, for: message, tables: tables)
            }
        }
        #expect(tables.count <= 4)
        // Without the budget every check from the second round on would build a table (304 of
        // them); with it, each table that replaces another was paid for by four hits.
        let counters = tables.counters
        #expect(counters.evicted * 4 <= counters.accepted)
        #expect(counters.built == counters.evicted + 4)
        #expect(counters.built < 40)
        #expect(tables.counters.mismatched == 0)
    }

    @Test("a key that is no curve point, seen again and again, builds nothing and is refused by swift-crypto")
    func offCurveKey() throws {
        // The first y (from 2 up) with no x: canonical and not of small order, so an acceptable
        // account id, but no point; its table cannot be built.
        var offCurve: AccountID?
        var probe = [UInt8](repeating: 0, count: 32)
        for y in 2..<64 where offCurve == nil {
            probe[0] = UInt8(y)
            if CombTable(key: probe) == nil { offCurve = try AccountID(Hex.encode(Data(probe))) }
        }
        let account = try #require(offCurve)
        let tables = RepeatSignerTables(capacity: 4)
        let message = Data("pay 1".utf8)
        let signature = try Self.keys(1, seed: 6)[0].sign(message)
        for _ in 0..<5 {
            #expect(!tables.accepts(signature: signature, for: message, by: account))
            #expect(throws: IdentityError.badSignature) { try account.verify(signature: signature, for: message, tables: tables) }
        }
        #expect(tables.count == 0)
        #expect(tables.counters.built == 0)
    }

    @Test("a key seen once builds no table")
    func oneOffSignerCostsNothing() throws {
        let tables = RepeatSignerTables(capacity: 4)
        for key in try Self.keys(8, seed: 5) {
            let message = Data("once".utf8)
            #expect(!tables.accepts(signature: try key.sign(message), for: message, by: key.account))
        }
        #expect(tables.counters.built == 0)
        #expect(tables.count == 0)
    }
}

extension SplitMix {
    /// `count` bytes from the generator: seeded keys and messages, the same on every run.
    mutating func bytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) })
    }
}
