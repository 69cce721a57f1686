import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TenderControllerService
import TenderStore

/// The demo's controller, in this process: a temporary SQLite database in dev mode (so the faucet
/// works), on a loopback port the system picks unless one is asked for. Its log goes to a file.
struct DemoController {
    let url: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(directory: URL, listen: String, log: URL) async throws -> DemoController {
        var config = ControllerConfig()
        config.listen = listen
        // A provider has this long to serve a state the audit asks for before it counts as
        // withheld: the demo's cheater serves none, and two minutes would be most of the demo.
        config.market.availability = "15s"
        let logger = Logger(label: "tender-controller") { label in FileLogHandler(label: label, file: log) }
        let store = try StoreLocation(directory.appendingPathComponent("tender.sqlite").path)
        let bound = Mutex<Int?>(nil)
        let app = try await ControllerApplication.make(
            config: config, dev: true, store: store, artifactsDirectory: directory.appendingPathComponent("artifacts", isDirectory: true),
            logger: logger, onListening: { port in bound.withLock { $0 = port } }
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let failure = Mutex<String?>(nil)
        let task = Task {
            do { try await group.run() } catch {
                failure.withLock { $0 = "\(error)" }
                throw error
            }
        }
        for _ in 0..<400 {
            if let port = bound.withLock({ $0 }) {
                let host = ListenAddress(listen)?.host ?? "127.0.0.1"
                let shown = host.contains(":") ? "[\(host)]" : host
                return DemoController(url: URL(string: "http://\(shown):\(port)")!, group: group, task: task)
            }
            if let reason = failure.withLock({ $0 }) {
                throw DemoError("the controller cannot listen on \(listen): \(reason)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        await group.triggerGracefulShutdown()
        throw DemoError("the controller did not start listening on \(listen) within 10 s; see \(log.path)")
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
