import Foundation
import Testing
@testable import TenderCore

/// The journal's hand-written canonical JSON must be, byte for byte, what `CanonicalJSON.encode`
/// (JSONEncoder, sorted keys) gives: every hash ever stored was taken over the encoder's bytes.
@Suite("Journal canonical text")
struct JournalCanonicalTextTests {
    typealias F = LedgerFixtures

    /// The hashed body as it was defined when the encoder wrote it: the oracle.
    private struct EncoderBody: Encodable {
        let sequence: UInt64
        let time: Timestamp
        let operation: LedgerOperation
        let postings: [Posting]
        let previousHash: String
        let request: RequestEvidence?
        let cause: EntryCause?
    }

    private static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
    }

    private static func encoderHash(_ entry: JournalEntry) throws -> String {
        let body = EncoderBody(
            sequence: entry.sequence, time: entry.time, operation: entry.operation, postings: entry.postings,
            previousHash: entry.previousHash, request: entry.request, cause: entry.cause
        )
        return Hashing.sha256Hex(Data((entry.previousHash + "\n").utf8) + (try CanonicalJSON.encode(body)))
    }

    static let everyKind: [LedgerOperation] = [
        .mint(to: F.alice, amount: F.micros(50_000_000)),
        .transfer(from: F.alice, to: F.carol, amount: F.micros(5_000_000)),
        .fee(from: F.bob, amount: F.micros(600_000), burnBasisPoints: 2_500, treasury: F.treasury),
        .stake(account: F.bob, amount: F.micros(15_000_000)),
        .unbond(account: F.bob, amount: F.micros(2_000_000), releaseAt: F.time(5)),
        .withdraw(account: F.bob),
        .lockEscrow(hold: .order(1), owner: F.alice, amount: F.micros(10_000_000)),
        .releaseEscrow(hold: .order(1), to: F.alice, amount: F.micros(3_000_000)),
        .refundEscrow(hold: .order(1)),
        .lockCollateral(hold: .lease(1), provider: F.bob, amount: F.micros(8_000_000)),
        .unlockCollateral(hold: .lease(1)),
        .penalizeCollateral(hold: .lease(3), amount: F.micros(7), to: F.dave),
        .burnCollateral(hold: .lease(4), amount: F.micros(Int64.max)),
        .slashCollateral(hold: .lease(2), challenger: F.carol, submitter: F.alice),
        .postBond(hold: .dispute(1), account: F.carol, amount: F.micros(0)),
        .returnBond(hold: .dispute(2)),
        .forfeitBond(hold: .dispute(1), to: F.bob),
    ]

    /// Every ASCII character, one by one, then text past ASCII: what a request's target or a hold
    /// id could carry.
    static let awkwardStrings: [String] =
        (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        + ["", "/v1/transfers?to=a/b", "é", "\u{2028}\u{2029}", "\u{FEFF}", "日本", "🦀", "a\"b\\c", "\u{7F}\u{80}", "é\n\u{2028}\"🦀\u{1}"]

    private static func entry(
        operation: LedgerOperation, postings: [Posting] = [], request: RequestEvidence? = nil, cause: EntryCause? = nil,
        sequence: UInt64 = 7, time: Int64 = 1_790_000_000_123
    ) -> JournalEntry {
        JournalEntry.sealed(
            sequence: sequence, time: F.time(time), operation: operation, postings: postings,
            previousHash: String(repeating: "ab", count: 32), request: request, cause: cause
        )
    }

    private static func request(method: String = "POST", target: String = "/v1/transfers", body: Data, nonce: UInt64 = 42) -> RequestEvidence {
        RequestEvidence(account: F.carol, nonce: nonce, method: method, target: target, body: body, signature: Data((0..<64).map { UInt8($0 * 3 % 256) }))
    }

    @Test("every operation is written as the encoder writes it", arguments: everyKind)
    func operations(operation: LedgerOperation) throws {
        let entry = Self.entry(operation: operation)
        #expect(entry.canonicalParts.operation == (try Self.encoded(operation)))
        #expect(entry.hash == (try Self.encoderHash(entry)))
    }

    @Test("postings, causes and requests are written as the encoder writes them")
    func parts() throws {
        let postings = [
            F.holder(F.alice, .available, -5), F.holder(F.bob, .lockedCollateral, Int64.max),
            F.global(.minted, Int64.min), F.global(.burned, 0),
        ]
        for cause in [EntryCause.order(1), .lease(LeaseID(UInt64.max)), .dispute(0)] {
            let request = Self.request(body: Data(#"{"amount":1,"to":"ab"}"#.utf8))
            let entry = Self.entry(operation: Self.everyKind[1], postings: postings, request: request, cause: cause)
            let parts = entry.canonicalParts
            #expect(parts.postings == (try Self.encoded(postings)))
            #expect(parts.request == (try Self.encoded(request)))
            #expect(parts.cause == (try Self.encoded(cause)))
            #expect(entry.hash == (try Self.encoderHash(entry)))
        }
        let bare = Self.entry(operation: Self.everyKind[0])
        #expect(bare.canonicalParts.postings == "[]")
        #expect(bare.canonicalParts.request == nil && bare.canonicalParts.cause == nil)
        #expect(bare.hash == (try Self.encoderHash(bare)))
    }

    @Test("every character a request's text can carry is escaped as the encoder escapes it", arguments: awkwardStrings)
    func strings(text: String) throws {
        let request = Self.request(method: text, target: "/v1/x?q=" + text, body: Data(text.utf8))
        let entry = Self.entry(operation: .refundEscrow(hold: HoldID(text)), request: request)
        #expect(entry.canonicalParts.request == (try Self.encoded(request)))
        #expect(entry.canonicalParts.operation == (try Self.encoded(entry.operation)))
        #expect(entry.hash == (try Self.encoderHash(entry)))
    }

    @Test("random entries hash as the encoder's bytes do (fixed seed)")
    func randomEntries() throws {
        var random = SplitMix(seed: 0x7E4D_E2)
        for _ in 0..<300 {
            let operation = Self.everyKind.randomElement(using: &random)!
            let postings = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                Bool.random(using: &random)
                    ? F.holder(F.alice, Bucket.holderBuckets.randomElement(using: &random)!, Int64.random(in: .min ... .max, using: &random))
                    : F.global(.burned, Int64.random(in: -1_000...1_000, using: &random))
            }
            let body = Data((0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
            let request = Bool.random(using: &random) ? Self.request(body: body, nonce: random.next()) : nil
            let cause: EntryCause? = [nil, .order(OrderID(random.next())), .lease(3), .dispute(9)].randomElement(using: &random)!
            let entry = Self.entry(
                operation: operation, postings: postings, request: request, cause: cause,
                sequence: random.next(), time: Int64.random(in: .min ... .max, using: &random)
            )
            #expect(entry.hash == (try Self.encoderHash(entry)))
        }
    }

    @Test("a receipt is written as the encoder writes it")
    func receipt() throws {
        for receipt in [API.Receipt(journal: [], ledgerHead: JournalEntry.genesisHash), API.Receipt(journal: [1, UInt64.max, 7], ledgerHead: "ab\"c")] {
            #expect(String(decoding: receipt.canonicalJSON, as: UTF8.self) == (try Self.encoded(receipt)))
        }
    }

    @Test("a known entry keeps its known hash")
    func golden() throws {
        let entry = Self.entry(
            operation: .transfer(from: F.alice, to: F.bob, amount: F.micros(1)),
            postings: [F.holder(F.alice, .available, -1), F.holder(F.bob, .available, 1)],
            request: Self.request(body: Data(#"{"amount":1}"#.utf8)), cause: .order(3)
        )
        #expect(entry.hash == "f360f6d9053f495727a97f95c6143bda403220763ea90314b71b8ff72918b557")
        #expect(entry.hash == (try Self.encoderHash(entry)))
    }
}
