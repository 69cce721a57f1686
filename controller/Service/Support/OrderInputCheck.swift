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
/// way costs a lookup; the least recently asked is forgotten first. Parsed datasets are kept too
/// (`ParsedTables`), so naming it in a new way (another seed) costs the workload's set-up, not
/// another parse: what kept many small accounts, each varying one hyperparameter, able to hold
/// every slot below with slow builds. Each account has one build at
/// a time: a refused order costs its sender only a nonce, so without that limit one funded account
/// could keep the queue full of builds and make every other submitter wait behind them; its next
/// order while one is being checked is refused with 429 instead. And at most `maximumPending`
/// builds wait or run at once, over all accounts: a further order is answered 503, its nonce kept. `exec` is
/// never built here: its program is someone else's code, run only in a sandbox.
final class OrderInputCheck: Sendable {
    private let artifacts: any ArtifactStorage
    private let queue = DispatchQueue(label: "tender.order-input-check")
    private let state = Mutex(State())
    private let keptVerdicts: Int
    /// Datasets parsed by earlier checks: a verdict is kept per workload, but a workload that
    /// differs only in a hyperparameter names the same dataset, and need not parse it again.
    let tables: ParsedTables
    /// Builds waiting or running at once, over all accounts: a refused order locks no escrow, so
    /// many small funded accounts could otherwise keep the one queue full for everyone.
    private let maximumPending: Int
    /// Builds a workload and says why it cannot run; `build(_:)` unless a test replaces it.
    private let builder: (@Sendable (WorkloadSpec) -> String?)?

    private struct State {
        /// Verdicts by workload (as canonical JSON), with when each was last asked for.
        var verdicts: [String: (verdict: String?, used: UInt64)] = [:]
        var clock: UInt64 = 0
        /// Accounts whose order is being checked now.
        var checking: Set<AccountID> = []
    }

    /// Checks waiting or running now, over all accounts.
    var pendingCount: Int { state.withLock { $0.checking.count } }

    init(
        artifacts: any ArtifactStorage, keptVerdicts: Int = 1_024, maximumPending: Int = 16,
        tables: ParsedTables = ParsedTables(), builder: (@Sendable (WorkloadSpec) -> String?)? = nil
    ) {
        self.artifacts = artifacts
        self.tables = tables
        self.keptVerdicts = max(keptVerdicts, 1)
        self.maximumPending = max(maximumPending, 1)
        self.builder = builder
    }

    /// Why the job cannot run on its inputs, or nil (it can, or the market refuses it anyway).
    /// Throws 429 while another order of the same submitter is being checked, and
    /// `ControllerError.busy` (503, nonce kept) while `maximumPending` checks wait or run.
    func problem(_ manifest: JobManifest, submitter: AccountID, stored: Set<String>, service: MarketService) async throws -> String? {
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
        let known = try state.withLock { state throws -> String?? in
            state.clock += 1
            if let kept = state.verdicts[key] {
                state.verdicts[key]?.used = state.clock
                return .some(kept.verdict)
            }
            // A failure of the controller, not a refusal: the nonce is kept, as every 503's is.
            guard state.checking.count < maximumPending || state.checking.contains(submitter) else {
                throw ControllerError.busy(
                    title: "Orders being checked",
                    detail: "\(maximumPending) orders are having their inputs checked; send this one again in a moment"
                )
            }
            guard state.checking.insert(submitter).inserted else {
                throw ProblemResponse(
                    .tooManyRequests, "Order being checked",
                    "another order of yours is having its inputs checked; sign this one again with a new nonce once that one is answered"
                )
            }
            return .none
        }
        if let known { return known }
        let verdict = await withCheckedContinuation { (done: CheckedContinuation<String?, Never>) in
            queue.async {
                if let builder = self.builder {
                    done.resume(returning: builder(workload))
                } else {
                    done.resume(returning: self.build(workload))
                }
            }
        }
        state.withLock { state in
            state.checking.remove(submitter)
            if state.verdicts.count >= keptVerdicts, let oldest = state.verdicts.min(by: { $0.value.used < $1.value.used })?.key {
                state.verdicts[oldest] = nil
            }
            state.clock += 1
            state.verdicts[key] = (verdict, state.clock)
        }
        return verdict
    }

    /// The builder's complaint, in the submitter's terms: never a path on this machine.
    private func build(_ workload: WorkloadSpec) -> String? {
        do {
            _ = try WorkloadFactory.make(workload, exec: .refused(reason: "not run at submission"), resolve: { reference in
                guard case .sha256(let hash) = reference, let url = try artifacts.localFile(for: hash) else {
                    throw ControllerError.missingInput("\(reference)")
                }
                return url
            }, table: tables.table(at:))
            return nil
        } catch let error as WorkloadError {
            if case .io = error { return "an input cannot be read as UTF-8 text" }
            return "\(error)"
        } catch {
            return "an input cannot be read: \(type(of: error))"
        }
    }
}
