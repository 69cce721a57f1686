/// What a job needs from a machine, in the syntax of an Akash SDL v2 compute profile so that an
/// operator can paste `profiles.compute.NAME.resources` from an existing deployment.
public struct ResourceRequest: Sendable, Equatable, Codable {
    /// CPU in thousandths of a core: `units: 0.5` is 500, `units: 100m` is 100.
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    public var storage: [StorageVolume]
    public var gpu: GPURequest?

    public init(cpuMillis: Int64, memoryBytes: Int64, storage: [StorageVolume] = [], gpu: GPURequest? = nil) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.storage = storage
        self.gpu = gpu
    }

    public var storageBytes: Int64 {
        storage.reduce(0) { total, volume in total.addingReportingOverflow(volume.bytes).overflow ? .max : total + volume.bytes }
    }

    public var gpuUnits: Int { gpu?.units ?? 0 }
}

/// One storage volume of a compute profile.
public struct StorageVolume: Sendable, Equatable, Codable {
    public var name: String?
    public var bytes: Int64
    public var persistent: Bool
    /// Storage class, e.g. `beta3` (persistent SSD) or `ram`.
    public var storageClass: String?

    public init(name: String? = nil, bytes: Int64, persistent: Bool = false, storageClass: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.persistent = persistent
        self.storageClass = storageClass
    }
}

/// GPUs a job needs: how many, and which models are acceptable.
public struct GPURequest: Sendable, Equatable, Codable {
    public var units: Int
    /// Acceptable GPUs. Empty means any GPU; an entry with only a vendor means any model of it.
    public var acceptable: [GPUSpec]

    public init(units: Int, acceptable: [GPUSpec] = []) {
        self.units = units
        self.acceptable = acceptable
    }
}

/// A GPU model description. In a request, nil fields are wildcards.
public struct GPUSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var vendor: String
    public var model: String?
    public var ramBytes: Int64?
    /// `pcie` or `sxm`.
    public var interface: String?

    public init(vendor: String, model: String? = nil, ramBytes: Int64? = nil, interface: String? = nil) {
        self.vendor = vendor.lowercased()
        self.model = model?.lowercased()
        self.ramBytes = ramBytes
        self.interface = interface?.lowercased()
    }

    /// Whether a concrete GPU `offered` satisfies this (possibly wildcard) requirement.
    public func isSatisfied(by offered: GPUSpec) -> Bool {
        guard vendor == offered.vendor else { return false }
        if let model, model != offered.model { return false }
        if let ramBytes, (offered.ramBytes ?? 0) < ramBytes { return false }
        if let interface, interface != offered.interface { return false }
        return true
    }

    public var description: String {
        var parts = [vendor]
        if let model { parts.append(model) }
        if let ramBytes { parts.append(ByteSize.format(ramBytes)) }
        if let interface { parts.append(interface) }
        return parts.joined(separator: " ")
    }
}
