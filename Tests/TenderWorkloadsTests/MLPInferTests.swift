import Foundation
import Testing
import TenderCore
import TenderWorkloads

@Suite("mlp-infer")
struct MLPInferTests {
    /// A model trained briefly on digits, and the held-out rows as inputs.
    private func setup(labelled: Bool = true) throws -> (MLPInferConfig, MLPTrainWorkload, Data) {
        let digits = try Fixtures.digits.get()
        let train = try MLPTrainWorkload(config: .digits(dataset: digits, steps: 200))
        let run = try WorkloadRunner(train).run()
        let labels: [Int]? = labelled ? Array(try #require(digits.labels)[1437...]) : nil
        let heldOut = try Dataset(featureCount: 64, features: Array(digits.features[(1437 * 64)...]), labels: labels)
        let config = MLPInferConfig(model: run.finalState.bytes, inputs: heldOut, batch: 50, checkpointInterval: 3, inputScale: 16)
        return (config, train, run.finalState.bytes)
    }

    @Test("predictions and accuracy match the training job's own evaluation")
    func matchesEvaluation() throws {
        let (config, train, model) = try setup()
        let workload = try MLPInferWorkload(config: config)
        #expect(workload.totalSteps == 8)
        let run = try WorkloadRunner(workload).run()
        #expect(run.commitment.leafCount == 4)
        let result = try CanonicalJSON.decode(MLPInferResult.self, from: run.result)
        #expect(result.predictions.count == 360)
        let evaluation = train.evaluate(try train.decode(model).model)
        #expect(result.correct == evaluation.heldOutCorrect)
        #expect(result.accuracy == MLPTrainResult(steps: 0, modelStateHash: "", evaluation: evaluation).heldOutAccuracy)
    }

    @Test("segments reproduce leaves and runs are repeatable")
    func segments() throws {
        let (config, _, _) = try setup()
        let runner = try WorkloadRunner(try MLPInferWorkload(config: config))
        var states = [Data]()
        let run = try runner.run { states.append($0.state.bytes) }
        #expect(try WorkloadRunner(try MLPInferWorkload(config: config)).run().commitment == run.commitment)
        for segment in 0..<runner.schedule.segmentCount {
            #expect(try runner.runSegment(segment, from: states[segment]).stateHash == run.stateHashes[segment + 1])
        }
    }

    @Test("unlabelled inputs give predictions without accuracy")
    func unlabelled() throws {
        let (config, _, _) = try setup(labelled: false)
        let run = try WorkloadRunner(try MLPInferWorkload(config: config)).run()
        let result = try CanonicalJSON.decode(MLPInferResult.self, from: run.result)
        #expect(result.correct == nil && result.accuracy == nil)
        #expect(result.predictions.count == 360)
    }

    @Test("inputs of the wrong width and a non-model artifact are refused")
    func refusals() throws {
        let (config, _, _) = try setup()
        var narrow = config
        narrow.inputs = try Dataset(featureCount: 3, features: [1, 2, 3], labels: nil)
        #expect(throws: WorkloadError.invalidConfig(["inputs: 3 features, the model takes 64"])) { try MLPInferWorkload(config: narrow) }
        var garbage = config
        garbage.model = Data("not a model".utf8)
        #expect(throws: WorkloadError.self) { try MLPInferWorkload(config: garbage) }
    }
}
