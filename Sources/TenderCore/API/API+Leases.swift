/// The wire views of leases, audits and disputes. Mapped from the domain records in one place
/// (these initializers), so what the controller stores and decides on can change without
/// changing what clients read, and nothing private leaks by being added to a record.
extension API {
    /// `GET /v1/leases/{id}`, and each lease in an order view or a lease list.
    public struct LeaseView: Codable, Sendable, Equatable {
        public var id: LeaseID
        public var order: OrderID
        public var provider: AccountID
        public var submitter: AccountID
        public var manifestHash: String
        public var payment: Amount
        public var collateral: Amount
        public var state: Lease.State
        public var startedAt: Timestamp
        public var deadline: Timestamp
        public var heartbeatDeadline: Timestamp
        public var challengeWindowSeconds: Int64
        public var samples: Int
        /// SHA-256 of the beacon secret; the secret itself appears in the audit once revealed.
        public var beaconCommitment: String
        public var lastStep: Int64
        public var lastLoss: Double?
        /// The provider's commitment as it decoded, and exactly as it was signed.
        public var commitment: Commitment?
        public var signedCommitment: Signed<Commitment>?
        public var committedAt: Timestamp?
        public var windowEndsAt: Timestamp?
        public var audit: AuditSummary?
        public var openDisputes: [DisputeID]
        public var timeline: [LeaseEvent]
        public var endedAt: Timestamp?

        public init(_ lease: Lease) {
            id = lease.id
            order = lease.order
            provider = lease.provider
            submitter = lease.submitter
            manifestHash = lease.manifestHash
            payment = lease.payment
            collateral = lease.collateral
            state = lease.state
            startedAt = lease.startedAt
            deadline = lease.deadline
            heartbeatDeadline = lease.heartbeatDeadline
            challengeWindowSeconds = lease.challengeWindowSeconds
            samples = lease.samples
            beaconCommitment = lease.beaconCommitment
            lastStep = lease.lastStep
            lastLoss = lease.lastLoss
            commitment = lease.commitment
            signedCommitment = lease.signedCommitment
            committedAt = lease.committedAt
            windowEndsAt = lease.windowEndsAt
            audit = lease.audit.map(AuditSummary.init)
            openDisputes = lease.openDisputes
            timeline = lease.timeline
            endedAt = lease.endedAt
        }

        public var isFinal: Bool { state == .settled || state == .failed || state == .slashed }
    }

    /// How far a lease's audit has got.
    public struct AuditSummary: Codable, Sendable, Equatable {
        public var sampled: Int
        public var segmentCount: Int
        public var checked: Int
        public var passed: Bool
        public var failed: Bool

        public init(_ audit: LeaseAudit) {
            sampled = audit.segments.count
            segmentCount = audit.segmentCount
            checked = audit.checks.count
            passed = audit.passed
            failed = audit.failure != nil
        }
    }

    /// `GET /v1/leases?state=S&provider=ID&after=ID&limit=N`.
    public struct LeaseList: Codable, Sendable, Equatable {
        public var leases: [LeaseView]
        /// Pass as `after` for the next page; nil on the last page.
        public var next: UInt64?

        public init(leases: [LeaseView], next: UInt64?) {
            self.leases = leases
            self.next = next
        }
    }

    /// `GET /v1/leases/{id}/audit`: everything anyone needs to recompute the sample and check the
    /// auditor's work. Before the reveal, only the beacon commitment.
    public struct AuditView: Codable, Sendable, Equatable {
        public var lease: LeaseID
        public var state: Lease.State
        public var beaconCommitment: String
        /// The revealed secret; nil until the commitment is recorded and the beacon revealed.
        public var secret: String?
        /// SHA-256(manifestHash || root || secret).
        public var seed: String?
        public var segmentCount: Int?
        public var segments: [Int]
        public var availableUntil: Timestamp?
        public var checks: [AuditCheck]
        /// Replicated mode: the comparison with the other replica.
        public var replica: ReplicaComparison?
        public var passed: Bool

        public init(_ lease: Lease) {
            self.lease = lease.id
            state = lease.state
            beaconCommitment = lease.beaconCommitment
            secret = lease.audit?.secret
            seed = lease.audit?.seed
            segmentCount = lease.audit?.segmentCount
            segments = lease.audit?.segments ?? []
            availableUntil = lease.audit?.availableUntil
            checks = lease.audit?.checks ?? []
            replica = lease.audit?.replica
            passed = lease.audit?.passed ?? false
        }
    }

    /// `POST /v1/leases/{id}/disputes`, signed by a staked challenger.
    public struct OpenDisputeRequest: Codable, Sendable, Equatable {
        /// The disputed segment: from leaf `segment` to leaf `segment + 1`.
        public var segment: Int
        /// The challenger's SHA-256 of the state at leaf `segment + 1`.
        public var claim: String

        public init(segment: Int, claim: String) {
            self.segment = segment
            self.claim = claim
        }
    }

    /// `GET /v1/disputes/{id}` and the answer to every dispute write.
    public struct DisputeView: Codable, Sendable, Equatable {
        public var id: DisputeID
        public var lease: LeaseID
        public var provider: AccountID
        public var challenger: AccountID
        public var segment: Int
        public var bond: Amount
        public var claim: String
        public var openedAt: Timestamp
        public var phase: Dispute.Phase
        /// Whose move it is, and by when; nil when the referee rules next or it is over.
        public var turn: Dispute.Party?
        public var moveDeadline: Timestamp?
        public var moves: [Dispute.MoveRecord]
        public var ruling: Dispute.Ruling?

        public init(_ dispute: Dispute) {
            id = dispute.id
            lease = dispute.lease
            provider = dispute.provider
            challenger = dispute.challenger
            segment = dispute.segment
            bond = dispute.bond
            claim = dispute.claim
            openedAt = dispute.openedAt
            phase = dispute.phase
            turn = dispute.turn
            moveDeadline = dispute.moveDeadline
            moves = dispute.moves
            ruling = dispute.ruling
        }

        public var isResolved: Bool { ruling != nil }

        /// The current range, while the game is on.
        public var range: Dispute.Bisection? { phase.range }
    }

    /// `GET /v1/disputes?lease=ID&account=ID&open=true&after=ID&limit=N`.
    public struct DisputeList: Codable, Sendable, Equatable {
        public var disputes: [DisputeView]
        public var next: UInt64?

        public init(disputes: [DisputeView], next: UInt64?) {
            self.disputes = disputes
            self.next = next
        }
    }
}
