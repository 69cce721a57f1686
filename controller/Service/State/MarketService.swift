import Foundation
import Logging
import Synchronization
import TenderCore
import TenderStore

/// The controller's one copy of the market, and the only way to change it.
///
/// Commands run one at a time on this actor against the in-memory `Marketplace`, then their
/// changes are queued, in order, on the group-commit writer; the caller is answered only after the
/// transaction holding its change has committed. A storage failure reloads the market from the
/// database so memory never runs ahead of what is durable; new commands wait until it has.
public actor MarketService {
    /// Never handed out whole: a copy held while a command runs would share the market's storage,
    /// and the command's first write would then copy every account (`read` answers from it).
    private var market: Marketplace
    /// Pending clock deadlines by subject; the clock service asks for the due ones.
    private var deadlines: [DeadlineKey: Timestamp] = [:]
    /// Where the market is kept: SQLite on one machine, PostgreSQL for several controllers.
    public nonisolated let storage: any MarketStorage
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    public nonisolated let controllerKey: KeyPair
    /// The stream of committed changes that agents, challengers and dashboards follow.
    nonisolated let events: EventHub
    /// How many journal entries may follow the stored ledger snapshot before another is written.
    private let snapshotInterval: UInt64
    /// The sequence of the last snapshot stored or being stored.
    private var snapshotSequence: UInt64
    /// How the market was loaded at start-up, for logs and the bench.
    public nonisolated let startup: Startup
    /// Where this controller tells others to send writes when it leads (`--advertise`).
    public nonisolated let advertisedURL: String?
    /// True while this controller leads its store and has caught up: only then does it write,
    /// run the clock and audit. Always true on SQLite.
    private nonisolated let leads = Mutex(false)
    /// The leader's URL as a follower last read it, for redirects; nil when none is known.
    private nonisolated let leaderAddress = Mutex<String?>(nil)
    /// Set while this leader's own recovery load refused its store's journal
    /// (`StoreError.refusesJournal`): commands are answered 503 at once, rather than each failing
    /// to extend the journal and loading the whole market only to refuse it again, and the clock
    /// and the auditor pause, until the store moves and a load takes it (`retryRefusedStore`).
    private nonisolated let storeRefused = Mutex(false)
    /// The store's revision when its journal was refused: loaded again only once it moves.
    private var refusedStoreRevision: StoreRevision?
    /// The store's revision the follower's market was loaded at.
    private var loadedRevision: StoreRevision?
    /// What vouches for the journal in loads after the first: the head this controller started
    /// on, or its own key's signature; and the latest head it saw durable, which the journal must
    /// still hold (`JournalTrust`).
    private var trust: JournalTrust
    /// A revision a follower or a would-be leader would not load (`StoreError.refusesJournal`: its
    /// journal ends unsigned, on another key's signature, or went back): not tried again, or
    /// logged again, until the store moves on.
    private var refusedRevision: StoreRevision?
    /// How a follower kept up: changes taken as stored, whole reloads, and loads refused
    /// (`StoreError.refusesJournal`).
    public private(set) var followed = (updates: 0, reloads: 0, refusals: 0)
    /// Reloads asked for after storage failures, and how many of them a load has answered; see
    /// `reload()`.
    private(set) var reloadsAsked = 0
    private var reloadsDone = 0
    /// The reload loop in flight, which later storage failures, and new commands, wait for.
    private var reloading: Task<Void, Never>?
    /// Changes handed to the store and not yet answered. A reload loads only once none is left:
    /// one that committed during its load would otherwise be missing from the market it installs.
    private var writesInFlight = 0
    /// A reload waiting for `writesInFlight` to reach zero.
    private var settled: [CheckedContinuation<Void, Never>] = []
    /// True while a reload waits for the writes in flight to be answered before it loads.
    var reloadAwaitsWrites: Bool { !settled.isEmpty }
    /// Commands holding back until a reload is installed; see `awaitReload()`.
    private(set) var commandsHeld = 0
    /// Loads of the whole market after a storage failure, since start.
    public private(set) var recoveryLoads = 0
    /// Counts every replacement of the market (a reload, a takeover, a follow): a reload whose
    /// load began before the latest one is dropped rather than installed over it.
    private var installs = 0
    /// Orders whose archiving write is queued and not yet answered: archived once, not again by a
    /// sweep that runs meanwhile.
    private var archiving: Set<OrderID> = []
    /// True while a retry of archiving, after a reload, waits to run.
    private var archiveRetryPending = false
    /// How long the next retry of archiving waits: doubled after each retry that fails, up to a
    /// minute, and back to a second once one succeeds.
    private var archiveRetryDelay = Duration.seconds(1)

    public struct Startup: Sendable {
        /// The snapshot the ledger resumed from; nil when the whole journal was replayed.
        public let snapshotSequence: UInt64?
        /// Journal entries replayed on top of it.
        public let replayed: Int
        /// Seconds spent loading the market.
        public let seconds: Double
    }

    struct DeadlineKey: Hashable, Sendable {
        var kind: Deadline.Kind
        var subject: UInt64
    }

    public init(
        storage: any MarketStorage, policy: MarketPolicy, controllerKey: KeyPair,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger, snapshotInterval: UInt64 = 100_000,
        advertisedURL: String? = nil
    ) async throws {
        self.storage = storage
        self.clock = clock
        self.logger = logger
        self.controllerKey = controllerKey
        self.snapshotInterval = max(snapshotInterval, 1)
        self.events = EventHub(startedAt: clock())
        self.advertisedURL = advertisedURL
        // The lock before the load: a leader must see every write of the one before it.
        let leading = await storage.tryToLead(advertising: advertisedURL)
        let revision = leading ? nil : try? await storage.revision()
        let started = ContinuousClock.now
        let loaded = try await storage.load(policy: policy, trust: .startingUp(key: controllerKey.account))
        self.trust = .after(startingOn: loaded.market.ledger.head, key: controllerKey.account)
        if loaded.snapshotRejected {
            logger.warning("the ledger snapshot is not this controller's or does not match the journal; replayed the whole journal")
        }
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1_000
        self.market = loaded.market
        self.snapshotSequence = loaded.snapshotSequence ?? 0
        self.startup = Startup(snapshotSequence: loaded.snapshotSequence, replayed: loaded.replayed, seconds: seconds)
        for deadline in loaded.deadlines { self.deadlines[DeadlineKey(kind: deadline.kind, subject: deadline.subject)] = deadline.at }
        self.loadedRevision = revision
        logger.notice("market loaded", metadata: [
            "journal entries replayed": "\(loaded.replayed)", "from snapshot": "\(loaded.snapshotSequence.map(String.init) ?? "none")",
            "seconds": "\(seconds)",
        ])
        if leading {
            do {
                try await takeOver(replayed: loaded.replayed)
            } catch {
                // Lost the lead while taking over (a shared database's lock session ended): follow.
                guard !storage.isLeading else { throw error }
                logger.warning("lost the lead of the shared database while taking over: following", metadata: ["error": "\(error)"])
                leads.withLock { $0 = false }
            }
        } else {
            logger.notice("another controller leads this database: following it", metadata: ["store": "\(storage.location)"])
            leaderAddress.withLock { $0 = nil }
        }
    }

    /// Starts leading a market just loaded: stores a snapshot after a long replay, and gives the
    /// time limits that ran out while nobody led a fresh allowance.
    private func takeOver(replayed: Int) async throws {
        leads.withLock { $0 = true }
        // A long tail is replayed once: the next start resumes from here.
        if UInt64(replayed) >= snapshotInterval / 10, replayed > 0 { await storeSnapshot() }
        let resumed = try await perform { market, now throws(MarketplaceError) in
            let change = market.resume(now: now)
            return (change.leases.count + change.disputes.count, change)
        }
        if resumed > 0 {
            logger.notice("extended the time limits that fell due while no controller led", metadata: ["leases and disputes": "\(resumed)"])
        }
        // A store written before finished work was archived loads it all: archive it now.
        try await archiveFinishedInMemory()
    }

    /// Archives every finished order still in memory, in bounded writes: after a load from a store
    /// kept before the archive existed, or a reload that brought back orders whose archiving
    /// write failed. Costs what memory holds.
    private func archiveFinishedInMemory() async throws {
        await awaitReload()
        let finished = market.finishedOrders().filter { !archiving.contains($0) }
        var archived = 0
        for start in stride(from: 0, to: finished.count, by: Self.archiveBatch) {
            // Another command's write failed meanwhile: the market is about to be replaced, and
            // the reload schedules the rest of this archiving again.
            guard reloading == nil else { break }
            let batch = Array(finished[start..<min(start + Self.archiveBatch, finished.count)])
            try await commit(MarketChange(), at: clock(), finishing: batch)
            archived += batch.count
        }
        if archived > 0 {
            logger.notice("archived finished orders still held in memory", metadata: ["orders": "\(archived)"])
        }
    }

    /// How many finished orders one archiving write at take-over holds.
    static let archiveBatch = 1_000

    // MARK: - Leading and following (several controllers on one database)

    /// True while this controller writes, runs the clock and audits.
    public nonisolated var isLeading: Bool { leads.withLock { $0 } }

    /// Where writes go when this controller follows: the leader's advertised URL, if known (never
    /// this controller's own: while it catches up to lead, or just stepped down, there is none).
    public nonisolated var leaderURL: String? {
        leaderAddress.withLock { $0 }.flatMap { $0 == advertisedURL ? nil : $0 }
    }

    /// One step of following a shared store, run by `Replication`: a leader that lost its lock
    /// steps down; a follower tries to take the lead, and otherwise reloads the market when the
    /// store changed.
    func replicate() async {
        if isLeading {
            guard !storage.isLeading else {
                await retryRefusedStore()
                return
            }
            logger.critical("lost the leader lock (its database session is gone): following from now on")
            leads.withLock { $0 = false }
            storeRefused.withLock { $0 = false }
            leaderAddress.withLock { $0 = nil }
            loadedRevision = nil
            // Followers of its events reconnect, and are sent to whoever leads now.
            events.finishAll()
        }
        // A store whose journal a load refused (`StoreError.refusesJournal`) is neither led nor followed until
        // it moves: taking the lead would load it again, every tick, only to refuse it again.
        if let refusedRevision, (try? await storage.revision()) == refusedRevision {
            // Writes still go to whoever leads it, if anyone does.
            if let url = try? await storage.leaderURL() { leaderAddress.withLock { $0 = url } }
            return
        }
        if await storage.tryToLead(advertising: advertisedURL) {
            logger.notice("took the lead of the shared database: catching up from the journal")
            leaderAddress.withLock { $0 = nil }
            let revision = try? await storage.revision()
            do {
                let loaded = try await storage.load(policy: market.policy, trust: trust)
                install(loaded)
                try await takeOver(replayed: loaded.replayed)
                logger.notice("leading", metadata: ["ledger sequence": "\(market.ledger.sequence)"])
            } catch {
                if let error = error as? StoreError, error.refusesJournal {
                    refuse(revision ?? refusedRevision, to: "lead", error)
                } else {
                    logger.error("could not take over the market; trying again", metadata: ["error": "\(error)"])
                }
                leads.withLock { $0 = false }
                await storage.resign()
            }
            return
        }
        do {
            let url = try await storage.leaderURL()
            leaderAddress.withLock { $0 = url }
            let revision = try await storage.revision()
            guard revision != loadedRevision else { return }
            // What changed since the last look, taken as stored; a whole reload when the store
            // cannot say or the journal does not follow on from this copy's.
            // Changes that end on an unsigned entry, or on a signature not this market's key's,
            // were not a leader's (it signs each commit's last entry): the reload below refuses
            // them, with the reason.
            if let loadedRevision, let (update, reached) = try await storage.changes(since: loadedRevision),
               update.journal.last.map({ $0.signature != nil && trust.vouches(for: $0) }) ?? true {
                do {
                    // A journal that went back is not followed: the reload below refuses it.
                    guard reached.journal >= market.ledger.sequence else { throw StoreError.journalRewound(head: reached.journal, floor: market.ledger.sequence) }
                    try market.follow(update)
                    trust.saw(market.ledger.head)
                    self.loadedRevision = reached
                    followed.updates += 1
                    installs += 1
                    return
                } catch {
                    logger.warning("the shared journal does not follow on from this copy; reloading the market", metadata: ["error": "\(error)"])
                }
            }
            let loaded: LoadedMarket
            do {
                loaded = try await storage.load(policy: market.policy, trust: trust)
            } catch let error as StoreError where error.refusesJournal {
                refuse(revision, to: "follow", error)
                return
            }
            install(loaded)
            loadedRevision = revision
            followed.reloads += 1
        } catch {
            logger.warning("could not follow the shared database", metadata: ["error": "\(error)"])
        }
    }

    /// Remembers a revision whose journal a load refused (`StoreError.refusesJournal`), so that
    /// it is neither loaded nor led again, or logged again, until the store moves.
    private func refuse(_ revision: StoreRevision?, to role: String, _ error: StoreError) {
        refusedRevision = revision
        followed.refusals += 1
        logger.critical("not going to \(role) the shared database: its journal is not one this controller can vouch for", metadata: ["error": "\(error)"])
    }

    /// Replaces the market with one loaded from the store, and tells followers of events so.
    private func install(_ loaded: LoadedMarket) {
        installs += 1
        market = loaded.market
        trust.saw(market.ledger.head)
        events.publishReset(ledgerSequence: loaded.market.ledger.sequence)
        deadlines = [:]
        for deadline in loaded.deadlines { deadlines[DeadlineKey(kind: deadline.kind, subject: deadline.subject)] = deadline.at }
        snapshotSequence = max(snapshotSequence, loaded.snapshotSequence ?? 0)
    }

    public nonisolated var now: Timestamp { clock() }

    /// Answers a question about the market as it is now. Only the answer leaves the actor.
    public func read<T: Sendable, E: Error>(_ question: @Sendable (borrowing Marketplace) throws(E) -> T) throws(E) -> T {
        try Self.lend(&market, to: question)
    }

    /// Passes the market on by its address. Handed straight from the stored property, even to a
    /// `borrowing` parameter, it is copied first (a retain of every table, and a release after).
    private static func lend<T, E: Error>(_ market: inout Marketplace, to question: (borrowing Marketplace) throws(E) -> T) throws(E) -> T {
        try question(market)
    }

    /// A copy of the whole market, for tests and tools. While it lives it shares storage with the
    /// market, so the next write copies every table it touches: routes use `read`.
    public var snapshot: Marketplace { market }

    /// Runs `command` on the market and makes its change durable before returning its value.
    public func perform<T: Sendable>(
        _ command: @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> (T, MarketChange)
    ) async throws -> T {
        await awaitReload()
        guard isLeading else { throw ControllerError.notLeading(leaderURL) }
        if refusesItsStore { throw Self.refusedStoreError }
        let now = clock()
        let (value, change) = try market.atomically { market throws(MarketplaceError) in try command(&market, now) }
        try await commit(change, at: now)
        return value
    }

    /// Runs a signed command: accepts the request's nonce and runs `command` as one change.
    ///
    /// A refused command still uses up the nonce: the signature verified, so the request was the
    /// account's own, and it was answered with a refusal. The nonce alone is committed, durably,
    /// before the refusal is rethrown, in the same turn of this actor, so the same signed bytes
    /// can never be sent again and succeed once things change (funds arrive, a trace is uploaded).
    /// A nonce that is itself refused (stale, too far ahead) changes nothing.
    ///
    /// Every journal entry the command makes carries the signed request (`Marketplace.onBehalf`).
    public func performSigned<T: Sendable>(
        _ request: RequestEvidence,
        _ command: @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> (T, MarketChange)
    ) async throws -> T {
        try await performSigned(by: request.account, nonce: request.nonce, request: request, command)
    }

    /// A signed command whose body is not kept (a streamed artifact upload): it may not move
    /// money, since a journal entry must carry the request that caused it.
    public func performSigned<T: Sendable>(
        by account: AccountID, nonce: UInt64,
        _ command: @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> (T, MarketChange)
    ) async throws -> T {
        try await performSigned(by: account, nonce: nonce, request: nil, command)
    }

    private func performSigned<T: Sendable>(
        by account: AccountID, nonce: UInt64, request: RequestEvidence?,
        _ command: @Sendable (inout Marketplace, Timestamp) throws(MarketplaceError) -> (T, MarketChange)
    ) async throws -> T {
        await awaitReload()
        guard isLeading else { throw ControllerError.notLeading(leaderURL) }
        if refusesItsStore { throw Self.refusedStoreError }
        let now = clock()
        let outcome: (T, MarketChange)
        do {
            outcome = try market.atomically { market throws(any Error) in
                var change = try market.acceptNonce(nonce, for: account, now: now)
                let (result, more) = if let request {
                    try market.onBehalf(of: request) { market throws(MarketplaceError) in try command(&market, now) }
                } else {
                    try command(&market, now)
                }
                guard request != nil || more.journal.isEmpty else {
                    logger.critical("a signed command without its request kept tried to move money; refused")
                    throw ControllerError.storage
                }
                change.merge(more)
                return (result, change)
            }
        } catch {
            // The market is as it was; only the nonce is used up, and that must be durable first.
            if case MarketplaceError.staleNonce = error { throw error }
            if case MarketplaceError.futureNonce = error { throw error }
            let nonceOnly = try market.atomically { market throws(MarketplaceError) in
                try market.acceptNonce(nonce, for: account, now: now)
            }
            try await commit(nonceOnly, at: now)
            throw error
        }
        try await commit(outcome.1, at: now)
        return outcome.0
    }

    /// Checks, before a request's body is read, that `account` may send it and that `nonce` could
    /// be accepted now (`Marketplace.admit`).
    public func admit(_ account: AccountID, nonce: UInt64, newAccounts: Bool) throws(MarketplaceError) {
        let now = clock()
        try read { market throws(MarketplaceError) in try market.admit(nonce: nonce, for: account, now: now, newAccount: newAccounts) }
    }

    /// Uses up the nonce of a request whose signature verified but which a route refused before
    /// or after its command ran. A nonce already used (by `performSigned`'s own refusal, or by a
    /// later request) is left as it is.
    ///
    /// Throws `ControllerError.storage` when the nonce could not be made durable: the refusal must
    /// not be answered then, or the same signed bytes could succeed later; the client hears 503
    /// and sends again.
    public func spendNonce(_ nonce: UInt64, for account: AccountID) async throws {
        // Asked of the market a pending reload installs: the one about to be replaced may hold a
        // later nonce whose write failed.
        await awaitReload()
        guard market.account(account).lastNonce < nonce else { return }
        do {
            try await perform { market, now throws(MarketplaceError) in ((), try market.acceptNonce(nonce, for: account, now: now)) }
        } catch let error as MarketplaceError {
            // Another request took a greater nonce first: this one is used up all the same.
            logger.debug("a refused request's nonce was passed already", metadata: ["account": "\(account.short)", "error": "\(error)"])
        } catch {
            logger.error("could not use up a refused request's nonce; answering 503", metadata: ["account": "\(account.short)", "error": "\(error)"])
            throw ControllerError.storage
        }
    }

    /// Makes a change already made to the market durable; on a storage failure reloads the market
    /// from the database, so memory never runs ahead of what is durable.
    ///
    /// Orders the change finished (and `finishing`) are archived in the same write: their artifact
    /// ties are folded into the artifacts' records first (`Marketplace.retire`), and once the write
    /// is durable they leave memory (`evict`); reads of them then go to the store.
    private func commit(_ change: MarketChange, at now: Timestamp, finishing: [OrderID] = []) async throws {
        var change = change
        // Asked through `read`, which lends the market: a method called on the stored property
        // copies the whole market (a retain of every table) and frees the copy after.
        let touched = read { [change] market in
            market.finishedOrders(touchedBy: change) + (finishing.isEmpty ? [] : finishing.filter { market.isFinished($0) })
        }
        let finished = Set(touched).subtracting(archiving).sorted()
        archiving.formUnion(finished)
        defer { archiving.subtract(finished) }
        if !finished.isEmpty { change.merge(market.retire(finished)) }
        for deadline in change.deadlines {
            deadlines[DeadlineKey(kind: deadline.kind, subject: deadline.subject)] = deadline.at
        }
        var (records, archived) = read { [change] market in
            (MarketRecords(change: change, market: market), finished.compactMap { market.archive(of: $0) })
        }
        records.archive(archived)
        // The store signs the journal's head once per transaction, not each entry here.
        records.signer = controllerKey
        // A finished group's pending deadlines (an auction close of a cancelled order) can do
        // nothing more: they go with it, from memory and from the store.
        for (kind, subject) in archived.flatMap(\.deadlineSubjects) {
            guard deadlines.removeValue(forKey: DeadlineKey(kind: kind, subject: subject)) != nil else { continue }
            records.removedDeadlines.append((kind.rawValue, String(subject)))
        }
        publishEvents(for: change)
        // The ledger as this change leaves it, stored as the next snapshot once the change is
        // durable: a snapshot of a change that failed would name a head the journal does not
        // have, and the next load would replay the whole journal.
        let previousSnapshot = snapshotSequence
        let snapshot = market.ledger.sequence >= snapshotSequence + snapshotInterval ? market.ledger : nil
        if let snapshot { snapshotSequence = snapshot.sequence }
        writesInFlight += 1
        do {
            try await storage.write(records, at: now)
            writeSettled()
            if let last = records.journal.last { trust.saw(JournalTrust.Head(sequence: last.sequence, hash: last.hash)) }
        } catch {
            writeSettled()
            if snapshot != nil { snapshotSequence = previousSnapshot }
            logger.error("storage failed; reloading the market from the database", metadata: ["error": "\(error)"])
            await reload()
            throw ControllerError.storage
        }
        if let snapshot { Task { await store(snapshot) } }
        market.evict(finished)
    }

    /// Counts an answered write, and lets a reload waiting for the writes in flight go once none is left.
    private func writeSettled() {
        writesInFlight -= 1
        guard writesInFlight == 0, !settled.isEmpty else { return }
        let waiting = settled
        settled = []
        for reload in waiting { reload.resume() }
    }

    /// Holds a command back while a reload is asked for or under way. Made now, on the market
    /// about to be replaced, its change could commit while the load reads the store, and the
    /// market installed after would not have it: memory behind what is durable, the command's
    /// nonce usable again. Run after the install, it changes the market the store holds.
    private func awaitReload() async {
        while let running = reloading {
            commandsHeld += 1
            await running.value
            commandsHeld -= 1
        }
    }

    /// One event per order, lease and dispute the change touched, each carrying the record as it
    /// is now. Sent as the change is queued for the disk rather than after: a storage failure
    /// reloads the market and sends a `reset`, so followers never keep a state that was lost.
    private func publishEvents(for change: MarketChange) {
        let sequence = market.ledger.sequence
        for id in change.orders.sorted() {
            guard let order = market.orders[id] else { continue }
            events.publish { API.MarketEvent(id: $0, kind: .order, ledgerSequence: sequence, order: order) }
        }
        for id in change.leases.sorted() {
            guard let lease = market.leases[id] else { continue }
            events.publish { API.MarketEvent(id: $0, kind: .lease, ledgerSequence: sequence, lease: API.LeaseView(lease)) }
        }
        for id in change.disputes.sorted() {
            guard let dispute = market.disputes[id] else { continue }
            events.publish { API.MarketEvent(id: $0, kind: .dispute, ledgerSequence: sequence, dispute: API.DisputeView(dispute)) }
        }
    }

    /// Stores the ledger as it is now as the snapshot start-up resumes from, signed with the
    /// controller's key. Queued behind the writes it describes (a storage failure among them makes
    /// the snapshot's head hash one the journal does not have, and start-up then ignores it);
    /// encoded and signed off this actor and before it is queued. The copy it takes shares the
    /// ledger's storage, so the next writes copy what they touch once: a cost paid once per
    /// `snapshotInterval` entries.
    private func storeSnapshot() async {
        snapshotSequence = market.ledger.sequence
        await store(market.ledger)
    }

    private func store(_ ledger: Ledger) async {
        let now = clock()
        let key = controllerKey
        // Encoded and signed before it is queued: the writer's transaction holds other writes.
        let encoded = await Task.detached(priority: .utility) { try? Self.encodeSnapshot(ledger.snapshot, signedBy: key) }.value
        guard let encoded else {
            logger.warning("could not encode the ledger snapshot; start-up will replay more of the journal")
            return
        }
        do {
            try await storage.write(.snapshot(json: encoded), at: now)
            logger.info("ledger snapshot stored", metadata: ["sequence": "\(ledger.sequence)"])
        } catch {
            logger.warning("could not store the ledger snapshot; start-up will replay more of the journal", metadata: ["error": "\(error)"])
        }
    }

    /// Deadlines due at `now`, earliest first; they stay pending until handled. None on a
    /// follower: the leader's clock runs them.
    func dueDeadlines(at now: Timestamp) -> [Deadline] {
        guard isLeading, !refusesItsStore else { return [] }
        return deadlines.filter { $0.value <= now }
            .map { Deadline(kind: $0.key.kind, subject: $0.key.subject, at: $0.value) }
            .sorted { ($0.at, $0.subject) < ($1.at, $1.subject) }
    }

    /// Forgets a handled deadline unless the handler armed a later one for the same subject.
    func finish(_ deadline: Deadline) async {
        let key = DeadlineKey(kind: deadline.kind, subject: deadline.subject)
        guard let pending = deadlines[key], pending <= deadline.at else { return }
        deadlines[key] = nil
        do {
            try await storage.write(.removingDeadline(kind: deadline.kind.rawValue, id: String(deadline.subject)), at: clock())
        } catch {
            logger.warning("could not remove a handled deadline; it will be re-run harmlessly", metadata: ["error": "\(error)"])
        }
    }

    /// Tries a failed deadline again at `retryAt` instead of dropping it: a deadline is the only
    /// thing that moves its lease or dispute on, so losing one would freeze that money for good.
    func postpone(_ deadline: Deadline, to retryAt: Timestamp) async {
        let key = DeadlineKey(kind: deadline.kind, subject: deadline.subject)
        guard let pending = deadlines[key], pending <= deadline.at else { return }
        deadlines[key] = retryAt
        do {
            try await storage.write(.deadline(StoredDeadline(kind: deadline.kind.rawValue, id: String(deadline.subject), dueAt: retryAt)), at: clock())
        } catch {
            logger.warning("could not store a postponed deadline; it is retried from memory", metadata: ["error": "\(error)"])
        }
    }

    /// Reloads the market after a storage failure, sharing a load with the other failures of the
    /// same moment: a batch the store rolled back fails every write in it, and each of those
    /// callers would otherwise load the whole market again.
    ///
    /// A load begins only once the commands' writes in flight have been answered, and new
    /// commands wait until it is installed, so failures of one moment share one load, and the
    /// only changes a load can miss are ones whose writes failed. A caller still returns only once
    /// a load that began after its failure is installed: should a change be made in memory while
    /// a load is under way, that load may predate it, so it does not count.
    private func reload() async {
        reloadsAsked += 1
        let ticket = reloadsAsked
        while reloadsDone < ticket {
            if let running = reloading {
                await running.value
            } else {
                let task = Task { await self.runReloads() }
                reloading = task
                await task.value
            }
        }
    }

    /// Loads and installs until every reload asked for before a load began is done. A load that
    /// fails (the database is unreachable for a moment) is tried again, after 100 ms and then
    /// 200 ms, before its callers are answered anyway: memory may then hold changes the store
    /// does not, until the next write, whose journal entry cannot extend the store's, fails and
    /// reloads again.
    private func runReloads() async {
        var failures = 0
        while reloadsDone < reloadsAsked {
            while writesInFlight > 0 { await withCheckedContinuation { settled.append($0) } }
            let covered = reloadsAsked
            if await loadAndInstall() || failures == Self.recoveryLoadRetries {
                reloadsDone = covered
                failures = 0
            } else {
                failures += 1
                try? await Task.sleep(for: .milliseconds(50 << failures))
            }
        }
        reloading = nil
    }

    /// How often a failed recovery load is tried again before its callers are answered.
    static let recoveryLoadRetries = 2

    /// Loads the market and installs it; false if the load failed.
    private func loadAndInstall() async -> Bool {
        do {
            let policy = market.policy
            let generation = installs
            recoveryLoads += 1
            let loaded = try await storage.load(policy: policy, trust: trust)
            // Another reload or a takeover installed a later market meanwhile: keep that one.
            guard generation == installs else { return true }
            install(loaded)
            // A failed write may have been the one archiving finished orders: they are back in
            // memory, and go again once this failure has been answered. One retry is pending at a
            // time, and each that fails waits twice as long before the next (up to a minute), so a
            // store that keeps failing writes is not reloaded every second for ever.
            if isLeading, !archiveRetryPending, !loaded.market.finishedOrders().isEmpty {
                archiveRetryPending = true
                let delay = archiveRetryDelay
                archiveRetryDelay = min(delay * 2, .seconds(60))
                Task {
                    try? await Task.sleep(for: delay)
                    await self.retryArchiving()
                }
            }
            return true
        } catch {
            logger.critical("cannot reload the market from the database", metadata: ["error": "\(error)"])
            // A journal refused (unsigned, another key's, gone back), or a store closed for
            // shutdown, stays so: no retry.
            guard let error = error as? StoreError else { return false }
            if case .closed = error { return true }
            if error.refusesJournal, isLeading {
                refusedStoreRevision = try? await storage.revision()
                storeRefused.withLock { $0 = true }
                logger.critical("not writing until the database's journal is one this controller can vouch for again: repair it, or restart the controller to take it as it stands")
            }
            return error.refusesJournal
        }
    }

    /// True while this leader refuses its own store's journal; see `storeRefused`.
    public nonisolated var refusesItsStore: Bool { storeRefused.withLock { $0 } }

    /// A 503 that keeps the nonce, for commands while the store is refused.
    static let refusedStoreError = ControllerError.busy(
        title: "Database refused",
        detail: "this controller will not build on its database's journal as it stands (its log says why); writes wait until "
            + "the database is repaired or the controller is restarted"
    )

    /// Loads a refused store again once it has moved (repaired, on a shared database perhaps by
    /// another hand), and writes again if the load takes it; one load per move, not per command.
    private func retryRefusedStore() async {
        guard refusesItsStore, let revision = try? await storage.revision(), revision != refusedStoreRevision else { return }
        do {
            let loaded = try await storage.load(policy: market.policy, trust: trust)
            install(loaded)
            storeRefused.withLock { $0 = false }
            refusedStoreRevision = nil
            logger.notice("the database's journal is one this controller can vouch for again: writing", metadata: ["ledger sequence": "\(market.ledger.sequence)"])
        } catch let error as StoreError where error.refusesJournal {
            refusedStoreRevision = revision
            logger.critical("the database moved, and its journal is still refused", metadata: ["error": "\(error)"])
        } catch {
            logger.warning("could not load the database to see whether it was repaired; trying again", metadata: ["error": "\(error)"])
        }
    }

    private func retryArchiving() async {
        archiveRetryPending = false
        guard isLeading else { return }
        if (try? await archiveFinishedInMemory()) != nil { archiveRetryDelay = .seconds(1) }
    }

    // MARK: - Records, open or finished

    /// An order as it stands: from memory while it can change, from the store once finished.
    public func order(_ id: OrderID) async throws -> Order? {
        if let order = market.orders[id] { return order }
        return try await storage.document(Order.self, kind: MarketDocuments.orderKind, id: id.description)
    }

    /// A lease as it stands, from memory or, once its order finished, from the store.
    public func lease(_ id: LeaseID) async throws -> Lease? {
        if let lease = market.leases[id] { return lease }
        return try await storage.document(Lease.self, kind: MarketDocuments.leaseKind, id: id.description)
    }

    /// A dispute as it stands, from memory or, once its order finished, from the store.
    public func dispute(_ id: DisputeID) async throws -> Dispute? {
        if let dispute = market.disputes[id] { return dispute }
        return try await storage.document(Dispute.self, kind: MarketDocuments.disputeKind, id: id.description)
    }

    /// An order with its leases, in id order; nil when there is no such order.
    public func orderWithLeases(_ id: OrderID) async throws -> (order: Order, leases: [Lease])? {
        if let order = market.orders[id] { return (order, market.leases(ofOrder: id)) }
        guard let order = try await storage.document(Order.self, kind: MarketDocuments.orderKind, id: id.description) else { return nil }
        var leases: [Lease] = []
        while true {
            let page = try await storage.archived(Lease.self, ArchiveQuery(
                kind: MarketDocuments.leaseKind, after: leases.last?.id.rawValue ?? 0, limit: 1_000, parent: id.rawValue
            ))
            leases += page
            if page.count < 1_000 { return (order, leases) }
        }
    }

    /// The beacon secret kept privately for a lease since its award.
    public func beaconSecret(lease: LeaseID) async throws -> String? {
        try await storage.beaconSecret(lease: lease)
    }

    /// Group-commit counters for metrics.
    public nonisolated var writerStatistics: GroupCommitStatistics { storage.statistics }

    /// The stored form of a snapshot: signed by the controller, as JSON text ready to write.
    static func encodeSnapshot(_ snapshot: Ledger.Snapshot, signedBy key: KeyPair) throws -> String {
        String(decoding: try CanonicalJSON.encode(try Signed(snapshot, by: key)), as: UTF8.self)
    }
}

/// Failures of the controller itself, as opposed to refusals of a request.
public enum ControllerError: Error, Sendable {
    /// The database refused or lost a write; nothing was acknowledged.
    case storage
    /// An input a job names is not in the artifact store, so its workload cannot be built here.
    case missingInput(String)
    /// Another controller leads the shared database (at this URL, when known): writes go there.
    case notLeading(String?)
    /// The controller has no room for this request now (a 503 with this title and detail); like
    /// every controller failure, nothing was decided and the request's nonce is kept.
    case busy(title: String, detail: String)
}
