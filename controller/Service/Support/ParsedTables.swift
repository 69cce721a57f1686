import Foundation
import Synchronization
import TenderWorkloads

/// Numeric tables (`NumericCSV`) parsed at order submission, kept by file so that orders naming the
/// same stored dataset in different ways (another seed, another learning rate) are checked without
/// parsing it again: parsing is what a check costs, tens of megabytes of text for a large dataset,
/// and a sender who varies one hyperparameter per order would otherwise make every check pay it.
///
/// Files are content-addressed artifacts, so a path names one content for good. The tables kept
/// hold at most `maximumValues` features in all (4 bytes each); the least recently used goes
/// first, and a table larger than that is parsed and not kept.
final class ParsedTables: Sendable {
    private let maximumValues: Int
    private let state = Mutex(State())

    private struct State {
        var tables: [String: (dataset: Dataset, used: UInt64)] = [:]
        var values = 0
        var clock: UInt64 = 0
        var parses = 0
    }

    init(maximumValues: Int = 16 << 20) {
        self.maximumValues = max(maximumValues, 0)
    }

    /// Files parsed so far (kept tables are not counted again).
    var parses: Int { state.withLock { $0.parses } }

    /// The table in the file at `url`, parsed as `NumericCSV.load` parses it.
    func table(at url: URL) throws -> Dataset {
        let key = url.standardizedFileURL.path
        let kept = state.withLock { state -> Dataset? in
            state.clock += 1
            guard let kept = state.tables[key] else { return nil }
            state.tables[key]?.used = state.clock
            return kept.dataset
        }
        if let kept { return kept }
        // Parsed outside the lock; checks run one at a time, so two parses of one file are rare
        // and harmless (the second replaces the first).
        let dataset = try NumericCSV.load(contentsOf: url)
        state.withLock { state in
            state.parses += 1
            let size = dataset.features.count
            guard size <= maximumValues else { return }
            if let replaced = state.tables.removeValue(forKey: key) { state.values -= replaced.dataset.features.count }
            while state.values + size > maximumValues, let oldest = state.tables.min(by: { $0.value.used < $1.value.used }) {
                state.values -= oldest.value.dataset.features.count
                state.tables[oldest.key] = nil
            }
            state.clock += 1
            state.tables[key] = (dataset, state.clock)
            state.values += size
        }
        return dataset
    }
}
