import Foundation
import Testing
import TenderClient
import TenderCore

/// The dashboard in a real headless browser (Debian's `chromium`), after a small market run: a
/// provider registers and stakes, wins a training job, heartbeats its loss and commits.
@Suite("dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    static let script = LiveMarket.repository.appendingPathComponent("scripts/dashboard-screenshot")

    @Test("shows the provider, the awarded order and the committed lease with its loss curve and timeline, live")
    func afterAMarketRun() async throws {
        guard let browser = ["chromium", "chromium-browser"].lazy.compactMap(Self.onPath).first else {
            Issue.record("no chromium on PATH: the dashboard test needs a headless browser (Debian: apt-get install chromium)")
            return
        }
        let market = try await LiveMarket.start()
        let agent = try market.agent(stateDirectory: market.directory.appendingPathComponent("agent-state"))
        let running = Task { await agent.run() }
        defer { running.cancel() }
        do {
            try await check(market, browser: browser)
        } catch {
            running.cancel()
            await market.stop()
            throw error
        }
        running.cancel()
        _ = await running.value
        await market.stop()
    }

    /// The market run and what the page shows after it.
    func check(_ market: LiveMarket, browser: String) async throws {
        try await market.waitUntilStaked()
        // Long enough for a few heartbeats with a loss: the curve needs points.
        let manifest = LiveMarket.manifest(name: "digits-dashboard", samples: 2, workload: """
              runtime: mlp-train
              dataset: sha256:\(market.datasetHash)
              trainRows: 1437
              layers: [64, 32, 10]
              activation: relu
              steps: 15000
              batch: 32
              learningRate: 0.1
              momentum: 0.9
              seed: 7
              checkpointInterval: 500
              inputScale: 16
            """)
        let order = try await market.submitter.submitOrder(manifest: manifest, contentType: "application/yaml").order
        let lease = try await market.waitForLease(order: order.id, seconds: 120) { $0.commitment != nil }

        let png = market.directory.appendingPathComponent("dashboard.png")
        let dom = market.directory.appendingPathComponent("dashboard.html")
        let process = Process()
        process.executableURL = Self.script
        process.arguments = [market.baseURL.absoluteString + "/", png.path, "1440x1600"]
        process.environment = ProcessInfo.processInfo.environment.merging(["DASHBOARD_DOM": dom.path, "CHROMIUM": browser]) { $1 }
        // Into a file, not a pipe: a chatty browser cannot fill a pipe nobody reads yet.
        let errorLog = market.directory.appendingPathComponent("screenshot.log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorLog)
        defer { try? errors.close() }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "dashboard-screenshot: \(stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
        #expect(size > 20_000, "the screenshot is \(size) bytes")

        let page = try String(contentsOf: dom, encoding: .utf8)
        #expect(page.contains(#"data-ready="1""#), "the page never finished loading")
        #expect(page.contains(#"id="stream-status">live<"#), "the event stream is not live")
        let provider = market.providerKey.account.hex
        let stake = try #require(Self.capture(#"data-provider="\#(provider)" data-stake="(\d+)""#, in: page), "no row for the provider")
        #expect((Int64(stake) ?? 0) > 0, "the provider's stake shows as \(stake)")
        #expect(page.contains(#"data-order="\#(order.id)" data-state="awarded""#), "the order is not shown awarded")
        let state = try #require(Self.capture(#"data-lease="\#(lease.id)" data-state="([a-z]+)" data-provider="\#(provider)""#, in: page), "no row for the lease")
        #expect(["committed", "auditing", "settled"].contains(state), "the lease shows as \(state)")
        let points = try #require(Self.capture(#"<svg class="loss"[^>]*data-points="(\d+)""#, in: page), "no loss curve")
        #expect((Int(points) ?? 0) >= 2, "the loss curve has \(points) point(s)")
        #expect(page.contains(#"data-event="awarded""#) && page.contains(#"data-event="committed""#), "the timeline lacks the award or the commitment")
        #expect(Self.capture(#"data-supply="minted" data-micros="(\d+)""#, in: page) == "200000000", "the supply shows the 200 credits minted")
    }

    static func onPath(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The first capture group of `pattern` in `text`.
    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
