/// Reads the `profiles.compute.*.resources` blocks of an Akash SDL v2 file with Tender's own
/// resources reader, so operators can check that a block they want to paste will be accepted.
public enum SDLComputeProfiles {
    /// Each compute profile's resources by name, or every problem found in any of them.
    public static func parse(_ text: String) throws(ValidationFailure) -> [String: ResourceRequest] {
        let log = ProblemLog()
        let document = try ConfigValue.parse(text)
        var result: [String: ResourceRequest] = [:]
        if let root = FieldReader.mapping(document, at: "", log: log),
           let profiles = root.mapping("profiles", required: true),
           let compute = profiles.mapping("compute", required: true) {
            for name in compute.keys {
                guard let profile = compute.mapping(name, required: true),
                      let resources = profile.mapping("resources", required: true) else { continue }
                if let request = ResourceRequest.read(resources) { result[name] = request }
            }
        }
        return try log.finish(result)
    }
}
