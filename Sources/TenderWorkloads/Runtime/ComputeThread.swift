import Foundation

/// Runs CPU-bound work (re-executing segments, the referee's step, a dispute answer's replay) on a
/// dedicated thread, so it never blocks the cooperative pool that serves requests and polls.
/// The controller and the agent both use it.
public enum ComputeThread {
    public static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// The same for work that can fail with a workload error.
    public static func run<T: Sendable>(
        name: String, _ work: @escaping @Sendable () throws(WorkloadError) -> T
    ) async throws(WorkloadError) -> T {
        let result: Result<T, WorkloadError> = await run(name: name) {
            do throws(WorkloadError) { return .success(try work()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
