import Foundation
import Synchronization
import TenderClient
import TenderControllerService
import TenderCore

/// One run of the demo: the controller, the child processes, the clients the demo acts through,
/// and the three jobs' orders as they are submitted.
struct DemoRun: Sendable {
    let work: URL
    let controller: DemoController
    let children: [DemoProcess]
    let names: [AccountID: String]
    let accounts: [String: AccountID]
    /// Reads only: the demo's own view of the market, as anyone's.
    let observer: TenderAPIClient
    /// The submitter's client, to read the jobs' results.
    let submitter: TenderAPIClient
    let dataset: URL
    let steps: Int
    let story: DemoStory
    private let environment: [String: String]

    static func start(work: URL, dataset: URL, listen: String, steps: Int, story: DemoStory) async throws -> DemoRun {
        let files = FileManager.default
        let home = work.appendingPathComponent("home", isDirectory: true)
        for sub in ["logs", "profiles", "jobs"] {
            try files.createDirectory(at: work.appendingPathComponent(sub, isDirectory: true), withIntermediateDirectories: true)
        }
        let keystore = Keystore(directory: home.appendingPathComponent("keys", isDirectory: true))
        var keys: [String: KeyPair] = [:]
        for name in DemoScenario.keys {
            keys[name] = try keystore.create(name: name, now: .wallClock).0
        }
        let controller = try await DemoController.start(
            directory: work, listen: listen, log: work.appendingPathComponent("controller.log")
        )
        let url = controller.url.absoluteString
        // What was started, for a start that fails part way.
        let startedChildren = Mutex<[DemoProcess]>([])
        story.say("controller listening at \(url) (dev mode, SQLite in \(work.path)); dashboard at \(url)/")
        do {
            // Money first: providers stake from it, the submitter escrows it, the challenger bonds it.
            for name in DemoScenario.keys {
                let client = try TenderAPIClient(baseURL: controller.url, key: keys[name], timeout: 30)
                let credits: Int64 = name == DemoScenario.submitter ? 10 : 20
                _ = try await client.faucet(try Amount.credits(credits))
                if name == DemoScenario.challenger { _ = try await client.stake(try Amount.credits(1)) }
            }
            story.say("faucet: 20 credits to each provider and the challenger (who stakes 1), 10 to the submitter")
            let environment = ["TENDER_HOME": home.path, "TENDER_CONTROLLER": url]
            var children: [DemoProcess] = []
            defer { startedChildren.withLock { $0 = children } }
            for provider in DemoScenario.providers {
                let profile = work.appendingPathComponent("profiles/\(provider.key).yaml")
                try DemoScenario.profile(provider).write(to: profile, atomically: true, encoding: .utf8)
                var arguments = ["agent", "run", "--profile", profile.path, "--controller", url, "--key", provider.key,
                                 "--poll-interval", "0.5", "--heartbeat-interval", "0.25"]
                for fault in provider.faults { arguments += ["--fault", fault] }
                children.append(try DemoProcess(
                    name: provider.key, arguments: arguments, environment: environment,
                    log: work.appendingPathComponent("logs/\(provider.key).log")
                ))
                let faults = provider.faults.isEmpty ? "honest" : "CHEATS: --fault \(provider.faults.joined(separator: ","))"
                story.say("agent \(provider.key) started: \(provider.region), \(provider.cpuHour) credits per CPU-hour, \(faults)")
            }
            children.append(try DemoProcess(
                name: DemoScenario.challenger,
                arguments: ["challenge", "watch", "--key", DemoScenario.challenger, "--controller", url, "--samples", "4", "--poll-interval", "1"],
                environment: environment, log: work.appendingPathComponent("logs/challenger.log")
            ))
            story.say("challenger started: re-executes 4 sampled segments of every committed lease and disputes a wrong one")
            var names: [AccountID: String] = [:]
            var accounts: [String: AccountID] = [:]
            for (name, key) in keys {
                names[key.account] = name
                accounts[name] = key.account
            }
            return DemoRun(
                work: work, controller: controller, children: children, names: names, accounts: accounts,
                observer: try TenderAPIClient(baseURL: controller.url, key: nil, timeout: 30),
                submitter: try TenderAPIClient(baseURL: controller.url, key: keys[DemoScenario.submitter], timeout: 30),
                dataset: dataset, steps: steps, story: story, environment: environment
            )
        } catch {
            for child in startedChildren.withLock({ $0 }) { await child.stop() }
            await controller.stop()
            throw error
        }
    }

    /// Submits the three jobs as the market makes them possible and waits for every lease to end.
    func play(timeout: Duration, interrupt: DemoSignals) async throws -> DemoReport {
        let deadline = ContinuousClock.now + timeout
        let narration = narrate()
        defer { narration.cancel() }
        try await waitForProviders(deadline: deadline, interrupt: interrupt)
        let jobs = DemoScenario.jobs(dataset: dataset.path, trainingSteps: steps)
        var orders: [OrderID] = []
        orders.append(try await submit(jobs[0], model: nil))
        let model = try await waitFor("the training job's commitment", deadline: deadline, interrupt: interrupt) {
            try await observer.order(orders[0]).leases.first?.commitment?.finalStateHash
        }
        story.say("the trained model is state sha256:\(model.prefix(16))…; submitting inference on it")
        orders.append(try await submit(jobs[1], model: model))
        _ = try await waitFor("the inference job's auction", deadline: deadline, interrupt: interrupt) {
            let view = try await observer.order(orders[1])
            if view.order.state == .expired { throw DemoError("the inference job's auction ended without a winner") }
            return view.order.state == .awarded ? true : nil
        }
        orders.append(try await submit(jobs[2], model: nil))
        let views = try await waitFor("every lease to settle or be slashed", deadline: deadline, interrupt: interrupt) {
            var views: [API.OrderView] = []
            for id in orders { views.append(try await observer.order(id)) }
            return views.allSatisfy(OrderWatch.isDone) ? views : nil
        }
        // The last events reach the story before the summary; the agents and the challenger stop
        // first, so the ledger holds still while it is verified.
        try? await Task.sleep(for: .seconds(1))
        story.say("every lease has ended; stopping the agents and the challenger")
        for child in children { await child.stop() }
        do {
            return try await DemoReport.make(run: self, orders: views)
        } catch {
            throw DemoError("cannot read the market's final state for the summary: \(error)")
        }
    }

    func stop() async {
        for child in children { await child.stop() }
        await controller.stop()
    }

    /// Tells the market's events as they come, until cancelled.
    private func narrate() -> Task<Void, Never> {
        let (observer, story, names) = (observer, story, names)
        return Task {
            var narrator = MarketNarrator(names: names)
            var after: UInt64 = 0
            while !Task.isCancelled {
                do {
                    for try await event in observer.events(after: after) {
                        if Task.isCancelled { return }
                        after = event.id
                        for line in narrator.narrate(event) { story.say(line) }
                    }
                } catch {
                    if Task.isCancelled { return }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func waitForProviders(deadline: ContinuousClock.Instant, interrupt: DemoSignals) async throws {
        let wanted = Set(DemoScenario.providers.compactMap { accounts[$0.key] })
        _ = try await waitFor("the three providers to register and stake", deadline: deadline, interrupt: interrupt) {
            let page = try await observer.providers(limit: 100)
            let collateral = try Amount.credits(1)
            let ready = page.providers.filter { wanted.contains($0.account) && $0.balances.staked >= collateral }
            return ready.count == wanted.count ? true : nil
        }
        story.say("all three providers are registered and staked")
    }

    /// Runs `tender job submit` as the submitter would, and returns the new order's id.
    private func submit(_ job: DemoScenario.Job, model: String?) async throws -> OrderID {
        let file = work.appendingPathComponent("jobs/\(job.file)")
        try job.text(model).write(to: file, atomically: true, encoding: .utf8)
        let output = work.appendingPathComponent("jobs/\(job.file).json")
        let child = try DemoProcess(
            name: "submit \(job.name)", arguments: ["job", "submit", file.path, "--key", DemoScenario.submitter, "--json"],
            environment: environment, log: work.appendingPathComponent("logs/submit-\(job.name).log"), standardOutput: output
        )
        let status = await child.wait()
        guard status == 0 else {
            throw DemoError("tender job submit \(job.file) exited with \(status): \(child.tail(4).joined(separator: " | "))")
        }
        struct Submitted: Decodable { var order: API.OrderView }
        let submitted = try JSONDecoder().decode(Submitted.self, from: Data(contentsOf: output))
        story.say("submitter ran: tender job submit \(job.file) → order \(submitted.order.order.id)")
        return submitted.order.order.id
    }

    /// Asks `probe` every half second until it returns a value; fails at `deadline`, on Ctrl-C, or
    /// when an agent or the challenger has died.
    private func waitFor<Value: Sendable>(
        _ what: String, deadline: ContinuousClock.Instant, interrupt: DemoSignals, probe: () async throws -> Value?
    ) async throws -> Value {
        while true {
            if let value = try await probe() { return value }
            if interrupt.isRequested { throw DemoError("interrupted while waiting for \(what)") }
            if let dead = children.first(where: \.died) {
                throw DemoError("\(dead.name) exited with status \(dead.exitStatus ?? -1) while waiting for \(what): \(dead.tail(3).joined(separator: " | "))")
            }
            guard ContinuousClock.now < deadline else { throw DemoError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
