import Foundation
import Synchronization
import TenderCore

/// The market's one stream of events (`GET /v1/events`): what the controller committed, as
/// server-sent events, kept for a while so a client that lost its connection resumes where it was.
///
/// Ids grow across restarts: each run numbers from its start time in milliseconds times 1,000,
/// so an id from an earlier run is below every id of this one and earns a `reset`. The last
/// `capacity` events are kept, already encoded, so a client that resumes costs a copy, not a
/// re-encoding; a subscriber that falls `capacity` events behind is disconnected, and resumes
/// from the kept events or gets a `reset`.
final class EventHub: Sendable {
    /// Events kept for clients that resume.
    let capacity: Int
    /// Streams open at once; more are refused with 503 rather than let followers exhaust the controller.
    let maximumSubscribers: Int

    private struct State {
        /// This run's first id minus one.
        let base: UInt64
        var last: UInt64
        /// The kept events, oldest first, each encoded as one server-sent event.
        var kept: [(id: UInt64, text: Data)] = []
        var start = 0
        var subscribers: [Int: AsyncStream<Data>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let state: Mutex<State>
    /// Held while an event is handed to the streams, so events reach them in order (`publish`).
    private let delivery = Mutex(())

    init(startedAt now: Timestamp, capacity: Int = 4_096, maximumSubscribers: Int = 256) {
        let base = UInt64(max(now.millis, 0)) &* 1_000
        state = Mutex(State(base: base, last: base))
        self.capacity = capacity
        self.maximumSubscribers = maximumSubscribers
    }

    /// Numbers, encodes, keeps and sends one event built by `make` from its id.
    ///
    /// The event is handed to the streams outside `state`'s lock. Handing an event to a waiting
    /// follower resumes its task, which takes that task's own lock; a follower's task being
    /// cancelled holds that same lock while its stream's `onTermination` runs, and that takes
    /// `state`'s lock. Holding `state` across the hand-over let the two wait on each other for
    /// ever, and with them the market's actor. `delivery` keeps events in order instead; nothing
    /// that runs inside a task's lock takes it.
    func publish(_ make: (UInt64) -> API.MarketEvent) {
        delivery.withLock { _ in
            let (text, open) = state.withLock { state -> (Data, [(key: Int, value: AsyncStream<Data>.Continuation)]) in
                state.last += 1
                let text = Self.encode(make(state.last))
                state.kept.append((state.last, text))
                if state.kept.count - state.start > capacity {
                    state.start += 1
                    // Drop the forgotten prefix now and then, not on every event.
                    if state.start >= capacity {
                        state.kept.removeFirst(state.start)
                        state.start = 0
                    }
                }
                return (text, Array(state.subscribers))
            }
            var behind: [Int] = []
            for (key, continuation) in open {
                // Too far behind: it reconnects and resumes from what is kept.
                if case .dropped = continuation.yield(text) { behind.append(key) }
            }
            guard !behind.isEmpty else { return }
            let cut = state.withLock { state in behind.compactMap { state.subscribers.removeValue(forKey: $0) } }
            // Finished outside the lock: finishing runs `onTermination`, which takes the lock.
            for continuation in cut { continuation.finish() }
        }
    }

    /// Tells every follower to list again: what they saw may not be what is stored (the market
    /// was reloaded after a storage failure).
    func publishReset(ledgerSequence: UInt64) {
        publish { API.MarketEvent(id: $0, kind: .reset, ledgerSequence: ledgerSequence) }
    }

    /// A follower's stream: first what it missed since `after` (or a `reset` if that is no longer
    /// kept, or if `after` is nil: list, then follow), then every new event, and a comment line
    /// every `heartbeat` so a dead connection is noticed. Nil when too many streams are open.
    func subscribe(after: UInt64?, ledgerSequence: UInt64, heartbeat: Duration = .seconds(15)) -> AsyncStream<Data>? {
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        let key = state.withLock { state in
            defer { state.nextSubscriber += 1 }
            return state.nextSubscriber
        }
        // Set up before the stream is registered, so a stream that `publish` cuts off at once
        // still stops its heartbeat and leaves the table.
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                continuation.yield(Data(": keep-alive\n\n".utf8))
            }
        }
        continuation.onTermination = { [weak self] _ in
            beat.cancel()
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) }
        }
        let registered = state.withLock { state in
            guard state.subscribers.count < maximumSubscribers else { return false }
            let held = state.kept[state.start...]
            let oldest = held.first?.id ?? state.last + 1
            if let after, after >= state.base, after <= state.last, after + 1 >= oldest {
                for event in held where event.id > after { continuation.yield(event.text) }
            } else {
                // The reset takes the current id, so resuming after it misses nothing.
                continuation.yield(Self.encode(API.MarketEvent(id: state.last, kind: .reset, ledgerSequence: ledgerSequence)))
            }
            state.subscribers[key] = continuation
            return true
        }
        guard registered else {
            continuation.finish()
            return nil
        }
        return stream
    }

    /// Ends every stream: the controller is shutting down.
    func finishAll() {
        let open = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in open { continuation.finish() }
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private static func encode(_ event: API.MarketEvent) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A record that cannot be encoded would fail every GET of it as well; send a reset instead.
        let encoded = try? encoder.encode(event)
        let json = encoded ?? Data(#"{"id":\#(event.id),"kind":"reset","ledgerSequence":\#(event.ledgerSequence)}"#.utf8)
        let kind = encoded == nil ? "reset" : event.kind.rawValue
        return Data("id: \(event.id)\nevent: \(kind)\ndata: ".utf8) + json + Data("\n\n".utf8)
    }
}
