import Foundation
import TenderCore

/// How times, durations and ids read in human output.
enum Display {
    /// `2025-11-21 20:41:03Z (in 28s)`: an absolute UTC time and how far it is from now.
    static func time(_ timestamp: Timestamp, now: Date = Date()) -> String {
        let seconds = Int64((date(timestamp).timeIntervalSince(now)).rounded())
        let relative = seconds >= 0 ? "in \(duration(seconds))" : "\(duration(-seconds)) ago"
        return "\(clock(timestamp)) (\(relative))"
    }

    /// `2025-11-21 20:41:03Z`: the time alone, which does not change as the clock moves.
    static func clock(_ timestamp: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date(timestamp))
    }

    static func date(_ timestamp: Timestamp) -> Date {
        Date(timeIntervalSince1970: Double(timestamp.millis) / 1000)
    }

    /// `45s`, `3m20s`, `2h05m`, `3d4h`.
    static func duration(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
        case ..<86_400:
            let minutes = (seconds % 3600) / 60
            return "\(seconds / 3600)h\(minutes < 10 ? "0" : "")\(minutes)m"
        default: return "\(seconds / 86_400)d\((seconds % 86_400) / 3600)h"
        }
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Rows of cells as aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in index == row.count - 1 ? cell : pad(cell, widths[index]) }.joined(separator: "  ")
        }
    }
}
