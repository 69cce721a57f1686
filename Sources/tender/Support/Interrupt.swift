import Dispatch
import Foundation
import Synchronization

/// Ctrl-C for a long-running command that must not stop just anywhere.
///
/// The first SIGINT prints `note` and sets `isRequested`; the command stops at its next safe point
/// (for `tender challenge watch`, after the lease in hand, so a dispute in play is not abandoned
/// and its bond lost) and prints what it did. A second SIGINT exits at once with status 130.
///
/// `@unchecked Sendable`: `source` is assigned once in `init`, before the instance can be shared,
/// and Dispatch sources are thread-safe; the signal count is behind a `Mutex`.
final class Interrupt: @unchecked Sendable {
    private let count = Mutex(0)
    private let source: any DispatchSourceSignal
    private let note: String

    init(note: String) {
        self.note = note
        #if canImport(Darwin)
        // Darwin's Dispatch watches signals with kqueue, which ranks below the signal's own
        // disposition: turn that off. Linux's blocks the signal and reads it from a signalfd.
        signal(SIGINT, SIG_IGN)
        #endif
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.received() }
        source.resume()
    }

    deinit {
        source.cancel()
        #if canImport(Darwin)
        signal(SIGINT, SIG_DFL)
        #endif
    }

    /// True once SIGINT has arrived.
    var isRequested: Bool { count.withLock { $0 > 0 } }

    /// Sleeps `duration` in short slices, returning early when SIGINT arrives.
    func sleep(for duration: Duration) async {
        let slice = Duration.milliseconds(100)
        var slept = Duration.zero
        while slept < duration, !isRequested {
            try? await Task.sleep(for: min(slice, duration - slept))
            slept += slice
        }
    }

    private func received() {
        let first = count.withLock { count in
            count += 1
            return count == 1
        }
        if first {
            printError(note)
        } else {
            exit(130)
        }
    }
}
