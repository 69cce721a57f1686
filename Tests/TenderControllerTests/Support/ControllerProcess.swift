import Foundation
import TenderClient
import TenderCore
#if canImport(Glibc)
import Glibc
#endif

/// A real `tender-controller serve --dev` child process on a loopback port, for the tests that
/// must kill it the way a power cut or the OOM killer would.
final class ControllerProcess: @unchecked Sendable {
    // @unchecked: every member is set in `init` and only read afterwards, except `process`, which
    // the one test that owns this value starts, kills and waits for from its own task.
    /// The package root, found from this file's path: `Tests/TenderControllerTests/Support/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug build of the controller that `swift build` (and `swift build --build-tests`) leaves.
    static var executable: URL? {
        let candidates = [".build/debug/tender-controller", ".build/release/tender-controller"]
            .map { packageRoot.appendingPathComponent($0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    let executable: URL
    let database: URL
    /// What `--db` names: `database`'s path, or a PostgreSQL URL.
    let db: String
    let port: Int
    let log: URL
    /// A configuration file, or nil for the built-in defaults.
    let config: URL?
    /// More `serve` options, such as `--key-file`; a test may add one before a restart.
    var arguments: [String]
    private var process: Process?

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// A controller on `database` at a free port; nothing runs until `start()`.
    init(executable: URL, database: URL, db: String? = nil, config: URL? = nil, arguments: [String] = []) throws {
        guard let port = FreePort.next() else { throw ProcessFailure("no free loopback port") }
        self.executable = executable
        self.config = config
        self.arguments = arguments
        self.database = database
        self.db = db ?? database.path
        self.port = port
        self.log = database.deletingLastPathComponent().appendingPathComponent("controller.log")
    }

    /// Starts the child and waits until `/v1/health` answers.
    func start() async throws {
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", db, "--config", config?.path ?? "/nonexistent"]
            + arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let client = try TenderAPIClient(baseURL: baseURL, timeout: 2)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ProcessFailure("the controller exited with \(process.terminationStatus)\n\(logTail)") }
            if (try? await client.health()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessFailure("the controller did not answer /v1/health within 60s\n\(logTail)")
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Sends `signal` (SIGSTOP, SIGCONT) to the child.
    func send(_ signal: Int32) {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
    }

    /// SIGKILL: no shutdown code runs, exactly like a crash. Returns once the child is gone.
    func kill() async {
        guard let process else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        // Polled rather than `waitUntilExit()`, which would block a thread of the cooperative pool.
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        self.process = nil
    }

    /// Ends the child at the end of a test, whatever state the test left it in; does not wait.
    func cleanUp() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// The last lines the child wrote, for failure messages.
    var logTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    /// Runs the controller executable with `arguments` to its end (`keygen`, or a `serve` that must
    /// refuse to start), killing it if it is still running after `timeout`.
    static func run(_ arguments: [String], log: URL, timeout: Duration = .seconds(30)) async throws -> (status: Int32, output: String) {
        guard let executable else { throw ProcessFailure("no tender-controller build") }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
            throw ProcessFailure("tender-controller \(arguments.joined(separator: " ")) was still running after \(timeout)")
        }
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    struct ProcessFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
