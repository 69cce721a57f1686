extension ResourceRequest {
    /// Reads an Akash SDL v2 `resources` block (cpu, memory, storage, gpu) at `reader`'s path.
    static func read(_ reader: FieldReader) -> ResourceRequest? {
        let cpu = reader.mapping("cpu", required: true).flatMap { cpu -> Int64? in
            defer { cpu.rejectUnknownKeys() }
            _ = cpu.value("attributes") // Akash allows CPU attributes; Tender does not match on them.
            guard let text = cpu.scalar("units", required: true) else { return nil }
            guard let millis = cpuMillis(text) else {
                cpu.report("units", "expected a number of cores like 2, 0.5 or 500m, found '\(text)'")
                return nil
            }
            guard millis > 0 else {
                cpu.report("units", "must be greater than 0")
                return nil
            }
            return millis
        }
        let memory = reader.mapping("memory", required: true).flatMap { memory -> Int64? in
            defer { memory.rejectUnknownKeys() }
            return memory.byteSize("size", required: true)
        }
        var volumes: [StorageVolume] = []
        var storageValid = true
        for (path, value) in reader.list("storage", acceptSingle: true) ?? [] {
            guard let volume = FieldReader.mapping(value, at: path, log: reader.problemLog) else {
                storageValid = false
                continue
            }
            let name = volume.string("name")
            let size = volume.byteSize("size", required: true)
            var persistent = false
            var storageClass: String?
            if let attributes = volume.mapping("attributes") {
                persistent = attributes.bool("persistent") ?? false
                storageClass = attributes.string("class")
                attributes.rejectUnknownKeys()
            }
            volume.rejectUnknownKeys()
            if let size {
                volumes.append(StorageVolume(name: name, bytes: size, persistent: persistent, storageClass: storageClass))
            } else {
                storageValid = false
            }
        }
        var gpu: GPURequest?
        var gpuValid = true
        if let gpuReader = reader.mapping("gpu") {
            gpu = readGPU(gpuReader)
            gpuValid = gpu != nil
        }
        reader.rejectUnknownKeys()
        guard let cpu, let memory, storageValid, gpuValid else { return nil }
        // A block that asks for zero GPUs is the same as one that asks for none.
        if gpu?.units == 0 { gpu = nil }
        return ResourceRequest(cpuMillis: cpu, memoryBytes: memory, storage: volumes, gpu: gpu)
    }

    private static func readGPU(_ reader: FieldReader) -> GPURequest? {
        defer { reader.rejectUnknownKeys() }
        guard let units = reader.integer("units", required: true, range: 0...1024) else { return nil }
        var acceptable: [GPUSpec] = []
        var valid = true
        if let attributes = reader.mapping("attributes") {
            defer { attributes.rejectUnknownKeys() }
            if let vendors = attributes.mapping("vendor", required: true) {
                for vendor in vendors.keys {
                    let models = vendors.list(vendor) ?? []
                    if models.isEmpty {
                        // `nvidia:` with no list means any model from that vendor.
                        acceptable.append(GPUSpec(vendor: vendor))
                    }
                    for (path, value) in models {
                        guard let model = FieldReader.mapping(value, at: path, log: reader.problemLog) else {
                            valid = false
                            continue
                        }
                        let name = model.string("model")
                        let ram = model.byteSize("ram")
                        let interface = model.string("interface")
                        if let interface, !["pcie", "sxm"].contains(interface.lowercased()) {
                            model.report("interface", "must be 'pcie' or 'sxm', found '\(interface)'")
                            valid = false
                        }
                        model.rejectUnknownKeys()
                        acceptable.append(GPUSpec(vendor: vendor, model: name, ramBytes: ram, interface: interface))
                    }
                }
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        // No attributes at all means any GPU will do (Akash would insist on a vendor).
        return GPURequest(units: Int(units), acceptable: acceptable)
    }

    /// `2` -> 2000, `0.5` -> 500, `100m` -> 100.
    static func cpuMillis(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasSuffix("m") {
            return Int64(trimmed.dropLast()).flatMap { $0 >= 0 ? $0 : nil }
        }
        guard let scaled = Decimal6.parse(trimmed) else { return nil }
        return scaled / 1_000
    }
}
