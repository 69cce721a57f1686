import Foundation
import GRDB
import Synchronization

/// Copies committed pages from the write-ahead log into the database file on a connection of its
/// own, so that the writer's commits do not wait for it.
///
/// Left to its defaults, SQLite checkpoints inside the commit that takes the log past 1,000 pages:
/// that commit copies every page the log holds into the database file and fsyncs the file, a few
/// milliseconds in which every queued write waits. Under a steady load of signed writes that was a
/// stall about four times a second, and it showed in their p99.
///
/// So the writer's own automatic checkpoint is moved out to `TenderDatabase.writerCheckpointPages`,
/// and this checkpointer runs a PASSIVE checkpoint `interval` after a commit, on its own
/// connection and its own thread, again and again while commits keep coming. The log starts again
/// from the top at the first write after a checkpoint that copied all of it. In a pause this
/// checkpointer's does; under writes that never pause, commits land while it copies, so it is the
/// writer's, made between two of its own commits when the log reaches its bound, that copies the
/// little left and lets the log start again.
///
/// A PASSIVE checkpoint takes no write lock and waits for nobody: it copies what no reader still
/// needs and stops. When it meets another checkpoint it is skipped (counted in `skipped`) and runs
/// again after the next commit. A checkpoint copies only committed pages and fsyncs the file before
/// SQLite marks them copied, so a crash at any moment leaves what SQLite's recovery expects; what a
/// commit promises does not change.
public final class WALCheckpointer: Sendable {
    /// How long after a commit the next checkpoint starts: writes that land meanwhile share it,
    /// and a page they all rewrite (an account's, an index's inner page) is copied once. On a
    /// market of 100,000 accounts, three bench runs at 20 ms measured 7,900-8,350 signed writes a
    /// second and three at 100 ms, the default, 9,300-10,250; on an empty market, interleaved
    /// runs showed no difference.
    public let interval: Duration

    private let connection: DatabaseQueue
    private let state = Mutex(State())

    private struct State: Sendable {
        var isScheduled = false
        var committedSinceStart = false
        var isClosed = false
        var counters = Counters()
    }

    /// What the checkpointer has done, for tests and `/metrics`.
    public struct Counters: Sendable, Equatable {
        /// Checkpoints that ran.
        public var completed = 0
        /// Checkpoints skipped because another one (the writer's) held the log.
        public var skipped = 0
        /// Checkpoints that failed for another reason; the writer's own bound still holds the
        /// log's size, so a failure costs latency, not data.
        public var failed = 0
        /// What the last checkpoint that ran found: the frames in the log, and how many of them
        /// had been copied into the file when it finished (all of them, unless commits landed
        /// meanwhile or a reader still needed some).
        public var last: Outcome?

        public init() {}
    }

    /// What one checkpoint found: the frames in the log, and how many are copied into the file.
    public struct Outcome: Sendable, Equatable {
        public var logFrames: Int
        public var copiedFrames: Int
    }

    /// Why a checkpoint was not run: the checkpointer is closed.
    public struct Closed: Error {}

    /// Opens the checkpointer's connection to the database at `path`, set up as the writer's is
    /// and checked like it (WAL, `synchronous = FULL`: with OFF a checkpoint would not fsync the
    /// file), with no automatic checkpoint of its own.
    init(path: String, configuration: Configuration, interval: Duration = .milliseconds(100)) throws {
        var configuration = configuration
        configuration.label = "TenderStore.checkpointer"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        self.connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        try connection.inDatabase { db in try TenderDatabase.checkDurability(of: db, requireWAL: true) }
    }

    /// Called after each committed transaction: schedules a checkpoint unless one is already due.
    public func noteCommit() {
        let schedule = state.withLock { state in
            state.committedSinceStart = true
            guard !state.isScheduled, !state.isClosed else { return false }
            state.isScheduled = true
            return true
        }
        if schedule { scheduleCheckpoint() }
    }

    /// True while a checkpoint is due or running: from a commit until a checkpoint finds no
    /// commit after its start.
    public var isScheduled: Bool {
        state.withLock { $0.isScheduled }
    }

    /// The counters so far.
    public var counters: Counters {
        state.withLock { $0.counters }
    }

    /// Runs a checkpoint now, on the caller's thread, and returns the frames in the log and how
    /// many of them are copied into the file. Throws what SQLite reports, or `Closed`.
    @discardableResult
    public func checkpointNow() throws -> Outcome {
        try connection.inDatabase { db in
            // Checked on the connection's queue, which `close` also runs on after setting the
            // flag: a closed connection has no SQLite handle left to pass.
            guard !state.withLock({ $0.isClosed }) else { throw Closed() }
            let result = try db.checkpoint(.passive)
            return Outcome(logFrames: result.walFrameCount, copiedFrames: result.checkpointedFrameCount)
        }
    }

    /// Stops scheduling checkpoints and closes the connection, after any checkpoint in flight.
    func close() throws {
        state.withLock { $0.isClosed = true }
        try connection.close()
    }

    private func scheduleCheckpoint() {
        let nanoseconds = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
            self.runScheduledCheckpoint()
        }
    }

    /// Checkpoints, counts the outcome, and schedules another round if commits arrived meanwhile.
    private func runScheduledCheckpoint() {
        let proceed = state.withLock { state in
            state.committedSinceStart = false
            return !state.isClosed
        }
        guard proceed else { return }
        var outcome = Counters()
        do {
            outcome.last = try checkpointNow()
            outcome.completed = 1
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            outcome.skipped = 1
        } catch is Closed {
            // Closed meanwhile: nothing to count.
        } catch {
            outcome.failed = 1
        }
        let again = state.withLock { state in
            state.counters.completed += outcome.completed
            state.counters.skipped += outcome.skipped
            state.counters.failed += outcome.failed
            if let last = outcome.last { state.counters.last = last }
            guard state.committedSinceStart, !state.isClosed else {
                state.isScheduled = false
                return false
            }
            return true
        }
        if again { scheduleCheckpoint() }
    }
}
