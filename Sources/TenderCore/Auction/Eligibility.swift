/// Decides whether a provider may bid on an order, listing every reason it may not.
///
/// The controller runs this on each bid and again at clearing (stake and jail can change in
/// between); the agent runs the resource and placement part on its own to screen orders.
public enum Eligibility {
    /// Every reason `standing` may not bid `price` on `order` at `now`; empty means eligible.
    public static func declineReasons(
        order: OrderTerms, standing: BidderStanding, price: Amount?, now: Timestamp
    ) -> [DeclineReason] {
        var reasons: [DeclineReason] = []
        if now >= order.closesAt { reasons.append(.auctionClosed(closedAt: order.closesAt)) }
        if standing.account == order.submitter { reasons.append(.ownOrder) }
        if let until = standing.jailedUntil, until > now { reasons.append(.jailed(until: until)) }
        if let profile = standing.profile {
            reasons += resourceReasons(order.manifest, profile: profile)
        } else {
            reasons.append(.noProfile)
        }
        let required = Int((order.manifest.placement.minReputation * 10_000).rounded())
        if standing.reputationBasisPoints < required {
            reasons.append(.reputationTooLow(requiredBasisPoints: required, actualBasisPoints: standing.reputationBasisPoints))
        }
        let collateral = order.manifest.verification.collateral
        if standing.freeStake < collateral {
            reasons.append(.notEnoughFreeStake(required: collateral, free: standing.freeStake))
        }
        if let price {
            if price.isZero { reasons.append(.zeroPrice) }
            if price > order.manifest.pricing.maxPrice {
                reasons.append(.priceAboveReserve(price: price, reserve: order.manifest.pricing.maxPrice))
            }
        }
        return reasons
    }

    /// Whether `declineReasons` would be empty, without building any of them: the auction asks this
    /// of every bid, and most bids are eligible, so the reasons are built only for the rest.
    /// `EligibilityTests` checks the two agree on random inputs.
    public static func isEligible(order: OrderTerms, standing: BidderStanding, price: Amount?, now: Timestamp) -> Bool {
        Requirements(order).admit(standing, price: price, now: now)
    }

    /// Whether the machine described by `profile` can run `manifest` where it asks to run.
    /// The part of eligibility an agent can check alone, before it prices or bids.
    public static func resourceReasons(_ manifest: JobManifest, profile: ProviderProfile) -> [DeclineReason] {
        var reasons: [DeclineReason] = []
        let runtime = manifest.workload.runtime
        if !profile.runtimes.contains(runtime) {
            reasons.append(.runtimeNotOffered(runtime: runtime, offered: profile.runtimes.sorted { $0.rawValue < $1.rawValue }))
        }
        let wanted = manifest.resources
        let offered = profile.inventory
        if let gpu = wanted.gpu, gpu.units > 0 {
            let matching = offered.gpus.filter { group in
                gpu.acceptable.isEmpty || gpu.acceptable.contains { $0.isSatisfied(by: group.spec) }
            }
            // A job's GPUs come from one model group: mixing models inside one job is not offered.
            let best = matching.map(\.count).max() ?? 0
            if best < gpu.units {
                reasons.append(.notEnoughGPUs(needed: gpu.units, matching: best, acceptable: gpu.acceptable))
            }
        }
        if offered.cpuMillis < wanted.cpuMillis {
            reasons.append(.notEnoughCPU(neededMillis: wanted.cpuMillis, offeredMillis: offered.cpuMillis))
        }
        if offered.memoryBytes < wanted.memoryBytes {
            reasons.append(.notEnoughMemory(needed: wanted.memoryBytes, offered: offered.memoryBytes))
        }
        if offered.storageBytes < wanted.storageBytes {
            reasons.append(.notEnoughStorage(needed: wanted.storageBytes, offered: offered.storageBytes))
        }
        for (key, value) in manifest.placement.attributes.sorted(by: { $0.key < $1.key }) where profile.attributes[key] != value {
            reasons.append(.attributeMismatch(key: key, wanted: value, found: profile.attributes[key]))
        }
        return reasons
    }
}
