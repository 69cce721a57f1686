import Foundation
import Synchronization

/// Hands out request nonces: milliseconds since the epoch, strictly increasing within the process.
///
/// The controller accepts a nonce only if it is greater than the account's last accepted one
/// (DESIGN section 3). A millisecond clock does that across runs of the CLI; within one process,
/// two requests in the same millisecond (or a clock stepping back) still get increasing values
/// because each nonce is `max(last + 1, now)`. One clock serves every client in the process, so
/// clients that share a key never reuse a nonce.
public final class NonceClock: Sendable {
    /// The process-wide clock every `TenderAPIClient` uses unless given another.
    public static let shared = NonceClock()

    private let last: Mutex<UInt64>
    private let now: @Sendable () -> UInt64

    /// A clock reading `now` (milliseconds since the epoch) and starting above `start`.
    public init(start: UInt64 = 0, now: @escaping @Sendable () -> UInt64 = NonceClock.systemMillis) {
        self.last = Mutex(start)
        self.now = now
    }

    /// The next nonce: greater than every nonce this clock has returned.
    public func next() -> UInt64 {
        let reading = now()
        return last.withLock { last in
            let nonce = max(last &+ 1, reading)
            last = nonce
            return nonce
        }
    }

    /// Makes every later nonce greater than `nonce`, e.g. an account's `lastNonce` from the controller.
    public func advance(past nonce: UInt64) {
        last.withLock { last in last = max(last, nonce) }
    }

    /// Milliseconds since the Unix epoch from the system clock.
    public static func systemMillis() -> UInt64 {
        let millis = Date().timeIntervalSince1970 * 1000
        return millis > 0 ? UInt64(millis) : 0
    }
}
