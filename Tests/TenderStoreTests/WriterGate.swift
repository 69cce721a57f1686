import Dispatch
import Synchronization
import TenderStore

/// Holds a `GroupCommitWriter`'s thread inside one work item, so a test can queue further items
/// behind it and know for certain they will share the next batch. No timing is involved: the test
/// waits for observable states (the gate entered, N items pending), then opens the gate.
final class WriterGate: Sendable {
    private let entered = Mutex(false)
    private let release = DispatchSemaphore(value: 0)

    /// Work for the writer: marks the gate entered and blocks the writer's thread until `open`.
    func hold() {
        entered.withLock { $0 = true }
        release.wait()
    }

    var hasEntered: Bool { entered.withLock { $0 } }

    func open() { release.signal() }
}

/// Polls `condition` until it holds, yielding between looks; records an issue and throws if it
/// never does (a hang, not a slow machine: the cap is far above any real wait).
func waitUntil(
    _ what: String, _ condition: @Sendable () -> Bool
) async throws {
    for _ in 0..<60_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    throw WaitTimedOut(what: what)
}

struct WaitTimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting until \(what)" }
}
