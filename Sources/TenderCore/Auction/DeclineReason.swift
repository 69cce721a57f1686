/// One reason a provider may not bid on an order. Eligibility lists every one that applies,
/// because "why am I getting no work" is the question operators ask most.
public enum DeclineReason: Sendable, Equatable, Codable, CustomStringConvertible {
    case auctionClosed(closedAt: Timestamp)
    case ownOrder
    case noProfile
    case jailed(until: Timestamp)
    case alreadyBid
    case notEnoughGPUs(needed: Int, matching: Int, acceptable: [GPUSpec])
    case notEnoughCPU(neededMillis: Int64, offeredMillis: Int64)
    case notEnoughMemory(needed: Int64, offered: Int64)
    case notEnoughStorage(needed: Int64, offered: Int64)
    case attributeMismatch(key: String, wanted: String, found: String?)
    case reputationTooLow(requiredBasisPoints: Int, actualBasisPoints: Int)
    case notEnoughFreeStake(required: Amount, free: Amount)
    case priceAboveReserve(price: Amount, reserve: Amount)
    case zeroPrice
    /// The provider's profile does not list the job's runtime.
    case runtimeNotOffered(runtime: WorkloadSpec.Runtime, offered: [WorkloadSpec.Runtime])

    /// A stable machine-readable code, used in problem+json and logs.
    public var code: String {
        switch self {
        case .auctionClosed: "auction-closed"
        case .ownOrder: "own-order"
        case .noProfile: "no-profile"
        case .jailed: "jailed"
        case .alreadyBid: "already-bid"
        case .notEnoughGPUs: "gpus"
        case .notEnoughCPU: "cpu"
        case .notEnoughMemory: "memory"
        case .notEnoughStorage: "storage"
        case .attributeMismatch: "attributes"
        case .reputationTooLow: "reputation"
        case .notEnoughFreeStake: "stake"
        case .priceAboveReserve: "price"
        case .zeroPrice: "zero-price"
        case .runtimeNotOffered: "runtime"
        }
    }

    public var description: String {
        switch self {
        case .auctionClosed(let at): "the auction closed at \(at)"
        case .ownOrder: "a submitter cannot bid on its own order"
        case .noProfile: "no provider profile is registered for this account"
        case .jailed(let until): "the provider is jailed until \(until)"
        case .alreadyBid: "this provider already bid on the order"
        case .notEnoughGPUs(let needed, let matching, let acceptable):
            "needs \(needed) GPU(s) of \(acceptable.isEmpty ? "any model" : acceptable.map(\.description).joined(separator: " | ")), has \(matching) matching"
        case .notEnoughCPU(let needed, let offered):
            "needs \(Double(needed) / 1000) CPU, has \(Double(offered) / 1000)"
        case .notEnoughMemory(let needed, let offered):
            "needs \(ByteSize.format(needed)) memory, has \(ByteSize.format(offered))"
        case .notEnoughStorage(let needed, let offered):
            "needs \(ByteSize.format(needed)) storage, has \(ByteSize.format(offered))"
        case .attributeMismatch(let key, let wanted, let found):
            "placement wants \(key)=\(wanted), provider has \(found.map { "\(key)=\($0)" } ?? "no \(key)")"
        case .reputationTooLow(let required, let actual):
            "needs reputation \(Double(required) / 10_000), has \(Double(actual) / 10_000)"
        case .notEnoughFreeStake(let required, let free):
            "needs \(required) credits of free stake as collateral, has \(free)"
        case .priceAboveReserve(let price, let reserve):
            "bid \(price) is above the order's maximum price \(reserve)"
        case .zeroPrice: "a bid must be greater than 0"
        case .runtimeNotOffered(let runtime, let offered):
            "the job runs \(runtime.rawValue); the profile offers \(offered.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
