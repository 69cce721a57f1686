import Foundation
import Synchronization
import Testing
@testable import TenderControllerService
import TenderClient
import TenderCore

/// The market's event stream: resuming, resets, bounds (performance issue: no polling of history).
@Suite("Event hub")
struct EventHubTests {
    let start = Timestamp(millis: 1_700_000_000_000)

    /// The events a subscriber has received so far, parsed.
    func received(_ stream: AsyncStream<Data>, count: Int) async throws -> [API.MarketEvent] {
        var parser = ServerSentEventParser()
        var events: [API.MarketEvent] = []
        for await text in stream {
            for event in try parser.feed(text) {
                events.append(try JSONDecoder().decode(API.MarketEvent.self, from: Data(event.data.utf8)))
            }
            if events.count >= count { break }
        }
        return events
    }

    func publishLeases(_ hub: EventHub, _ count: Int) {
        for sequence in 0..<UInt64(count) { hub.publish { API.MarketEvent(id: $0, kind: .dispute, ledgerSequence: sequence) } }
    }

    /// A follower's task cancelled while an event is handed to it: cancelling holds the task's own
    /// lock while the stream's `onTermination` runs, and handing it an event takes that lock. The
    /// hub once held its table's lock across the hand-over, and the two waited on each other for
    /// ever. Publishing and cancelling run on threads of their own, so a deadlock fails the test
    /// instead of stopping the pool the test itself runs on.
    @Test("followers cancelled while events are published never deadlock the hub")
    func cancelWhilePublishing() async throws {
        let hub = EventHub(startedAt: start, capacity: 64)
        let done = DispatchGroup()
        let stop = Mutex(false)
        done.enter()
        Thread.detachNewThread {
            var sequence: UInt64 = 0
            while !stop.withLock({ $0 }) {
                sequence += 1
                hub.publish { API.MarketEvent(id: $0, kind: .dispute, ledgerSequence: sequence) }
            }
            done.leave()
        }
        let subscribed = Mutex(0)
        done.enter()
        Thread.detachNewThread {
            for _ in 0..<3_000 {
                guard let stream = hub.subscribe(after: nil, ledgerSequence: 0) else { continue }
                subscribed.withLock { $0 += 1 }
                let follower = Task { for await _ in stream {} }
                usleep(UInt32.random(in: 0...200))
                follower.cancel()
            }
            stop.withLock { $0 = true }
            done.leave()
        }
        let finished = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: done.wait(timeout: .now() + 60) == .success) }
        }
        #expect(finished, "publishing and cancelling followers deadlocked")
        #expect(subscribed.withLock { $0 } > 0, "followers were subscribed, then cancelled")
    }

    @Test("a new follower starts with a reset at the current id, then gets every later event in order")
    func newFollowerStartsWithReset() async throws {
        let hub = EventHub(startedAt: start)
        publishLeases(hub, 3)
        let stream = try #require(hub.subscribe(after: nil, ledgerSequence: 9))
        publishLeases(hub, 2)
        let events = try await received(stream, count: 3)
        #expect(events.map(\.kind) == [.reset, .dispute, .dispute])
        #expect(events[0].id == 1_700_000_000_000_000 + 3)
        #expect(events[1].id == events[0].id + 1 && events[2].id == events[0].id + 2)
    }

    @Test("a follower that resumes gets exactly what it missed; one from before the kept events, or another run, gets a reset")
    func resumeOrReset() async throws {
        let hub = EventHub(startedAt: start, capacity: 4)
        publishLeases(hub, 10)
        let last = 1_700_000_000_000_000 + 10 as UInt64
        let resumed = try await received(try #require(hub.subscribe(after: last - 2, ledgerSequence: 0)), count: 2)
        #expect(resumed.map(\.id) == [last - 1, last])
        #expect(resumed.allSatisfy { $0.kind == .dispute })
        for stale in [last - 6, 5, last + 1] {
            let events = try await received(try #require(hub.subscribe(after: stale, ledgerSequence: 0)), count: 1)
            #expect(events.map(\.kind) == [.reset], "after \(stale)")
            #expect(events.first?.id == last)
        }
    }

    @Test("streams beyond the limit are refused, and a closed stream frees its place")
    func subscriberLimit() async throws {
        let hub = EventHub(startedAt: start, maximumSubscribers: 2)
        var first: AsyncStream<Data>? = try #require(hub.subscribe(after: nil, ledgerSequence: 0))
        let second = hub.subscribe(after: nil, ledgerSequence: 0)
        #expect(second != nil)
        #expect(hub.subscribe(after: nil, ledgerSequence: 0) == nil)
        first = nil
        for _ in 0..<100 where hub.subscriberCount == 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(first == nil)
        #expect(hub.subscribe(after: nil, ledgerSequence: 0) != nil)
    }
}

extension EventHubTests {
    @Test("a follower that falls a whole buffer behind is cut off, and its place is freed")
    func slowFollowerIsCutOff() async throws {
        let hub = EventHub(startedAt: start, capacity: 8)
        let stream = try #require(hub.subscribe(after: nil, ledgerSequence: 0))
        publishLeases(hub, 20)
        #expect(hub.subscriberCount == 0)
        var received = 0
        for await _ in stream { received += 1 }
        #expect(received == 8, "the reset and the events that fitted, then the end")
    }
}
