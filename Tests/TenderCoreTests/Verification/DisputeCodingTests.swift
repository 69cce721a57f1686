import Foundation
import Testing
@testable import TenderCore

/// The dispute's wire form (`Dispute+Coding.swift`): flat objects with a `kind`, the form a
/// client author would write by hand.
@Suite("Dispute JSON")
struct DisputeCodingTests {
    typealias G = DisputeGameTests

    @Test("a move encodes as a flat object with a kind, and decodes back")
    func moveJSON() throws {
        let hash = G.trueHash(3)
        let moves: [DisputeMove] = [.midpoint(step: 3, hash: hash), .agree(step: 3), .disagree(step: 3), .state(step: 3)]
        for move in moves {
            let data = try JSONEncoder().encode(move)
            #expect(try JSONDecoder().decode(DisputeMove.self, from: data) == move)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                Issue.record("\(move) does not encode as an object")
                continue
            }
            let kind = object["kind"] as? String
            let step = object["step"] as? Int
            let encodedHash = object["hash"] as? String
            #expect(kind == move.kind)
            #expect(step == 3)
            let expectedHash: String? = move.kind == "midpoint" ? hash : nil
            let fieldCount = object.count
            #expect(encodedHash == expectedHash)
            #expect(fieldCount == (move.kind == "midpoint" ? 3 : 2))
        }
        let text = #"{"kind":"midpoint","step":3,"hash":"\#(hash)"}"#
        #expect(try JSONDecoder().decode(DisputeMove.self, from: Data(text.utf8)) == .midpoint(step: 3, hash: hash))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let agree = try encoder.encode(DisputeMove.agree(step: 7))
        #expect(String(decoding: agree, as: UTF8.self) == #"{"kind":"agree","step":7}"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DisputeMove.self, from: Data(#"{"kind":"resign","step":3}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DisputeMove.self, from: Data(#"{"kind":"midpoint","step":3}"#.utf8))
        }
    }

    @Test("a dispute round-trips through JSON in every phase")
    func disputeJSON() throws {
        var snapshots: [Dispute] = []
        var dispute = G.open(lowStep: 0, highStep: 2, claim: Hashing.sha256Hex("claim"))
        snapshots.append(dispute)                                                       // awaiting-midpoint
        let t1 = G.t0.adding(seconds: 1)
        try dispute.apply(.midpoint(step: 1, hash: G.trueHash(1)), by: G.provider, stateAvailable: false, now: t1, policy: G.policy)
        snapshots.append(dispute)                                                       // awaiting-verdict
        try dispute.apply(.agree(step: 1), by: G.challenger, stateAvailable: false, now: t1, policy: G.policy)
        snapshots.append(dispute)                                                       // awaiting-state
        try dispute.apply(.state(step: 1), by: G.provider, stateAvailable: true, now: t1, policy: G.policy)
        snapshots.append(dispute)                                                       // awaiting-ruling
        try dispute.rule(.stepped(hash: G.trueHash(2)), now: t1)
        snapshots.append(dispute)                                                       // resolved
        var voided = G.open(claim: Hashing.sha256Hex("claim"))
        voided.void(now: t1, because: "proven elsewhere")
        snapshots.append(voided)                                                        // resolved, no winner

        #expect(snapshots.map(\.phase.name) == ["awaiting-midpoint", "awaiting-verdict", "awaiting-state", "awaiting-ruling", "resolved", "resolved"])
        #expect(voided.ruling?.winner == nil)
        #expect(voided.ruling?.reason == .fraudProvenElsewhere)
        for snapshot in snapshots {
            let data = try JSONEncoder().encode(snapshot)
            #expect(try JSONDecoder().decode(Dispute.self, from: data) == snapshot)
        }
        let verdictJSON = try JSONEncoder().encode(snapshots[1])
        guard let object = try JSONSerialization.jsonObject(with: verdictJSON) as? [String: Any],
              let phase = object["phase"] as? [String: Any] else {
            Issue.record("a dispute does not encode as an object with a phase object")
            return
        }
        let kind = phase["kind"] as? String
        let midpointHash = phase["midpointHash"] as? String
        #expect(kind == "awaiting-verdict")
        #expect(midpointHash == G.trueHash(1))
    }
}
