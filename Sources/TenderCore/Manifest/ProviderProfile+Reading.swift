extension ProviderProfile {
    /// Parses and validates a provider profile from YAML or JSON, reporting every problem at once.
    public static func parse(_ text: String) throws(ValidationFailure) -> ProviderProfile {
        try TenderDocument.checkSize(text, what: "provider profile")
        let log = ProblemLog()
        let profile = read(try ConfigValue.parse(text), log: log)
        return try log.finish(profile)
    }

    static func read(_ document: ConfigValue, log: ProblemLog) -> ProviderProfile? {
        guard let root = FieldReader.mapping(document, at: "", log: log) else { return nil }
        let version = root.scalar("version", required: true)
        if let version, !JobManifest.supportedVersions.contains(version) {
            root.report("version", "unsupported version '\(version)'; this build reads version 1")
        }
        // Shown on dashboards and terminals: plain names only, never markup or escape sequences.
        let name = root.string("name", required: true)
        if let name, !JobManifest.isPlainName(name) {
            root.report("name", "use up to 64 ASCII letters, digits, '-', '_' or '.'")
        }
        let inventory = root.mapping("inventory", required: true).flatMap(Inventory.read)
        var attributes: [String: String] = [:]
        if let map = root.mapping("attributes") {
            if map.keys.count > 64 { root.report("attributes", "at most 64 attributes") }
            for key in map.keys {
                guard let value = map.string(key) else { continue }
                let hidden: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]
                guard JobManifest.isPlainName(key), value.count <= 128, !value.unicodeScalars.contains(where: { hidden.contains($0.properties.generalCategory) }) else {
                    root.report("attributes.\(key)", "a key is up to 64 ASCII letters, digits, '-', '_' or '.'; a value up to 128 characters, none of them control or formatting characters")
                    continue
                }
                attributes[key] = value
            }
        }
        let pricing = root.mapping("pricing", required: true).flatMap(PricingStrategy.read)
        let concurrency = root.value("concurrency") == nil ? 1 : root.integer("concurrency", range: 1...1_024)
        let stakeTarget = root.amount("stakeTarget", required: true)
        let runtimes = root.value("runtimes") == nil ? ProviderProfile.defaultRuntimes : readRuntimes(root)
        root.rejectUnknownKeys()
        guard let version, let name, let inventory, let pricing, let concurrency, let stakeTarget, let runtimes else { return nil }
        return ProviderProfile(
            version: version, name: name, inventory: inventory, attributes: attributes, pricing: pricing,
            concurrency: Int(concurrency), stakeTarget: stakeTarget, runtimes: runtimes
        )
    }

    /// `runtimes: [mlp-train, mlp-infer, exec]`: a non-empty list of known runtime names.
    private static func readRuntimes(_ root: FieldReader) -> Set<WorkloadSpec.Runtime>? {
        guard let items = root.list("runtimes") else { return nil }
        var runtimes = Set<WorkloadSpec.Runtime>()
        var valid = true
        let known = WorkloadSpec.Runtime.allCases.map(\.rawValue).joined(separator: ", ")
        for (path, value) in items {
            guard case .scalar(let text, _) = value, let runtime = WorkloadSpec.Runtime(rawValue: text) else {
                let found = if case .scalar(let text, _) = value { "'\(text)'" } else { value.kindName }
                root.problemLog.report(path, "expected one of \(known), found \(found)")
                valid = false
                continue
            }
            runtimes.insert(runtime)
        }
        if valid && runtimes.isEmpty { root.report("runtimes", "must list at least one of \(known)") }
        return valid && !runtimes.isEmpty ? runtimes : nil
    }
}

extension Inventory {
    static func read(_ reader: FieldReader) -> Inventory? {
        defer { reader.rejectUnknownKeys() }
        var groups: [GPUGroup] = []
        var valid = true
        for (path, value) in reader.list("gpus") ?? [] {
            guard let gpu = FieldReader.mapping(value, at: path, log: reader.problemLog) else {
                valid = false
                continue
            }
            let vendor = gpu.string("vendor", required: true)
            let model = gpu.string("model", required: true)
            let ram = gpu.byteSize("ram", required: true)
            let interface = gpu.string("interface")
            if let interface, !["pcie", "sxm"].contains(interface.lowercased()) {
                gpu.report("interface", "must be 'pcie' or 'sxm', found '\(interface)'")
                valid = false
            }
            let count = gpu.integer("count", required: true, range: 1...1_024)
            gpu.rejectUnknownKeys()
            guard let vendor, let model, let ram, let count else {
                valid = false
                continue
            }
            groups.append(GPUGroup(spec: GPUSpec(vendor: vendor, model: model, ramBytes: ram, interface: interface), count: Int(count)))
        }
        let cpu = reader.mapping("cpu", required: true).flatMap { cpu -> Int64? in
            defer { cpu.rejectUnknownKeys() }
            guard let text = cpu.scalar("units", required: true) else { return nil }
            guard let millis = ResourceRequest.cpuMillis(text), millis > 0 else {
                cpu.report("units", "expected a positive number of cores like 16 or 0.5, found '\(text)'")
                return nil
            }
            return millis
        }
        let memory = reader.mapping("memory", required: true).flatMap { memory -> Int64? in
            defer { memory.rejectUnknownKeys() }
            return memory.byteSize("size", required: true)
        }
        let storage = reader.mapping("storage", required: true).flatMap { storage -> Int64? in
            defer { storage.rejectUnknownKeys() }
            return storage.byteSize("size", required: true)
        }
        guard valid, let cpu, let memory, let storage else { return nil }
        return Inventory(gpus: groups, cpuMillis: cpu, memoryBytes: memory, storageBytes: storage)
    }
}

extension PricingStrategy {
    enum Kind: String, CaseIterable {
        case linear
        case script
    }

    static func read(_ reader: FieldReader) -> PricingStrategy? {
        defer { reader.rejectUnknownKeys() }
        guard let kind = reader.choice("strategy", required: true, as: Kind.self) else { return nil }
        switch kind {
        case .linear:
            let gpu = reader.amount("gpuHour", required: true)
            let cpu = reader.value("cpuHour") == nil ? .zero : reader.amount("cpuHour")
            let memory = reader.value("memoryGiHour") == nil ? .zero : reader.amount("memoryGiHour")
            let storage = reader.value("storageGiHour") == nil ? .zero : reader.amount("storageGiHour")
            let minimum = reader.value("minimum") == nil ? .zero : reader.amount("minimum")
            guard let gpu, let cpu, let memory, let storage, let minimum else { return nil }
            if gpu.isZero && cpu.isZero && memory.isZero && storage.isZero && minimum.isZero {
                reader.report("gpuHour", "at least one rate or the minimum must be greater than 0")
                return nil
            }
            return .linear(LinearRates(
                perGPUHour: gpu, perCPUHour: cpu, perMemoryGiBHour: memory, perStorageGiBHour: storage, minimum: minimum
            ))
        case .script:
            let command = reader.string("command", required: true)
            let timeout = reader.value("timeout") == nil ? 5 : reader.duration("timeout", range: 1...300)
            guard let command, let timeout else { return nil }
            return .script(command: command, timeoutSeconds: timeout)
        }
    }
}
