import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `tender-controller` from this build directory, started for a benchmark on a free port.
struct BenchController {
    let process: Process
    let base: String
    let session: URLSession
    /// From the start of the process to its first answer on /v1/health.
    let startupSeconds: Double

    /// The `tender-controller` beside this `tender`, or nil.
    static var binary: URL? {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tender-controller")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Runs `tender-controller populate` on a new database; nil on success, else why not.
    static func populate(database: URL, accounts: Int, orders: Int, transfers: Int, cancelOrders: Bool = false) -> String? {
        guard let binary else { return "no tender-controller beside this tender" }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["populate", "--db", database.path, "--accounts", "\(accounts)", "--orders", "\(orders)", "--transfers", "\(transfers)"]
            + (cancelOrders ? ["--cancel-orders"] : [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "could not run tender-controller populate: \(error)" }
        process.waitUntilExit()
        // The file just written is still being flushed by the kernel: flushed during the
        // measurement, it would queue ahead of the controller's own fsyncs and show in their p99.
        sync()
        return process.terminationStatus == 0 ? nil : "tender-controller populate exited with \(process.terminationStatus)"
    }

    /// Starts a dev controller on `database` and waits (up to `patience`) until it answers.
    static func start(database: URL, connections: Int, patience: Duration = .seconds(120)) async throws(BenchFailure) -> BenchController {
        try await start(db: database.path, arguments: [], connections: connections, patience: patience)
    }

    /// Starts a dev controller with `--db db` and more `serve` options.
    static func start(db: String, arguments: [String], connections: Int, patience: Duration = .seconds(120)) async throws(BenchFailure) -> BenchController {
        guard let binary else { throw BenchFailure("no tender-controller beside this tender; build the package first") }
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", db, "--config", "/nonexistent"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let started = clock.now
        do { try process.run() } catch { throw BenchFailure("could not start tender-controller: \(error)") }
        let base = "http://127.0.0.1:\(port)"
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        let session = URLSession(configuration: configuration)
        while clock.now - started < patience, process.isRunning {
            if let (_, response) = try? await session.data(from: URL(string: "\(base)/v1/health")!),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return BenchController(process: process, base: base, session: session, startupSeconds: Bench.seconds(clock.now - started))
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        throw BenchFailure("tender-controller did not come up")
    }

    /// The controller's resident memory in MiB, from /proc; nil where there is no /proc.
    var residentMiB: Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kib / 1_024
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

struct BenchFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
