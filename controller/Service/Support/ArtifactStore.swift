import Foundation
import TenderCore

/// Content-addressed files: each artifact is stored under the hex of its SHA-256.
///
/// Writes go to a temporary file that is synced and renamed, so a crash never leaves a partial
/// artifact under a real name.
struct ArtifactStore: Sendable {
    let directory: URL

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Stores `data` and returns its hash; refuses it if `expected` is given and differs.
    func put(_ data: Data, expected: String?) throws -> String {
        let hash = Hashing.sha256Hex(data)
        if let expected, expected != hash {
            throw ProblemResponse(.unprocessableContent, "Hash mismatch", "the body's SHA-256 is \(hash), not \(expected)")
        }
        let target = directory.appendingPathComponent(hash)
        if FileManager.default.fileExists(atPath: target.path) { return hash }
        let temporary = directory.appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw ControllerError.storage }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw ControllerError.storage
        }
        return hash
    }

    /// Where the artifact with this hash lives (or would live).
    func url(for hash: String) -> URL {
        directory.appendingPathComponent(hash)
    }

    func contains(_ hash: String) -> Bool {
        Hashing.isSHA256Hex(hash) && FileManager.default.fileExists(atPath: url(for: hash).path)
    }

    func get(_ hash: String) throws -> Data? {
        let url = directory.appendingPathComponent(hash)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }
}
