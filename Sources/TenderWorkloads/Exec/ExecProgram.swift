import Foundation
import TenderCore

#if canImport(Glibc)
import Glibc
#endif

/// A user's program, checked against its pinned SHA-256 and copied to a private directory, that
/// speaks the `exec` step protocol.
///
/// The bytes are hashed and then the *copy* is what runs, so the file cannot be swapped between
/// the check and the execution. The directory also holds the state files of each call and is
/// removed when the last reference goes away.
public final class ExecProgram: Sendable {
    /// The verified private copy.
    public let executableURL: URL
    private let directory: URL

    /// Reads `url`, refuses it unless its SHA-256 is `sha256` (lowercase hex), and installs a copy.
    public init(verifying url: URL, sha256 expected: String) throws(WorkloadError) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw .io("cannot read program \(url.path): \(error.localizedDescription)")
        }
        let actual = Hashing.sha256Hex(bytes)
        guard actual == expected.lowercased() else { throw .programHashMismatch(expected: expected, actual: actual) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-exec-\(UUID().uuidString)")
        let executable = directory.appendingPathComponent("program")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try bytes.write(to: executable)
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: executable.path)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw .io("cannot install program copy: \(error.localizedDescription)")
        }
        self.directory = directory
        self.executableURL = executable
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `PROGRAM init --to STATE`: the initial state's bytes.
    public func initialState(timeout: Duration) throws(WorkloadError) -> Data {
        let output = scratchFile("init")
        defer { try? FileManager.default.removeItem(at: output) }
        try invoke(["init", "--to", output.path], timeout: timeout)
        return try read(output)
    }

    /// `PROGRAM step --from IN --steps K --to OUT`: the state `count` steps after `state`.
    public func step(_ state: Data, count: Int, timeout: Duration) throws(WorkloadError) -> Data {
        let input = scratchFile("in"), output = scratchFile("out")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        do {
            try state.write(to: input)
        } catch {
            throw .io("cannot write state file: \(error.localizedDescription)")
        }
        try invoke(["step", "--from", input.path, "--steps", String(count), "--to", output.path], timeout: timeout)
        return try read(output)
    }

    private func scratchFile(_ role: String) -> URL {
        directory.appendingPathComponent("\(role)-\(UUID().uuidString).state")
    }

    private func read(_ url: URL) throws(WorkloadError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .io("program wrote no state file \(url.lastPathComponent)")
        }
    }

    /// Runs the program with no input, its standard output discarded and standard error kept (up
    /// to 4 KiB) for the error message; terminates it (SIGTERM, then SIGKILL) after `timeout`.
    private func invoke(_ arguments: [String], timeout: Duration) throws(WorkloadError) {
        let command = ([executableURL.lastPathComponent] + arguments.prefix(1)).joined(separator: " ")
        let errorLog = scratchFile("stderr")
        defer { try? FileManager.default.removeItem(at: errorLog) }
        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            guard FileManager.default.createFile(atPath: errorLog.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let errorHandle = try FileHandle(forWritingTo: errorLog)
            defer { try? errorHandle.close() }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errorHandle
            try process.run()
        } catch {
            throw .io("cannot start program: \(error.localizedDescription)")
        }
        let parts = timeout.components
        let nanoseconds = max(0, parts.seconds) * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        if finished.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + .seconds(2)) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
            throw .programTimedOut(command: command, seconds: parts.seconds)
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let stderr = (try? Data(contentsOf: errorLog)).map { String(decoding: $0.prefix(4096), as: UTF8.self) } ?? ""
            throw .programFailed(command: command, status: process.terminationStatus, stderr: stderr)
        }
    }
}
