import Foundation

/// Runs CPU-bound work (re-executing segments, the referee's step) on a dedicated thread, so it
/// never blocks the cooperative pool that serves requests.
enum ComputeThread {
    static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}
