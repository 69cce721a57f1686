import Foundation
import TenderClient
import TenderCore
import TenderWorkloads

/// The provider's side of the dispute game, played by the agent on its own (DESIGN section 7):
/// every poll it looks for open disputes on its leases where it is to move, and answers from the
/// checkpoint states it kept, replaying inside the segment to name a midpoint's hash and
/// uploading the state the referee needs.
extension ProviderAgent {
    /// Starts one answer for each open dispute where it is the provider's turn.
    func answerDisputes(group: inout DiscardingTaskGroup) async {
        let client = configuration.client
        let open: [API.DisputeView]
        do {
            open = try await client.disputes(account: account, openOnly: true).disputes
        } catch {
            logger.warning("cannot list open disputes", metadata: ["error": "\(error)"])
            return
        }
        for dispute in open where dispute.provider == account && dispute.turn == .provider && !answering.contains(dispute.id) {
            answering.insert(dispute.id)
            let stateDirectory = configuration.stateDirectory
            let logger = self.logger
            group.addTask {
                do {
                    try await Self.answer(dispute, client: client, stateDirectory: stateDirectory)
                } catch {
                    logger.error("cannot answer a dispute move", metadata: ["dispute": "\(dispute.id)", "error": "\(error)"])
                }
                await self.answered(dispute.id)
            }
        }
    }

    func answered(_ dispute: DisputeID) {
        answering.remove(dispute)
    }

    /// Answers the dispute's current phase honestly from the state at the start of its segment.
    static func answer(_ dispute: API.DisputeView, client: TenderAPIClient, stateDirectory: URL) async throws {
        let lease = try await client.lease(dispute.lease)
        guard let commitment = lease.commitment else { return }
        let order = try await client.order(lease.order).order
        let runner = try await LeaseExecutor.prepare(order: order, client: client, stateDirectory: stateDirectory)
        let schedule = try commitment.schedule()
        let trace = try commitment.check(trace: try await client.artifact(sha256: commitment.traceHash))
        let startHash = Hex.encode(trace[dispute.segment])
        let store = LeaseProgressStore(root: stateDirectory, lease: lease.id)
        let start: Data
        if let kept = store.keptState(sha256: startHash) { start = kept } else { start = try await client.artifact(sha256: startHash) }
        let player = DisputePlayer(runner: runner, side: .provider, startState: start, startStep: try schedule.step(ofLeaf: dispute.segment))
        let answer = try await ComputeOffload.run { () throws(WorkloadError) in try player.answer(dispute.phase) }
        switch answer {
        case .move(let move):
            _ = try await client.move(move, dispute: dispute.id)
        case .uploadState(let state, let move):
            _ = try await client.putArtifact(state)
            _ = try await client.move(move, dispute: dispute.id)
        case .wait:
            break
        }
    }

    /// Removes the kept states of committed leases that are now final.
    func forgetFinalLeases() async {
        for id in keptLeases {
            guard let lease = try? await configuration.client.lease(id), lease.isFinal else { continue }
            LeaseProgressStore(root: configuration.stateDirectory, lease: id).remove()
            keptLeases.remove(id)
            logger.info("lease is final; its kept states are removed", metadata: ["lease": "\(id)", "state": "\(lease.state.rawValue)"])
        }
    }
}

/// Runs a replay on its own thread: answering a midpoint can take up to a segment of steps.
enum ComputeOffload {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(WorkloadError) -> T) async throws(WorkloadError) -> T {
        let result: Result<T, WorkloadError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(WorkloadError) { continuation.resume(returning: .success(try work())) } catch { continuation.resume(returning: .failure(error)) }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        return try result.get()
    }
}
