/// The built-in auditor's work on one lease: the revealed beacon, the sampled segments, and the
/// outcome of each check. Public once revealed; anyone can recompute `seed` and `segments`.
public struct LeaseAudit: Sendable, Equatable, Codable {
    /// The beacon secret, revealed after the commitment was recorded.
    public var secret: String
    /// SHA-256(manifestHash || root || secret), lowercase hex.
    public var seed: String
    /// The segments drawn from the seed, ascending.
    public var segments: [Int]
    /// Segments in the job, of which `segments` were drawn.
    public var segmentCount: Int
    /// When a state the auditor needs must be in the artifact store; missing after this is fraud.
    public var availableUntil: Timestamp
    /// One check per sampled segment plus the result check, in the order they finished.
    public var checks: [AuditCheck]
    /// Replicated mode (DESIGN section 7): the comparison with the other replica's commitment.
    public var replica: ReplicaComparison?

    public init(
        secret: String, seed: String, segments: [Int], segmentCount: Int, availableUntil: Timestamp, checks: [AuditCheck],
        replica: ReplicaComparison? = nil
    ) {
        self.secret = secret
        self.seed = seed
        self.segments = segments
        self.segmentCount = segmentCount
        self.availableUntil = availableUntil
        self.checks = checks
        self.replica = replica
    }

    /// Sampled segments not yet checked.
    public var pendingSegments: [Int] {
        let done = Set(checks.compactMap(\.segment))
        return segments.filter { !done.contains($0) }
    }

    /// Whether the result hash has been checked against the final state.
    public var resultChecked: Bool { checks.contains { $0.segment == nil } }

    public var isComplete: Bool { pendingSegments.isEmpty && resultChecked }

    /// Nothing left for the auditor to do: every sampled check done, or the replicas' roots agree
    /// and the result is checked (then security rests on one honest replica, not on sampling; the
    /// result hash is outside the root, so it is still checked).
    public var isSettled: Bool { isComplete || (replica?.rootsAgree == true && resultChecked) }

    /// The sampled segments the auditor still has to run: none once the replicas' roots agree.
    public var segmentsToCheck: [Int] { replica?.rootsAgree == true ? [] : pendingSegments }

    /// No fraud found, and either every sampled check done or the replicas agree.
    public var passed: Bool { failure == nil && isSettled }

    public var failure: AuditCheck? { (checks + [replica?.check].compactMap { $0 }).first { $0.verdict.isFraud } }
}

/// One finished audit check: a re-executed segment, or the result hash against the final state.
public struct AuditCheck: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Equatable, Codable {
        /// Re-execution gave the committed hash bit for bit.
        case passed
        /// Re-execution gave a different hash: a fraud proof.
        case mismatch
        /// A state the check needs was not in the artifact store by the availability deadline.
        case unavailable
        /// A served state or the commitment itself does not fit the job (wrong step, undecodable,
        /// wrong schedule): a fraud proof too.
        case invalid
        /// Not re-executed by this auditor (an `exec` program on a controller that does not run
        /// strangers' code); challengers may still dispute within the window.
        case waived

        /// Whether this verdict proves fraud.
        public var isFraud: Bool { self == .mismatch || self == .unavailable || self == .invalid }
    }

    /// The segment re-executed; nil for the result check.
    public var segment: Int?
    public var verdict: Verdict
    /// The committed hash the check compared against.
    public var expected: String?
    /// What re-execution produced.
    public var computed: String?
    public var detail: String
    public var at: Timestamp

    public init(segment: Int?, verdict: Verdict, expected: String? = nil, computed: String? = nil, detail: String, at: Timestamp) {
        self.segment = segment
        self.verdict = verdict
        self.expected = expected
        self.computed = computed
        self.detail = detail
        self.at = at
    }
}

/// A replicated lease compared with its sibling. Equal roots settle both. Different roots: the
/// first segment where the traces part is re-executed from the state both committed before it,
/// and `check` judges this lease's leaf; a lease that was right there is still sampled, since it
/// may be wrong further on.
public struct ReplicaComparison: Sendable, Equatable, Codable {
    public var sibling: LeaseID
    public var rootsAgree: Bool
    /// The re-execution at the first divergence; nil when the roots agree.
    public var check: AuditCheck?

    public init(sibling: LeaseID, rootsAgree: Bool, check: AuditCheck?) {
        self.sibling = sibling
        self.rootsAgree = rootsAgree
        self.check = check
    }
}
