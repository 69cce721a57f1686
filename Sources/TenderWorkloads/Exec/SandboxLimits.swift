/// The resource limits of one sandboxed program call, applied with `setrlimit` before the
/// sandbox starts; the CPU-time limit follows each call's timeout.
public struct SandboxLimits: Sendable, Equatable {
    /// Address space per process (RLIMIT_AS).
    public var memoryBytes: Int64
    /// Processes the job may run at once (RLIMIT_NPROC). The kernel counts them per user: per
    /// user namespace for a non-root agent, and for a root agent per the unprivileged user all
    /// its jobs share, so there concurrent jobs share the allowance.
    public var processes: Int
    /// The largest file the job may write (RLIMIT_FSIZE).
    public var fileSizeBytes: Int64
    /// Open descriptors per process (RLIMIT_NOFILE).
    public var openFiles: Int
    /// Size of the job's private `/tmp` and of its `/dev/shm` (tmpfs, so they count against memory).
    public var temporaryBytes: Int64

    public init(
        memoryBytes: Int64 = 2 << 30, processes: Int = 64, fileSizeBytes: Int64 = 1 << 30,
        openFiles: Int = 256, temporaryBytes: Int64 = 64 << 20
    ) {
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.temporaryBytes = temporaryBytes
    }
}
