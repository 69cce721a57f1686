import Foundation
import TenderCore

/// The agent's dispute answering and the cleanup of kept states, run from its poll loop.
extension ProviderAgent {
    /// Starts a pass of the dispute responder unless one is still running.
    func answerDisputes(group: inout DiscardingTaskGroup) async {
        guard !answeringDisputes else { return }
        answeringDisputes = true
        let responder = self.responder
        group.addTask {
            await responder.pass()
            await self.disputePassEnded()
        }
    }

    func disputePassEnded() {
        answeringDisputes = false
    }

    /// Removes the kept states of committed leases that are now final.
    func forgetFinalLeases() async {
        for id in keptLeases {
            guard let lease = try? await configuration.client.lease(id), lease.isFinal else { continue }
            LeaseProgressStore(root: configuration.stateDirectory, lease: id).remove()
            await responder.forget(id)
            keptLeases.remove(id)
            logger.info("lease is final; its kept states are removed", metadata: ["lease": "\(id)", "state": "\(lease.state.rawValue)"])
        }
    }
}
