/// A file a user hands to Tender: a job manifest or a provider profile.
public enum TenderDocument: Sendable, Equatable {
    case manifest(JobManifest)
    case profile(ProviderProfile)

    /// The largest manifest or profile accepted, in bytes of UTF-8 (64 KiB). Real ones are a few
    /// hundred bytes; the bound keeps a parser from being handed megabytes to chew on.
    public static let maximumBytes = 64 << 10

    /// Refuses text longer than `maximumBytes` before anything parses it.
    static func checkSize(_ text: String, what: String) throws(ValidationFailure) {
        let size = text.utf8.count
        guard size <= maximumBytes else {
            throw ValidationFailure([ValidationProblem(path: "", message: "the \(what) is \(size) bytes; at most \(maximumBytes) (64 KiB) are accepted")])
        }
    }

    /// Parses either kind, telling them apart by shape: a profile has an `inventory`, a manifest does not.
    public static func parse(_ text: String) throws(ValidationFailure) -> TenderDocument {
        try checkSize(text, what: "document")
        let document = try ConfigValue.parse(text)
        let log = ProblemLog()
        if case .mapping(let entries) = document, entries.contains(where: { $0.key == "inventory" }) {
            return .profile(try log.finish(ProviderProfile.read(document, log: log)))
        }
        return .manifest(try log.finish(JobManifest.read(document, log: log)))
    }

    /// One line saying what the document is, for people.
    public var summary: String {
        switch self {
        case .manifest(let manifest):
            let gpus = manifest.resources.gpu.map { "\($0.units) GPU" } ?? "no GPU"
            return "manifest '\(manifest.name)': \(manifest.kind.rawValue), \(manifest.workload.runtime.rawValue), \(gpus), "
                + "max \(manifest.pricing.maxPrice) credits, \(manifest.verification.mode.rawValue); \(manifest.detectionExplanation)"
        case .profile(let profile):
            let gpus = profile.inventory.gpus.map { "\($0.count)x \($0.spec)" }.joined(separator: ", ")
            return "provider profile '\(profile.name)': \(gpus.isEmpty ? "no GPU" : gpus), "
                + "\(profile.inventory.cpuMillis / 1000) CPU, stake target \(profile.stakeTarget) credits"
        }
    }
}
