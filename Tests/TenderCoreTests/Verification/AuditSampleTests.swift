import Foundation
import Testing
@testable import TenderCore

@Suite("Audit sample")
struct AuditSampleTests {
    static func seed(_ text: String) -> Data { Hashing.sha256(Data(text.utf8)) }

    @Test(
        "a draw gives k distinct indices in range, strictly ascending",
        arguments: [(2, 1), (10, 1), (10, 9), (1_000, 459), (10_000, 459), (10_000, 1)]
    )
    func drawShape(segments: Int, k: Int) {
        let draw = AuditSample.draw(seed: Self.seed("shape \(segments) \(k)"), segments: segments, count: k)
        #expect(draw.count == k)
        #expect(Set(draw).count == k)
        #expect(zip(draw, draw.dropFirst()).allSatisfy { $0 < $1 })
        #expect(draw.allSatisfy { (0..<segments).contains($0) })
    }

    @Test("the same seed gives the same draw; another seed gives another")
    func drawIsAFunctionOfTheSeed() {
        let first = AuditSample.draw(seed: Self.seed("lease 1"), segments: 10_000, count: 459)
        let again = AuditSample.draw(seed: Self.seed("lease 1"), segments: 10_000, count: 459)
        let other = AuditSample.draw(seed: Self.seed("lease 2"), segments: 10_000, count: 459)
        #expect(first == again)
        #expect(first != other)
    }

    /// Computed by an independent reimplementation (Python: SHA-256(seed || counter as 8
    /// big-endian bytes), first 8 bytes big-endian, rejection sampling, partial Fisher-Yates), so
    /// another language's auditor can check it draws the same segments.
    @Test("a draw matches the cross-language reference vectors")
    func referenceVectors() {
        let seed = Self.seed("golden")
        #expect(AuditSample.draw(seed: seed, segments: 100, count: 5) == [40, 43, 45, 90, 96])
        #expect(AuditSample.draw(seed: seed, segments: 10_000, count: 8) == [2470, 3228, 3297, 4423, 6296, 6777, 7627, 7854])
    }

    @Test("with k at least the segment count every segment is audited", arguments: [10, 11, 459])
    func smallJobsAreFullyAudited(k: Int) {
        #expect(AuditSample.draw(seed: Self.seed("small"), segments: 10, count: k) == Array(0..<10))
    }

    @Test("nothing is drawn from no segments or for no samples")
    func emptyDraws() {
        #expect(AuditSample.draw(seed: Self.seed("empty"), segments: 0, count: 459).isEmpty)
        #expect(AuditSample.draw(seed: Self.seed("empty"), segments: 100, count: 0).isEmpty)
    }

    @Test("every segment is about equally likely to be drawn")
    func drawIsUniform() {
        // 4,000 draws of 5 of 20 segments: each segment expects 1,000 hits, standard deviation
        // about 27, so 860...1140 is about five deviations either side.
        var hits = [Int](repeating: 0, count: 20)
        for draw in 0..<4_000 {
            for segment in AuditSample.draw(seed: Self.seed("uniform-\(draw)"), segments: 20, count: 5) {
                hits[segment] += 1
            }
        }
        #expect(hits.reduce(0, +) == 20_000)
        #expect(hits.allSatisfy { (860...1140).contains($0) }, "hits per segment: \(hits)")
    }

    @Test("459 samples catch a 1% falsification with 99% confidence, and is the default")
    func samplesNeeded() {
        #expect(AuditSample.samplesNeeded(fraction: 0.01, confidence: 0.99) == 459)
        #expect(AuditSample.defaultSamples == 459)
        #expect(AuditSample.escapeProbability(fraction: 0.01, samples: 459) <= 0.01)
        #expect(AuditSample.escapeProbability(fraction: 0.01, samples: 458) > 0.01)
        #expect(VerificationTerms(collateral: .zero).samples == 459)
    }

    @Test("simulated: 459 samples catch providers who falsified 1% of 10,000 segments about 99% of the time")
    func detectionRateSimulation() {
        let leases = 1_000, segments = 10_000, falsifiedPerLease = 100, k = 459
        // The falsified segments come from a fixed-seed SplitMix64 (`SplitMix`, in AuctionTests), so
        // every run sees the same providers; the audit's own seed is SHA-256 of the lease number.
        var generator = SplitMix(seed: 0x7E4D_E5EE_D000_0001)
        var detected = 0
        for lease in 0..<leases {
            var falsified = Set<Int>()
            while falsified.count < falsifiedPerLease {
                falsified.insert(Int(generator.next() % UInt64(segments)))
            }
            let seed = Hashing.sha256(Data(String(lease).utf8))
            let sample = AuditSample.draw(seed: seed, segments: segments, count: k)
            if sample.contains(where: falsified.contains) { detected += 1 }
        }
        // Without replacement the escape probability is C(9900, 459) / C(10000, 459).
        var escape = 1.0
        for i in 0..<k { escape *= Double(segments - falsifiedPerLease - i) / Double(segments - i) }
        let expected = 1 - escape
        #expect(expected > 1 - pow(0.99, Double(k)))
        #expect((0.990...0.992).contains(expected))
        // About 991 of 1,000, with a standard deviation near 3: 978...1000 is over three deviations.
        #expect((978...1_000).contains(detected), "detected \(detected) of \(leases); expected about \(expected * Double(leases))")
        let deviation = (Double(leases) * expected * (1 - expected)).squareRoot()
        #expect(abs(Double(detected) - expected * Double(leases)) <= 4 * deviation)
    }
}
