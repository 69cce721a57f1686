import Synchronization
import Testing
import TenderClient

@Suite("Nonce clock")
struct NonceClockTests {
    @Test("nonces strictly increase across many concurrent callers")
    func concurrentNonces() async {
        // A frozen clock makes every caller collide on the same millisecond.
        let clock = NonceClock(now: { 1_700_000_000_000 })
        let perTask = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<32 {
                group.addTask { (0..<200).map { _ in clock.next() } }
            }
            var all: [[UInt64]] = []
            for await values in group { all.append(values) }
            return all
        }
        for values in perTask {
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        }
        let all = perTask.flatMap { $0 }.sorted()
        #expect(all.count == 32 * 200)
        #expect(Set(all).count == all.count)
        #expect(all.first == 1_700_000_000_000)
        #expect(all.last == 1_700_000_000_000 + UInt64(all.count) - 1)
    }

    @Test("a clock that steps backwards still yields increasing nonces")
    func backwardsClock() {
        let readings = Mutex<[UInt64]>([5_000, 4_000, 4_000, 9_000, 1])
        let clock = NonceClock(now: { readings.withLock { $0.isEmpty ? 0 : $0.removeFirst() } })
        #expect((0..<5).map { _ in clock.next() } == [5_000, 5_001, 5_002, 9_000, 9_001])
    }

    @Test("advancing past a known nonce moves later nonces above it")
    func advance() {
        let clock = NonceClock(now: { 100 })
        #expect(clock.next() == 100)
        clock.advance(past: 10_000)
        #expect(clock.next() == 10_001)
        clock.advance(past: 50)
        #expect(clock.next() == 10_002)
    }

    @Test("the system clock reads milliseconds since the epoch")
    func systemMillis() {
        let now = NonceClock.systemMillis()
        #expect(now > 1_600_000_000_000 && now < 10_000_000_000_000)
    }
}
