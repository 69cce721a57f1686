/// How much of the machine the built-in auditor may use: how many leases it audits at once, and
/// what share of one core each audit may take (it sleeps in proportion after every segment).
public struct AuditBudget: Sendable, Equatable {
    /// Whether this controller re-executes anything. Off, every check is recorded as waived and
    /// leases are judged by challengers alone (purely optimistic verification), for an operator
    /// whose controller machine has no compute to spare.
    public var enabled: Bool
    public var concurrentAudits: Int
    /// In (0, 1]: 1 runs flat out, 0.25 sleeps three times as long as each segment took.
    public var cpuShare: Double
    /// Whether the auditor re-executes `exec` programs. Off by default: an exec program is a
    /// stranger's code, and the controller does not run it unconfined; such leases are left to
    /// challengers (their checks are recorded as waived).
    public var runExec: Bool

    public init(enabled: Bool = true, concurrentAudits: Int = 1, cpuShare: Double = 1, runExec: Bool = false) {
        self.enabled = enabled
        self.concurrentAudits = max(1, concurrentAudits)
        self.cpuShare = min(max(cpuShare, 0.01), 1)
        self.runExec = runExec
    }
}
