import Foundation
import TenderCore

/// The checks an auditor runs on a committed lease: one sampled segment, or the result against
/// the final state. The controller's built-in auditor and every challenger call these, so both
/// judge a provider by the same code (DESIGN section 7).
public enum SegmentAudit {
    /// Re-executes segment `segment` from `state` (the state the provider served for leaf
    /// `segment`, or nil when it is not available) and compares bit for bit with leaf `segment + 1`.
    ///
    /// `trace` holds the committed state hashes, already checked against the root
    /// (`Commitment.check(trace:)`). From an `.untrusted` source (a challenger fetching over the
    /// API) the served state is first checked against its leaf with an inclusion proof from
    /// `tree`, the Merkle tree over `trace`: build it once per lease and pass it in, or each check
    /// rebuilds it, which costs O(leaves). From a `.contentAddressed` source (the controller's own
    /// store, which hashed the bytes on arrival and returns them by that hash) neither is needed.
    public static func check(
        segment: Int, state: Data?, source: StateSource = .untrusted, trace: [Data], tree: MerkleTree? = nil,
        commitment: Commitment, runner: WorkloadRunner, at now: Timestamp
    ) -> AuditCheck {
        guard segment >= 0, segment < trace.count - 1 else {
            return AuditCheck(segment: segment, verdict: .invalid, detail: "segment \(segment) is outside the commitment", at: now)
        }
        let expected = Hex.encode(trace[segment + 1])
        guard runner.schedule.totalSteps == commitment.totalSteps, runner.schedule.interval == commitment.checkpointInterval else {
            return AuditCheck(
                segment: segment, verdict: .invalid, expected: expected,
                detail: "the commitment's schedule (\(commitment.totalSteps) steps every \(commitment.checkpointInterval)) is not the job's (\(runner.schedule.totalSteps) every \(runner.schedule.interval))",
                at: now
            )
        }
        guard let state else {
            return AuditCheck(
                segment: segment, verdict: .unavailable, expected: expected,
                detail: "state \(Hex.encode(trace[segment]).prefix(12))… (leaf \(segment)) is not in the artifact store", at: now
            )
        }
        // Bytes read by the leaf's own hash from a checked store are that leaf, and the trace was
        // checked against the root: the proof would only repeat both checks.
        if source == .untrusted {
            let proof: InclusionProof
            do { proof = try (tree ?? MerkleTree(stateHashes: trace)).proof(forLeaf: segment) } catch {
                return AuditCheck(segment: segment, verdict: .invalid, detail: "no proof for leaf \(segment): \(error)", at: now)
            }
            guard commitment.contains(stateHash: Hashing.sha256(state), proof: proof) else {
                return AuditCheck(segment: segment, verdict: .invalid, expected: expected, detail: "the served state is not leaf \(segment) of the root", at: now)
            }
        }
        do {
            // Leaf 0 must be the job's own initial state, which anyone can compute: a provider that
            // starts from another model is caught here, and the claim is what the true start gives.
            if segment == 0, let initial = try? runner.initialState(), initial.bytes != state {
                let computed = try runner.runSegment(0, from: initial.bytes).state.hashHex
                return AuditCheck(
                    segment: 0, verdict: .mismatch, expected: expected, computed: computed,
                    detail: "leaf 0 is not the job's initial state \(initial.hashHex.prefix(12))…; from the true start, leaf 1 is \(computed.prefix(12))…",
                    at: now
                )
            }
            let end = try runner.runSegment(segment, from: state)
            let computed = end.state.hashHex
            if computed == expected {
                return AuditCheck(segment: segment, verdict: .passed, expected: expected, computed: computed, detail: "re-executed bit for bit", at: now)
            }
            return AuditCheck(
                segment: segment, verdict: .mismatch, expected: expected, computed: computed,
                detail: "re-executing segment \(segment) gives \(computed.prefix(12))…, the commitment says \(expected.prefix(12))…", at: now
            )
        } catch {
            return AuditCheck(segment: segment, verdict: .invalid, expected: expected, detail: "the state of leaf \(segment) does not run: \(error)", at: now)
        }
    }

    /// Recomputes the result from the final state (nil when not available) and compares its hash
    /// with the committed result hash. With `initialStateHash` (the trace's leaf 0), also checks
    /// that the job started from its own initial state, whether or not segment 0 was sampled.
    public static func checkResult(
        finalState: Data?, commitment: Commitment, runner: WorkloadRunner, initialStateHash: Data? = nil, at now: Timestamp
    ) -> AuditCheck {
        if let initialStateHash, let initial = try? runner.initialState(), initial.hash != initialStateHash {
            return AuditCheck(
                segment: nil, verdict: .invalid, expected: initial.hashHex, computed: Hex.encode(initialStateHash),
                detail: "leaf 0 is not the job's initial state \(initial.hashHex.prefix(12))…", at: now
            )
        }
        guard let finalState else {
            return AuditCheck(
                segment: nil, verdict: .unavailable, expected: commitment.resultHash,
                detail: "the final state \(commitment.finalStateHash.prefix(12))… is not in the artifact store", at: now
            )
        }
        guard Hashing.sha256Hex(finalState) == commitment.finalStateHash else {
            return AuditCheck(segment: nil, verdict: .invalid, detail: "the served final state is not the committed one", at: now)
        }
        do {
            let computed = Hashing.sha256Hex(try runner.result(ofFinalState: finalState))
            if computed == commitment.resultHash {
                return AuditCheck(segment: nil, verdict: .passed, expected: commitment.resultHash, computed: computed, detail: "the result is the final state's", at: now)
            }
            return AuditCheck(
                segment: nil, verdict: .mismatch, expected: commitment.resultHash, computed: computed,
                detail: "the final state's result hashes to \(computed.prefix(12))…, the commitment says \(commitment.resultHash.prefix(12))…", at: now
            )
        } catch {
            return AuditCheck(segment: nil, verdict: .invalid, detail: "the final state does not give a result: \(error)", at: now)
        }
    }

    /// Where a segment's starting state came from.
    public enum StateSource: Sendable {
        /// Bytes from anywhere (a controller's answer, a peer): hashed, and proven to be the leaf.
        case untrusted
        /// Read by the leaf's hash from an artifact store that checked the hash when the bytes
        /// arrived (the controller's own store): the bytes are that leaf's by construction, so
        /// hashing them again would only repeat the store's check.
        case contentAddressed
    }
}
