/// A small seeded random generator (SplitMix64, Steele, Lea and Flood): the same seed gives the
/// same sequence on every machine. For choosing what to check, not for secrets.
public struct SplitMixGenerator: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded from the system's random source.
    public static func random() -> SplitMixGenerator {
        var system = SystemRandomNumberGenerator()
        return SplitMixGenerator(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
