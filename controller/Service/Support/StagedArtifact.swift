import Foundation

/// An artifact's bytes on disk under a temporary name, synced, until the request that brought
/// them is accepted: `commit` moves them under their hash, `discard` removes them. A refused
/// request so leaves nothing in the store.
struct StagedArtifact: ArtifactUpload {
    /// The SHA-256 of the bytes, lowercase hex.
    let hash: String
    let size: Int64
    let temporary: URL
    let target: URL

    /// Moves the bytes under their hash. If the same bytes are there already (another upload of
    /// the same content), this copy is dropped.
    func commit() throws {
        if FileManager.default.fileExists(atPath: target.path) {
            discard()
            return
        }
        guard rename(temporary.path, target.path) == 0 else {
            discard()
            throw ControllerError.storage
        }
    }

    /// Removes the temporary file; harmless if it is gone already.
    func discard() {
        try? FileManager.default.removeItem(at: temporary)
    }
}
