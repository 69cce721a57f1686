import Foundation
import TenderCore

/// A state at a known step, in its canonical bytes with their hash.
///
/// What verifiers exchange and compare: an auditor compares `hash` with the next leaf, a
/// bisection move names the `hash` at its midpoint step.
public struct StateSnapshot: Sendable, Equatable {
    /// Steps applied to reach this state.
    public var step: Int
    /// The canonical encoding.
    public var bytes: Data
    /// SHA-256 of `bytes`.
    public var hash: Data
    /// The loss of the step that produced this state, when the runtime has one (nil at step 0).
    public var loss: Float?

    public init(step: Int, bytes: Data, loss: Float?) {
        self.step = step
        self.bytes = bytes
        self.hash = Hashing.sha256(bytes)
        self.loss = loss
    }

    /// `hash` as lowercase hex.
    public var hashHex: String { Hex.encode(hash) }
}
