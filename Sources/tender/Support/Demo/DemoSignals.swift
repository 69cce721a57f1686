import Dispatch
import Foundation
import Synchronization

/// How the demo hears that it should stop: Ctrl-C, SIGTERM or a hangup.
///
/// The first asks it to stop at its next step, which stops every child process and the controller
/// and keeps the logs. A second does not wait: it kills the children at once and exits, so no
/// agent is left behind retrying a controller that is gone.
///
/// `@unchecked Sendable`: the sources are made in `init`, before the instance is shared, and
/// Dispatch sources are thread-safe; the count is behind a `Mutex`.
final class DemoSignals: @unchecked Sendable {
    private let count = Mutex(0)
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            #if canImport(Darwin)
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }

    /// True once a signal has arrived.
    var isRequested: Bool { count.withLock { $0 > 0 } }

    private func received(_ number: Int32) {
        let seen = count.withLock { count -> Int in
            count += 1
            return count
        }
        if seen == 1 {
            printError("stopping the demo: its agents, challenger and controller (signal again to stop at once)")
        } else {
            DemoProcess.killAll()
            printError("stopped at once")
            exit(128 + number)
        }
    }
}
