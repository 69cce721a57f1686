import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization
import TenderCore
import TenderStore

/// Signed, durable writes per second over loopback: a fresh `tender-controller` on a temporary
/// database, `clients` connections each sending signed transfers for `seconds`, from `wrk` in its
/// own process with every request signed in advance; beside them, the same controller's unsigned
/// `GET /v1/health` rate (the HTTP stack's ceiling). Without wrk, clients in this process sign
/// and send, which shares the controller's cores and says so.
struct APIWriteBench {
    let clients: Int
    let seconds: Int
    /// Also measure a large market (writes, memory) and a start-up after a long journal.
    let scale: Bool
    /// A PostgreSQL server to measure the same writes on, beside SQLite's.
    var postgres: String? = nil

    static let largeAccounts = 100_000
    static let largeOrders = 10_000
    static let longJournal = 1_000_000
    /// wrk hands pre-signed requests to whichever connection is free, in turn: with as many
    /// accounts as connections, an account's next nonce could be sent while its last was still
    /// in flight on a slow connection, overtake it, and get the last refused as stale. With four
    /// times as many, an account comes round again only after four full rounds of requests, which
    /// makes that unlikely (the row counts any refusal).
    static let accountsPerConnection = 4

    func run() async -> [Bench.Row] {
        let failed = { (why: String) in
            [Bench.Row(name: "API signed durable writes", value: 0, unit: "writes/s", target: ">= 5,000/s, p99 < 20 ms", met: nil, note: why)]
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let emptyStart: Double
        var rows: [Bench.Row]
        do {
            let controller = try await BenchController.start(database: directory.appendingPathComponent("empty.sqlite"), connections: clients)
            defer { controller.stop() }
            emptyStart = controller.startupSeconds
            rows = await writeRows(controller)
        } catch {
            return failed(error.reason)
        }
        let sqliteRate = rows.first { $0.name == "API signed durable writes (wrk)" }?.value
        rows += await postgresRows(directory, sqliteRate: sqliteRate)
        guard scale else { return rows }
        guard WrkLoad.find(base: "http://127.0.0.1:1") != nil else {
            return rows + [Bench.Row(name: "API writes, large market", value: 0, unit: "writes/s", target: ">= 0.8 of the empty market", met: nil,
                                     note: "needs wrk (apt-get install wrk)")]
        }
        let emptyRate = rows.first { $0.name == "API signed durable writes (wrk)" }?.value
        rows += await largeMarketRows(directory, emptyRate: emptyRate)
        rows += await startupRows(directory, emptyStart: emptyStart)
        rows += await finishedOrdersRows(directory)
        return rows
    }

    /// The same signed writes with the controller on a new PostgreSQL database, beside SQLite's
    /// rate from this run. Without `--postgres`, one row says how to get it.
    private func postgresRows(_ directory: URL, sqliteRate: Double?) async -> [Bench.Row] {
        let name = "API writes, PostgreSQL (wrk)"
        let target = "report, beside SQLite's"
        guard let postgres else {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: target, met: nil,
                              note: "skipped: pass --postgres postgres://USER@HOST:PORT/postgres (scripts/postgres-scratch-cluster start prints one)")]
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let scratch: PostgresLocation
        do {
            let server = try PostgresLocation(url: postgres)
            scratch = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        } catch {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: target, met: nil, note: "\(error)")]
        }
        let rows = await postgresRows(on: scratch, directory, sqliteRate: sqliteRate, name: name, target: target)
        if let server = try? PostgresLocation(url: postgres) {
            try? await PostgresAdmin.dropDatabase(scratch.database, on: server, logger: logger)
        }
        return rows
    }

    private func postgresRows(
        on scratch: PostgresLocation, _ directory: URL, sqliteRate: Double?, name: String, target: String
    ) async -> [Bench.Row] {
        // A shared database needs the controller's key named: a throwaway one.
        let keyFile = directory.appendingPathComponent("postgres-controller.key")
        guard FileManager.default.createFile(
            atPath: keyFile.path, contents: Data(KeyPair().rawPrivateKey.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: target, met: nil, note: "cannot write \(keyFile.path)")]
        }
        do {
            let controller = try await BenchController.start(
                db: scratch.url,
                arguments: ["--key-file", keyFile.path, "--artifacts", directory.appendingPathComponent("postgres-artifacts").path],
                connections: clients
            )
            defer { controller.stop() }
            let measured = await writeRows(controller)
            guard let rate = measured.first(where: { $0.name == "API signed durable writes (wrk)" })?.value, rate > 0 else {
                return [Bench.Row(name: name, value: 0, unit: "writes/s", target: target, met: nil, note: "needs wrk (apt-get install wrk)")]
            }
            var rows = [Bench.Row(
                name: name, value: rate, unit: "writes/s", baseline: sqliteRate, ratio: sqliteRate.map { rate / max($0, 1e-9) },
                target: target, met: nil, note: "baseline: SQLite's rate in this run; \(clients) connections, server \(scratch.host):\(scratch.port)"
            )]
            if let p99 = measured.first(where: { $0.name == "API write latency p99 (wrk)" }) {
                rows.append(Bench.Row(name: "API write latency p99, PostgreSQL", value: p99.value, unit: "ms", target: "-", met: nil))
            }
            return rows
        } catch {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: target, met: nil, note: error.reason)]
        }
    }

    /// The controller's memory just after start-up with 100,000 finished (cancelled) orders,
    /// beside the same with 10,000: it must not grow with orders that can no longer change.
    private func finishedOrdersRows(_ directory: URL) async -> [Bench.Row] {
        let name = "memory, 100k finished orders"
        var resident: [Double] = []
        for count in [10_000, 100_000] {
            let database = directory.appendingPathComponent("finished-\(count).sqlite")
            if let why = BenchController.populate(database: database, accounts: 100, orders: count, transfers: 0, cancelOrders: true) {
                return [Bench.Row(name: name, value: 0, unit: "MiB", target: "flat in finished orders", met: nil, note: why)]
            }
            do {
                let controller = try await BenchController.start(database: database, connections: 1)
                let memory = controller.residentMiB
                controller.stop()
                guard let memory else {
                    return [Bench.Row(name: name, value: 0, unit: "MiB", target: "flat in finished orders", met: nil, note: "no /proc here")]
                }
                resident.append(memory)
            } catch {
                return [Bench.Row(name: name, value: 0, unit: "MiB", target: "flat in finished orders", met: nil, note: error.reason)]
            }
        }
        let ratio = resident[1] / max(resident[0], 1e-9)
        return [Bench.Row(
            name: name, value: resident[1], unit: "MiB", baseline: resident[0], ratio: ratio,
            target: "flat in finished orders (<= 1.1 x 10k's)", met: ratio <= 1.1,
            note: "baseline: the same market with 10,000 finished orders, in this run"
        )]
    }

    /// Signed writes with 100,000 funded accounts and 10,000 open orders loaded first, beside the
    /// empty market's figure from the same run, and the controller's memory holding them.
    private func largeMarketRows(_ directory: URL, emptyRate: Double?) async -> [Bench.Row] {
        let name = "API writes, 100k accounts + 10k orders"
        let database = directory.appendingPathComponent("large.sqlite")
        if let why = BenchController.populate(database: database, accounts: Self.largeAccounts, orders: Self.largeOrders, transfers: 0) {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: ">= 0.8 of the empty market", met: nil, note: why)]
        }
        do {
            let controller = try await BenchController.start(database: database, connections: clients)
            defer { controller.stop() }
            let measured = await writeRows(controller)
            guard let rate = measured.first(where: { $0.name == "API signed durable writes (wrk)" })?.value else {
                return [Bench.Row(name: name, value: 0, unit: "writes/s", target: ">= 0.8 of the empty market", met: nil, note: "wrk did not run")]
            }
            let ratio = emptyRate.map { rate / max($0, 1e-9) }
            var rows = [Bench.Row(
                name: name, value: rate, unit: "writes/s", baseline: emptyRate, ratio: ratio, target: ">= 0.8 of the empty market",
                met: ratio.map { $0 >= 0.8 }, note: "baseline: the empty market's rate in this run"
            )]
            if let p99 = measured.first(where: { $0.name == "API write latency p99 (wrk)" })?.value {
                rows.append(Bench.Row(name: "API write p99, large market", value: p99, unit: "ms", target: "< 20 ms", met: p99 < 20))
            }
            if let memory = controller.residentMiB {
                rows.append(Bench.Row(name: "controller memory, large market", value: memory, unit: "MiB", target: "report", met: nil,
                                      note: "100k accounts and 10k open orders, after the write run"))
            }
            return rows
        } catch {
            return [Bench.Row(name: name, value: 0, unit: "writes/s", target: ">= 0.8 of the empty market", met: nil, note: error.reason)]
        }
    }

    /// Start-up of a controller whose journal holds a million entries, beside an empty one's.
    private func startupRows(_ directory: URL, emptyStart: Double) async -> [Bench.Row] {
        let name = "start-up, 1M journal entries"
        let database = directory.appendingPathComponent("long.sqlite")
        if let why = BenchController.populate(database: database, accounts: 1_000, orders: 0, transfers: Self.longJournal) {
            return [Bench.Row(name: name, value: 0, unit: "s", target: "flat past the last snapshot", met: nil, note: why)]
        }
        do {
            let controller = try await BenchController.start(database: database, connections: 1)
            controller.stop()
            return [Bench.Row(
                name: name, value: controller.startupSeconds, unit: "s", baseline: emptyStart, ratio: controller.startupSeconds / max(emptyStart, 1e-9),
                target: "report; replays only the entries after the last snapshot (every 100,000)", met: nil,
                note: "baseline: an empty market's start-up in this run"
            )]
        } catch {
            return [Bench.Row(name: name, value: 0, unit: "s", target: "flat past the last snapshot", met: nil, note: error.reason)]
        }
    }

    /// Funds the accounts, then measures signed transfers from them: one per client in this
    /// process, or `accountsPerConnection` per wrk connection.
    private func writeRows(_ controller: BenchController) async -> [Bench.Row] {
        let session = controller.session
        let base = controller.base
        let wrk = WrkLoad.find(base: base)
        let keys = (0..<clients * (wrk == nil ? 1 : Self.accountsPerConnection)).map { _ in KeyPair() }
        let sink = KeyPair().account
        for key in keys {
            let body = try! CanonicalJSON.encode(API.FaucetRequest(account: key.account, amount: try! Amount.credits(1_000_000)))
            _ = try? await send(session, base, "/v1/faucet", body, key, nonce: 1)
        }
        if let wrk {
            return wrkRows(wrk, keys: keys, sink: sink)
        }
        // Without wrk, clients in this process sign and send, sharing the controller's cores.
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
        guard !sorted.isEmpty else {
            return [Bench.Row(name: "API signed durable writes", value: 0, unit: "writes/s", target: ">= 5,000/s", met: nil, note: "no write succeeded")]
        }
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
            writes = try wrk.transfers(keys: keys, to: sink, firstNonce: 2, connections: clients, seconds: seconds, ceiling: 20_000)
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
            note: "\(clients) connections, \(keys.count) accounts in turn, pre-signed; \(writes.requests - writes.failures) writes, \(writes.failures) refused"
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
