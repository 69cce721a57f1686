import Foundation

extension JobManifest {
    /// Steps in the job, when the manifest alone says (mlp-infer's depend on its input file).
    public var totalSteps: Int? {
        switch workload {
        case .mlpTrain(let spec): spec.steps
        case .exec(let spec): spec.steps
        case .mlpInfer: nil
        }
    }

    /// Segments the job will commit, when the manifest alone says.
    public var segmentCount: Int? {
        guard let steps = totalSteps, steps > 0, workload.checkpointInterval > 0 else { return nil }
        return (steps + workload.checkpointInterval - 1) / workload.checkpointInterval
    }

    /// What the chosen sample count buys, in words a submitter can weigh (DESIGN section 7):
    /// the chance that the audit catches a provider who falsified 1% of the segments.
    public var detectionExplanation: String {
        let k = verification.samples
        guard let segments = segmentCount else {
            let p = 1 - AuditSample.escapeProbability(fraction: 0.01, samples: k)
            return "audits up to \(k) segments: at least \(Self.percent(p)) chance to catch 1% falsified segments when the job has more"
        }
        guard k < segments else { return "audits all \(segments) segments: any falsified segment is caught" }
        let p = 1 - AuditSample.escapeProbability(fraction: 0.01, samples: k)
        return "audits \(k) of \(segments) segments: catches a provider who falsified 1% of them with \(Self.percent(p))"
            + (k < AuditSample.defaultSamples ? " (\(AuditSample.defaultSamples) samples give 99%)" : "")
    }

    private static func percent(_ p: Double) -> String {
        String(format: "%.1f%%", p * 100)
    }
}
