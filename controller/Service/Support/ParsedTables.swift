import Foundation
import Synchronization
import TenderWorkloads

/// Numeric tables (`NumericCSV`) parsed at order submission, kept by file so that orders naming the
/// same stored dataset in different ways (another seed, another learning rate) are checked without
/// parsing it again: parsing is what a check costs, tens of megabytes of text for a large dataset,
/// and a sender who varies one hyperparameter per order would otherwise make every check pay it.
/// A file that does not parse is remembered too, with its error (one that could not be read is not).
///
/// Files are content-addressed artifacts, so a path names one content for good. At most
/// `maximumEntries` files are kept, holding at most `maximumBytes` of parsed values in all (what
/// their arrays reserve, plus a little per entry); the least recently used goes first, and a table
/// larger than that is parsed each time and not kept.
final class ParsedTables: Sendable {
    private let maximumBytes: Int
    private let maximumEntries: Int
    private let state = Mutex(State())

    private struct State {
        var tables: [String: (parsed: Result<Dataset, WorkloadError>, bytes: Int, used: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var parses = 0
    }

    init(maximumBytes: Int = 64 << 20, maximumEntries: Int = 32) {
        self.maximumBytes = max(maximumBytes, 0)
        self.maximumEntries = max(maximumEntries, 1)
    }

    /// Files parsed so far (kept tables are not counted again).
    var parses: Int { state.withLock { $0.parses } }

    /// What a kept entry costs: the arrays' reserved storage, and the key and the entry itself.
    static func bytes(of parsed: Result<Dataset, WorkloadError>, key: String) -> Int {
        let overhead = 256 + key.utf8.count
        guard case .success(let dataset) = parsed else { return overhead }
        return overhead + dataset.features.capacity * MemoryLayout<Float>.stride
            + (dataset.labels?.capacity ?? 0) * MemoryLayout<Int>.stride
    }

    /// The table in the file at `url`, parsed as `NumericCSV.load` parses it.
    func table(at url: URL) throws(WorkloadError) -> Dataset {
        let key = url.standardizedFileURL.path
        let kept = state.withLock { state -> Result<Dataset, WorkloadError>? in
            state.clock += 1
            guard let kept = state.tables[key] else { return nil }
            state.tables[key]?.used = state.clock
            return kept.parsed
        }
        if let kept { return try kept.get() }
        // Parsed outside the lock; checks run one at a time, so two parses of one file are rare
        // and harmless (the second replaces the first).
        let parsed = Result { () throws(WorkloadError) -> Dataset in try NumericCSV.load(contentsOf: url) }
        let size = Self.bytes(of: parsed, key: key)
        state.withLock { state in
            state.parses += 1
            // A file that could not be read may be readable next time: only its content's verdict is kept.
            if case .failure(.io) = parsed { return }
            guard size <= maximumBytes else { return }
            if let replaced = state.tables.removeValue(forKey: key) { state.bytes -= replaced.bytes }
            if state.bytes + size > maximumBytes || state.tables.count >= maximumEntries {
                // Oldest first, until the new entry fits: one sort, however many go.
                for (oldKey, old) in state.tables.sorted(by: { $0.value.used < $1.value.used }) {
                    guard state.bytes + size > maximumBytes || state.tables.count >= maximumEntries else { break }
                    state.bytes -= old.bytes
                    state.tables[oldKey] = nil
                }
            }
            state.clock += 1
            state.tables[key] = (parsed, size, state.clock)
            state.bytes += size
        }
        return try parsed.get()
    }
}
