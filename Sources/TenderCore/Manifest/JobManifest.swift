/// A job as its submitter describes it (DESIGN section 4).
///
/// Built only by `JobManifest.parse`, which checks every field; a value of this type is valid.
public struct JobManifest: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case training
        case inference
    }

    public var version: String
    public var name: String
    public var kind: Kind
    public var workload: WorkloadSpec
    public var resources: ResourceRequest
    public var placement: Placement
    public var pricing: PricingTerms
    public var verification: VerificationTerms
    /// Seconds from the lease's start by which the commitment must be posted.
    public var deadlineSeconds: Int64
    /// Who may read the order's artifacts; its participants unless the manifest says `public`.
    public var artifacts: ArtifactAccess

    public init(
        version: String = "1", name: String, kind: Kind, workload: WorkloadSpec, resources: ResourceRequest,
        placement: Placement = Placement(), pricing: PricingTerms, verification: VerificationTerms, deadlineSeconds: Int64,
        artifacts: ArtifactAccess = .participants
    ) {
        self.version = version
        self.name = name
        self.kind = kind
        self.workload = workload
        self.resources = resources
        self.placement = placement
        self.pricing = pricing
        self.verification = verification
        self.deadlineSeconds = deadlineSeconds
        self.artifacts = artifacts
    }

    /// Decodes a stored or served manifest; one kept before `artifacts` existed is private.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(Kind.self, forKey: .kind)
        workload = try c.decode(WorkloadSpec.self, forKey: .workload)
        resources = try c.decode(ResourceRequest.self, forKey: .resources)
        placement = try c.decode(Placement.self, forKey: .placement)
        pricing = try c.decode(PricingTerms.self, forKey: .pricing)
        verification = try c.decode(VerificationTerms.self, forKey: .verification)
        deadlineSeconds = try c.decode(Int64.self, forKey: .deadlineSeconds)
        artifacts = try c.decodeIfPresent(ArtifactAccess.self, forKey: .artifacts) ?? .participants
    }
}

/// Where a job may run: attributes a provider must carry and the reputation it must have.
public struct Placement: Sendable, Equatable, Codable {
    /// Required provider attributes, e.g. `region: eu`. Every pair must match exactly.
    public var attributes: [String: String]
    /// Minimum reputation in [0, 1].
    public var minReputation: Double

    public init(attributes: [String: String] = [:], minReputation: Double = 0) {
        self.attributes = attributes
        self.minReputation = minReputation
    }
}

/// What the submitter will pay and how the auction runs.
public struct PricingTerms: Sendable, Equatable, Codable {
    public enum Rule: String, Sendable, Codable, CaseIterable {
        case secondPrice = "second-price"
        case firstPrice = "first-price"
    }

    /// The most the submitter will pay for the whole job; locked in escrow, and the auction's reserve.
    public var maxPrice: Amount
    public var rule: Rule
    /// How long the auction stays open, in seconds.
    public var auctionSeconds: Int64

    public init(maxPrice: Amount, rule: Rule = .secondPrice, auctionSeconds: Int64 = 30) {
        self.maxPrice = maxPrice
        self.rule = rule
        self.auctionSeconds = auctionSeconds
    }
}

/// How the result is checked (DESIGN section 7).
public struct VerificationTerms: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// One provider; the controller and challengers re-execute sampled segments.
        case sampled
        /// Two providers run the job; differing roots go to a dispute between them.
        case replicated
    }

    public var mode: Mode
    /// Segments the built-in auditor re-executes (all of them when the job has fewer). The default,
    /// 459, catches a provider that falsified 1% of its segments with 99% probability.
    public var samples: Int
    /// Seconds after the commitment during which anyone may dispute.
    public var challengeWindowSeconds: Int64
    /// Collateral each winning provider locks from its stake for the lease.
    public var collateral: Amount

    public init(mode: Mode = .sampled, samples: Int = AuditSample.defaultSamples, challengeWindowSeconds: Int64 = 600, collateral: Amount) {
        self.mode = mode
        self.samples = samples
        self.challengeWindowSeconds = challengeWindowSeconds
        self.collateral = collateral
    }

    /// Providers that must run the job.
    public var replicas: Int { mode == .replicated ? 2 : 1 }
}
