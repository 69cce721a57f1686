import Foundation
import Synchronization
import TenderWorkloads

/// Numeric tables (`NumericCSV`) parsed at order submission, kept by file so that orders naming the
/// same stored dataset in different ways (another seed, another learning rate) are checked without
/// parsing it again: parsing is what a check costs, tens of megabytes of text for a large dataset,
/// and a sender who varies one hyperparameter per order would otherwise make every check pay it.
///
/// Files are content-addressed artifacts, so a path names one content for good. At most
/// `maximumEntries` tables are kept, holding at most `maximumBytes` of parsed values in all (what
/// their arrays reserve, plus a little per entry); the least recently used goes first, and a table
/// larger than that is parsed each time and not kept. Why a file failed to parse is kept apart, up
/// to `maximumFailures` of them, so a stream of broken uploads cannot push the good tables out (a
/// file that could not be read at all is not remembered: it may be readable next time).
final class ParsedTables: Sendable {
    private let maximumBytes: Int
    private let maximumEntries: Int
    private let maximumFailures: Int
    private let state = Mutex(State())

    private struct State {
        var tables: [String: (dataset: Dataset, bytes: Int, used: UInt64)] = [:]
        var failures: [String: (error: WorkloadError, used: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var parses = 0
    }

    init(maximumBytes: Int = 64 << 20, maximumEntries: Int = 32, maximumFailures: Int = 256) {
        self.maximumBytes = max(maximumBytes, 0)
        self.maximumEntries = max(maximumEntries, 1)
        self.maximumFailures = max(maximumFailures, 1)
    }

    /// Files parsed so far (kept tables and failures are not counted again).
    var parses: Int { state.withLock { $0.parses } }

    /// What a kept table costs: its arrays' reserved storage, and the key and the entry itself.
    static func bytes(of dataset: Dataset, key: String) -> Int {
        256 + key.utf8.count + dataset.features.capacity * MemoryLayout<Float>.stride
            + (dataset.labels?.capacity ?? 0) * MemoryLayout<Int>.stride
    }

    /// The table in the file at `url`, parsed as `NumericCSV.load` parses it.
    func table(at url: URL) throws(WorkloadError) -> Dataset {
        let key = url.standardizedFileURL.path
        let kept = state.withLock { state -> Result<Dataset, WorkloadError>? in
            state.clock += 1
            if state.tables[key] != nil {
                state.tables[key]?.used = state.clock
                return state.tables[key].map { .success($0.dataset) }
            }
            if state.failures[key] != nil {
                state.failures[key]?.used = state.clock
                return state.failures[key].map { .failure($0.error) }
            }
            return nil
        }
        if let kept { return try kept.get() }
        // Parsed outside the lock; checks run one at a time, so two parses of one file are rare
        // and harmless (the second replaces the first).
        let dataset: Dataset
        do {
            dataset = try NumericCSV.load(contentsOf: url)
        } catch {
            state.withLock { state in
                state.parses += 1
                if case .io = error { return }
                if state.failures.count >= maximumFailures, let oldest = state.failures.min(by: { $0.value.used < $1.value.used }) {
                    state.failures[oldest.key] = nil
                }
                state.clock += 1
                state.failures[key] = (error, state.clock)
            }
            throw error
        }
        let size = Self.bytes(of: dataset, key: key)
        state.withLock { state in
            state.parses += 1
            guard size <= maximumBytes else { return }
            if let replaced = state.tables.removeValue(forKey: key) { state.bytes -= replaced.bytes }
            if state.bytes + size > maximumBytes || state.tables.count >= maximumEntries {
                // Oldest first, until the new table fits: one sort, however many go.
                for (oldKey, old) in state.tables.sorted(by: { $0.value.used < $1.value.used }) {
                    guard state.bytes + size > maximumBytes || state.tables.count >= maximumEntries else { break }
                    state.bytes -= old.bytes
                    state.tables[oldKey] = nil
                }
            }
            state.clock += 1
            state.tables[key] = (dataset, size, state.clock)
            state.bytes += size
        }
        return dataset
    }
}
