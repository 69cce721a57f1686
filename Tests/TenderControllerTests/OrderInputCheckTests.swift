import Foundation
import HummingbirdTesting
import Synchronization
import Testing
@testable import TenderControllerService
import TenderCore
import TenderWorkloads

/// The submission-time check that an order's inputs make a job: what it costs the controller must
/// be bounded by what a sender risks (performance issue: a write costs what it touches).
@Suite("Order input check")
struct OrderInputCheckTests {
    /// A builder that holds each build until it is let go, and counts them.
    final class HeldBuilder: Sendable {
        let started = Mutex(0)
        private let release = DispatchSemaphore(value: 0)
        func build(_ workload: WorkloadSpec) -> String? {
            started.withLock { $0 += 1 }
            release.wait()
            return nil
        }
        func letGo(_ count: Int) { for _ in 0..<count { release.signal() } }
        func waitUntilStarted(_ count: Int) async throws {
            try await waitUntil("\(count) builds started") { started.withLock { $0 } >= count }
        }
    }

    static let manifest = try! JobManifest.parse(ControllerRouteTests.manifest)

    /// The manifest with another seed: another workload, so another build.
    static func manifest(seed: Int) throws -> JobManifest {
        try JobManifest.parse(ControllerRouteTests.manifest.replacingOccurrences(of: "seed: 1,", with: "seed: \(seed),"))
    }
    static let stored: Set<String> = [Hashing.sha256Hex(ControllerRouteTests.dataset)]

    /// A controller where each of `submitters` is funded and has stored the dataset.
    static func market(_ submitters: [Signer]) async throws -> ControllerHarness {
        let harness = try await ControllerHarness()
        try await harness.app.test(.router) { client in
            for signer in submitters {
                try await client.fund(signer)
                #expect(try await client.upload(ControllerRouteTests.dataset, by: signer) == .created)
            }
        }
        return harness
    }

    @Test("an account has one order's inputs checked at a time: its next is refused with 429, another account's waits its turn")
    func oneCheckPerAccount() async throws {
        let alice = Signer(), bob = Signer()
        let harness = try await Self.market([alice, bob])
        defer { harness.cleanUp() }
        let builder = HeldBuilder()
        let check = OrderInputCheck(artifacts: try DirectoryArtifactStore(directory: harness.artifactsDirectory), builder: builder.build)
        let service = harness.service
        let first = Task { try await check.problem(Self.manifest, submitter: alice.account, stored: Self.stored, service: service) }
        try await builder.waitUntilStarted(1)
        let refusal = await #expect(throws: ProblemResponse.self) {
            try await check.problem(Self.manifest, submitter: alice.account, stored: Self.stored, service: service)
        }
        #expect(refusal?.status == .tooManyRequests)
        // Another account's check is queued behind the first, not refused.
        let other = Task { try await check.problem(Self.manifest, submitter: bob.account, stored: Self.stored, service: service) }
        try await waitUntil("bob's check is queued") { check.pendingCount == 2 }
        #expect(builder.started.withLock { $0 } == 1, "bob's check is queued, and waits for alice's build")
        builder.letGo(1)
        #expect(try await first.value == nil)
        try await builder.waitUntilStarted(2)
        builder.letGo(1)
        #expect(try await other.value == nil)
        // Answered, alice may send again; the verdict is kept, so it costs no build.
        #expect(try await check.problem(Self.manifest, submitter: alice.account, stored: Self.stored, service: service) == nil)
        #expect(builder.started.withLock { $0 } == 2)
    }

    @Test("at most maximumPending builds wait or run at once, over all accounts: the next order is refused with 503", .timeLimit(.minutes(1)))
    func pendingBuildsBounded() async throws {
        let alice = Signer(), bob = Signer(), carol = Signer()
        let harness = try await Self.market([alice, bob, carol])
        defer { harness.cleanUp() }
        let builder = HeldBuilder()
        let check = OrderInputCheck(
            artifacts: try DirectoryArtifactStore(directory: harness.artifactsDirectory), maximumPending: 2, builder: builder.build
        )
        let service = harness.service
        let first = Task { try await check.problem(Self.manifest, submitter: alice.account, stored: Self.stored, service: service) }
        try await builder.waitUntilStarted(1)
        let secondManifest = try Self.manifest(seed: 2), thirdManifest = try Self.manifest(seed: 3)
        let second = Task { try await check.problem(secondManifest, submitter: bob.account, stored: Self.stored, service: service) }
        // Bob's build waits behind alice's; carol's would be the third.
        try await waitUntil("bob's check is queued") { check.pendingCount == 2 }
        let refusal = await #expect(throws: ControllerError.self) {
            try await check.problem(thirdManifest, submitter: carol.account, stored: Self.stored, service: service)
        }
        // A 503, and the controller's failure rather than a refusal: carol's nonce is kept.
        #expect(refusal.flatMap { ProblemResponse.from($0) }?.status == .serviceUnavailable)
        #expect(refusal.map { RequestGate.spendsNonce($0) } == false)
        builder.letGo(1)
        #expect(try await first.value == nil)
        try await builder.waitUntilStarted(2)
        builder.letGo(1)
        #expect(try await second.value == nil)
        // With room again, carol's order is checked.
        let third = Task { try await check.problem(thirdManifest, submitter: carol.account, stored: Self.stored, service: service) }
        try await builder.waitUntilStarted(3)
        builder.letGo(1)
        #expect(try await third.value == nil)
    }

    @Test("kept verdicts forget the least recently asked first")
    func leastRecentlyAskedForgotten() async throws {
        let alice = Signer()
        let harness = try await Self.market([alice])
        defer { harness.cleanUp() }
        let builds = Mutex<[UInt64]>([])
        let check = OrderInputCheck(artifacts: try DirectoryArtifactStore(directory: harness.artifactsDirectory), keptVerdicts: 2) { workload in
            if case .mlpTrain(let spec) = workload { builds.withLock { $0.append(spec.seed) } }
            return nil
        }
        func ask(seed: Int) async throws {
            let manifest = try Self.manifest(seed: seed)
            _ = try await check.problem(manifest, submitter: alice.account, stored: Self.stored, service: harness.service)
        }
        try await ask(seed: 1)
        try await ask(seed: 2)
        try await ask(seed: 1)  // kept: 1 is now the most recently asked
        try await ask(seed: 3)  // forgets 2
        try await ask(seed: 1)  // still kept
        try await ask(seed: 2)  // built again
        #expect(builds.withLock { $0 } == [1, 2, 3, 2])
    }
}

@Suite("Parsed tables kept for input checks")
struct ParsedTablesTests {
    /// A directory holding CSV tables of `rows` rows each, named by their index.
    static func tables(_ rows: [Int]) throws -> (directory: URL, files: [URL]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-tables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = try rows.enumerated().map { index, count in
            let file = directory.appendingPathComponent("\(index).csv")
            try (0..<count).map { "\($0),\($0 + 1),\($0 % 2)" }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            return file
        }
        return (directory, files)
    }

    @Test("a table is parsed once while kept, and the least recently used goes first when there is no room")
    func keptByFile() throws {
        let (directory, files) = try Self.tables([10, 10, 10, 10])
        defer { try? FileManager.default.removeItem(at: directory) }
        let tables = ParsedTables(maximumEntries: 2)
        #expect(try tables.table(at: files[0]) == NumericCSV.load(contentsOf: files[0]))
        _ = try tables.table(at: files[0])
        #expect(tables.parses == 1)
        _ = try tables.table(at: files[1])
        _ = try tables.table(at: files[0])  // 0 is now the most recently used
        _ = try tables.table(at: files[2])  // forgets 1
        #expect(tables.parses == 3)
        _ = try tables.table(at: files[0])
        #expect(tables.parses == 3)
        _ = try tables.table(at: files[1])
        #expect(tables.parses == 4)
    }

    @Test("kept tables stay within the byte bound: one larger than it is parsed each time, and nothing is forgotten for it")
    func byteBound() throws {
        let (directory, files) = try Self.tables([10, 10_000])
        defer { try? FileManager.default.removeItem(at: directory) }
        let small = try NumericCSV.load(contentsOf: files[0])
        let room = ParsedTables.bytes(of: small, key: files[0].standardizedFileURL.path) * 2
        let tables = ParsedTables(maximumBytes: room)
        _ = try tables.table(at: files[0])
        _ = try tables.table(at: files[1])
        _ = try tables.table(at: files[1])
        #expect(tables.parses == 3)
        _ = try tables.table(at: files[0])
        #expect(tables.parses == 3)
    }

    @Test("a file that does not parse is parsed once, and keeps failing with its reason, without pushing a table out")
    func failureKept() throws {
        let (directory, files) = try Self.tables([10])
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.csv")
        try "1,2,0\n3,x,1\n".write(to: broken, atomically: true, encoding: .utf8)
        let tables = ParsedTables(maximumEntries: 1)
        _ = try tables.table(at: files[0])
        let first = #expect(throws: WorkloadError.self) { try tables.table(at: broken) }
        let second = #expect(throws: WorkloadError.self) { try tables.table(at: broken) }
        #expect(first == second)
        #expect(tables.parses == 2)
        _ = try tables.table(at: files[0])
        #expect(tables.parses == 2, "the kept table is still kept")
        // A missing file is not remembered: it may be there next time.
        let missing = directory.appendingPathComponent("missing.csv")
        #expect(throws: WorkloadError.self) { try tables.table(at: missing) }
        #expect(throws: WorkloadError.self) { try tables.table(at: missing) }
        #expect(tables.parses == 4)
    }

    @Test("orders that name one stored dataset with different seeds parse it once, and each gets its own verdict")
    func variantsParseOnce() async throws {
        let alice = Signer()
        let harness = try await OrderInputCheckTests.market([alice])
        defer { harness.cleanUp() }
        let check = OrderInputCheck(artifacts: try DirectoryArtifactStore(directory: harness.artifactsDirectory))
        for seed in 1...4 {
            let manifest = try OrderInputCheckTests.manifest(seed: seed)
            #expect(try await check.problem(manifest, submitter: alice.account, stored: OrderInputCheckTests.stored, service: harness.service) == nil)
        }
        #expect(check.tables.parses == 1)
        // A broken variant is still refused with its reason: the table is kept, the workload built anew.
        let broken = try JobManifest.parse(ControllerRouteTests.manifest.replacingOccurrences(of: "trainRows: 1,", with: "trainRows: 100000,"))
        #expect(try await check.problem(broken, submitter: alice.account, stored: OrderInputCheckTests.stored, service: harness.service) != nil)
        #expect(check.tables.parses == 1)
    }
}
