import Foundation
import Synchronization
import TenderCore
import TenderWorkloads

/// Builds the `WorkloadRunner` of an order from the controller's own artifact store, for the
/// auditor and the referee, and keeps it per order: loading a dataset costs more than a step.
final class JobRunners: Sendable {
    let artifacts: any ArtifactStorage
    private let cache = Mutex<[OrderID: WorkloadRunner]>([:])
    private let traces = Mutex<[LeaseID: [Data]]>([:])

    /// How an `exec` job's program runs when the auditor or the referee re-executes it.
    let exec: ExecIsolation

    init(artifacts: any ArtifactStorage, exec: ExecIsolation) {
        self.artifacts = artifacts
        self.exec = exec
    }

    /// The state hashes of a committed lease's trace, read and checked against its commitment
    /// once: the auditor asks again every tick while it waits for a state, and a trace can be
    /// megabytes. Nil when the trace is not in the store.
    func trace(of lease: LeaseID, commitment: Commitment) throws -> [Data]? {
        if let cached = traces.withLock({ $0[lease] }) { return cached }
        guard let bytes = try artifacts.get(commitment.traceHash) else { return nil }
        let checked = try commitment.check(trace: bytes)
        traces.withLock { traces in
            if traces.count > 64 { traces.removeAll() }
            traces[lease] = checked
        }
        return checked
    }

    /// The runner for `order`; throws when an input is missing or the workload cannot be built.
    func runner(for order: Order) throws -> WorkloadRunner {
        if let runner = cache.withLock({ $0[order.id] }) { return runner }
        let workload = try WorkloadFactory.make(order.manifest.workload, exec: exec) { reference in
            guard case .sha256(let hash) = reference else { throw ControllerError.missingInput("\(reference)") }
            guard let url = try self.artifacts.localFile(for: hash) else { throw ControllerError.missingInput("sha256:\(hash)") }
            return url
        }
        let runner = try WorkloadRunner(workload)
        cache.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[order.id] = runner
        }
        return runner
    }
}
