import Foundation
import TenderCore

/// A content-addressed directory on the user's machine: `$TENDER_HOME/artifacts/<sha256>`.
///
/// `tender workload run` keeps results and final states here so a later manifest can name them
/// as `sha256:...`, exactly as it would name an artifact in the controller's store.
public struct LocalArtifactStore: Sendable {
    public let directory: URL

    public init(directory: URL = TenderHome.url().appendingPathComponent("artifacts", isDirectory: true)) {
        self.directory = directory
    }

    /// Stores `data` under its SHA-256 and returns the hash.
    @discardableResult
    public func put(_ data: Data) throws -> String {
        let hash = Hashing.sha256Hex(data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(hash)
        if !FileManager.default.fileExists(atPath: url.path) {
            try data.write(to: url, options: .atomic)
        }
        return hash
    }

    /// The file holding `hash`, if present.
    public func url(for hash: String) -> URL? {
        let url = directory.appendingPathComponent(hash)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Resolves a manifest's reference: a path relative to `base`, or a stored artifact.
    public func resolve(_ reference: ArtifactReference, relativeTo base: URL) throws(LocalArtifactError) -> URL {
        switch reference {
        case .local(let path):
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(url.standardizedFileURL.path) }
            return url.standardizedFileURL
        case .sha256(let hash):
            guard let url = url(for: hash) else { throw .missingArtifact(hash, directory.path) }
            return url
        }
    }
}

/// Why a manifest's input could not be found locally.
public enum LocalArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingFile(String)
    case missingArtifact(String, String)

    public var description: String {
        switch self {
        case .missingFile(let path): "input file \(path) does not exist"
        case .missingArtifact(let hash, let directory):
            "artifact sha256:\(hash) is not in \(directory); run the job that produces it first (tender workload run ...)"
        }
    }
}
