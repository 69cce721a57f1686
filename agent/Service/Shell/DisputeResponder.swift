import Foundation
import Logging
import TenderClient
import TenderCore
import TenderWorkloads

/// The provider's side of the dispute game, played by the agent on its own (DESIGN section 7).
///
/// Each pass lists the open disputes on this provider's leases where it is to move and answers
/// them one at a time, earliest deadline first, from the checkpoint states it kept: it replays
/// inside the segment to name a midpoint's hash and uploads the state the referee needs. What a
/// lease's answers need (the order's runner, the trace) is built once per lease and kept, so many
/// disputes on one lease cost a replay each, not a rebuild each.
actor DisputeResponder {
    let client: TenderAPIClient
    let account: AccountID
    let stateDirectory: URL
    let execIsolation: ExecIsolation
    let logger: Logger

    /// What answering on one lease needs.
    struct LeaseContext: Sendable {
        var runner: WorkloadRunner
        var schedule: CheckpointSchedule
        var trace: [Data]
    }

    private var contexts: [LeaseID: LeaseContext] = [:]

    init(client: TenderAPIClient, account: AccountID, stateDirectory: URL, execIsolation: ExecIsolation, logger: Logger) {
        self.client = client
        self.account = account
        self.stateDirectory = stateDirectory
        self.execIsolation = execIsolation
        self.logger = logger
    }

    /// Answers every open dispute where it is this provider's turn; returns how many it answered.
    @discardableResult
    func pass() async -> Int {
        var waiting: [API.DisputeView] = []
        var after: UInt64?
        do {
            repeat {
                let page = try await client.disputes(account: account, openOnly: true, after: after)
                waiting += page.disputes.filter { $0.provider == account && $0.turn == .provider }
                after = page.next
            } while after != nil
        } catch {
            logger.warning("cannot list open disputes", metadata: ["error": "\(error)"])
            return 0
        }
        var answered = 0
        for dispute in waiting.sorted(by: { ($0.moveDeadline ?? .init(millis: .max)) < ($1.moveDeadline ?? .init(millis: .max)) }) {
            do {
                if try await answer(dispute) { answered += 1 }
            } catch {
                logger.error("cannot answer a dispute move", metadata: ["dispute": "\(dispute.id)", "error": "\(error)"])
            }
        }
        return answered
    }

    /// Forgets what was kept for a lease that is final.
    func forget(_ lease: LeaseID) {
        contexts[lease] = nil
    }

    /// Answers the dispute's current phase honestly from the state at the start of its segment.
    func answer(_ dispute: API.DisputeView) async throws -> Bool {
        let context = try await context(for: dispute.lease)
        guard context.trace.indices.contains(dispute.segment + 1) else {
            throw AgentError.localInput("dispute \(dispute.id) names segment \(dispute.segment), outside lease \(dispute.lease)'s trace")
        }
        let startHash = Hex.encode(context.trace[dispute.segment])
        let store = LeaseProgressStore(root: stateDirectory, lease: dispute.lease)
        let start: Data
        if let kept = store.keptState(sha256: startHash) { start = kept } else { start = try await client.artifact(sha256: startHash) }
        let player = DisputePlayer(
            runner: context.runner, side: .provider, startState: start, startStep: try context.schedule.step(ofLeaf: dispute.segment)
        )
        let phase = dispute.phase
        switch try await ComputeThread.run(name: "tender-dispute", { () throws(WorkloadError) in try player.answer(phase) }) {
        case .move(let move):
            _ = try await client.move(move, dispute: dispute.id)
        case .uploadState(let state, let move):
            _ = try await client.putArtifact(state, lease: dispute.lease)
            _ = try await client.move(move, dispute: dispute.id)
        case .wait:
            return false
        }
        logger.info("answered a dispute move", metadata: ["dispute": "\(dispute.id)", "lease": "\(dispute.lease)", "phase": "\(phase.name)"])
        return true
    }

    private func context(for lease: LeaseID) async throws -> LeaseContext {
        if let context = contexts[lease] { return context }
        let view = try await client.lease(lease)
        guard let commitment = view.commitment else { throw AgentError.localInput("lease \(lease) has no commitment") }
        let order = try await client.order(view.order).order
        let runner = try await LeaseExecutor.prepare(order: order, client: client, stateDirectory: stateDirectory, exec: execIsolation)
        let trace = try commitment.check(trace: try await client.artifact(sha256: commitment.traceHash))
        let context = LeaseContext(runner: runner, schedule: try commitment.schedule(), trace: trace)
        contexts[lease] = context
        return context
    }
}
