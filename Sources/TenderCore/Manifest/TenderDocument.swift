/// A file a user hands to Tender: a job manifest or a provider profile.
public enum TenderDocument: Sendable, Equatable {
    case manifest(JobManifest)
    case profile(ProviderProfile)

    /// Parses either kind, telling them apart by shape: a profile has an `inventory`, a manifest does not.
    public static func parse(_ text: String) throws(ValidationFailure) -> TenderDocument {
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
