import CTenderEd25519
import Crypto
import Foundation
import Synchronization

/// Makes a second and later Ed25519 verification of the same key about 3.5 times as fast, and
/// never changes a verdict.
///
/// A market's signed requests come mostly from the same few keys again and again: providers'
/// agents, challengers, busy submitters. Checking a signature computes R' = [s]B - [h]A; the
/// reference implementation spends most of its time on the 253 doublings of the [h]A half. For a
/// key seen twice this keeps a table of A's multiples (`CTenderEd25519`, 30 KiB), with which [h]A
/// is a sum of 64 table entries and four doublings; [s]B is a sum of 32 entries of one larger
/// table of the base point's multiples, shared by every key.
///
/// `accepts` only ever says yes: when the R' it computed encodes to the signature's R, which is
/// exactly the equation the reference implementation checks (cofactorless, S below the order, A
/// and R compared as encoded). Anything else (no table yet, an unusual key, a mismatch) answers
/// no, and the caller asks the reference implementation, whose answer stands. So an error here
/// could cost speed, never a wrong acceptance short of computing the very R the signer committed
/// to, and the tests compare both paths on valid, altered and malformed signatures.
///
/// Memory is bounded: at most `capacity` tables, the least recently used evicted. A table is built
/// only for a key seen twice (a key that signs once costs no table), and once full, a new table
/// must be paid for by four confirmed signatures since the last one: keys that come round too rarely to gain from
/// a table (more of them than `capacity`, in turn) are checked by the reference path alone instead
/// of building tables that are evicted before use.
public final class RepeatSignerTables: Sendable {
    /// The tables kept by `AccountID.verify`: 512 keys, 15 MiB at most.
    public static let shared = RepeatSignerTables(capacity: 512)

    /// What the tables have done, for tests and `/metrics`.
    public struct Counters: Sendable, Equatable {
        /// Signatures accepted through a table.
        public var accepted = 0
        /// Checks whose R' differed from R (left to the reference path, which refuses them unless
        /// this code is wrong).
        public var mismatched = 0
        /// Tables built, and evicted to make room.
        public var built = 0
        public var evicted = 0

        public init() {}
    }

    /// The most tables kept.
    public let capacity: Int

    private let state: Mutex<State>

    /// A seen key's slot in `State.seen`: 4,096 slots, a key in its hash's. Swift's hash is seeded
    /// afresh in each process, so a stranger cannot grind out keys that land in a busy signer's
    /// slot and keep it from ever being seen twice.
    private static let seenSlots = 4_096
    /// Hits that pay for one table once the tables are full.
    private static let hitsPerTable = 4

    private struct State: ~Copyable {
        var tables: [AccountID: Entry] = [:]
        var seen: [AccountID?] = Array(repeating: nil, count: RepeatSignerTables.seenSlots)
        var tick: UInt64 = 0
        var credit = 0
        var counters = Counters()
    }

    private struct Entry {
        var table: CombTable
        var lastUse: UInt64
    }

    public init(capacity: Int) {
        precondition(capacity >= 1, "at least one table")
        self.capacity = capacity
        self.state = Mutex(State())
    }

    public var counters: Counters {
        state.withLock { $0.counters }
    }

    /// Tables held now.
    public var count: Int {
        state.withLock { $0.tables.count }
    }

    /// True only when `signature` over `message` verifies for `account` through a table; false
    /// means "ask the reference implementation", never "invalid".
    public func accepts(signature: Data, for message: Data, by account: AccountID) -> Bool {
        guard signature.count == 64, let table = table(for: account) else { return false }
        let key = account.bytes
        var hasher = SHA512()
        hasher.update(data: signature.prefix(32))
        hasher.update(data: key)
        hasher.update(data: message)
        let digest = hasher.finalize()
        var computed = [UInt8](repeating: 0, count: 32)
        let signatureBytes = [UInt8](signature)
        let hash = [UInt8](digest)
        // The table is kept alive across the C call: another thread may evict it meanwhile.
        let combined = withExtendedLifetime(table) {
            signatureBytes.withUnsafeBufferPointer { signature in
                tender_ed25519_combine(&computed, table.storage, signature.baseAddress! + 32, hash)
            }
        }
        let matches = combined == 1 && computed[...] == signatureBytes[0..<32]
        state.withLock { state in
            if matches {
                state.counters.accepted += 1
                // Only a confirmed signature earns credit: bad signatures under a tabled key
                // must not pay for evicting someone else's table.
                state.credit = min(state.credit + 1, capacity * Self.hitsPerTable)
            } else {
                state.counters.mismatched += 1
            }
        }
        return matches
    }

    /// The account's table, building it on the key's second sighting if the budget allows.
    private func table(for account: AccountID) -> CombTable? {
        enum Lookup { case found(CombTable), build, none }
        let lookup: Lookup = state.withLock { state in
            state.tick += 1
            if let entry = state.tables[account] {
                state.tables[account]?.lastUse = state.tick
                return .found(entry.table)
            }
            let slot = Int(UInt(bitPattern: account.hashValue) % UInt(Self.seenSlots))
            guard state.seen[slot] == account else {
                state.seen[slot] = account
                return .none
            }
            guard state.tables.count < capacity || state.credit >= Self.hitsPerTable else { return .none }
            state.seen[slot] = nil
            return .build
        }
        switch lookup {
        case .found(let table): return table
        case .none: return nil
        case .build: break
        }
        guard let table = CombTable(key: account.bytes) else { return nil }
        state.withLock { state in
            if state.tables[account] == nil, state.tables.count >= capacity,
               let oldest = state.tables.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                state.tables[oldest] = nil
                state.credit -= Self.hitsPerTable
                state.counters.evicted += 1
            }
            state.tables[account] = Entry(table: table, lastUse: state.tick)
            state.counters.built += 1
        }
        return table
    }
}

/// A key's multiples in the form `tender_ed25519_combine` reads: immutable once built, so it can
/// be shared between threads.
final class CombTable: @unchecked Sendable {
    let storage: UnsafeMutableRawPointer

    /// Nil for a key that is not a canonical curve point (most 32-byte strings are not). The
    /// memory is freed here before `storage` is set: a failed init that had set it would run
    /// `deinit` too, and free it twice.
    init?(key: [UInt8]) {
        guard key.count == 32 else { return nil }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: tender_ed25519_table_size(), alignment: 16)
        guard key.withUnsafeBufferPointer({ tender_ed25519_table_build(memory, $0.baseAddress!) }) == 1 else {
            memory.deallocate()
            return nil
        }
        storage = memory
    }

    deinit {
        storage.deallocate()
    }
}
