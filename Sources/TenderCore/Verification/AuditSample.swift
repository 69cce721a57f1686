import Foundation

/// Which segments an audit re-executes: `k` distinct indices drawn from a seed.
///
/// The draw is a partial Fisher-Yates shuffle of `0..<segments` driven by a counter-based
/// generator (`SHA-256(seed || counter)`, with rejection so every index is equally likely), so the
/// same seed gives the same indices in every language and on every machine. With fewer segments
/// than `k`, every segment is audited.
public enum AuditSample {
    /// The sampled segment indices, ascending.
    public static func draw(seed: Data, segments: Int, count k: Int) -> [Int] {
        guard segments > 0, k > 0 else { return [] }
        guard k < segments else { return Array(0..<segments) }
        var generator = SeedStream(seed: seed)
        // Only swapped positions are stored, so the cost is O(k), not O(segments).
        var swapped: [Int: Int] = [:]
        var picked: [Int] = []
        picked.reserveCapacity(k)
        for position in 0..<k {
            let offset = generator.next(below: UInt64(segments - position))
            let target = position + Int(offset)
            let atTarget = swapped[target] ?? target
            swapped[target] = swapped[position] ?? position
            picked.append(atTarget)
        }
        return picked.sorted()
    }

    /// The probability that an audit of `k` segments misses a provider who falsified a fraction
    /// `f` of them: `(1 - f)^k` (sampling with replacement; without replacement it is lower).
    public static func escapeProbability(fraction f: Double, samples k: Int) -> Double {
        guard f > 0 else { return 1 }
        return pow(1 - min(f, 1), Double(max(k, 0)))
    }

    /// The fewest samples that catch a falsified fraction `f` with at least `confidence`:
    /// the smallest `k` with `(1 - f)^k <= 1 - confidence`. For f = 1% and 99% that is 459.
    public static func samplesNeeded(fraction f: Double, confidence: Double) -> Int {
        guard f > 0, f < 1, confidence > 0, confidence < 1 else { return 1 }
        return Int((log(1 - confidence) / log(1 - f)).rounded(.up))
    }

    /// The default sample count of a manifest: catches f = 1% with 99%.
    public static let defaultSamples = samplesNeeded(fraction: 0.01, confidence: 0.99)
}

/// An endless stream of 64-bit values: the first 8 bytes of `SHA-256(seed || counter)`.
struct SeedStream {
    let seed: Data
    var counter: UInt64 = 0

    init(seed: Data) { self.seed = seed }

    mutating func nextWord() -> UInt64 {
        var input = seed
        withUnsafeBytes(of: counter.bigEndian) { input.append(contentsOf: $0) }
        counter += 1
        return Hashing.sha256(input).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Uniform in `0..<bound` (bound >= 1), by rejecting the biased top of the range.
    mutating func next(below bound: UInt64) -> UInt64 {
        let limit = UInt64.max - (UInt64.max % bound)
        while true {
            let word = nextWord()
            if word < limit { return word % bound }
        }
    }
}
