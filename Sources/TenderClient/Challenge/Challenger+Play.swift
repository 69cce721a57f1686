import TenderCore
import TenderWorkloads

/// The dispute game, from the challenger's side.
extension Challenger {
    /// Plays `view` to its ruling and returns the dispute as ruled.
    ///
    /// Reads the dispute every `pollInterval`; whenever the turn is the challenger's, posts the
    /// honest answer `player` computes (agree or disagree with the provider's midpoint hash) and
    /// goes on from the answer the controller returns. Every move, either side's, is reported to
    /// `observer` once. The provider's missed deadlines and the referee's step are the
    /// controller's to carry out; this only waits for them.
    ///
    /// An unreachable controller is retried (`patience` polls in a row); a move the controller
    /// refuses while the game stays where it was is an error, since posting it again would not help.
    public func play(_ view: API.DisputeView, with player: DisputePlayer) async throws(ChallengeError) -> API.DisputeView {
        var view = view
        var reported = 0
        var misses = 0
        while true {
            for record in view.moves.dropFirst(reported) { observer(.moved(view.id, record)) }
            reported = max(reported, view.moves.count)
            if view.ruling != nil { return view }
            if view.turn == .challenger, case .move(let move) = try answer(view, with: player) {
                do {
                    view = try await client.move(move, dispute: view.id)
                    misses = 0
                    continue
                } catch {
                    if error.status != nil {
                        let before = view.phase
                        view = try await reread(view.id)
                        if view.phase == before { throw .moveRefused(view.id, error) }
                        continue
                    }
                    // Unreachable: the move may or may not have landed; read the game again and answer what it shows.
                    guard misses < patience else { throw .client(error) }
                    misses += 1
                }
            }
            try await pause()
            do {
                view = try await client.dispute(view.id)
                misses = 0
            } catch {
                guard case .unreachable = error, misses < patience else { throw .client(error) }
                misses += 1
            }
        }
    }

    /// The player's honest answer to the dispute's phase.
    private func answer(_ view: API.DisputeView, with player: DisputePlayer) throws(ChallengeError) -> DisputePlayer.Answer {
        do { return try player.answer(view.phase) } catch { throw .replay(view.id, "\(error)") }
    }

    private func reread(_ id: DisputeID) async throws(ChallengeError) -> API.DisputeView {
        do { return try await client.dispute(id) } catch { throw .client(error) }
    }

    private func pause() async throws(ChallengeError) {
        do { try await Task.sleep(for: pollInterval) } catch { throw .cancelled }
    }
}
