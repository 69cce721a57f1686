import Foundation
import Logging
import Synchronization

/// Log lines appended to a file, for the demo's embedded controller: its log would otherwise
/// interleave with the story the demo tells on the terminal.
struct FileLogHandler: LogHandler {
    /// One open file per path, shared by every logger the controller derives from its own.
    private final class Sink: Sendable {
        let handle: Mutex<FileHandle?>

        init(_ url: URL) {
            if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try? FileHandle(forWritingTo: url)
            _ = try? handle?.seekToEnd()
            self.handle = Mutex(handle)
        }

        func write(_ line: String) {
            handle.withLock { $0?.write(Data(line.utf8)) }
        }
    }

    private static let sinks = Mutex<[String: Sink]>([:])

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    private let label: String
    private let sink: Sink

    init(label: String, file: URL) {
        self.label = label
        sink = Self.sinks.withLock { sinks in
            if let sink = sinks[file.path] { return sink }
            let sink = Sink(file)
            sinks[file.path] = sink
            return sink
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = ISO8601DateFormatter().string(from: Date())
        sink.write("\(time) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " \(fields)")\n")
    }
}
