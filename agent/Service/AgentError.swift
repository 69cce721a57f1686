/// Why the agent cannot start or run a job.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A manifest input is a local path: the controller should only ever hand out `sha256:` references.
    case localInput(String)
    /// The profile cannot be read or is not valid.
    case badProfile(String)
    /// The key cannot be loaded.
    case badKey(String)

    public var description: String {
        switch self {
        case .localInput(let reference): "input '\(reference)' is a local path, not a sha256: artifact"
        case .badProfile(let message): message
        case .badKey(let message): message
        }
    }
}
