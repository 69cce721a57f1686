import Foundation
import Testing
import TenderCore
import TenderWorkloads

/// The shipped example manifests run as the README says, through the same factory the CLI and the
/// agent use.
@Suite("Example manifests")
struct ExampleManifestTests {
    static var repository: URL? { Fixtures.digitsURL?.deletingLastPathComponent().deletingLastPathComponent() }

    func manifest(_ name: String) throws -> (JobManifest, URL) {
        let root = try #require(Self.repository)
        let url = root.appendingPathComponent("Manifests/\(name)")
        return (try JobManifest.parse(try String(contentsOf: url, encoding: .utf8)), url.deletingLastPathComponent())
    }

    @Test("digits-train reaches 0.90 held-out accuracy, and digits-infer names its final state")
    func digitsTrainThenInfer() throws {
        let (train, base) = try manifest("digits-train.yaml")
        let workload = try WorkloadFactory.make(train.workload, exec: .refused(reason: "not an exec job")) { reference in
            guard case .local(let path) = reference else { throw WorkloadError.io("expected a local dataset") }
            return base.appendingPathComponent(path)
        }
        let run = try WorkloadRunner(workload).run()
        let training = try #require(workload as? MLPTrainWorkload)
        let evaluation = training.evaluate(try training.decode(run.finalState.bytes).model)
        #expect(evaluation.heldOutCount == 360)
        #expect(evaluation.heldOutAccuracy >= 0.90)

        let (infer, _) = try manifest("digits-infer.yaml")
        guard case .mlpInfer(let spec) = infer.workload else {
            Issue.record("digits-infer is not mlp-infer")
            return
        }
        // If training changes, the example inference manifest must be updated with the new hash.
        #expect(spec.model == .sha256(run.finalState.hashHex))

        let inference = try WorkloadFactory.make(infer.workload, exec: .refused(reason: "not an exec job")) { reference in
            switch reference {
            case .sha256: return try Self.write(run.finalState.bytes)
            case .local(let path): return base.appendingPathComponent(path)
            }
        }
        let result = try JSONDecoder().decode(MLPInferResult.self, from: try WorkloadRunner(inference).run().result)
        #expect(result.predictions.count == 1_797)
        #expect((result.correct ?? 0) > 1_700)
    }

    static func write(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tender-model-\(UUID().uuidString)")
        try data.write(to: url)
        return url
    }
}
