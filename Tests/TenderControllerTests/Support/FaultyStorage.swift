import Synchronization
import TenderCore
import TenderStore

/// A store that fails a group of writes together, as a batch the database rolls back does, and
/// can hold writes and loads until released: to watch the controller recover from a failed write.
final class FaultyStorage: MarketStorage {
    let base: any MarketStorage
    private let state = Mutex(State())

    private struct State {
        /// Writes still to be claimed by the failing group, and the group's size.
        var toFail = 0
        var groupSize = 0
        var heldWrites: [CheckedContinuation<Void, any Error>] = []
        /// Writes still to be held, to go through once released, and those held so far.
        var toDelay = 0
        var delayedWrites: [CheckedContinuation<Void, Never>] = []
        var loadsToFail = 0
        var holdsLoads = false
        /// Held loads wait after reading the store rather than before: the market they install
        /// is as the store was when they read it.
        var holdsAfterReading = false
        var heldLoads: [CheckedContinuation<Void, Never>] = []
        var loads = 0
        var loadsRead = 0
    }

    struct InjectedFailure: Error {}

    init(_ base: any MarketStorage) { self.base = base }

    /// The next `count` writes fail, all at once when the last of them arrives.
    func failTogether(_ count: Int) {
        state.withLock { $0.toFail = count; $0.groupSize = count }
    }

    /// The next `count` writes wait until `releaseWrites`, then go through to the store. Writes
    /// after them may overtake them, unlike the store's own queue: use it where the next write
    /// is one that fails (`failTogether`), so the order does not matter.
    func delayWrites(_ count: Int) { state.withLock { $0.toDelay = count } }

    /// Writes held by `delayWrites` so far.
    var delayedWrites: Int { state.withLock { $0.delayedWrites.count } }

    func releaseWrites() {
        let held = state.withLock { state in
            defer { state.delayedWrites = []; state.toDelay = 0 }
            return state.delayedWrites
        }
        for write in held { write.resume() }
    }

    /// The next `count` loads fail.
    func failLoads(_ count: Int) { state.withLock { $0.loadsToFail = count } }

    /// Loads from now on wait until `releaseLoads`, before they read the store or, with
    /// `afterReading`, once they have read it and before they return.
    func holdLoads(afterReading: Bool = false) {
        state.withLock { $0.holdsLoads = true; $0.holdsAfterReading = afterReading }
    }

    func releaseLoads() {
        let held = state.withLock { state in
            state.holdsLoads = false
            defer { state.heldLoads = [] }
            return state.heldLoads
        }
        for load in held { load.resume() }
    }

    /// Fails every held write now and lets held loads go: a test that gave up waiting must not
    /// leave requests hanging.
    func abandon() {
        let (writes, loads) = state.withLock { state in
            defer { state.heldWrites = []; state.heldLoads = []; state.toFail = 0; state.holdsLoads = false }
            return (state.heldWrites, state.heldLoads)
        }
        for write in writes { write.resume(throwing: InjectedFailure()) }
        for load in loads { load.resume() }
        releaseWrites()
    }

    /// Loads begun so far.
    var loads: Int { state.withLock { $0.loads } }

    var location: String { base.location }

    func load(policy: MarketPolicy, trust: JournalTrust) async throws -> LoadedMarket {
        let afterReading = state.withLock { state in
            state.loads += 1
            return state.holdsAfterReading
        }
        if !afterReading { await waitIfHeld() }
        let fails = state.withLock { state in
            guard state.loadsToFail > 0 else { return false }
            state.loadsToFail -= 1
            return true
        }
        if fails { throw InjectedFailure() }
        let loaded = try await base.load(policy: policy, trust: trust)
        if afterReading {
            state.withLock { $0.loadsRead += 1 }
            await waitIfHeld()
        }
        return loaded
    }

    /// Loads that have read the store, when they are held after reading.
    var loadsRead: Int { state.withLock { $0.loadsRead } }

    private func waitIfHeld() async {
        await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
            let hold = state.withLock { state in
                if state.holdsLoads { state.heldLoads.append(resume) }
                return state.holdsLoads
            }
            if !hold { resume.resume() }
        }
    }

    nonisolated(nonsending) func write(_ records: MarketRecords, at now: Timestamp) async throws {
        let claimed = state.withLock { state in
            guard state.toFail > 0 else { return false }
            state.toFail -= 1
            return true
        }
        let delayed = !claimed && state.withLock { state in
            guard state.toDelay > 0 else { return false }
            state.toDelay -= 1
            return true
        }
        if delayed {
            await withCheckedContinuation { (write: CheckedContinuation<Void, Never>) in
                state.withLock { $0.delayedWrites.append(write) }
            }
        }
        guard claimed else { return try await base.write(records, at: now) }
        try await withCheckedThrowingContinuation { (write: CheckedContinuation<Void, any Error>) in
            let group = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                state.heldWrites.append(write)
                guard state.heldWrites.count == state.groupSize else { return [] }
                defer { state.heldWrites = [] }
                return state.heldWrites
            }
            for held in group { held.resume(throwing: InjectedFailure()) }
        }
    }

    func journal(after sequence: UInt64, limit: Int) async throws -> [JournalEntry] {
        try await base.journal(after: sequence, limit: limit)
    }

    func document(kind: String, id: String) async throws -> String? { try await base.document(kind: kind, id: id) }

    func archived(_ query: ArchiveQuery) async throws -> [String] { try await base.archived(query) }

    func tryToLead(advertising url: String?) async -> Bool { await base.tryToLead(advertising: url) }

    var isLeading: Bool { base.isLeading }

    func resign() async { await base.resign() }

    func leaderURL() async throws -> String? { try await base.leaderURL() }

    func revision() async throws -> StoreRevision { try await base.revision() }

    func changes(since revision: StoreRevision) async throws -> (update: Marketplace.StoredUpdate, revision: StoreRevision)? {
        try await base.changes(since: revision)
    }

    var statistics: GroupCommitStatistics { base.statistics }

    func close() async throws { try await base.close() }
}
