/// How this machine runs `exec` programs, which are other people's code.
public enum ExecIsolation: Sendable {
    /// Confined by the sandbox.
    case sandboxed(Sandbox)
    /// As the caller's own user, with its files and network: only on the operator's explicit word.
    case unconfined
    /// Not at all, and why.
    case refused(reason: String)

    /// The sandbox when one works here; otherwise unconfined if `allowUnsandboxed`, else refused.
    public static func detect(allowUnsandboxed: Bool, limits: SandboxLimits = SandboxLimits()) -> ExecIsolation {
        switch Sandbox.detect(limits: limits) {
        case .success(let sandbox): .sandboxed(sandbox)
        case .failure(let reason): allowUnsandboxed ? .unconfined : .refused(reason: reason.description)
        }
    }

    /// A line for an operator's log.
    public var summary: String {
        switch self {
        case .sandboxed(let sandbox):
            let user = sandbox.unprivileged.map { " as uid \($0.uid)" } ?? ""
            return "exec programs run in a bubblewrap sandbox\(user) (no network, memory \(sandbox.limits.memoryBytes >> 20) MiB, "
                + "\(sandbox.limits.processes) processes, files up to \(sandbox.limits.fileSizeBytes >> 20) MiB)"
        case .unconfined:
            return "exec programs run UNSANDBOXED as this user, with its files, keys and network"
        case .refused(let reason):
            return "exec programs are refused: \(reason)"
        }
    }
}
