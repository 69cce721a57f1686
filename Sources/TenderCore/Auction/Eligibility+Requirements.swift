extension Eligibility {
    /// What an order asks of every bidder, read out of its manifest once per auction instead of
    /// once per bid: clearing checks every bid again, and at millions of bids the lookups through
    /// the manifest (its workload's runtime, its reputation bound as a fraction) are the cost.
    public struct Requirements: Sendable {
        let closesAt: Timestamp
        let submitter: AccountID
        let maxPrice: Amount
        let collateral: Amount
        let minimumReputationBasisPoints: Int
        let runtime: WorkloadSpec.Runtime
        let resources: ResourceRequest
        let attributes: [String: String]

        public init(_ order: OrderTerms) {
            closesAt = order.closesAt
            submitter = order.submitter
            maxPrice = order.manifest.pricing.maxPrice
            collateral = order.manifest.verification.collateral
            minimumReputationBasisPoints = Int((order.manifest.placement.minReputation * 10_000).rounded())
            runtime = order.manifest.workload.runtime
            resources = order.manifest.resources
            attributes = order.manifest.placement.attributes
        }

        /// Whether `declineReasons` would be empty for this bid, building none of them.
        public func admit(_ standing: borrowing BidderStanding, price: Amount?, now: Timestamp) -> Bool {
            guard now < closesAt, standing.account != submitter else { return false }
            if let until = standing.jailedUntil, until > now { return false }
            if let price {
                guard !price.isZero, price <= maxPrice else { return false }
            }
            guard standing.freeStake >= collateral, standing.reputationBasisPoints >= minimumReputationBasisPoints else { return false }
            return standing.withProfile { profile in fits(profile) } ?? false
        }

        /// Whether `resourceReasons` would be empty on `profile`.
        func fits(_ profile: borrowing ProviderProfile) -> Bool {
            let offered = profile.inventory
            guard profile.runtimes.contains(runtime),
                  offered.cpuMillis >= resources.cpuMillis, offered.memoryBytes >= resources.memoryBytes,
                  offered.storageBytes >= resources.storageBytes else { return false }
            if let gpu = resources.gpu, gpu.units > 0 {
                var best = 0
                for group in offered.gpus where group.count > best {
                    if gpu.acceptable.isEmpty || gpu.acceptable.contains(where: { $0.isSatisfied(by: group.spec) }) { best = group.count }
                }
                guard best >= gpu.units else { return false }
            }
            for (key, value) in attributes where profile.attributes[key] != value { return false }
            return true
        }
    }
}
