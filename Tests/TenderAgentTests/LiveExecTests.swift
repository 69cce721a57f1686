import Foundation
import Testing
@testable import TenderAgentService
import TenderClient
import TenderCore
import TenderWorkloads

/// Strangers' programs run by a real agent against a live controller, in the sandbox: what the
/// operator's machine holds stays out of reach, and a program that hangs gives its slot back.
@Suite("exec jobs on a live agent", .serialized)
struct LiveExecTests {
    static let profileText = LiveMarket.profileText + "\nruntimes: [exec]\n"

    /// An exec manifest for the program with this hash, `steps` steps, one checkpoint per step.
    static func manifest(name: String, program: String, steps: Int, stepTimeout: String) -> String {
        LiveMarket.manifest(name: name, samples: 1, workload: """
              runtime: exec
              program: sha256:\(program)
              steps: \(steps)
              checkpointInterval: 1
              stepTimeout: \(stepTimeout)
            """)
    }

    @Test("a program that hangs is killed at its step timeout and the slot is free for the next job, whose program cannot read the agent's key")
    func hangThenSnoop() async throws {
        let isolation = ExecIsolation.detect(allowUnsandboxed: false)
        guard case .sandboxed = isolation else {
            Issue.record("no sandbox on this machine (CI installs bubblewrap): \(isolation.summary)")
            return
        }
        let market = try await LiveMarket.start()
        let stateDirectory = market.directory.appendingPathComponent("agent-state")
        // Where an operator keeps its keys, next to the agent's state.
        let keyFile = market.directory.appendingPathComponent("keys/provider.json")
        try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"secret":"the provider's key"}"#.utf8).write(to: keyFile)

        let hang = Data("#!/bin/sh\ncase \"$1\" in\n  init) echo 0 > \"$3\" ;;\n  step) setsid sleep 1000 & exec sleep 1000 ;;\nesac\n".utf8)
        let snoop = Data("""
            #!/bin/sh
            case "$1" in
              init) echo start > "$3" ;;
              step) if cat '\(keyFile.path)' >/dev/null 2>&1; then echo leaked > "$7"; else echo denied > "$7"; fi ;;
            esac

            """.utf8)
        let hangHash = try await market.submitter.putArtifact(hang)
        let snoopHash = try await market.submitter.putArtifact(snoop)

        let agent = try market.agent(stateDirectory: stateDirectory, profileText: Self.profileText, execIsolation: isolation)
        let running = Task { await agent.run() }
        defer { running.cancel() }
        try await market.waitUntilStaked()

        let first = try await market.submitter.submitOrder(
            manifest: Self.manifest(name: "hangs", program: hangHash, steps: 2, stepTimeout: "2s"), contentType: "application/yaml"
        ).order
        let stuck = try await market.waitForLease(order: first.id) { $0.state == .running }
        let clock = ContinuousClock()
        let started = clock.now
        while await agent.outcomes[stuck.id] == nil, clock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let outcome = await agent.outcomes[stuck.id]
        guard case .failed(let reason, _)? = outcome else {
            Issue.record("expected the hanging lease to fail, got \(String(describing: outcome))")
            await market.stop()
            return
        }
        #expect(reason.contains("did not finish within 2s"), "\(reason)")
        #expect(clock.now - started < .seconds(15), "the step timeout is 2 s; the slot came back after \(clock.now - started)")

        // Concurrency is 1: the next job runs only if the slot is free again.
        let second = try await market.submitter.submitOrder(
            manifest: Self.manifest(name: "snoops", program: snoopHash, steps: 1, stepTimeout: "10s"), contentType: "application/yaml"
        ).order
        let lease = try await market.waitForLease(order: second.id) { $0.commitment != nil }
        let result = try await market.submitter.artifact(sha256: try #require(lease.commitment).resultHash)
        #expect(String(decoding: result, as: UTF8.self) == "denied\n")
        running.cancel()
        _ = await running.value
        await market.stop()
    }
}
