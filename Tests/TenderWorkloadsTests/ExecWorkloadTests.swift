import Foundation
import Testing
import TenderCore
import TenderWorkloads

/// A deterministic step-protocol program in POSIX sh: the state is a counter; `step` adds K.
let counterProgram = """
    #!/bin/sh
    set -e
    case "$1" in
      init) printf '0\\n' > "$3" ;;
      step) n=$(cat "$3"); printf '%d\\n' $((n + $5)) > "$7" ;;
      *) echo "unknown command $1" >&2; exit 2 ;;
    esac
    """

/// Writes `script` to a fresh temporary file and returns its URL and SHA-256.
private func install(_ script: String) throws -> (URL, String) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tender-test-\(UUID().uuidString).sh")
    let bytes = Data(script.utf8)
    // A descriptor that closes on exec, or a child another test starts meanwhile could hold the
    // file open for writing and running it would fail with "Text file busy".
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    return (url, Hashing.sha256Hex(bytes))
}

@Suite("exec runtime")
struct ExecWorkloadTests {
    @Test("a pinned program runs through the step protocol, and segments reproduce leaves")
    func runsProgram() throws {
        let (url, hash) = try install(counterProgram)
        defer { try? FileManager.default.removeItem(at: url) }
        let runner = try WorkloadRunner(try ExecWorkload(programAt: url, sha256: hash, steps: 10, checkpointInterval: 4, isolation: .unconfined))
        var states = [Data]()
        let run = try runner.run { states.append($0.state.bytes) }
        #expect(states.map { String(decoding: $0, as: UTF8.self) } == ["0\n", "4\n", "8\n", "10\n"])
        #expect(run.result == Data("10\n".utf8))
        #expect(run.commitment.finalStateHash == Hashing.sha256Hex(Data("10\n".utf8)))
        let replay = try runner.runSegment(1, from: states[1])
        #expect(replay.stateHash == run.stateHashes[2])
        #expect(try runner.runStep(from: states[2], atStep: 8).bytes == Data("9\n".utf8))
    }

    @Test("a program whose hash differs from the pin is refused")
    func refusesWrongHash() throws {
        let (url, _) = try install(counterProgram)
        defer { try? FileManager.default.removeItem(at: url) }
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: WorkloadError.programHashMismatch(expected: wrong, actual: Hashing.sha256Hex(try Data(contentsOf: url)))) {
            try ExecWorkload(programAt: url, sha256: wrong, steps: 1, checkpointInterval: 1, isolation: .unconfined)
        }
    }

    @Test("a failing program reports its status and standard error")
    func reportsFailure() throws {
        let (url, hash) = try install("#!/bin/sh\necho broken state >&2\nexit 3\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let workload = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, isolation: .unconfined)
        #expect(throws: WorkloadError.programFailed(command: "program init", status: 3, stderr: "broken state\n")) {
            try workload.initialState()
        }
    }

    @Test("a program that runs past its timeout is terminated")
    func timesOut() throws {
        let (url, hash) = try install("#!/bin/sh\nexec sleep 30\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let workload = try ExecWorkload(programAt: url, sha256: hash, steps: 1, checkpointInterval: 1, stepTimeout: .milliseconds(300), isolation: .unconfined)
        #expect(throws: WorkloadError.programTimedOut(command: "program init", seconds: 0)) {
            try workload.initialState()
        }
    }
}
