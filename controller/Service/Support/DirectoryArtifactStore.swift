import Foundation
import Hummingbird
import TenderCore

/// Content-addressed files: each artifact is stored under the hex of its SHA-256.
///
/// Writes go to a temporary file that is synced and renamed, so a crash never leaves a partial
/// artifact under a real name, and several controllers can share the directory.
struct DirectoryArtifactStore: ArtifactStorage {
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
        if contains(hash) { return hash }
        let temporary = temporaryURL()
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw ControllerError.storage }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ControllerError.storage
        }
        try StagedArtifact(hash: hash, size: Int64(data.count), temporary: temporary, target: url(for: hash)).commit()
        return hash
    }

    /// Writes a request body to a temporary file as it arrives, hashing it on the way, and syncs
    /// it: memory holds one chunk at a time, whatever the body's size. More than `limit` bytes
    /// stop the upload with 413 and `tooLarge` as its detail. Nothing is left on disk if it fails.
    ///
    /// The writes are plain blocking `FileHandle` calls of one chunk each (tens of KiB, into the
    /// page cache); the one slow call, the final sync, is the same the whole-body write made.
    func stage(_ body: RequestBody, limit: Int64, tooLarge: String) async throws -> any ArtifactUpload {
        let temporary = temporaryURL()
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw ControllerError.storage }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var hasher = IncrementalSHA256()
            var size: Int64 = 0
            for try await buffer in body {
                size += Int64(buffer.readableBytes)
                guard size <= limit else { throw ProblemResponse(.contentTooLarge, "Body too large", tooLarge) }
                let chunk = Data(buffer.readableBytesView)
                hasher.update(chunk)
                try handle.write(contentsOf: chunk)
            }
            try handle.synchronize()
            let hash = hasher.finalizeHex()
            return StagedArtifact(hash: hash, size: size, temporary: temporary, target: url(for: hash))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            // A refusal (too large) keeps its answer; anything else, a file or a broken body, is a
            // failure of the upload, not of the request's content.
            if error is ProblemResponse { throw error }
            throw ControllerError.storage
        }
    }

    /// Where the artifact with this hash lives (or would live).
    func url(for hash: String) -> URL {
        directory.appendingPathComponent(hash)
    }

    func contains(_ hash: String) -> Bool {
        Hashing.isSHA256Hex(hash) && FileManager.default.fileExists(atPath: url(for: hash).path)
    }

    func localFile(for hash: String) throws -> URL? {
        contains(hash) ? url(for: hash) : nil
    }

    func get(_ hash: String) throws -> Data? {
        let url = directory.appendingPathComponent(hash)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ControllerError.storage
        }
    }

    /// The artifact's bytes as a response body read from disk in chunks as the client takes them,
    /// never whole in memory.
    func body(for hash: String, context: some RequestContext) async throws -> ResponseBody {
        try await FileIO().loadFile(path: url(for: hash).path, context: context)
    }

    private func temporaryURL() -> URL {
        directory.appendingPathComponent(".\(UUID().uuidString).tmp")
    }
}
