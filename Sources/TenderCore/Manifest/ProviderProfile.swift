/// A GPU operator's machine and terms (DESIGN section 4).
public struct ProviderProfile: Sendable, Equatable, Codable {
    public var version: String
    public var name: String
    public var inventory: Inventory
    /// Free-form attributes matched against a manifest's placement, e.g. `region: eu-west`.
    public var attributes: [String: String]
    public var pricing: PricingStrategy
    /// Leases the agent runs at once.
    public var concurrency: Int
    /// Stake the agent keeps bonded; collateral for leases is locked from it.
    public var stakeTarget: Amount
    /// The runtimes this machine runs. `exec` runs other people's programs, so it is offered only
    /// when the operator lists it.
    public var runtimes: Set<WorkloadSpec.Runtime>

    /// What a profile offers when it lists no runtimes: the built-in deterministic ones.
    public static let defaultRuntimes: Set<WorkloadSpec.Runtime> = [.mlpTrain, .mlpInfer]

    public init(
        version: String = "1", name: String, inventory: Inventory, attributes: [String: String] = [:],
        pricing: PricingStrategy, concurrency: Int = 1, stakeTarget: Amount,
        runtimes: Set<WorkloadSpec.Runtime> = ProviderProfile.defaultRuntimes
    ) {
        self.version = version
        self.name = name
        self.inventory = inventory
        self.attributes = attributes
        self.pricing = pricing
        self.concurrency = concurrency
        self.stakeTarget = stakeTarget
        self.runtimes = runtimes
    }

    private enum CodingKeys: String, CodingKey {
        case version, name, inventory, attributes, pricing, concurrency, stakeTarget, runtimes
    }

    /// Profiles stored before runtimes existed offered the default ones.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        name = try container.decode(String.self, forKey: .name)
        inventory = try container.decode(Inventory.self, forKey: .inventory)
        attributes = try container.decode([String: String].self, forKey: .attributes)
        pricing = try container.decode(PricingStrategy.self, forKey: .pricing)
        concurrency = try container.decode(Int.self, forKey: .concurrency)
        stakeTarget = try container.decode(Amount.self, forKey: .stakeTarget)
        runtimes = try container.decodeIfPresent(Set<WorkloadSpec.Runtime>.self, forKey: .runtimes) ?? Self.defaultRuntimes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(name, forKey: .name)
        try container.encode(inventory, forKey: .inventory)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(pricing, forKey: .pricing)
        try container.encode(concurrency, forKey: .concurrency)
        try container.encode(stakeTarget, forKey: .stakeTarget)
        try container.encode(runtimes.map(\.rawValue).sorted(), forKey: .runtimes)
    }
}

/// The hardware a provider offers.
public struct Inventory: Sendable, Equatable, Codable {
    public struct GPUGroup: Sendable, Equatable, Codable {
        public var spec: GPUSpec
        public var count: Int

        public init(spec: GPUSpec, count: Int) {
            self.spec = spec
            self.count = count
        }
    }

    public var gpus: [GPUGroup]
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    public var storageBytes: Int64

    public init(gpus: [GPUGroup] = [], cpuMillis: Int64, memoryBytes: Int64, storageBytes: Int64) {
        self.gpus = gpus
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.storageBytes = storageBytes
    }

    public var gpuCount: Int { gpus.reduce(0) { $0 + $1.count } }
}

/// How a provider prices an order.
public enum PricingStrategy: Sendable, Equatable {
    /// A price per resource-unit-hour; an order is priced for its deadline's length.
    case linear(LinearRates)
    /// An operator program fed the order as JSON on stdin, printing a price in credits on stdout.
    case script(command: String, timeoutSeconds: Int64)
}

/// Prices per unit-hour in micro-credits.
public struct LinearRates: Sendable, Equatable, Codable {
    public var perGPUHour: Amount
    public var perCPUHour: Amount
    public var perMemoryGiBHour: Amount
    public var perStorageGiBHour: Amount
    /// The least the provider will bid, whatever the rates say.
    public var minimum: Amount

    public init(perGPUHour: Amount, perCPUHour: Amount = .zero, perMemoryGiBHour: Amount = .zero,
                perStorageGiBHour: Amount = .zero, minimum: Amount = .zero) {
        self.perGPUHour = perGPUHour
        self.perCPUHour = perCPUHour
        self.perMemoryGiBHour = perMemoryGiBHour
        self.perStorageGiBHour = perStorageGiBHour
        self.minimum = minimum
    }
}
