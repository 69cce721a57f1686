import Foundation
import Testing
import TenderCore
import TenderWorkloads

#if canImport(Glibc)
import Glibc
#endif

/// A hostile `exec` program, run the way a provider runs one: it tries to read the operator's key,
/// see its environment, reach the network, write outside its directory, write a huge file, fork
/// without end, allocate past its limit and leave a daemon behind, and writes what happened as
/// its state. Run unconfined first, so each attempt is shown to work when nothing stops it.
@Suite("exec sandbox", .serialized)
struct SandboxTests {
    static let limits = SandboxLimits(memoryBytes: 256 << 20, processes: 32, fileSizeBytes: 16 << 20, openFiles: 64)

    static func sandbox() throws -> ExecIsolation {
        switch Sandbox.detect(limits: limits) {
        case .success(let sandbox): return .sandboxed(sandbox)
        case .failure(let reason):
            Issue.record("no sandbox on this machine (CI installs bubblewrap): \(reason)")
            throw reason
        }
    }

    /// A key file where an operator keeps one, and a port something listens on.
    struct Bait {
        let directory: URL
        let keyFile: URL
        let listener: Int32
        let port: UInt16
        let marker = String(Int.random(in: 100_000_000...999_999_999))

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-bait-\(UUID().uuidString)")
            keyFile = directory.appendingPathComponent("keys/provider.json")
            try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(#"{"secret":"operator key"}"#.utf8).write(to: keyFile)
            (listener, port) = try Self.listen()
        }

        func remove() {
            close(listener)
            try? FileManager.default.removeItem(at: directory)
        }

        static func listen() throws -> (Int32, UInt16) {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    bind(socket, address, length) == 0 && Glibc.listen(socket, 8) == 0 && getsockname(socket, address, &length) == 0
                }
            }
            guard socket >= 0, bound else { throw WorkloadError.io("cannot listen on 127.0.0.1") }
            return (socket, UInt16(bigEndian: address.sin_port))
        }

        /// Processes whose command line holds the marker, once the kernel has had a moment to
        /// finish killing a namespace whose last process just ended.
        func survivors(settling: Duration = .seconds(2)) -> [String] {
            let deadline = ContinuousClock.now + settling
            var found = running()
            while !found.isEmpty && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                found = running()
            }
            return found
        }

        func running() -> [String] {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return pids.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
                guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let line = String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return line.contains(marker) ? "\(pid): \(line)" : nil
            }
        }

        /// The hostile program: each attempt appends one `name:outcome` word to the state.
        var program: String {
            """
            #!/bin/bash
            out="${3:-${7}}"
            r=""
            if cat '\(keyFile.path)' >/dev/null 2>&1; then r+="key:read "; else r+="key:denied "; fi
            r+="env:$(env | cut -d= -f1 | grep -v -x -e PWD -e SHLVL -e _ | sort | tr '\\n' ,) "
            if (exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null; then r+="net:open "; else r+="net:denied "; fi
            if touch '\(directory.path)/escaped' 2>/dev/null; then r+="write:outside "; else r+="write:denied "; fi
            head -c 50000000 /dev/zero > big 2>/dev/null
            r+="fsize:$(stat -c %s big) "
            rm -f big
            forks=$(python3 -c '
            import os, time
            n = 0
            for i in range(100):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    time.sleep(2)
                    os._exit(0)
                n += 1
            print(n)
            ' 2>/dev/null)
            r+="forks:$forks "
            if python3 -c 'b = bytearray(512 << 20)' 2>/dev/null; then r+="memory:allocated "; else r+="memory:denied "; fi
            setsid /bin/sh -c 'exec sleep \(marker)' </dev/null >/dev/null 2>&1 &
            sleep 0.3
            printf '%s' "$r" > "$out"
            """
        }
    }

    static func install(_ text: String, in directory: URL) throws -> (URL, String) {
        let bytes = Data(text.utf8)
        let url = directory.appendingPathComponent("program-\(UUID().uuidString)")
        try bytes.write(to: url)
        return (url, Hashing.sha256Hex(bytes))
    }

    static func words(_ state: Data) -> [String: String] {
        Dictionary(uniqueKeysWithValues: String(decoding: state, as: UTF8.self).split(separator: " ").map { word in
            let parts = word.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        })
    }

    @Test("every attempt of a hostile program works unconfined and fails in the sandbox, and nothing outlives the call")
    func hostileProgram() async throws {
        let isolation = try Self.sandbox()
        let bait = try Bait()
        defer {
            bait.remove()
            for survivor in bait.running() { kill(pid_t(survivor.prefix { $0 != ":" }) ?? 0, SIGKILL) }
        }
        let (url, hash) = try Self.install(bait.program, in: bait.directory)

        let loose = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, stepTimeout: .seconds(60), isolation: .unconfined)
        let free = Self.words(try await ComputeThread.run(name: "sandbox-test") { () throws(WorkloadError) in try loose.initialState() })
        #expect(free["key"] == "read")
        #expect(free["net"] == "open")
        #expect(free["write"] == "outside")
        #expect(free["fsize"] == "50000000")
        #expect(free["forks"] == "100")
        #expect(free["memory"] == "allocated")
        // Unconfined, a daemon in a session of its own escapes the process group: the reason
        // exec needs the sandbox.
        #expect(!bait.running().isEmpty)
        for survivor in bait.running() { kill(pid_t(survivor.prefix { $0 != ":" }) ?? 0, SIGKILL) }
        #expect(bait.survivors().isEmpty)
        try FileManager.default.removeItem(at: bait.directory.appendingPathComponent("escaped"))

        let boxed = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, stepTimeout: .seconds(60), isolation: isolation)
        let caught = Self.words(try await ComputeThread.run(name: "sandbox-test") { () throws(WorkloadError) in try boxed.initialState() })
        #expect(caught["key"] == "denied")
        #expect(caught["env"] == "HOME,LANG,PATH,")
        #expect(caught["net"] == "denied")
        #expect(caught["write"] == "denied")
        #expect(caught["fsize"] == String(Self.limits.fileSizeBytes))
        // Some forks succeed (python runs) and the limit stops the rest.
        #expect((1..<Self.limits.processes).contains(Int(caught["forks"] ?? "") ?? 0), "\(caught)")
        #expect(caught["memory"] == "denied")
        #expect(bait.survivors().isEmpty, "a daemon outlived the sandboxed call: \(bait.survivors())")
        #expect(!FileManager.default.fileExists(atPath: bait.directory.appendingPathComponent("escaped").path))
    }

    @Test("a program that outlives its timeout is killed with every process it started, within the timeout and a bound")
    func timeoutKillsTheTree() async throws {
        let isolation = try Self.sandbox()
        let bait = try Bait()
        defer { bait.remove() }
        let script = """
            #!/bin/sh
            setsid /bin/sh -c 'exec sleep \(bait.marker)' </dev/null >/dev/null 2>&1 &
            sleep \(bait.marker) &
            exec sleep 1000
            """
        let (url, hash) = try Self.install(script, in: bait.directory)
        let workload = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, stepTimeout: .seconds(2), isolation: isolation)
        // Timed on its own thread, so a busy test pool does not count.
        let (outcome, elapsed) = await ComputeThread.run(name: "sandbox-test") {
            let clock = ContinuousClock()
            let started = clock.now
            let outcome = Result { () throws(WorkloadError) in try workload.initialState() }
            return (outcome, clock.now - started)
        }
        #expect(throws: WorkloadError.programTimedOut(command: "program init", seconds: 2)) { try outcome.get() }
        #expect(elapsed < .seconds(6))
        #expect(bait.survivors().isEmpty, "processes outlived the timeout: \(bait.survivors())")
    }

    @Test("a state file left as a symlink to the operator's key, or as a FIFO, is refused, not followed, and nothing blocks")
    func stateFileTricks() async throws {
        let isolation = try Self.sandbox()
        let bait = try Bait()
        defer { bait.remove() }
        for (trick, expected) in [("ln -s '\(bait.keyFile.path)' \"$3\"", "symlink"), ("mkfifo \"$3\"", "not a regular file"),
                                  ("ln -s /dev/zero \"$3\"", "symlink")] {
            let (url, hash) = try Self.install("#!/bin/sh\n\(trick)\n", in: bait.directory)
            let workload = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, stepTimeout: .seconds(10), isolation: isolation)
            let (outcome, elapsed) = await ComputeThread.run(name: "sandbox-test") {
                let clock = ContinuousClock()
                let started = clock.now
                let outcome = Result { () throws(WorkloadError) in try workload.initialState() }
                return (outcome, clock.now - started)
            }
            guard case .failure(.io(let message)) = outcome else {
                Issue.record("\(trick): expected a refusal, got \(outcome)")
                continue
            }
            #expect(message.contains(expected), "\(trick): \(message)")
            #expect(elapsed < .seconds(5), "\(trick)")
        }
    }

    @Test("the counter program gives the same states in the sandbox as unconfined")
    func sameStates() throws {
        let isolation = try Self.sandbox()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, hash) = try Self.install(counterProgram, in: directory)
        let boxed = try WorkloadRunner(try ExecWorkload(programAt: url, sha256: hash, steps: 10, checkpointInterval: 4, isolation: isolation)).run()
        let free = try WorkloadRunner(try ExecWorkload(programAt: url, sha256: hash, steps: 10, checkpointInterval: 4, isolation: .unconfined)).run()
        #expect(boxed.commitment.root == free.commitment.root)
        #expect(boxed.result == Data("10\n".utf8))
    }

    @Test("with no sandbox and no consent, exec is refused with the reason before anything runs")
    func refusedWithoutSandbox() throws {
        let directory = FileManager.default.temporaryDirectory
        let witness = directory.appendingPathComponent("tender-should-not-run-\(UUID().uuidString)")
        let (url, hash) = try Self.install("#!/bin/sh\ntouch '\(witness.path)'\n", in: directory)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: WorkloadError.execRefused("bubblewrap (bwrap) is not installed")) {
            let workload = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1,
                                            isolation: .refused(reason: "bubblewrap (bwrap) is not installed"))
            _ = try workload.initialState()
        }
        #expect(!FileManager.default.fileExists(atPath: witness.path))
    }
}
