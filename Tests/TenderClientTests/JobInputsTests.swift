import Foundation
import Testing
import TenderClient
import TenderCore
import TenderWorkloads

/// A submitted job's inputs in the local cache, and the runner built from them (`JobInputs`),
/// checked without a controller: everything here reads and writes a temp directory only.
@Suite("Job inputs")
struct JobInputsTests {
    static let csv = Data("0,1,0\n1,0,1\n1,1,0\n0,0,1\n".utf8)

    /// The tiny training manifest of `JobSubmissionTests`, its dataset named by `hash` as a
    /// submitted manifest names it.
    static func manifest(dataset hash: String) throws -> JobManifest {
        try JobManifest.parse(JobSubmissionTests.manifest.replacingOccurrences(of: "data/tiny.csv", with: "sha256:\(hash)"))
    }

    static func withCache(_ body: (URL) throws -> Void) throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tender-inputs-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cache) }
        try body(cache)
    }

    @Test("the runner is built from cached inputs, and re-executing a segment finds a falsified leaf")
    func runnerFromCache() throws {
        try Self.withCache { cache in
            let hash = Hashing.sha256Hex(Self.csv)
            try Self.csv.write(to: cache.appendingPathComponent(hash))
            let inputs = JobInputs(manifest: try Self.manifest(dataset: hash), cache: cache, exec: .refused(reason: "not an exec job"))
            #expect(inputs.hashes == [hash])
            #expect(inputs.isCached(hash))
            let runner = try inputs.runner()
            #expect(runner.schedule.totalSteps == 10)
            #expect(runner.schedule.interval == 5)

            var states: [Data] = []
            let run = try runner.run { checkpoint in states.append(checkpoint.state.bytes) }
            #expect(states.count == 3)
            let now = Timestamp(millis: 0)
            let honest = SegmentAudit.check(segment: 0, state: states[0], trace: run.stateHashes, commitment: run.commitment, runner: runner, at: now)
            #expect(honest.verdict == .passed)

            // A provider that commits a wrong hash for leaf 1: re-executing segment 0 gives the
            // true hash, which is what a challenger claims.
            var falsified = run.stateHashes
            falsified[1] = Hashing.sha256(Data("not the state".utf8))
            let commitment = try Commitment(stateHashes: falsified, totalSteps: 10, checkpointInterval: 5, resultHash: Hashing.sha256(run.result))
            let caught = SegmentAudit.check(segment: 0, state: states[0], trace: falsified, commitment: commitment, runner: runner, at: now)
            #expect(caught.verdict == .mismatch)
            #expect(caught.computed == Hex.encode(run.stateHashes[1]))
            #expect(caught.expected == Hex.encode(falsified[1]))
        }
    }

    @Test("a cached file whose bytes are not its hash is not used")
    func corruptCache() throws {
        try Self.withCache { cache in
            let hash = Hashing.sha256Hex(Self.csv)
            try Data("9,9,9\n".utf8).write(to: cache.appendingPathComponent(hash))
            let inputs = JobInputs(manifest: try Self.manifest(dataset: hash), cache: cache, exec: .refused(reason: "not an exec job"))
            #expect(!inputs.isCached(hash))
            do {
                _ = try inputs.runner()
                Issue.record("a runner was built from a corrupt input")
            } catch let error as ChallengeError {
                guard case .inputs(let why) = error else {
                    Issue.record("expected .inputs, got \(error)")
                    return
                }
                #expect(why.contains(hash))
            } catch {
                Issue.record("expected a ChallengeError, got \(error)")
            }
        }
    }

    @Test("an input missing from the cache is named in the error")
    func missingInput() throws {
        try Self.withCache { cache in
            let hash = Hashing.sha256Hex(Self.csv)
            let inputs = JobInputs(manifest: try Self.manifest(dataset: hash), cache: cache, exec: .refused(reason: "not an exec job"))
            do {
                _ = try inputs.runner()
                Issue.record("a runner was built without its input")
            } catch let error as ChallengeError {
                #expect(error.description.contains("sha256:\(hash)"))
                #expect(!error.isUnreachable)
            } catch {
                Issue.record("expected a ChallengeError, got \(error)")
            }
        }
    }
}
