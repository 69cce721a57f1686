import Foundation
import Testing
@testable import TenderAgentService
@testable import TenderCore
import TenderWorkloads

@Suite("script pricing")
struct ScriptPricerTests {
    /// A temp directory holding `price.sh` with `body`, made executable.
    func script(_ body: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-pricer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("price.sh")
        // Written through a descriptor that closes on exec: a child another test starts meanwhile
        // would otherwise inherit it open for writing, and running the script would then fail
        // with "Text file busy" for as long as that child lives.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        return directory
    }

    @Test("reads the order on stdin and the price on stdout, relative to the profile's directory")
    func prices() async throws {
        // Echoes back the gpuUnits field as the price, proving the order arrived as JSON on stdin.
        let directory = try script(#"sed -n 's/.*"gpuUnits":\([0-9]*\).*/\1.25/p'"#)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pricer = ScriptPricer(command: "./price.sh", directory: directory, timeout: .seconds(5))
        let outcome = await pricer.quote(AgentFixtures.order(1, AgentFixtures.manifest(gpus: 3)))
        #expect(outcome == .price(AgentFixtures.credits("3.25")))
    }

    @Test("the order JSON carries the fields operators price on")
    func orderJSON() throws {
        let json = try JSONSerialization.jsonObject(with: OrderQuoteRequest(AgentFixtures.order(7)).json()) as? [String: Any]
        for key in ["id", "name", "kind", "gpuUnits", "cpuMillis", "memoryBytes", "deadlineSeconds", "maxPrice", "maxPriceMicros"] {
            #expect(json?[key] != nil, "missing \(key)")
        }
        #expect(json?["maxPriceMicros"] as? Int == 10_000_000)
        #expect((json?["maxPrice"] as? NSNumber)?.doubleValue == 10)
    }

    @Test("a script that outlives its timeout is killed and skipped")
    func timeout() async throws {
        let directory = try script("sleep 10\necho 1")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = await ScriptPricer(command: "./price.sh", directory: directory, timeout: .seconds(1)).quote(AgentFixtures.order(1))
        guard case .failed(let reason) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(reason.contains("did not answer within 1s"))
    }

    @Test("a timed-out script's children are killed with it, and the wait is bounded though they hold its output open")
    func timeoutKillsChildren() async throws {
        let marker = String(Int.random(in: 100_000_000...999_999_999))
        let directory = try script("sleep \(marker) &\nsleep \(marker)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pricer = ScriptPricer(command: "./price.sh", directory: directory, timeout: .seconds(1))
        let input = OrderQuoteRequest(AgentFixtures.order(1)).json()
        // Timed on its own thread, so a busy test pool does not count.
        let (outcome, elapsed) = await ComputeThread.run(name: "pricer-test") {
            let clock = ContinuousClock()
            let started = clock.now
            return (pricer.run(input: input), clock.now - started)
        }
        #expect(elapsed < .seconds(4))
        guard case .failed(let reason) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(reason.contains("did not answer within 1s"))
        #expect(FileManager.default.fileExists(atPath: "/proc/self/cmdline"), "this check reads /proc")
        // A killed group's members take a moment to go: look again for up to two seconds.
        func survivors() -> [String] {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return pids.filter { pid in
                guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                return String(decoding: bytes, as: UTF8.self).contains(marker)
            }
        }
        var left = survivors()
        for _ in 0..<40 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            left = survivors()
        }
        #expect(left.isEmpty, "the script's children outlived it: \(left)")
    }

    @Test("bad output, a failing script and a missing script are failures with reasons",
          arguments: [("echo cheap", "not a price"), ("echo 1.1234567", "not a price"), ("exit 3", "status 3"), ("echo -- -1", "not a price")])
    func badOutput(body: String, expected: String) async throws {
        let directory = try script(body)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = await ScriptPricer(command: "./price.sh", directory: directory, timeout: .seconds(5)).quote(AgentFixtures.order(1))
        guard case .failed(let reason) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(reason.contains(expected))
    }

    @Test("a missing command fails")
    func missing() async throws {
        let outcome = await ScriptPricer(command: "./nope.sh", directory: FileManager.default.temporaryDirectory, timeout: .seconds(5))
            .quote(AgentFixtures.order(1))
        guard case .failed = outcome else { Issue.record("expected a failure"); return }
    }
}
