import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started in a process group of its own, inheriting nothing it was not given.
///
/// Foundation's `Process` cannot do what running someone else's program needs: start it in a new
/// process group, so a timeout kills everything it forked and not just the first process; reset
/// the signal mask and dispositions (a child of a Swift process inherits blocked signals, and the
/// agent ignores SIGPIPE); and close every descriptor but the three standard ones, so a job never
/// holds one of the agent's sockets. Every wait here has a bound.
public final class ChildProcess: Sendable {
    public let pid: pid_t

    /// How a child ended.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// It outlived its time and its whole process group was killed.
        case timedOut
    }

    /// Starts `executable` with `arguments` (without argv[0]).
    ///
    /// - Parameters:
    ///   - environment: the complete environment, or nil to inherit this process's.
    ///   - directory: the working directory, or nil to inherit this process's.
    ///   - standardInput, standardOutput, standardError: descriptors the child gets as 0, 1 and 2;
    ///     nil connects `/dev/null`.
    public init(
        executable: String, arguments: [String], environment: [String: String]?, directory: String?,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws(ChildProcessError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        if let closeFrom = Self.addCloseFrom {
            // Without it the child would inherit every descriptor of this process: refuse to start.
            let status = closeFrom(&actions, 3)
            guard status == 0 else { throw .cannotStart(executable: executable, reason: "cannot arrange to close inherited descriptors: \(String(cString: strerror(status)))") }
        } else {
            // Older C libraries: close what is open now, one by one.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }
        if let directory {
            guard let changeDirectory = Self.addChangeDirectory else {
                throw .cannotStart(executable: executable, reason: "this C library cannot start a program in another directory")
            }
            let status = changeDirectory(&actions, directory)
            guard status == 0 else { throw .cannotStart(executable: executable, reason: "cannot change to \(directory): \(String(cString: strerror(status)))") }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let pairs = environment.map { $0.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { pairs?.forEach { free($0) } }
        var pid: pid_t = 0
        let status: Int32
        if let pairs {
            status = posix_spawn(&pid, executable, &actions, &attributes, argv, pairs)
        } else {
            status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard status == 0 else {
            throw .cannotStart(executable: executable, reason: String(cString: strerror(status)))
        }
        self.pid = pid
    }

    /// Waits for the child to end, at most `timeout`; past it, kills the whole process group and
    /// waits (bounded) for the child itself. The group is killed after a normal exit too, so
    /// nothing the child left running in its group outlives it.
    public func wait(timeout: Duration) -> Ending {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.microseconds(200)
        while true {
            if hasEnded() {
                // Killed while the child is still a zombie, so its pid (the group's id) cannot
                // have been handed to another process yet.
                kill(-pid, SIGKILL)
                return reap() ?? .signalled(SIGKILL)
            }
            let now = ContinuousClock.now
            if now >= deadline { break }
            Thread.sleep(forTimeInterval: Self.seconds(min(pause, deadline - now)))
            pause = min(pause * 2, .milliseconds(20))
        }
        killGroup()
        return .timedOut
    }

    /// Kills the process group and reaps the child, waiting at most five seconds; a child that
    /// does not go away even then (stuck in the kernel) is left to a background reaper.
    public func killGroup() {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if reap() != nil { return }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let pid = self.pid
        Thread.detachNewThread {
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Whether the child has ended, without reaping it.
    private func hasEnded() -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result < 0 { return errno != EINTR }
        return info._sifields._sigchld.si_pid != 0
    }

    /// The child's ending if it has ended, reaping it; nil while it runs.
    private func reap() -> Ending? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        if result < 0 { return errno == EINTR ? nil : .signalled(SIGKILL) }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    // glibc declares these GNU extensions only for _GNU_SOURCE, which Swift's C module does not
    // define, so they are looked up by name.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addCloseFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let addChangeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A child program that could not be started.
public enum ChildProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotStart(executable: String, reason: String)

    public var description: String {
        switch self {
        case .cannotStart(let executable, let reason): "cannot start \(executable): \(reason)"
        }
    }
}
