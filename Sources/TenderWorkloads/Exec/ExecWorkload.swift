import Foundation

/// The `exec` runtime: an external program pinned by its SHA-256, run through the step protocol.
///
/// The state is the program's state file, byte for byte, so its hash is the file's SHA-256; the
/// program is responsible for writing the same bytes on every machine. The state is opaque, so
/// the runner supplies the step numbers, and the result is the final state file itself.
public struct ExecWorkload: Workload {
    public let program: ExecProgram
    public let totalSteps: Int
    public let checkpointInterval: Int
    /// The longest one `init` or `step` call may take.
    public let stepTimeout: Duration

    /// Verifies the program against `sha256` and prepares it to run under `isolation`; refuses a
    /// file whose hash differs, and any program when `isolation` refuses them.
    public init(
        programAt url: URL, sha256: String, steps: Int, checkpointInterval: Int, stepTimeout: Duration = .seconds(60),
        isolation: ExecIsolation
    ) throws(WorkloadError) {
        var problems = [String]()
        if steps < 1 { problems.append("steps: must be at least 1, got \(steps)") }
        if checkpointInterval < 1 { problems.append("checkpointInterval: must be at least 1, got \(checkpointInterval)") }
        if stepTimeout <= .zero { problems.append("stepTimeout: must be positive") }
        guard problems.isEmpty else { throw .invalidConfig(problems) }
        program = try ExecProgram(verifying: url, sha256: sha256, isolation: isolation)
        totalSteps = steps
        self.checkpointInterval = checkpointInterval
        self.stepTimeout = stepTimeout
    }

    public var runtime: String { "exec" }

    public func initialState() throws(WorkloadError) -> Data {
        try program.initialState(timeout: stepTimeout)
    }

    /// One program call for all `count` steps: the protocol's `--steps K` exists so a segment
    /// costs one process start, not one per step.
    public func advance(_ state: inout Data, steps count: Int) throws(WorkloadError) -> Float? {
        guard count >= 1 else { throw .stepsOutOfRange(start: 0, count: count, totalSteps: totalSteps) }
        state = try program.step(state, count: count, timeout: stepTimeout)
        return nil
    }

    public func encode(_ state: Data) -> Data { state }
    public func decode(_ bytes: Data) -> Data { bytes }
    public func stepCount(of state: Data) -> Int? { nil }
    public func result(of finalState: Data) -> Data { finalState }
}
