import Foundation
import TenderCore

/// The verification rows of `tender bench` (DESIGN section 12): what auditing a job and ruling on
/// a dispute cost, measured through the same code the controller's auditor and referee run.
extension WorkloadBench {
    /// The cost of a sampled audit relative to the job's own compute.
    public struct AuditCost: Sendable, Equatable {
        /// Steps per segment: the job's checkpoint interval.
        public var segmentLength: Int
        /// Segments in the job (N), from its schedule.
        public var jobSegments: Int
        /// Segments the audit re-executes (k).
        public var samples: Int
        /// Segments of the job actually run and timed.
        public var timedSegments: Int
        /// Of those, how many were audited and timed.
        public var auditedSegments: Int
        /// The job's compute for one segment as the provider runs it: the steps, then the
        /// checkpoint's encoding and hash. Reading and writing files is I/O, not compute, and not timed.
        public var jobSegment: Duration
        /// One `SegmentAudit.check` as the controller's auditor runs it, on a state read by its
        /// hash from its own store: decode, re-execution, encode, hash, compare.
        public var auditSegment: Duration
        /// Once per lease: the trace checked against the commitment and its tree built.
        public var traceCheck: Duration
        /// Once per lease: the result recomputed from the final state.
        public var resultCheck: Duration
        /// `(k × auditSegment + traceCheck + resultCheck) / (N × jobSegment) × 100`.
        public var percent: Double
    }

    /// What the dispute referee executed at one segment length, counted rather than assumed.
    public struct RefereeCost: Sendable, Equatable {
        /// Steps in the disputed segment.
        public var segmentLength: Int
        /// Steps the referee's ruling passed to the workload.
        public var refereeSteps: Int
        /// Steps re-executing the whole segment passed to the workload, for contrast.
        public var segmentSteps: Int
    }

    /// A measurement that cannot be trusted because the work it timed did not do its job: a check
    /// that fails may return early and look cheap.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Measures auditing `samples` segments of `workload`, a job configured at its full size
    /// (10^4 segments for the DESIGN target), without running the job whole.
    ///
    /// The first `timedSegments` segments are run for real twice: through
    /// `WorkloadRunner.runSegment` for the committed states, and timed as the provider runs them
    /// (steps, encoding and hash of each leaf), for the job's compute per segment. The commitment is
    /// built over a trace of the job's full leaf count, so the trace the auditor checks and the tree
    /// it builds have their real size: the real state hashes come first, the leaves of segments
    /// not run are stand-in hashes no audited segment reaches, and the last leaf (the final state)
    /// is the last state run, so the result check computes a real result. `auditedSegments` of the
    /// run segments, drawn with `AuditSample`, are then checked as the auditor checks them, and each
    /// check must pass. Fetching states from the artifact store is I/O, not compute, and not timed.
    public static func auditCost(
        of workload: some Workload, samples: Int = AuditSample.defaultSamples, timedSegments: Int = 60,
        auditedSegments: Int = 8, rounds: Int = 3, clock: ContinuousClock = ContinuousClock()
    ) throws -> AuditCost {
        let runner = try WorkloadRunner(workload)
        let schedule = runner.schedule
        let jobSegments = schedule.segmentCount
        let timed = min(max(timedSegments, 1), jobSegments)
        let lengths = try (0..<timed).map { segment in try schedule.length(ofSegment: segment) }

        var states = try [runner.initialState().bytes]
        for segment in 0..<timed {
            let end = try runner.runSegment(segment, from: states[segment])
            states.append(end.state.bytes)
        }
        var hashes = states.map { Hashing.sha256($0) }
        if timed < jobSegments {
            for leaf in (timed + 1)..<jobSegments {
                hashes.append(Hashing.sha256(Data("tender bench: leaf \(leaf) was not run".utf8)))
            }
            hashes.append(hashes[timed])
        }
        let finalState = states[timed]
        let commitment = try Commitment(
            stateHashes: hashes, totalSteps: schedule.totalSteps, checkpointInterval: schedule.interval,
            resultHash: Hashing.sha256(runner.result(ofFinalState: finalState))
        )
        let trace = Commitment.trace(of: hashes)
        let audited = AuditSample.draw(seed: Data("tender bench audit".utf8), segments: timed, count: max(auditedSegments, 1))
        let now = Timestamp(millis: 0)

        // The job's own compute; its typed state is set up outside the clock, as a running job's is.
        var job = Duration.seconds(1_000_000)
        for _ in 0..<max(rounds, 1) {
            var state = try workload.initialState()
            var failure: (any Error)?
            let elapsed = clock.measure {
                do {
                    // A segment of the job as the provider runs it: the steps, then the checkpoint's
                    // canonical encoding and hash (the leaf it commits).
                    for length in lengths {
                        _ = try workload.advance(&state, steps: length)
                        _ = Hashing.sha256(try workload.encode(state))
                    }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            guard try Hashing.sha256(workload.encode(state)) == hashes[timed] else {
                throw Failure(description: "the timed run did not reach the committed state of leaf \(timed)")
            }
            job = min(job, elapsed)
        }

        var checks: [AuditCheck] = []
        let audit = try best(of: rounds, clock: clock) {
            checks = audited.map { segment in
                // Read by its hash from the store, as the controller's auditor reads it.
                SegmentAudit.check(
                    segment: segment, state: states[segment], source: .contentAddressed, trace: hashes,
                    commitment: commitment, runner: runner, at: now
                )
            }
        }
        if let failed = checks.first(where: { $0.verdict != .passed }) {
            throw Failure(description: "the audit of honest segment \(failed.segment ?? -1) did not pass: \(failed.detail)")
        }

        var checked: [Data] = []
        let traceTime = try best(of: rounds, clock: clock) {
            // What the auditor does once per lease: check the trace against the commitment.
            checked = try commitment.check(trace: trace)
        }
        guard checked == hashes else { throw Failure(description: "the trace check did not return the trace's hashes") }

        var resultCheck: AuditCheck?
        let resultTime = try best(of: rounds, clock: clock) {
            resultCheck = SegmentAudit.checkResult(finalState: finalState, commitment: commitment, runner: runner, at: now)
        }
        guard let resultCheck, resultCheck.verdict == .passed else {
            throw Failure(description: "the result check did not pass: \(resultCheck?.detail ?? "not run")")
        }

        let k = min(max(samples, 0), jobSegments)
        let jobSegment = job / timed
        let auditSegment = audit / audited.count
        let percent = (Double(k) * seconds(auditSegment) + seconds(traceTime) + seconds(resultTime))
            / (Double(jobSegments) * seconds(jobSegment)) * 100
        return AuditCost(
            segmentLength: schedule.interval, jobSegments: jobSegments, samples: k, timedSegments: timed,
            auditedSegments: audited.count, jobSegment: jobSegment, auditSegment: auditSegment,
            traceCheck: traceTime, resultCheck: resultTime, percent: percent
        )
    }

    /// Counts the steps the dispute referee executes at each segment length.
    ///
    /// `workload(length)` builds a job whose first segment is `length` steps; the length reported
    /// is the one its schedule gives. The game is taken as ended on that segment's last step, the
    /// farthest from its checkpoint, where a referee that replayed from the checkpoint would do the
    /// most work. The ruling must give the honest hash, or the count would mean nothing.
    public static func refereeCost<W: Workload>(
        segmentLengths: [Int], workload: (_ segmentLength: Int) throws -> W
    ) throws -> [RefereeCost] {
        var costs: [RefereeCost] = []
        for requested in segmentLengths {
            let counter = try CountingWorkload(workload(requested))
            let runner = try WorkloadRunner(counter)
            let length = try runner.schedule.length(ofSegment: 0)
            let start = try runner.initialState()
            counter.reset()
            let end = try runner.runSegment(0, from: start.bytes)
            let segmentSteps = counter.stepsAdvanced
            // What both players agree on once the game has narrowed to the last step.
            let agreed = try Referee.replay(from: start.bytes, atStep: 0, to: length - 1, runner: runner)
            let range = Dispute.Bisection(lowStep: length - 1, lowHash: agreed.hashHex, highStep: length, highHash: end.state.hashHex)
            counter.reset()
            let outcome = Referee.rule(state: agreed.bytes, range: range, runner: runner)
            let refereeSteps = counter.stepsAdvanced
            guard outcome == .stepped(hash: end.state.hashHex) else {
                throw Failure(description: "the referee's ruling at segment length \(length) was \(outcome), not the honest hash")
            }
            costs.append(RefereeCost(segmentLength: length, refereeSteps: refereeSteps, segmentSteps: segmentSteps))
        }
        return costs
    }

    /// The shortest of `rounds` timings of `work`; an error from `work` stops and is rethrown.
    private static func best(of rounds: Int, clock: ContinuousClock, _ work: () throws -> Void) throws -> Duration {
        var best = Duration.seconds(1_000_000)
        for _ in 0..<max(rounds, 1) {
            var failure: (any Error)?
            let elapsed = clock.measure {
                do { try work() } catch { failure = error }
            }
            if let failure { throw failure }
            best = min(best, elapsed)
        }
        return best
    }
}
