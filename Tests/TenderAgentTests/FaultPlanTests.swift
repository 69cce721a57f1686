import Foundation
import Testing
@testable import TenderAgentService
import TenderCore

@Suite("fault plan")
struct FaultPlanTests {
    @Test("parses every fault and refuses unknown ones")
    func parses() throws {
        let plan = try FaultPlan.parse(["skip-steps:0.25", "wrong-result", "withhold-artifacts", "miss-deadline"])
        #expect(plan.skipStepsFraction == 0.25)
        #expect(plan.wrongResult && plan.withholdArtifacts && plan.missDeadline)
        #expect(try FaultPlan.parse([]).isEmpty)
        #expect(throws: FaultPlanError.self) { try FaultPlan.parse(["skip-steps:2"]) }
        #expect(throws: FaultPlanError.self) { try FaultPlan.parse(["explode"]) }
    }

    @Test("skip-steps falsifies about the fraction of segments, the same ones every time")
    func deterministic() throws {
        let plan = try FaultPlan.parse(["skip-steps:0.2"])
        let honest = (0..<1_001).map { Hashing.sha256(Data("\($0)".utf8)) }
        let (hashes, falsified) = plan.committedHashes(honest, lease: 7)
        #expect((120...280).contains(falsified.count))
        #expect(plan.committedHashes(honest, lease: 7).falsified == falsified)
        for segment in 0..<1_000 {
            #expect((hashes[segment + 1] != honest[segment + 1]) == falsified.contains(segment))
        }
        #expect(hashes[0] == honest[0])
    }
}
