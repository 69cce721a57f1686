import Foundation
import Logging
import Synchronization
import TenderClient
import TenderCore
import TenderWorkloads

/// How a lease run ended.
public enum LeaseOutcome: Sendable, Equatable {
    /// The commitment was recorded. `resumedFromLeaf` is the checkpoint a restarted agent resumed from.
    case committed(Commitment, resumedFromLeaf: Int?)
    /// The job ran but the commitment was withheld (the miss-deadline fault).
    case withheld
    /// Stopped before the end (shutdown); the progress on disk lets the next agent resume.
    case stopped(atLeaf: Int)
    /// Could not run or commit. `retry` when the cause may pass (the controller was unreachable).
    case failed(String, retry: Bool)
}

/// Runs one won lease: fetches its inputs, runs the workload on a dedicated thread, heartbeats,
/// uploads every checkpoint state, the final state and the result, and posts the signed commitment.
///
/// The compute is CPU-bound, so it never runs on the cooperative pool: a `Thread` runs the steps
/// and hands each checkpoint to async code through an `AsyncStream`. Progress is saved per
/// checkpoint (`LeaseProgressStore`), so a restarted agent resumes with `runSegment` from the last
/// checkpoint and reaches the same root as an uninterrupted run.
public struct LeaseExecutor: Sendable {
    public let lease: API.LeaseView
    public let order: Order
    public let client: TenderAPIClient
    public let key: KeyPair
    public let stateDirectory: URL
    public let faults: FaultPlan
    public let heartbeatInterval: Duration
    /// Stop (as if shut down) right after saving this leaf: lets tests interrupt a run part way.
    public let stopAfterLeaf: Int?
    /// How an `exec` job's program runs.
    public let execIsolation: ExecIsolation
    public let logger: Logger

    public init(lease: API.LeaseView, order: Order, client: TenderAPIClient, key: KeyPair, stateDirectory: URL, faults: FaultPlan,
                heartbeatInterval: Duration, stopAfterLeaf: Int? = nil, execIsolation: ExecIsolation, logger: Logger) {
        self.lease = lease
        self.order = order
        self.client = client
        self.key = key
        self.stateDirectory = stateDirectory
        self.faults = faults
        self.heartbeatInterval = heartbeatInterval
        self.stopAfterLeaf = stopAfterLeaf
        self.execIsolation = execIsolation
        var logger = logger
        logger[metadataKey: "lease"] = "\(lease.id)"
        self.logger = logger
    }

    /// Where a run got to: shared between the compute thread, the heartbeat loop and cancellation.
    final class Progress: Sendable {
        struct Value {
            var step = 0
            var loss: Float?
            var leaf = 0
            var stop = false
            var computing = true
        }
        let value = Mutex(Value())
    }

    struct Stopped: Error {}

    struct Computed: Sendable {
        var stateHashes: [Data]
        var finalState: Data
        var result: Data
    }

    // MARK: - Run

    public func run() async -> LeaseOutcome {
        let store = LeaseProgressStore(root: stateDirectory, lease: lease.id)
        let runner: WorkloadRunner
        do {
            runner = try await prepare()
        } catch let error as ClientError {
            return .failed("cannot fetch the job's inputs: \(error)", retry: true)
        } catch {
            return .failed("cannot build the workload: \(error)", retry: false)
        }
        let saved = store.load(manifestHash: lease.manifestHash)
        if let saved {
            logger.info("resuming from checkpoint", metadata: ["leaf": "\(saved.progress.leafIndex)", "step": "\(saved.progress.step)"])
        } else {
            logger.info("starting", metadata: ["steps": "\(runner.schedule.totalSteps)", "leaves": "\(runner.schedule.leafCount)"])
        }
        let progress = Progress()
        if let saved {
            progress.value.withLock { $0.step = saved.progress.step; $0.loss = saved.progress.loss; $0.leaf = saved.progress.leafIndex }
        }
        if faults.withholdArtifacts {
            logger.warning("FAULT withhold-artifacts: checkpoint states will not be uploaded")
        }
        let (checkpoints, sink) = AsyncStream.makeStream(of: Int.self)
        let computed: Result<Computed, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await heartbeats(progress) }
            group.addTask { await uploads(checkpoints, store: store) }
            let result = await withTaskCancellationHandler {
                await compute(runner, resume: saved, store: store, progress: progress, sink: sink)
            } onCancel: {
                progress.value.withLock { $0.stop = true }
            }
            sink.finish()
            progress.value.withLock { $0.computing = false }
            await group.next()  // the uploads, or the heartbeats: both end now
            await group.next()
            return result
        }
        switch computed {
        case .failure(let error) where error is Stopped:
            let leaf = progress.value.withLock { $0.leaf }
            logger.notice("stopped; progress kept for the next start", metadata: ["leaf": "\(leaf)"])
            return .stopped(atLeaf: leaf)
        case .failure(let error):
            return .failed("the workload failed: \(error)", retry: false)
        case .success(let done):
            return await finish(done, runner: runner, store: store, resumedFrom: saved?.progress.leafIndex)
        }
    }

    /// Downloads the manifest's inputs (hash-checked) into `<state-dir>/artifacts` and builds the runner.
    func prepare() async throws -> WorkloadRunner {
        try await Self.prepare(order: order, client: client, stateDirectory: stateDirectory, exec: execIsolation)
    }

    /// The runner for `order`, its inputs fetched into `<state-dir>/artifacts`: what a lease run
    /// and a dispute answer both need.
    static func prepare(order: Order, client: TenderAPIClient, stateDirectory: URL, exec: ExecIsolation) async throws -> WorkloadRunner {
        let cache = stateDirectory.appendingPathComponent("artifacts", isDirectory: true)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        for reference in order.manifest.workload.inputs {
            guard case .sha256(let hash) = reference else { continue }
            let url = cache.appendingPathComponent(hash)
            if let data = FileManager.default.contents(atPath: url.path), Hashing.sha256Hex(data) == hash { continue }
            let data = try await client.artifact(sha256: hash)
            try data.write(to: url, options: .atomic)
        }
        let workload = try WorkloadFactory.make(order.manifest.workload, exec: exec) { reference in
            guard case .sha256(let hash) = reference else {
                throw AgentError.localInput("\(reference)")
            }
            return cache.appendingPathComponent(hash)
        }
        return try WorkloadRunner(workload)
    }

    /// Runs the remaining steps on a dedicated thread, saving each checkpoint and queuing its upload.
    func compute(
        _ runner: WorkloadRunner, resume: (progress: LeaseProgressStore.Progress, state: Data)?, store: LeaseProgressStore,
        progress: Progress, sink: AsyncStream<Int>.Continuation
    ) async -> Result<Computed, any Error> {
        let lease = lease.id
        let manifestHash = self.lease.manifestHash
        let stopAfter = stopAfterLeaf
        let upload = !faults.withholdArtifacts
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var hashes = resume?.progress.stateHashes.compactMap { Hex.decode($0) } ?? []
                let onCheckpoint: (Checkpoint) throws -> Void = { checkpoint in
                    if checkpoint.leafIndex >= hashes.count { hashes.append(checkpoint.stateHash) }
                    let record = LeaseProgressStore.Progress(
                        lease: lease, manifestHash: manifestHash, leafIndex: checkpoint.leafIndex, step: checkpoint.step,
                        stateHashes: hashes.map(Hex.encode), loss: checkpoint.loss
                    )
                    try store.save(record, state: checkpoint.state.bytes, queueUpload: upload)
                    if upload { sink.yield(checkpoint.leafIndex) }
                    let stop = progress.value.withLock { value in
                        value.step = checkpoint.step
                        value.loss = checkpoint.loss ?? value.loss
                        value.leaf = checkpoint.leafIndex
                        return value.stop
                    }
                    if stop || (stopAfter.map { checkpoint.leafIndex >= $0 } ?? false) { throw Stopped() }
                }
                let result = Result { () throws -> Computed in
                    if let resume {
                        var state = resume.state
                        for segment in resume.progress.leafIndex..<runner.schedule.segmentCount {
                            let checkpoint = try runner.runSegment(segment, from: state)
                            state = checkpoint.state.bytes
                            try onCheckpoint(checkpoint)
                        }
                        return Computed(stateHashes: hashes, finalState: state, result: try runner.result(ofFinalState: state))
                    }
                    hashes = []
                    let run = try runner.run(onCheckpoint: onCheckpoint)
                    return Computed(stateHashes: run.stateHashes, finalState: run.finalState.bytes, result: run.result)
                }
                continuation.resume(returning: result)
            }
            thread.name = "tender-lease-\(lease)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Heartbeats every `heartbeatInterval` with the latest step and loss until the compute ends.
    func heartbeats(_ progress: Progress) async {
        while !Task.isCancelled {
            let (step, loss, computing) = progress.value.withLock { ($0.step, $0.loss, $0.computing) }
            guard computing else { return }
            do {
                _ = try await client.heartbeat(lease: lease.id, step: Int64(step), loss: loss.map(Double.init))
                logger.debug("heartbeat", metadata: ["step": "\(step)"])
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
            // Sleep in short slices so the loop notices the end of the compute quickly.
            let slice = Duration.milliseconds(100)
            var slept = Duration.zero
            while slept < heartbeatInterval, progress.value.withLock({ $0.computing }), !Task.isCancelled {
                try? await Task.sleep(for: slice)
                slept += slice
            }
        }
    }

    /// Uploads each queued checkpoint state (and any left from before a restart), then forgets it.
    func uploads(_ leaves: AsyncStream<Int>, store: LeaseProgressStore) async {
        for (leaf, _) in store.pendingUploads() { await upload(leaf: leaf, store: store) }
        for await leaf in leaves { await upload(leaf: leaf, store: store) }
    }

    private func upload(leaf: Int, store: LeaseProgressStore) async {
        let url = store.pendingURL(leaf: leaf)
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        for attempt in 1...5 {
            do {
                try await client.putArtifact(data, lease: lease.id)
                store.keep(data)
                try? FileManager.default.removeItem(at: url)
                return
            } catch {
                logger.warning("checkpoint upload failed", metadata: ["leaf": "\(leaf)", "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    /// Uploads the leftovers, the final state and the result, applies any faults, and commits.
    func finish(_ done: Computed, runner: WorkloadRunner, store: LeaseProgressStore, resumedFrom: Int?) async -> LeaseOutcome {
        for (leaf, _) in store.pendingUploads() { await upload(leaf: leaf, store: store) }
        do {
            store.keep(done.finalState)
            if !faults.withholdArtifacts { try await client.putArtifact(done.finalState, lease: lease.id) }
            try await client.putArtifact(done.result, lease: lease.id)
        } catch {
            return .failed("cannot upload the final state or result: \(error)", retry: true)
        }
        let (hashes, falsified) = faults.committedHashes(done.stateHashes, lease: lease.id)
        if !falsified.isEmpty {
            logger.warning("FAULT skip-steps: committing wrong state hashes", metadata: ["segments": "\(falsified)"])
        }
        var resultHash = Hashing.sha256(done.result)
        if faults.wrongResult {
            resultHash = Hashing.sha256(Data("wrong-result".utf8) + resultHash)
            logger.warning("FAULT wrong-result: committing a result hash that does not match the result")
        }
        let commitment: Commitment
        do {
            commitment = try Commitment(
                lease: lease.id, stateHashes: hashes, totalSteps: runner.schedule.totalSteps,
                checkpointInterval: runner.schedule.interval, resultHash: resultHash
            )
        } catch {
            return .failed("cannot build the commitment: \(error)", retry: false)
        }
        if faults.missDeadline {
            logger.warning("FAULT miss-deadline: the job is done but the commitment is withheld", metadata: ["root": "\(commitment.root)"])
            return .withheld
        }
        do {
            // The trace (every committed state hash) goes first: the controller checks the
            // commitment against it, and auditors and challengers read leaves from it.
            _ = try await client.putArtifact(Commitment.trace(of: hashes), lease: lease.id)
            let signed = try Signed(commitment, by: key)
            _ = try await client.postCommitment(signed, lease: lease.id)
        } catch let error as ClientError {
            if case .unreachable = error { return .failed("cannot post the commitment: \(error)", retry: true) }
            return .failed("the commitment was refused: \(error)", retry: false)
        } catch {
            return .failed("cannot sign the commitment: \(error)", retry: false)
        }
        // The states stay on disk until the lease is final: disputes are answered from them.
        logger.info("committed", metadata: ["root": "\(commitment.root)", "leaves": "\(commitment.leafCount)"])
        return .committed(commitment, resumedFromLeaf: resumedFrom)
    }
}
