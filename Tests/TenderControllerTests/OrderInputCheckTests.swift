import Foundation
import HummingbirdTesting
import Synchronization
import Testing
@testable import TenderControllerService
import TenderCore

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
