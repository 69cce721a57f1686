import Foundation
import TenderCore

/// A lease's progress on disk, so a restarted agent resumes from its last checkpoint instead of
/// step 0: `<state-dir>/lease-<id>/` holds `progress.json` (leaf index, step, every state hash so
/// far), `state` (the last checkpoint's encoded state) and `pending/leaf-<i>` (checkpoint states
/// not yet uploaded to the artifact store) and `states/<sha256>` (every checkpoint state, kept
/// after upload so the agent can answer disputes from its own copies until the lease is final).
///
/// Each checkpoint writes the pending leaf, then the state, then the progress, each atomically, so
/// a crash at any point leaves a progress file that names a state that is really there.
public struct LeaseProgressStore: Sendable {
    public struct Progress: Codable, Sendable, Equatable {
        public var lease: LeaseID
        public var manifestHash: String
        /// The leaf whose state is in `state`.
        public var leafIndex: Int
        public var step: Int
        /// Hex state hashes of leaves 0...leafIndex.
        public var stateHashes: [String]
        public var loss: Float?
    }

    public let directory: URL

    public init(root: URL, lease: LeaseID) {
        directory = root.appendingPathComponent("lease-\(lease)", isDirectory: true)
    }

    private var progressURL: URL { directory.appendingPathComponent("progress.json") }
    private var stateURL: URL { directory.appendingPathComponent("state") }
    private var pendingDirectory: URL { directory.appendingPathComponent("pending", isDirectory: true) }
    private var keptDirectory: URL { directory.appendingPathComponent("states", isDirectory: true) }

    /// Records checkpoint `leafIndex` (its state bytes, all hashes so far) and queues its upload.
    public func save(_ progress: Progress, state: Data, queueUpload: Bool) throws {
        try FileManager.default.createDirectory(at: pendingDirectory, withIntermediateDirectories: true)
        if queueUpload {
            try state.write(to: pendingDirectory.appendingPathComponent("leaf-\(progress.leafIndex)"), options: .atomic)
        }
        try state.write(to: stateURL, options: .atomic)
        try JSONEncoder().encode(progress).write(to: progressURL, options: .atomic)
    }

    /// The saved progress and its state, when both are there and agree (the state hashes to the
    /// last recorded hash) and belong to `manifestHash`; nil means start from step 0.
    public func load(manifestHash: String) -> (progress: Progress, state: Data)? {
        guard let data = FileManager.default.contents(atPath: progressURL.path),
              let progress = try? JSONDecoder().decode(Progress.self, from: data),
              progress.manifestHash == manifestHash,
              progress.stateHashes.count == progress.leafIndex + 1,
              let state = FileManager.default.contents(atPath: stateURL.path),
              Hashing.sha256Hex(state) == progress.stateHashes.last else { return nil }
        return (progress, state)
    }

    /// Checkpoint states waiting for upload, by leaf index.
    public func pendingUploads() -> [(leaf: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pendingDirectory.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("leaf-"), let leaf = Int(name.dropFirst(5)) else { return nil }
            return (leaf, pendingDirectory.appendingPathComponent(name))
        }.sorted { $0.leaf < $1.leaf }
    }

    public func pendingURL(leaf: Int) -> URL { pendingDirectory.appendingPathComponent("leaf-\(leaf)") }

    /// Keeps an uploaded checkpoint state under its hash, for disputes.
    public func keep(_ state: Data) {
        try? FileManager.default.createDirectory(at: keptDirectory, withIntermediateDirectories: true)
        try? state.write(to: keptDirectory.appendingPathComponent(Hashing.sha256Hex(state)), options: .atomic)
    }

    /// A kept checkpoint state by its hash, when it is here and intact.
    public func keptState(sha256 hash: String) -> Data? {
        guard Hashing.isSHA256Hex(hash), let data = FileManager.default.contents(atPath: keptDirectory.appendingPathComponent(hash).path),
              Hashing.sha256Hex(data) == hash else { return nil }
        return data
    }

    /// Whether anything of this lease is on disk.
    public var exists: Bool { FileManager.default.fileExists(atPath: directory.path) }

    /// Forgets the lease (once it is final: settled, slashed or failed).
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
