/// Who may read an order's artifacts (its manifest, its inputs, the states, trace and results its
/// providers upload): the manifest's optional `artifacts` field.
public enum ArtifactAccess: String, Sendable, Equatable, Codable, CaseIterable {
    /// `artifacts: private`, the default: the submitter, the providers with a lease on the order,
    /// the controller's auditor and staked challengers, each with a signed request.
    case participants = "private"
    /// `artifacts: public`: anyone, signed or not.
    case anyone = "public"
}
