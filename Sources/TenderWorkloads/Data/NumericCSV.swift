import Foundation

/// Reads a numeric CSV with a header row, optionally with the class label in the last column.
///
/// Datasets arrive from users, so a bad row is reported with its 1-based line number (the
/// header is line 1) and what was wrong, rather than being skipped or read as zero. Blank lines
/// are ignored; `\n`, `\r\n` and `\r` all end a line.
public enum NumericCSV {
    /// How the last column is treated.
    public enum Labels: Sendable, Equatable {
        /// The last column is an integer class id.
        case lastColumn
        /// Every column is a feature.
        case none
        /// Decide by the column count: `featureCount` columns means unlabelled, one more means the
        /// last is a label (what `mlp-infer` needs for a CSV that may or may not carry labels).
        case infer(featureCount: Int)
    }

    /// Parses CSV text.
    public static func parse(_ text: String, labels: Labels = .lastColumn) throws(WorkloadError) -> Dataset {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().makeIterator()
        var header: [Substring]?
        while header == nil, let (_, line) = lines.next() {
            if !line.allSatisfy(\.isWhitespace) { header = line.split(separator: ",", omittingEmptySubsequences: false) }
        }
        guard let header else { throw .csv(line: 1, message: "no header row") }
        let columns = header.count
        let hasLabels: Bool
        switch labels {
        case .lastColumn: hasLabels = true
        case .none: hasLabels = false
        case .infer(let featureCount):
            guard columns == featureCount || columns == featureCount + 1 else {
                throw .csv(line: 1, message: "\(columns) columns; expected \(featureCount) features, optionally followed by a label")
            }
            hasLabels = columns == featureCount + 1
        }
        let featureCount = hasLabels ? columns - 1 : columns
        guard featureCount >= 1 else { throw .csv(line: 1, message: "needs at least one feature column, found \(columns) columns") }

        var features = [Float]()
        var labelValues = [Int]()
        while let (index, line) = lines.next() {
            let lineNumber = index + 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns else {
                throw .csv(line: lineNumber, message: "\(fields.count) columns, header has \(columns)")
            }
            for column in 0..<featureCount {
                let field = fields[column].trimmingCharacters(in: .whitespaces)
                guard let value = Float(field), value.isFinite else {
                    throw .csv(line: lineNumber, message: "column \(column + 1) (\(header[column])): '\(field)' is not a finite number")
                }
                features.append(value)
            }
            if hasLabels {
                let field = fields[columns - 1].trimmingCharacters(in: .whitespaces)
                guard let label = Int(field), label >= 0, label <= Int(Int32.max) else {
                    throw .csv(line: lineNumber, message: "label '\(field)' is not a non-negative integer")
                }
                labelValues.append(label)
            }
        }
        guard !features.isEmpty else { throw .csv(line: 2, message: "no data rows") }
        return try Dataset(featureCount: featureCount, features: features, labels: hasLabels ? labelValues : nil)
    }

    /// Reads and parses a file.
    public static func load(contentsOf url: URL, labels: Labels = .lastColumn) throws(WorkloadError) -> Dataset {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .io("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(text, labels: labels)
    }
}
