import Foundation
import TenderCore

#if canImport(Glibc)
import Glibc
#endif

/// A user's program, checked against its pinned SHA-256 and copied to a private directory, that
/// speaks the `exec` step protocol.
///
/// The bytes are hashed and then the *copy* is what runs, so the file cannot be swapped between
/// the check and the execution. The copy is read-only to the program itself. Each call gets a
/// fresh working directory holding only its input state, removed afterwards, so nothing carries
/// over between calls but the state. With a sandbox, the program runs confined (see `Sandbox`);
/// unconfined, it still gets a clean environment and its process group is killed with it.
public final class ExecProgram: Sendable {
    /// The largest state file read back from a program (the sandbox's file-size limit by default).
    public static let maximumStateBytes = 1 << 30

    /// The verified private copy.
    public let executableURL: URL
    public let isolation: ExecIsolation
    private let directory: URL

    /// Reads `url`, refuses it unless its SHA-256 is `sha256` (lowercase hex), and installs a copy.
    /// Throws `execRefused` when `isolation` refuses exec programs.
    public init(verifying url: URL, sha256 expected: String, isolation: ExecIsolation) throws(WorkloadError) {
        if case .refused(let reason) = isolation { throw .execRefused(reason) }
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
            // Traversable but not listable, so a sandbox's unprivileged user reaches the program
            // and its own call directory, and nothing else.
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o711])
            try bytes.write(to: executable)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: executable.path)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw .io("cannot install program copy: \(error.localizedDescription)")
        }
        self.directory = directory
        self.executableURL = executable
        self.isolation = isolation
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `PROGRAM init --to STATE`: the initial state's bytes.
    public func initialState(timeout: Duration) throws(WorkloadError) -> Data {
        let call = try Call(in: directory, isolation: isolation)
        defer { call.remove() }
        try invoke(["init", "--to", call.path(Call.output)], in: call, timeout: timeout)
        return try call.read(Call.output)
    }

    /// `PROGRAM step --from IN --steps K --to OUT`: the state `count` steps after `state`.
    public func step(_ state: Data, count: Int, timeout: Duration) throws(WorkloadError) -> Data {
        let call = try Call(in: directory, isolation: isolation)
        defer { call.remove() }
        try call.write(state, to: Call.input)
        try invoke(
            ["step", "--from", call.path(Call.input), "--steps", String(count), "--to", call.path(Call.output)],
            in: call, timeout: timeout
        )
        return try call.read(Call.output)
    }

    /// Runs the program with no input, its standard output discarded and standard error kept (up
    /// to 4 KiB) for the error message; after `timeout` its whole process tree is killed.
    private func invoke(_ arguments: [String], in call: Call, timeout: Duration) throws(WorkloadError) {
        let command = ([executableURL.lastPathComponent] + arguments.prefix(1)).joined(separator: " ")
        let errorLog = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errorLog) }
        let ending: ChildProcess.Ending
        do {
            guard FileManager.default.createFile(atPath: errorLog.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let errorHandle = try FileHandle(forWritingTo: errorLog)
            defer { try? errorHandle.close() }
            let line: [String]
            switch isolation {
            case .sandboxed(let sandbox):
                let cpuSeconds = Int(timeout.components.seconds) + 1
                line = sandbox.commandLine(program: executableURL.path, arguments: arguments, work: call.directory.path, cpuSeconds: cpuSeconds)
            case .unconfined, .refused:
                line = [executableURL.path] + arguments
            }
            let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": call.directory.path, "LANG": "C.UTF-8"]
            let child = try ChildProcess(
                executable: line[0], arguments: Array(line.dropFirst()), environment: environment, directory: call.directory.path,
                standardError: errorHandle.fileDescriptor
            )
            ending = child.wait(timeout: timeout)
        } catch {
            throw .io("cannot start program: \(error)")
        }
        switch ending {
        case .exited(0):
            return
        case .timedOut:
            throw .programTimedOut(command: command, seconds: timeout.components.seconds)
        case .exited(let status), .signalled(let status):
            // Only the first 4 KiB: a program may write gigabytes to standard error.
            let head = (try? FileHandle(forReadingFrom: errorLog)).flatMap { try? $0.read(upToCount: 4096) }
            let stderr = head.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let code: Int32 = if case .signalled = ending { 128 + status } else { status }
            throw .programFailed(command: command, status: code, stderr: stderr)
        }
    }

    /// One call's working directory: owned by the sandbox's user when there is one, and seen by
    /// the program as `/job` inside a sandbox.
    private struct Call {
        static let input = "in.state"
        static let output = "out.state"
        let directory: URL
        let sandboxed: Bool

        init(in parent: URL, isolation: ExecIsolation) throws(WorkloadError) {
            directory = parent.appendingPathComponent("call-\(UUID().uuidString)", isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .io("cannot create the call directory: \(error.localizedDescription)")
            }
            if case .sandboxed(let sandbox) = isolation {
                sandboxed = true
                if let user = sandbox.unprivileged, chown(directory.path, user.uid, user.gid) != 0 {
                    throw .io("cannot hand the call directory to uid \(user.uid): \(String(cString: strerror(errno)))")
                }
            } else {
                sandboxed = false
            }
        }

        /// The path of `name` as the program sees it.
        func path(_ name: String) -> String {
            sandboxed ? "\(Sandbox.jobDirectory)/\(name)" : directory.appendingPathComponent(name).path
        }

        func write(_ data: Data, to name: String) throws(WorkloadError) {
            do {
                try data.write(to: directory.appendingPathComponent(name))
            } catch {
                throw .io("cannot write state file: \(error.localizedDescription)")
            }
        }

        /// The state file the program wrote, read as the program left it and no further: the
        /// program controls this directory, so a symlink (to the agent's key, say), a FIFO or a
        /// device in its place is refused rather than followed, and the size is bounded.
        func read(_ name: String) throws(WorkloadError) -> Data {
            let descriptor = open(directory.appendingPathComponent(name).path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw errno == ELOOP ? .io("the program left a symlink as its state file \(name)") : .io("program wrote no state file \(name)")
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            var info = stat()
            guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                throw .io("the program's state file \(name) is not a regular file")
            }
            guard info.st_size <= ExecProgram.maximumStateBytes else {
                throw .io("the program's state file \(name) is \(info.st_size) bytes, more than \(ExecProgram.maximumStateBytes)")
            }
            do {
                return try handle.read(upToCount: Int(info.st_size)) ?? Data()
            } catch {
                throw .io("cannot read the program's state file \(name): \(error.localizedDescription)")
            }
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
