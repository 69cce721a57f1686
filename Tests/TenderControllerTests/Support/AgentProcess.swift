import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `tender-agent run` child process, with its own key in a test keystore, for the tests
/// that must show separate processes agreeing bit for bit (or a cheater caught).
final class AgentProcess: @unchecked Sendable {
    // @unchecked: every member is set in `init` and only read afterwards, except `process`, which
    // only the test that owns this value starts and stops, from its own task.
    static var executable: URL? {
        [".build/debug/tender-agent", ".build/release/tender-agent"]
            .map { ControllerProcess.packageRoot.appendingPathComponent($0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    let arguments: [String]
    let home: URL
    let log: URL
    private var process: Process?

    /// An agent for key `key` of the keystore in `home`, with `faults` (`--fault` values).
    init(key: String, home: URL, controller: URL, profile: URL, faults: [String] = []) {
        self.home = home
        self.log = home.appendingPathComponent("agent-\(key).log")
        arguments = ["run", "--profile", profile.path, "--key", key, "--controller", controller.absoluteString,
                     "--state-dir", home.appendingPathComponent("agent-\(key)").path,
                     "--poll-interval", "0.2", "--heartbeat-interval", "1", "--log-level", "info"]
            + faults.flatMap { ["--fault", $0] }
    }

    func start() throws {
        guard let executable = Self.executable else { throw ControllerProcess.ProcessFailure("no tender-agent build") }
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["TENDER_HOME": home.path]) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// SIGTERM, then waits (polling) for a clean stop; SIGKILL if it takes over 10 s.
    func stop() async {
        guard let process, process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// SIGKILL, as a crash would.
    func kill() async {
        guard let process else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    var logTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }
}
