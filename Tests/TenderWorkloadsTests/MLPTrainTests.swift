import Foundation
import Testing
import TenderCore
import TenderWorkloads

/// Roots observed once and pinned. Any change to a kernel's order of operations, the math
/// approximations, the generator, the data order or the state encoding changes them.
enum GoldenRoots {
    static let smallDigitsReLU = "21b0f9c87b8ae8d7e7b3b0a0f4156f540ee9efb46b9dd40debc9f46473f0ae9d"
    static let smallDigitsTanh = "f44be0c14c3aad918a4d2735ead882e76120d5c68a189ccf9efb11a2f48a94f7"
}

@Suite("mlp-train")
struct MLPTrainTests {
    @Test("the digits MLP reaches at least 0.90 held-out accuracy")
    func digitsAccuracy() throws {
        let workload = try MLPTrainWorkload(config: .digits(dataset: try Fixtures.digits.get()))
        let run = try WorkloadRunner(workload).run()
        let final = try workload.decode(run.finalState.bytes)
        let evaluation = workload.evaluate(final.model)
        #expect(evaluation.heldOutCount == 360)
        #expect(evaluation.heldOutAccuracy >= 0.90, "held-out accuracy \(evaluation.heldOutAccuracy)")
        let result = try CanonicalJSON.decode(MLPTrainResult.self, from: run.result)
        #expect(result.heldOutCorrect == evaluation.heldOutCorrect)
        #expect(result.modelStateHash == run.finalState.hashHex)
        #expect(run.commitment.resultHash == Hashing.sha256Hex(run.result))
    }

    @Test("the same config gives the same root twice, and the pinned golden root", arguments: [MLPActivation.relu, .tanh])
    func goldenRoot(activation: MLPActivation) throws {
        let config = try Fixtures.smallDigitsJob(activation: activation)
        let first = try WorkloadRunner(try MLPTrainWorkload(config: config)).run()
        let second = try WorkloadRunner(try MLPTrainWorkload(config: config)).run()
        #expect(first.commitment == second.commitment)
        #expect(first.commitment.leafCount == 6)
        let golden = activation == .relu ? GoldenRoots.smallDigitsReLU : GoldenRoots.smallDigitsTanh
        #expect(first.commitment.root == golden)
    }

    @Test("the SIMD and scalar kernel paths commit to the same root")
    func pathsAgree() throws {
        let config = try Fixtures.smallDigitsJob()
        let simd = try WorkloadRunner(try MLPTrainWorkload(config: config, path: .simd)).run()
        let scalar = try WorkloadRunner(try MLPTrainWorkload(config: config, path: .scalar)).run()
        #expect(simd.stateHashes == scalar.stateHashes)
    }

    @Test("a different seed or learning rate changes the root")
    func sensitivity() throws {
        let base = try Fixtures.smallDigitsJob()
        var otherRate = base
        otherRate.learningRate = 0.1000001
        let roots = try [base, try Fixtures.smallDigitsJob(seed: 8), otherRate].map {
            try WorkloadRunner(try MLPTrainWorkload(config: $0)).run().commitment.root
        }
        #expect(Set(roots).count == 3)
    }

    @Test("states round-trip through their canonical encoding")
    func encodingRoundTrip() throws {
        let workload = try MLPTrainWorkload(config: try Fixtures.smallDigitsJob(activation: .tanh))
        var state = try workload.initialState()
        _ = try workload.advance(&state, steps: 3)
        let bytes = workload.encode(state)
        let decoded = try workload.decode(bytes)
        #expect(decoded == state)
        #expect(workload.encode(decoded) == bytes)
        #expect(decoded.step == 3)
    }

    @Test("malformed or foreign state bytes are refused")
    func refusesBadStates() throws {
        let workload = try MLPTrainWorkload(config: try Fixtures.smallDigitsJob())
        let bytes = workload.encode(try workload.initialState())
        #expect(throws: WorkloadError.self) { try workload.decode(bytes.dropLast()) }
        #expect { try workload.decode(bytes.dropLast(8)) } throws: { error in
            guard case .badState(let reason) = error as? WorkloadError else { return false }
            return reason.hasPrefix("truncated reading") && reason.contains(" floats, ") && reason.hasSuffix(" bytes left")
        }
        #expect(throws: WorkloadError.badState("1 unexpected trailing bytes")) { try workload.decode(bytes + Data([0])) }
        #expect(throws: WorkloadError.badState("not an mlp-train state (bad magic)")) { try workload.decode(Data("XXXX".utf8) + bytes.dropFirst(4)) }
        #expect(throws: WorkloadError.self) { try workload.decode(Data()) }
        let other = try MLPTrainWorkload(config: try Fixtures.smallDigitsJob(seed: 99))
        let foreign = other.encode(try other.initialState())
        #expect {
            try workload.decode(foreign)
        } throws: { error in
            if case WorkloadError.stateMismatch = error { return true }
            return false
        }
    }

    @Test("an unusable config reports every problem with its field")
    func invalidConfig() throws {
        var config = try Fixtures.smallDigitsJob()
        config.layers = [63, 0, 5]
        config.steps = 0
        config.batch = 0
        config.learningRate = -1
        config.momentum = 1
        config.checkpointInterval = 0
        config.trainRows = 5000
        #expect {
            try MLPTrainWorkload(config: config)
        } throws: { error in
            guard case WorkloadError.invalidConfig(let problems) = error else { return false }
            let fields = Set(problems.map { String($0.prefix { $0 != ":" }) })
            return fields.isSuperset(of: [
                "trainRows", "layers[1]", "layers[0]", "layers[2]", "steps", "batch", "learningRate", "momentum", "checkpointInterval",
            ])
        }
    }

    @Test("steps past the end of the job are refused")
    func stepsPastEnd() throws {
        let workload = try MLPTrainWorkload(config: try Fixtures.smallDigitsJob())
        var state = try workload.initialState()
        #expect(throws: WorkloadError.stepsOutOfRange(start: 0, count: 31, totalSteps: 30)) {
            try workload.advance(&state, steps: 31)
        }
    }

    @Test("a tiny synthetic problem trains to a low loss")
    func syntheticTrains() throws {
        let config = MLPTrainConfig(
            dataset: try Fixtures.synthetic(), trainRows: 30, layers: [3, 8, 3], activation: .tanh, steps: 150, batch: 10,
            learningRate: 0.05, momentum: 0.9, seed: 3, checkpointInterval: 50
        )
        let workload = try MLPTrainWorkload(config: config)
        let run = try WorkloadRunner(workload).run()
        let evaluation = workload.evaluate(try workload.decode(run.finalState.bytes).model)
        #expect(evaluation.trainLoss < 0.2)
        #expect(evaluation.heldOutCorrect == 10)
    }
}
