import Foundation
import Synchronization
import TenderCore
import TenderWorkloads

/// Whether an order's workload can be built from its stored inputs, asked at submission so that
/// no provider wins a job that can only fail (and pay the liveness penalty for the submitter's
/// data).
///
/// The workload is built exactly as the agent and the auditor build it, off the cooperative
/// threads (a dataset can be tens of megabytes to parse), one build at a time (so a stream of
/// orders that each name a large dataset in a new way uses one core at most, never the server),
/// and only for an order the market would otherwise take: inputs stored and readable by the
/// submitter (a build must not describe someone else's private file), an escrow the submitter can
/// pay. Verdicts are kept by workload, inputs included, so naming the same dataset again the same
/// way costs a lookup. `exec` is never built here: its program is someone else's code, run only in
/// a sandbox.
final class OrderInputCheck: Sendable {
    private let artifacts: any ArtifactStorage
    private let queue = DispatchQueue(label: "tender.order-input-check")
    private let verdicts = Mutex<[String: String?]>([:])
    static let keptVerdicts = 1_024

    init(artifacts: any ArtifactStorage) {
        self.artifacts = artifacts
    }

    /// Why the job cannot run on its inputs, or nil (it can, or the market refuses it anyway).
    func problem(_ manifest: JobManifest, submitter: AccountID, stored: Set<String>, service: MarketService) async -> String? {
        let workload = manifest.workload
        guard workload.runtime != .exec else { return nil }
        let hashes = workload.storedInputHashes
        guard hashes.count == workload.inputs.count, hashes.allSatisfy(stored.contains) else { return nil }
        let escrow = try? Order.escrow(for: manifest)
        let worthChecking = await service.read { market in
            hashes.allSatisfy { market.mayRead(artifact: $0, reader: submitter) }
                && escrow.map { $0 >= market.policy.minimumOrderEscrow && market.ledger.balances(of: submitter).available >= $0 } == true
        }
        guard worthChecking, let key = try? String(decoding: CanonicalJSON.encode(workload), as: UTF8.self) else { return nil }
        if let verdict = verdicts.withLock({ $0[key] }) { return verdict }
        let verdict = await withCheckedContinuation { (done: CheckedContinuation<String?, Never>) in
            queue.async { done.resume(returning: self.build(workload)) }
        }
        verdicts.withLock { verdicts in
            if verdicts.count >= Self.keptVerdicts { verdicts.removeAll() }
            verdicts[key] = verdict
        }
        return verdict
    }

    /// The builder's complaint, in the submitter's terms: never a path on this machine.
    private func build(_ workload: WorkloadSpec) -> String? {
        do {
            _ = try WorkloadFactory.make(workload, exec: .refused(reason: "not run at submission")) { reference in
                guard case .sha256(let hash) = reference, let url = try artifacts.localFile(for: hash) else {
                    throw ControllerError.missingInput("\(reference)")
                }
                return url
            }
            return nil
        } catch let error as WorkloadError {
            if case .io = error { return "an input cannot be read as UTF-8 text" }
            return "\(error)"
        } catch {
            return "an input cannot be read: \(type(of: error))"
        }
    }
}
