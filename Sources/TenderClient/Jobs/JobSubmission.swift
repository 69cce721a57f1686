import Foundation
import TenderCore

/// A job manifest read from disk with the local files it names, ready to upload and submit.
///
/// Everything is checked before anything is sent: the manifest's own problems with their field
/// paths, then every input file it names. Paths are relative to the manifest's directory.
/// Submission uploads each input to the artifact store and posts the manifest with those paths
/// rewritten to `sha256:` references, so the controller and providers only ever see content addresses.
public struct JobSubmission: Sendable {
    /// A local file the manifest names.
    public struct Input: Sendable, Equatable {
        /// The path exactly as the manifest writes it.
        public var path: String
        /// Where it was found.
        public var file: URL
        public var data: Data
        /// SHA-256 of `data`, lowercase hex.
        public var sha256: String
    }

    public var file: URL
    /// The manifest text as written.
    public var text: String
    public var manifest: JobManifest
    /// Each distinct local input once, in the order the manifest names them.
    public var inputs: [Input]

    /// Reads and validates `file` and every local input it names, collecting every problem.
    public static func load(file: URL) throws(ValidationFailure) -> JobSubmission {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: file.path)
            throw ValidationFailure([ValidationProblem(path: "", message: exists ? "\(file.path) cannot be read as UTF-8 text" : "no such file: \(file.path)")])
        }
        let manifest = try JobManifest.parse(text)
        let directory = file.deletingLastPathComponent()
        var inputs: [Input] = []
        var problems: [ValidationProblem] = []
        for (field, reference) in Self.inputFields(manifest.workload) {
            guard case .local(let path) = reference, !inputs.contains(where: { $0.path == path }) else { continue }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                problems.append(ValidationProblem(path: field, message: "no such file: \(url.standardizedFileURL.path) (paths are relative to the manifest)"))
                continue
            }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: url.path) else {
                problems.append(ValidationProblem(path: field, message: "\(url.standardizedFileURL.path) is not a readable file"))
                continue
            }
            inputs.append(Input(path: path, file: url.standardizedFileURL, data: data, sha256: Hashing.sha256Hex(data)))
        }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
        return JobSubmission(file: file, text: text, manifest: manifest, inputs: inputs)
    }

    /// The manifest to post: JSON, with every local input replaced by its `sha256:` reference.
    public func rewrittenManifest() throws(ValidationFailure) -> String {
        var replacements: [String: String] = [:]
        for input in inputs { replacements[input.path] = "sha256:\(input.sha256)" }
        let rewritten = try JobManifest.rewritingInputs(text, replacements)
        let reread = try JobManifest.parse(rewritten)
        let leftover = reread.workload.inputs.filter { if case .local = $0 { true } else { false } }
        guard leftover.isEmpty else {
            throw ValidationFailure(leftover.map { ValidationProblem(path: "workload", message: "input '\($0)' was not rewritten to a sha256: reference") })
        }
        return rewritten
    }

    /// The manifest field each input is named by, for messages.
    static func inputFields(_ workload: WorkloadSpec) -> [(String, ArtifactReference)] {
        switch workload {
        case .mlpTrain(let spec): [("workload.dataset", spec.dataset)]
        case .mlpInfer(let spec): [("workload.model", spec.model), ("workload.inputs", spec.inputs)]
        case .exec(let spec): [("workload.program", spec.program)]
        }
    }
}

extension TenderAPIClient {
    /// Uploads every input of `job`, then submits its rewritten manifest as a new order.
    public func submit(_ job: JobSubmission) async throws(ClientError) -> API.OrderView {
        let manifest: String
        do { manifest = try job.rewrittenManifest() } catch { throw .badRequest("the manifest could not be rewritten: \(error)") }
        for input in job.inputs {
            let stored = try await putArtifact(input.data)
            guard stored == input.sha256 else {
                throw .badRequest("\(input.path) changed while it was uploaded")
            }
        }
        return try await submitOrder(manifest: manifest)
    }
}
