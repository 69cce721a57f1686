import Foundation
import TenderCore

/// Deliberate misbehaviour for testing auditors and disputes. Off by default; the agent logs every
/// fault at warning level when it starts and whenever one acts.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// Commit wrong state hashes for this fraction of segments, chosen deterministically per lease.
    public var skipStepsFraction: Double?
    /// Commit a result hash that does not match the result.
    public var wrongResult = false
    /// Do not upload checkpoint states to the artifact store.
    public var withholdArtifacts = false
    /// Run the job but never post the commitment (and stop heartbeating once done).
    public var missDeadline = false

    public init() {}

    public var isEmpty: Bool { self == FaultPlan() }

    /// Parses `--fault` values: `skip-steps:0.1`, `wrong-result`, `withhold-artifacts`, `miss-deadline`.
    public static func parse(_ values: [String]) throws(FaultPlanError) -> FaultPlan {
        var plan = FaultPlan()
        for value in values {
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            switch parts.first ?? "" {
            case "skip-steps":
                guard parts.count == 2, let fraction = Double(parts[1]), fraction > 0, fraction <= 1 else {
                    throw .bad(value, "skip-steps needs a fraction in (0, 1], like skip-steps:0.1")
                }
                plan.skipStepsFraction = fraction
            case "wrong-result" where parts.count == 1: plan.wrongResult = true
            case "withhold-artifacts" where parts.count == 1: plan.withholdArtifacts = true
            case "miss-deadline" where parts.count == 1: plan.missDeadline = true
            default:
                throw .bad(value, "known faults: skip-steps:FRACTION, wrong-result, withhold-artifacts, miss-deadline")
            }
        }
        return plan
    }

    /// Whether segment `segment` of `lease` gets a wrong hash: a hash of (lease, segment) below the fraction.
    public func falsifies(lease: LeaseID, segment: Int) -> Bool {
        guard let fraction = skipStepsFraction else { return false }
        let digest = Hashing.sha256(Data("tender-fault-skip-steps:\(lease):\(segment)".utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(value) / Double(UInt64.max) < fraction
    }

    /// The state hashes to commit: honest ones, with leaf `segment + 1` replaced for falsified segments.
    public func committedHashes(_ honest: [Data], lease: LeaseID) -> (hashes: [Data], falsified: [Int]) {
        guard skipStepsFraction != nil, honest.count > 1 else { return (honest, []) }
        var hashes = honest
        var falsified: [Int] = []
        for segment in 0..<(honest.count - 1) where falsifies(lease: lease, segment: segment) {
            hashes[segment + 1] = Hashing.sha256(Data("skipped".utf8) + honest[segment + 1])
            falsified.append(segment)
        }
        return (hashes, falsified)
    }

    public var description: String {
        var parts: [String] = []
        if let fraction = skipStepsFraction { parts.append("skip-steps:\(fraction)") }
        if wrongResult { parts.append("wrong-result") }
        if withholdArtifacts { parts.append("withhold-artifacts") }
        if missDeadline { parts.append("miss-deadline") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

public enum FaultPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case bad(String, String)

    public var description: String {
        switch self {
        case .bad(let value, let hint): "unknown fault '\(value)': \(hint)"
        }
    }
}
