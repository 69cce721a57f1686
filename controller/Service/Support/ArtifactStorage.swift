import Foundation
import Hummingbird

/// Where the controller keeps artifacts' bytes, by SHA-256: the one interface routes, the auditor
/// and the referee use. Who may store and read what is the market's business
/// (`Marketplace+Artifacts`); this only keeps bytes.
///
/// `DirectoryArtifactStore` is the default: a directory on this machine, or one several
/// controllers share (a network file system: artifacts are content-addressed and written under a
/// temporary name, then renamed, so two controllers storing the same bytes agree). An object store
/// (S3 and the like) would implement the same calls: `stage` as an upload under a temporary key
/// with the hash computed on the way, `commit` as a copy to the hash's key (or a conditional put),
/// `body` as a streamed GET, and `localFile` as a download into a local cache, since workloads
/// read their inputs from files.
protocol ArtifactStorage: Sendable {
    /// Stores `data` and returns its hash; refuses it (422) if `expected` is given and differs.
    func put(_ data: Data, expected: String?) throws -> String

    /// Takes a request body as it arrives, hashing it on the way, without keeping it whole in
    /// memory: more than `limit` bytes stop it with 413 and `tooLarge` as the detail. Nothing is
    /// stored under a hash until the upload is committed.
    func stage(_ body: RequestBody, limit: Int64, tooLarge: String) async throws -> any ArtifactUpload

    func contains(_ hash: String) -> Bool

    /// The artifact's bytes, or nil when it is not stored. The bytes hash to `hash`: every store
    /// checks them on arrival, and the auditor relies on it (`SegmentAudit`'s `.contentAddressed`).
    func get(_ hash: String) throws -> Data?

    /// The artifact's bytes as a response body, streamed as the client takes them.
    func body(for hash: String, context: some RequestContext) async throws -> ResponseBody

    /// A file on this machine holding the artifact, for a workload to read.
    func localFile(for hash: String) throws -> URL?
}

/// Bytes taken from a request and not yet stored under their hash.
protocol ArtifactUpload: Sendable {
    /// The SHA-256 of the bytes, lowercase hex.
    var hash: String { get }
    var size: Int64 { get }
    /// Stores the bytes under their hash (a second copy of the same bytes is dropped).
    func commit() throws
    /// Drops the bytes; harmless if they are gone already.
    func discard()
}
