/// Which segments of a lease a challenger re-executes: its own random choice.
///
/// The controller's auditor draws its sample from the public beacon seed, so everyone knows which
/// segments it checks. A challenger draws from a generator of its own, so a provider cannot know
/// which segments it will be checked on either. The generator is a parameter, never a global: a
/// seeded one gives the same choice every time (tests, `--seed`).
public enum SegmentChoice {
    /// `count` distinct indices in `0..<segments`, ascending. Every segment when `count >= segments`;
    /// none when either is zero or less.
    public static func draw(count: Int, of segments: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        guard segments > 0, count > 0 else { return [] }
        guard count < segments else { return Array(0..<segments) }
        // A partial Fisher-Yates shuffle over 0..<segments that stores only the swapped positions,
        // so a job with millions of segments costs O(count), not O(segments).
        var swapped: [Int: Int] = [:]
        var picked: [Int] = []
        picked.reserveCapacity(count)
        for position in 0..<count {
            let target = Int.random(in: position..<segments, using: &generator)
            picked.append(swapped[target] ?? target)
            swapped[target] = swapped[position] ?? position
        }
        return picked.sorted()
    }
}
