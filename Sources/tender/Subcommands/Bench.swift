import ArgumentParser
import Foundation
import TenderCore
import TenderWorkloads

/// `tender bench`: the performance targets of DESIGN section 12, each measured beside its
/// baseline in the same run, printed as a table and as JSON.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Tender against its performance targets (use a release build).",
        discussion: """
        Each figure is a ratio to a baseline measured in the same run on the same machine: \
        numpy's single-thread matmul, `openssl speed -evp sha256`, the run without commitments, \
        the controller's own unsigned GET /v1/health rate, SQLite's write rate beside PostgreSQL's \
        (with --postgres). The API figures start a tender-controller \
        from the same build directory on a free port and load it with wrk (Debian: apt-get install \
        wrk) in its own process, every write signed in advance; one core's Ed25519 verify rate is \
        printed too, since every signed write costs one.

        Example:
          swift build -c release && .build/release/tender bench --json
        """
    )

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Skip the API write benchmark (it starts a controller).")
    var skipAPI = false

    @Flag(help: "Skip the large-market and long-journal rows (they build a market of 100,000 accounts and a journal of 1,000,000 entries first, a few minutes).")
    var skipScale = false

    @Option(help: "Concurrent clients for the API write benchmark.")
    var clients = 64

    @Option(help: "Seconds to run the API write benchmark.")
    var seconds = 5

    @Option(help: ArgumentHelp(
        "A PostgreSQL server the bench may create a throwaway database on, to measure signed writes there beside SQLite's (scripts/postgres-scratch-cluster start prints one).",
        valueName: "postgres://USER@HOST:PORT/postgres"
    ))
    var postgres: String?

    struct Row: Encodable {
        var name: String
        var value: Double
        var unit: String
        var baseline: Double?
        var ratio: Double?
        var target: String
        var met: Bool?
        var note: String?
    }

    func run() async throws {
        var rows: [Row] = []
        rows.append(Self.auction())
        rows += Self.ed25519()
        rows.append(Self.matmul(size: 256))
        rows.append(Self.matmul(size: 1_024))
        rows.append(Self.sha256())
        rows.append(try Self.commitment())
        rows.append(Self.audit())
        rows.append(Self.referee())
        if !skipAPI {
            rows += await APIWriteBench(clients: clients, seconds: seconds, scale: !skipScale, postgres: postgres).run()
        }
        if json {
            try JSONOutput.print(rows)
            return
        }
        print("what".padding(toLength: 34, withPad: " ", startingAt: 0) + "measured".padding(toLength: 22, withPad: " ", startingAt: 0)
              + "baseline".padding(toLength: 16, withPad: " ", startingAt: 0) + "ratio".padding(toLength: 9, withPad: " ", startingAt: 0) + "target")
        for row in rows {
            let measured = String(format: "%.2f %@", row.value, row.unit)
            let baseline = row.baseline.map { String(format: "%.2f", $0) } ?? "-"
            let ratio = row.ratio.map { String(format: "%.3f", $0) } ?? "-"
            let verdict = row.met.map { $0 ? "  ok" : "  MISSED" } ?? ""
            print(row.name.padding(toLength: 34, withPad: " ", startingAt: 0) + measured.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + baseline.padding(toLength: 16, withPad: " ", startingAt: 0) + ratio.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + row.target + verdict + (row.note.map { "  (\($0))" } ?? ""))
        }
    }

    // MARK: - Auction

    /// Eligibility checks plus clearing over 20,000 bids, best of twenty rounds: a round takes a few
    /// milliseconds, and on a shared two-core machine five rounds were often all slowed.
    static func auction() -> Row {
        let submitter = KeyPair().account
        let manifest = JobManifest(
            name: "bench", kind: .training,
            workload: .mlpTrain(MLPTrainSpec(dataset: .sha256(String(repeating: "0", count: 64)), trainRows: 1, layers: [1, 1],
                                             steps: 1, batch: 1, learningRate: 0.1, seed: 1, checkpointInterval: 1)),
            resources: ResourceRequest(cpuMillis: 1_000, memoryBytes: 1 << 30, gpu: GPURequest(units: 1, acceptable: [GPUSpec(vendor: "nvidia", model: "h100")])),
            pricing: PricingTerms(maxPrice: (try? Amount.credits(1_000)) ?? .zero),
            verification: VerificationTerms(collateral: (try? Amount.credits(1)) ?? .zero), deadlineSeconds: 3_600
        )
        let order = OrderTerms(id: 1, submitter: submitter, manifest: manifest, closesAt: Timestamp(millis: .max))
        let profile = ProviderProfile(
            name: "p", inventory: Inventory(gpus: [.init(spec: GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 80 << 30), count: 8)],
                                            cpuMillis: 64_000, memoryBytes: 1 << 40, storageBytes: 1 << 40),
            pricing: .linear(LinearRates(perGPUHour: (try? Amount.credits(1)) ?? .zero)), stakeTarget: .zero)
        let count = 20_000
        var standings: [AccountID: BidderStanding] = [:]
        var bids: [Bid] = []
        for index in 0..<count {
            let account = KeyPair().account
            standings[account] = BidderStanding(account: account, profile: profile, reputationBasisPoints: index % 10_000,
                                                freeStake: (try? Amount(micros: Int64(index % 97) * 1_000_000 + 1_000_000)) ?? .zero)
            bids.append(Bid(id: UInt64(index), order: 1, provider: account, price: (try? Amount(micros: Int64((index * 7_919) % 500_000_000 + 1))) ?? .zero,
                            placedAt: Timestamp(millis: Int64(index % 100))))
        }
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var sink = 0
        for _ in 0..<20 {
            let elapsed = clock.measure {
                let requirements = Eligibility.Requirements(order)
                var eligible: [Auction.Candidate] = []
                eligible.reserveCapacity(count)
                for bid in bids {
                    guard let standing = standings[bid.provider],
                          requirements.admit(standing, price: bid.price, now: Timestamp(millis: 0)) else { continue }
                    eligible.append(Auction.Candidate(bid: bid, standing: standing))
                }
                if case .awarded(let awards) = Auction.clear(candidates: eligible, rule: .secondPrice, reserve: manifest.pricing.maxPrice) {
                    sink &+= Int(awards[0].bid.id)
                }
            }
            best = min(best, elapsed)
        }
        let rate = Double(count) / seconds(best)
        return Row(name: "auction: bid evaluations/s", value: rate, unit: "bids/s", baseline: nil, ratio: nil,
                   target: ">= 5,000,000/s", met: rate >= 5_000_000, note: sink == -1 ? "" : nil)
    }

    // MARK: - Signatures

    /// Ed25519 verifications per second on one core, by swift-crypto alone (a key seen for the
    /// first time) and by a key that signs again and again (`RepeatSignerTables`, what most of a
    /// market's signed writes cost): every signed write costs one, so two cores cap signed writes
    /// at about twice the second.
    static func ed25519() -> [Row] {
        let key = KeyPair()
        let messages = (0..<64).map { Data("tender-v1\nPOST\n/v1/transfers\n\($0)\n".utf8) }
        let signatures = messages.map { (try? key.sign($0)) ?? Data() }
        let clock = ContinuousClock()
        func rate(_ verify: (Data, Data) -> Bool) -> Double {
            var verified = 0
            let start = clock.now
            while clock.now - start < .seconds(1) {
                for (message, signature) in zip(messages, signatures) where verify(signature, message) {
                    verified += 1
                }
            }
            return Double(verified) / seconds(clock.now - start)
        }
        let publicKey = try? key.account.publicKey
        let reference = rate { signature, message in publicKey?.isValidSignature(signature, for: message) ?? false }
        let tables = RepeatSignerTables(capacity: 4)
        let repeated = rate { signature, message in (try? key.account.verify(signature: signature, for: message, tables: tables)) != nil }
        return [
            Row(name: "Ed25519 verifies/s (one core)", value: reference, unit: "verifies/s", target: "- (swift-crypto, a key's first signature)", met: nil),
            Row(name: "Ed25519, repeat signer (one core)", value: repeated, unit: "verifies/s", baseline: reference, ratio: repeated / max(reference, 1e-9),
                target: "- (signed writes <= ~2x this on two cores)", met: nil,
                note: "baseline: swift-crypto's rate above; a key seen before is checked through its table"),
        ]
    }

    // MARK: - Kernels and hashing

    /// Our kernel beside numpy (OpenBLAS, one thread) at `size`, on the fastest path this CPU has.
    static func matmul(size: Int) -> Row {
        let path = Kernels.MatmulPath.best
        let repetitions = size >= 1_024 ? 2 : 20
        let ours = WorkloadBench.matmulGFLOPS(size: size, repetitions: repetitions, path: path)
        let numpy = Baseline.numpyMatmulGFLOPS(size: size, repetitions: repetitions)
        let ratio = numpy.map { ours.value / $0 }
        return Row(name: "matmul \(size)x\(size) float32 (\(path.rawValue))", value: ours.value, unit: "GFLOP/s", baseline: numpy, ratio: ratio,
                   target: ">= 0.5 of numpy (1 thread)", met: ratio.map { $0 >= 0.5 }, note: numpy == nil ? "numpy unavailable" : nil)
    }

    static func sha256() -> Row {
        let ours = WorkloadBench.sha256Throughput(blockSize: 16_384)
        let openssl = Baseline.opensslSHA256MBps()
        let ratio = openssl.map { ours.value / $0 }
        return Row(name: "sha256 at 16 KiB blocks", value: ours.value, unit: "MB/s", baseline: openssl, ratio: ratio,
                   target: ">= 80% of openssl", met: ratio.map { $0 >= 0.8 }, note: openssl == nil ? "openssl unavailable" : nil)
    }

    /// `Datasets/digits.csv` in the working directory or in the repository this binary was built from.
    static func digitsURL() -> URL? {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [URL(fileURLWithPath: "Datasets/digits.csv"), directory.appendingPathComponent("Datasets/digits.csv")]
        return candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) })
    }

    static let digitsMissing = "Datasets/digits.csv not found; run from the repository"

    static func commitment() throws -> Row {
        guard let url = digitsURL() else {
            return Row(name: "commitment overhead", value: 0, unit: "%", target: "<= 5%", met: nil, note: digitsMissing)
        }
        // 3,000 steps (about a tenth of a second): a shorter run made the percentage swing with any pause.
        let config = MLPTrainConfig.digits(dataset: try NumericCSV.load(contentsOf: url), steps: 3_000, seed: 1, checkpointInterval: 30)
        let overhead = try WorkloadBench.commitmentOverhead(of: try MLPTrainWorkload(config: config))
        return Row(name: "commitment overhead (digits, c=30)", value: overhead.percent, unit: "%", baseline: seconds(overhead.withoutCommitment),
                   ratio: nil, target: "<= 5%", met: overhead.percent <= 5, note: "baseline = seconds without commitments")
    }

    // MARK: - Verification

    /// Audit of k = 459 segments (99% detection at f = 1%) of a digits job of 10^4 segments of 30
    /// steps, against that job's compute. The job is built at full size but only its first
    /// segments are run: `WorkloadBench.auditCost` times real segments and real audit checks.
    static func audit() -> Row {
        let name = "audit cost (99% at f=1%, N=10^4)"
        guard let url = digitsURL() else {
            return Row(name: name, value: 0, unit: "%", target: "<= 5%", met: nil, note: digitsMissing)
        }
        let segments = 10_000
        let interval = 30
        do {
            let config = MLPTrainConfig.digits(
                dataset: try NumericCSV.load(contentsOf: url), steps: segments * interval, seed: 1, checkpointInterval: interval
            )
            let cost = try WorkloadBench.auditCost(of: try MLPTrainWorkload(config: config))
            let job = "\(ms(cost.jobSegment)) ms/segment of job compute (\(cost.timedSegments) segments timed)"
            let check = "\(ms(cost.auditSegment)) ms/audit check (\(cost.auditedSegments) timed)"
            let once = "\(ms(cost.traceCheck)) ms trace + \(ms(cost.resultCheck)) ms result check"
            let note = "digits c=\(cost.segmentLength), k=\(cost.samples) of \(cost.jobSegments): \(job), \(check), \(once)"
            return Row(name: name, value: cost.percent, unit: "%", baseline: nil, ratio: nil, target: "<= 5%", met: cost.percent <= 5, note: note)
        } catch {
            return Row(name: name, value: 0, unit: "%", target: "<= 5%", met: nil, note: "not measured: \(error)")
        }
    }

    /// Steps the dispute referee executes, counted by `CountingWorkload`, at segment lengths 10,
    /// 100 and 1,000 of the digits job; the target is one step at every length.
    static func referee() -> Row {
        let name = "dispute referee cost"
        guard let url = digitsURL() else {
            return Row(name: name, value: 0, unit: "steps", target: "1 step", met: nil, note: digitsMissing)
        }
        do {
            let dataset = try NumericCSV.load(contentsOf: url)
            let costs = try WorkloadBench.refereeCost(segmentLengths: [10, 100, 1_000]) { length in
                try MLPTrainWorkload(config: MLPTrainConfig.digits(dataset: dataset, steps: length, seed: 1, checkpointInterval: length))
            }
            let most = costs.map(\.refereeSteps).max() ?? 0
            let perLength = costs.map { "\($0.refereeSteps) at c=\($0.segmentLength)" }.joined(separator: ", ")
            var note = "steps counted: \(perLength)"
            if let longest = costs.max(by: { $0.segmentLength < $1.segmentLength }) {
                note += "; re-executing the whole \(longest.segmentLength)-step segment counts \(longest.segmentSteps)"
            }
            return Row(name: name, value: Double(most), unit: "steps", baseline: nil, ratio: nil, target: "1 step",
                       met: !costs.isEmpty && costs.allSatisfy { $0.refereeSteps == 1 }, note: note)
        } catch {
            return Row(name: name, value: 0, unit: "steps", target: "1 step", met: nil, note: "not measured: \(error)")
        }
    }

    /// Milliseconds to three decimals, for notes.
    static func ms(_ duration: Duration) -> String {
        String(format: "%.3f", seconds(duration) * 1_000)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
