import Foundation
import TenderCore

/// A numeric table: row-major float features and, for labelled data, one class id per row.
///
/// Features are kept exactly as parsed; scaling is a config value applied by the runtime, so the
/// digest below names the file's content, not a preprocessing choice.
public struct Dataset: Sendable, Equatable {
    /// Columns per row, the label excluded.
    public let featureCount: Int
    /// `rowCount × featureCount` values, row after row.
    public let features: [Float]
    /// One class id (>= 0) per row, or nil for unlabelled inputs.
    public let labels: [Int]?

    /// Builds a dataset, checking that the shapes agree.
    public init(featureCount: Int, features: [Float], labels: [Int]?) throws(WorkloadError) {
        var problems = [String]()
        if featureCount < 1 { problems.append("featureCount: must be at least 1, got \(featureCount)") }
        if featureCount >= 1 && features.count % featureCount != 0 {
            problems.append("features: \(features.count) values is not a whole number of rows of \(featureCount)")
        }
        if let labels, featureCount >= 1, labels.count != features.count / featureCount {
            problems.append("labels: \(labels.count) labels for \(features.count / featureCount) rows")
        }
        if let labels, let bad = labels.firstIndex(where: { $0 < 0 || $0 > Int(Int32.max) }) {
            problems.append("labels[\(bad)]: \(labels[bad]) is not a class id")
        }
        guard problems.isEmpty else { throw .invalidConfig(problems) }
        self.featureCount = featureCount
        self.features = features
        self.labels = labels
    }

    public var rowCount: Int { features.count / featureCount }

    /// One more than the largest label (0 when unlabelled).
    public var classCount: Int { (labels?.max() ?? -1) + 1 }

    /// SHA-256 of a canonical encoding (shape, feature bit patterns, labels), binding a job's
    /// states to the exact data they were computed from.
    public var digest: Data {
        var writer = ByteWriter(capacity: 24 + features.count * 4 + (labels?.count ?? 0) * 4)
        writer.append(UInt64(featureCount))
        writer.append(UInt64(rowCount))
        writer.append(features)
        writer.append(UInt8(labels == nil ? 0 : 1))
        if let labels { writer.append(labels.map { Int32($0) }) }
        return Hashing.sha256(writer.data)
    }

    /// Features divided by `scale`, the same IEEE division on every machine.
    func scaledFeatures(by scale: Float) -> [Float] {
        scale == 1 ? features : features.map { $0 / scale }
    }
}
