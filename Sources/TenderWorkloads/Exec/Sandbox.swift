import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Confines a job's program with bubblewrap: its own user, PID, network, IPC and UTS namespaces
/// (so no network at all, and every process it starts dies with it), a clean environment, the
/// system read-only, nothing of the operator's home, keys or data visible, and one writable
/// directory of its own. Resource limits are set with `prlimit` before the sandbox starts.
///
/// When the caller is root, `setpriv` first drops to an unprivileged user (nobody): root's own
/// files stay closed to the job, and the process limit counts the job's processes, not root's.
public struct Sandbox: Sendable {
    public let bubblewrap: String
    public let prlimit: String
    /// `setpriv` and the user the job runs as, when the caller is root.
    public let unprivileged: (setpriv: String, uid: UInt32, gid: UInt32)?
    public var limits: SandboxLimits

    /// Where the job's directory and the program appear inside the sandbox.
    public static let jobDirectory = "/job"
    public static let programPath = "/program"

    /// Finds bubblewrap and its helpers on `PATH` and checks that a sandbox really starts here
    /// (user namespaces can be disabled); the reason when it cannot.
    public static func detect(
        limits: SandboxLimits = SandboxLimits(), path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    ) -> Result<Sandbox, SandboxUnavailable> {
        func find(_ name: String) -> String? {
            (path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"])
                .map { "\($0)/\(name)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let bubblewrap = find("bwrap") else {
            return .failure(SandboxUnavailable("bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap"))
        }
        guard let prlimit = find("prlimit") else {
            return .failure(SandboxUnavailable("prlimit (util-linux) is not installed"))
        }
        var unprivileged: (String, UInt32, UInt32)?
        if geteuid() == 0 {
            guard let setpriv = find("setpriv") else {
                return .failure(SandboxUnavailable("running as root needs setpriv (util-linux) to drop privileges"))
            }
            unprivileged = (setpriv, 65534, 65534)
        }
        let sandbox = Sandbox(bubblewrap: bubblewrap, prlimit: prlimit, unprivileged: unprivileged, limits: limits)
        return sandbox.probe().map { sandbox }
    }

    /// The full command line running `arguments` of the program at `program` (outside path) with
    /// `work` (outside path) as its writable `/job`, limited to `cpuSeconds` of CPU per process.
    public func commandLine(program: String, arguments: [String], work: String, cpuSeconds: Int) -> [String] {
        var line: [String] = []
        if let unprivileged {
            line += [unprivileged.setpriv, "--reuid=\(unprivileged.uid)", "--regid=\(unprivileged.gid)", "--clear-groups", "--"]
        }
        line += [
            prlimit,
            "--as=\(limits.memoryBytes)", "--nproc=\(limits.processes)", "--fsize=\(limits.fileSizeBytes)",
            "--nofile=\(limits.openFiles)", "--cpu=\(max(1, cpuSeconds))", "--core=0", "--",
            bubblewrap,
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", Self.jobDirectory,
            "--setenv", "LANG", "C.UTF-8", "--hostname", "tender-job",
        ]
        line += Self.systemMounts()
        line += [
            "--proc", "/proc", "--dev", "/dev",
            // Memory-backed and outside the address-space limit, so each is bounded in size.
            "--size", String(limits.temporaryBytes), "--tmpfs", "/dev/shm",
            "--size", String(limits.temporaryBytes), "--tmpfs", "/tmp",
            "--ro-bind", program, Self.programPath,
            "--bind", work, Self.jobDirectory, "--chdir", Self.jobDirectory,
            "--", Self.programPath,
        ]
        return line + arguments
    }

    /// The system, read-only: `/usr` and the top-level directories a program's loader needs,
    /// kept as symlinks where the host has merged them into `/usr`; of `/etc`, only what the
    /// loader and interpreters read.
    static func systemMounts() -> [String] {
        var mounts = ["--ro-bind", "/usr", "/usr"]
        for path in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                mounts += ["--symlink", target, path]
            } else if FileManager.default.fileExists(atPath: path) {
                mounts += ["--ro-bind", path, path]
            }
        }
        for path in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/localtime"] {
            mounts += ["--ro-bind-try", path, path]
        }
        return mounts
    }
}
