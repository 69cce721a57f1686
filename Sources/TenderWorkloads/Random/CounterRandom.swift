/// A counter-based random generator: every draw is a pure function of
/// `(seed, purpose, step, counter)`.
///
/// Nothing is carried from one draw to the next, so a verifier that starts at step 5,000 gets the
/// same numbers the provider got there without replaying the first 4,999 steps, and the state
/// needs no generator position beyond the step counter. Each input is folded in with the
/// SplitMix64 finaliser (Steele, Lea and Flood), a bijective mixer with full avalanche; this is
/// for reproducible sampling, not for secrets.
public struct CounterRandom: Sendable, Equatable {
    /// What a draw is for; different purposes never share a stream.
    public enum Purpose: UInt64, Sendable, CaseIterable {
        case weightInit = 1
        case dataOrder = 2
    }

    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// 64 random bits for one `(purpose, step, counter)`.
    public func bits(_ purpose: Purpose, step: UInt64, counter: UInt64) -> UInt64 {
        var h = Self.mix(seed &+ 0x9e37_79b9_7f4a_7c15)
        h = Self.mix(h ^ (purpose.rawValue &* 0xd6e8_feb8_6659_fd93))
        h = Self.mix(h ^ step)
        return Self.mix(h ^ (counter &* 0x9e37_79b9_7f4a_7c15))
    }

    /// A float uniform on [0, 1) with 24 random bits (every value is exact in float32).
    public func unit(_ purpose: Purpose, step: UInt64, counter: UInt64) -> Float {
        Float(bits(purpose, step: step, counter: counter) >> 40) * 0x1p-24
    }

    /// An integer in `0..<bound` by multiply-high (bias below 2^-32 for any bound we use).
    public func index(below bound: Int, _ purpose: Purpose, step: UInt64, counter: UInt64) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let product = bits(purpose, step: step, counter: counter).multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }

    /// A seeded Fisher–Yates shuffle of `0..<count`, one per epoch: the data order of that epoch.
    public func permutation(count: Int, epoch: UInt64) -> [Int32] {
        precondition(count >= 0 && count <= Int(Int32.max), "permutation size out of range")
        var order = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Int32(index) }
            initialized = count
        }
        var i = count - 1
        while i > 0 {
            let j = index(below: i + 1, .dataOrder, step: epoch, counter: UInt64(i))
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// The SplitMix64 finaliser.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
