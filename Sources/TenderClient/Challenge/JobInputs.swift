import Foundation
import TenderCore
import TenderWorkloads

/// A submitted job's inputs on this machine, and the workload they build: what anyone who runs a
/// step of someone else's job (a provider, a challenger) needs first.
///
/// An order's manifest names its inputs only as `sha256:` references. Each one is downloaded from
/// the controller's artifact store into `cache` as a file named by its hash, checked against that
/// hash (by `TenderAPIClient.artifact(sha256:)`, and again when a cached file is reused), and kept
/// for the next job that names the same bytes. The workload is then built by `WorkloadFactory`,
/// exactly as the provider built it, so both run the same code on the same bytes.
public struct JobInputs: Sendable {
    public let manifest: JobManifest
    /// A content-addressed directory: `<cache>/<sha256>`. `$TENDER_HOME/artifacts` (the
    /// `LocalArtifactStore`) has this layout, so the CLI shares it.
    public let cache: URL
    /// How an `exec` job's program runs here: it is a stranger's code.
    public let exec: ExecIsolation

    public init(manifest: JobManifest, cache: URL, exec: ExecIsolation) {
        self.manifest = manifest
        self.cache = cache
        self.exec = exec
    }

    public init(order: Order, cache: URL, exec: ExecIsolation) {
        self.init(manifest: order.manifest, cache: cache, exec: exec)
    }

    /// The manifest's `sha256:` inputs, each once, in the order it names them.
    public var hashes: [String] {
        var seen: Set<String> = []
        return manifest.workload.inputs.compactMap { reference -> String? in
            guard case .sha256(let hash) = reference, seen.insert(hash).inserted else { return nil }
            return hash
        }
    }

    /// Where the input with this hash is kept.
    public func file(for hash: String) -> URL {
        cache.appendingPathComponent(hash, isDirectory: false)
    }

    /// True when the cache holds `hash` with the right bytes.
    public func isCached(_ hash: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: file(for: hash).path) else { return false }
        return Hashing.sha256Hex(data) == hash
    }

    /// Downloads every input the cache does not hold (or holds with the wrong bytes).
    /// `.client(.unreachable)` means the controller may come back; anything else will not pass by itself.
    public func fetch(from client: TenderAPIClient) async throws(ChallengeError) {
        do {
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        } catch {
            throw .inputs("cannot create the artifact cache \(cache.path): \(error.localizedDescription)")
        }
        for hash in hashes where !isCached(hash) {
            let data: Data
            do { data = try await client.artifact(sha256: hash) } catch { throw .client(error) }
            do {
                try data.write(to: file(for: hash), options: .atomic)
            } catch {
                throw .inputs("cannot write input sha256:\(hash) to \(cache.path): \(error.localizedDescription)")
            }
        }
    }

    /// Builds the job's runner from the cached inputs.
    public func runner() throws(ChallengeError) -> WorkloadRunner {
        let workload: any Workload
        do {
            workload = try WorkloadFactory.make(manifest.workload, exec: exec) { reference in
                guard case .sha256(let hash) = reference else {
                    throw ChallengeError.inputs("input '\(reference)' is a local path; a submitted manifest names sha256: references only")
                }
                guard isCached(hash) else { throw ChallengeError.inputs("input sha256:\(hash) is not in \(cache.path)") }
                return file(for: hash)
            }
        } catch let error as ChallengeError {
            throw error
        } catch {
            throw .inputs("the workload of '\(manifest.name)' cannot be built: \(error)")
        }
        do {
            return try WorkloadRunner(workload)
        } catch {
            throw .inputs("the workload of '\(manifest.name)' has no checkpoint schedule: \(error)")
        }
    }

    /// Downloads what is missing, then builds the runner.
    public func prepare(client: TenderAPIClient) async throws(ChallengeError) -> WorkloadRunner {
        try await fetch(from: client)
        return try runner()
    }
}
