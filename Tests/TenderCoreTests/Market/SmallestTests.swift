import Testing
import TenderCore

@Suite("One page of a table without sorting it")
struct SmallestTests {
    @Test("the smallest keys, in order, are what sorting everything and taking a page gives (fixed seed)")
    func matchesSortedPrefix() {
        var random = SplitMix(seed: 0x5A11)
        for _ in 0..<300 {
            let keys = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt64.random(in: 0...150, using: &random) }
            let limit = Int.random(in: -1...60, using: &random)
            let page = keys.smallest(limit, by: { $0 })
            #expect(page == Array(keys.sorted().prefix(max(limit, 0))), "\(keys) limit \(limit)")
        }
    }
}
