import Foundation
import Testing
@testable import TenderCore

/// An account's stored document is written by hand; it must be, byte for byte, what
/// `CanonicalJSON.encode` gives, or a document written now would differ from one written before.
@Suite("Account document")
struct AccountDocumentTests {
    private static func encoded(_ record: AccountRecord) throws -> String {
        String(decoding: try CanonicalJSON.encode(record), as: UTF8.self)
    }

    @Test("a new account, a provider with a profile, and a jailed one are written as the encoder writes them")
    func knownShapes() throws {
        var provider = AccountRecord(id: Fixtures.account(7))
        provider.profile = Fixtures.profile()
        provider.lastNonce = 1_790_000_000_123
        var jailed = provider
        jailed.jailedUntil = Timestamp(millis: -5)
        jailed.reputationBasisPoints = 0
        jailed.artifactBytes = Int64.max
        for record in [AccountRecord(id: Fixtures.account(1)), provider, jailed] {
            #expect(try record.canonicalJSON() == Self.encoded(record))
            #expect(try CanonicalJSON.decode(AccountRecord.self, from: Data(record.canonicalJSON().utf8)) == record)
        }
    }

    @Test("random records, with and without each optional member, match the encoder (fixed seed)")
    func randomRecords() throws {
        var generator = SplitMix(seed: 0xACC0_0D0C)
        for _ in 0..<300 {
            var record = AccountRecord(id: Fixtures.account(UInt8.random(in: 0...255, using: &generator)))
            record.lastNonce = UInt64.random(in: 0...UInt64.max, using: &generator)
            record.reputationBasisPoints = Int.random(in: Int.min...Int.max, using: &generator)
            record.artifactBytes = Int64.random(in: Int64.min...Int64.max, using: &generator)
            if Bool.random(using: &generator) { record.jailedUntil = Timestamp(millis: Int64.random(in: Int64.min...Int64.max, using: &generator)) }
            if Bool.random(using: &generator) { record.profile = Fixtures.profile(count: Int.random(in: 1...8, using: &generator)) }
            #expect(try record.canonicalJSON() == Self.encoded(record))
        }
    }

    /// The two tests above compare with the encoder only for the members they set: an optional
    /// member added to the record later, and left nil there, would pass them while the hand-written
    /// document dropped it in production.
    @Test("the hand-written document names every stored member of the record, each optional one set")
    func namesEveryMember() throws {
        var record = AccountRecord(id: Fixtures.account(3))
        record.jailedUntil = Timestamp(millis: 1)
        record.profile = Fixtures.profile()
        let members = Set(Mirror(reflecting: record).children.compactMap(\.label))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(record.canonicalJSON().utf8)) as? [String: Any])
        #expect(Set(object.keys) == members, "set every optional member of AccountRecord in this test, and write it in canonicalJSON()")
    }
}
