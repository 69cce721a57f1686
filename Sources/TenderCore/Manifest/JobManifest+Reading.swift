extension JobManifest {
    /// The manifest versions this build understands.
    public static let supportedVersions: Set<String> = ["1"]

    /// Parses and validates a manifest from YAML or JSON text, reporting every problem at once.
    /// Text longer than `TenderDocument.maximumBytes` is refused before it is parsed.
    public static func parse(_ text: String) throws(ValidationFailure) -> JobManifest {
        try TenderDocument.checkSize(text, what: "manifest")
        let log = ProblemLog()
        let manifest = read(try ConfigValue.parse(text), log: log)
        return try log.finish(manifest)
    }

    /// Up to 64 ASCII letters, digits, '-', '_' or '.': a name any screen shows as it is, with no
    /// look-alike letters from other scripts and no invisible joiners.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }

    static func read(_ document: ConfigValue, log: ProblemLog) -> JobManifest? {
        guard let root = FieldReader.mapping(document, at: "", log: log) else { return nil }
        let version = root.scalar("version", required: true)
        if let version, !supportedVersions.contains(version) {
            root.report("version", "unsupported version '\(version)'; this build reads version 1")
        }
        let name = root.string("name", required: true)
        if let name, !isPlainName(name) {
            root.report("name", "use up to 64 ASCII letters, digits, '-', '_' or '.'")
        }
        let kind = root.choice("kind", required: true, as: Kind.self)
        let workload = root.mapping("workload", required: true).flatMap { WorkloadSpec.read($0, kind: kind) }
        let resources = root.mapping("resources", required: true).flatMap(ResourceRequest.read)
        let placement = root.mapping("placement").map(Placement.read) ?? Placement()
        let pricing = root.mapping("pricing", required: true).flatMap(PricingTerms.read)
        let verification = root.mapping("verification", required: true).flatMap(VerificationTerms.read)
        let deadline = root.duration("deadline", required: true, range: 1...(366 * 86_400))
        let artifacts = root.value("artifacts") == nil ? .participants : root.choice("artifacts", as: ArtifactAccess.self)
        root.rejectUnknownKeys()

        guard let version, let name, let kind, let workload, let resources, let placement,
              let pricing, let verification, let deadline, let artifacts else { return nil }
        return JobManifest(
            version: version, name: name, kind: kind, workload: workload, resources: resources,
            placement: placement, pricing: pricing, verification: verification, deadlineSeconds: deadline,
            artifacts: artifacts
        )
    }
}

extension Placement {
    static func read(_ reader: FieldReader) -> Placement? {
        defer { reader.rejectUnknownKeys() }
        var attributes: [String: String] = [:]
        if let map = reader.mapping("attributes") {
            for key in map.keys {
                if let value = map.string(key) { attributes[key] = value }
            }
        }
        let minReputation = reader.value("minReputation") == nil ? 0 : reader.number("minReputation", range: 0...1)
        guard let minReputation else { return nil }
        return Placement(attributes: attributes, minReputation: minReputation)
    }
}

extension PricingTerms {
    static func read(_ reader: FieldReader) -> PricingTerms? {
        defer { reader.rejectUnknownKeys() }
        let maxPrice = reader.amount("maxPrice", required: true, positive: true)
        let rule = reader.value("rule") == nil ? .secondPrice : reader.choice("rule", as: Rule.self)
        let auction = reader.value("auctionDuration") == nil
            ? 30 : reader.duration("auctionDuration", range: 1...86_400)
        guard let maxPrice, let rule, let auction else { return nil }
        return PricingTerms(maxPrice: maxPrice, rule: rule, auctionSeconds: auction)
    }
}

extension VerificationTerms {
    static func read(_ reader: FieldReader) -> VerificationTerms? {
        defer { reader.rejectUnknownKeys() }
        let mode = reader.value("mode") == nil ? .sampled : reader.choice("mode", as: Mode.self)
        let samples = reader.value("samples") == nil ? Int64(AuditSample.defaultSamples) : reader.integer("samples", range: 1...100_000)
        let window = reader.value("challengeWindow") == nil
            ? 600 : reader.duration("challengeWindow", range: 1...(30 * 86_400))
        let collateral = reader.amount("collateral", required: true)
        guard let mode, let samples, let window, let collateral else { return nil }
        return VerificationTerms(mode: mode, samples: Int(samples), challengeWindowSeconds: window, collateral: collateral)
    }
}
