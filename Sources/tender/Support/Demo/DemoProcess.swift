import Foundation
import Synchronization

/// A process the demo starts from its own executable (`tender agent run`, `tender job submit`,
/// `tender challenge watch`), with its output in a log file of its own.
///
/// Foundation's `Process`, not the workloads' sandbox-minded `ChildProcess`: these are Tender's
/// own long-running commands, which stop gracefully on SIGTERM and share the terminal's process
/// group, so a Ctrl-C reaches them too.
///
/// `@unchecked Sendable`: `Process` is thread-safe for what is used here (launch, state, signals,
/// waiting), and the other properties are constants.
final class DemoProcess: @unchecked Sendable {
    let name: String
    let log: URL
    private let process: Process
    private let stopping = Atomic(false)
    /// Every child still running, for `killAll`.
    private static let running = Mutex<Set<Int32>>([])

    /// Kills every child at once (a second Ctrl-C, a hangup).
    static func killAll() {
        for pid in running.withLock({ $0 }) { kill(pid, SIGKILL) }
    }

    /// This executable, so the children are exactly the code the demo runs.
    static var executable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(fileURLWithPath: resolved)
        }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Starts `tender ARGUMENTS` with `environment` added to this process's, writing its standard
    /// error to `log`, and its standard output there too unless `standardOutput` names a file.
    init(name: String, arguments: [String], environment: [String: String], log: URL, standardOutput: URL? = nil) throws {
        self.name = name
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let errors = try FileHandle(forWritingTo: log)
        var output = errors
        if let standardOutput {
            _ = FileManager.default.createFile(atPath: standardOutput.path, contents: nil)
            output = try FileHandle(forWritingTo: standardOutput)
        }
        process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        // An id leaves the set the moment its process ends, so a second Ctrl-C never kills a
        // stranger that was given the id again.
        process.terminationHandler = { ended in
            let pid = ended.processIdentifier
            Self.running.withLock { _ = $0.remove(pid) }
        }
        defer {
            try? errors.close()
            if standardOutput != nil { try? output.close() }
        }
        try process.run()
        let pid = process.processIdentifier
        Self.running.withLock { running in
            if process.isRunning { _ = running.insert(pid) }
        }
    }

    var isRunning: Bool { process.isRunning }
    /// Ended without being asked to.
    var died: Bool { !process.isRunning && !stopping.load(ordering: .relaxed) }
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Waits for the process to exit on its own and returns its status.
    func wait() async -> Int32 {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it has not stopped within `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        stopping.store(true, ordering: .relaxed)
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        _ = await wait()
    }

    /// The last `count` lines of the log, for a failure message.
    func tail(_ count: Int = 8) -> [String] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n", omittingEmptySubsequences: true).suffix(count).map(String.init))
    }
}
