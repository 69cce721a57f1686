import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import TenderCore

/// Signed, durable writes per second over loopback: a fresh `tender-controller` on a temporary
/// database, `clients` connections each sending signed transfers for `seconds`, from `wrk` in its
/// own process with every request signed in advance; beside them, the same controller's unsigned
/// `GET /v1/health` rate (the HTTP stack's ceiling). Without wrk, clients in this process sign
/// and send, which shares the controller's cores and says so.
struct APIWriteBench {
    let clients: Int
    let seconds: Int

    func run() async -> [Bench.Row] {
        let failed = { (why: String) in
            [Bench.Row(name: "API signed durable writes", value: 0, unit: "writes/s", target: ">= 5,000/s, p99 < 20 ms", met: nil, note: why)]
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tender-controller")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            return failed("no tender-controller beside this tender; build the package first")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--dev", "--listen", "127.0.0.1:\(port)", "--db", directory.appendingPathComponent("bench.sqlite").path,
                             "--config", "/nonexistent"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return failed("could not start tender-controller: \(error)") }
        defer { process.terminate(); process.waitUntilExit() }

        let base = "http://127.0.0.1:\(port)"
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = clients
        let session = URLSession(configuration: configuration)
        var up = false
        for _ in 0..<100 where !up {
            if let (_, response) = try? await session.data(from: URL(string: "\(base)/v1/health")!),
               (response as? HTTPURLResponse)?.statusCode == 200 { up = true } else { try? await Task.sleep(for: .milliseconds(100)) }
        }
        guard up else { return failed("tender-controller did not come up") }

        let keys = (0..<clients).map { _ in KeyPair() }
        let sink = KeyPair().account
        for key in keys {
            let body = try! CanonicalJSON.encode(API.FaucetRequest(account: key.account, amount: try! Amount.credits(1_000_000)))
            _ = try? await send(session, base, "/v1/faucet", body, key, nonce: 1)
        }
        if let wrk = WrkLoad.find(base: base) {
            return wrkRows(wrk, keys: keys, sink: sink)
        }
        let tally = Tally()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(seconds))
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for key in keys {
                group.addTask {
                    var nonce: UInt64 = 2
                    let body = try! CanonicalJSON.encode(API.TransferRequest(to: sink, amount: try! Amount(micros: 1)))
                    while clock.now < deadline {
                        let began = clock.now
                        let ok = (try? await send(session, base, "/v1/transfers", body, key, nonce: nonce)) == 200
                        let elapsed = clock.now - began
                        nonce += 1
                        if ok {
                            tally.latencies.withLock { $0.append(Bench.seconds(elapsed)) }
                        } else {
                            tally.errors.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
        let total = Bench.seconds(clock.now - start)
        let sorted = tally.latencies.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { return failed("no write succeeded") }
        let rate = Double(sorted.count) / total
        let p50 = sorted[sorted.count / 2] * 1_000
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1_000
        let note = "\(clients) clients in this process (no wrk: apt-get install wrk), \(sorted.count) writes, \(tally.errors.withLock { $0 }) errors"
        return [
            Bench.Row(name: "API signed durable writes", value: rate, unit: "writes/s", target: ">= 5,000/s", met: rate >= 5_000, note: note),
            Bench.Row(name: "API write latency p50", value: p50, unit: "ms", target: "-", met: nil),
            Bench.Row(name: "API write latency p99", value: p99, unit: "ms", target: "< 20 ms", met: p99 < 20),
        ]
    }

    /// The rows measured with wrk: the health rate first (the ceiling), then the signed writes.
    private func wrkRows(_ wrk: WrkLoad, keys: [KeyPair], sink: AccountID) -> [Bench.Row] {
        let health = wrk.get("/v1/health", connections: clients, seconds: seconds)
        let writes: WrkLoad.Result?
        do {
            writes = try wrk.transfers(keys: keys, to: sink, firstNonce: 2, seconds: seconds, ceiling: 20_000)
        } catch {
            writes = nil
        }
        var rows: [Bench.Row] = []
        if let health {
            rows.append(Bench.Row(name: "API GET /v1/health (wrk)", value: health.rate, unit: "req/s", target: "- (the HTTP stack's ceiling)", met: nil,
                                  note: "\(clients) connections, \(health.failures) errors"))
        }
        guard let writes, writes.requests > 0 else {
            return rows + [Bench.Row(name: "API signed durable writes (wrk)", value: 0, unit: "writes/s", target: ">= 5,000/s", met: nil, note: "wrk did not run")]
        }
        let ratio = health.map { writes.rate / max($0.rate, 1e-9) }
        rows.append(Bench.Row(
            name: "API signed durable writes (wrk)", value: writes.rate, unit: "writes/s", baseline: health?.rate, ratio: ratio,
            target: ">= 5,000/s", met: writes.rate >= 5_000,
            note: "\(clients) connections, one account each, pre-signed; \(writes.requests - writes.failures) writes, \(writes.failures) refused"
        ))
        if let p50 = writes.p50Milliseconds {
            rows.append(Bench.Row(name: "API write latency p50 (wrk)", value: p50, unit: "ms", target: "-", met: nil))
        }
        if let p99 = writes.p99Milliseconds {
            rows.append(Bench.Row(name: "API write latency p99 (wrk)", value: p99, unit: "ms", target: "< 20 ms", met: p99 < 20))
        }
        return rows
    }

    /// Results shared by the client tasks.
    final class Tally: Sendable {
        let latencies = Mutex<[Double]>([])
        let errors = Mutex(0)
    }

    private func send(_ session: URLSession, _ base: String, _ path: String, _ body: Data, _ key: KeyPair, nonce: UInt64) async throws -> Int {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let signature = try RequestSignature.sign(method: "POST", pathWithQuery: path, nonce: nonce, body: body, with: key)
        for header in signature.headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
