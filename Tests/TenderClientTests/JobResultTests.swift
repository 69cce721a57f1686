import Foundation
import Testing
import TenderClient
@testable import TenderCore
import TenderWorkloads

@Suite("job result checks")
struct JobResultTests {
    static let provider = KeyPair()
    static let finalState = Data("the final state".utf8)
    static let result = Data(#"{"runtime":"mlp-infer","predictions":[1,2,3],"outputChain":"00"}"#.utf8)

    /// A lease committed to 4 steps every 2 (leaves at 0, 2 and 4), signed by `signer`.
    static func lease(signer: KeyPair = provider, lease id: LeaseID = 7, result: Data = result, finalState: Data = finalState)
        throws -> (API.LeaseView, trace: Data) {
        let hashes = [Hashing.sha256(Data("start".utf8)), Hashing.sha256(Data("middle".utf8)), Hashing.sha256(finalState)]
        let trace = hashes.reduce(Data(), +)
        let commitment = Commitment(
            lease: id, root: try MerkleTree(stateHashes: hashes).rootHex, leafCount: 3, totalSteps: 4, checkpointInterval: 2,
            finalStateHash: Hashing.sha256Hex(finalState), resultHash: Hashing.sha256Hex(result), traceHash: Hashing.sha256Hex(trace)
        )
        let signed = try Signed(commitment, by: signer)
        let hash = Hashing.sha256Hex("x")
        let object: [String: Any] = [
            "id": 7, "order": 3, "provider": provider.account.hex, "submitter": KeyPair().account.hex, "manifestHash": hash,
            "payment": 1_000_000, "collateral": 2_000_000, "state": "settled", "startedAt": 1_000, "deadline": 2_000,
            "heartbeatDeadline": 1_500, "challengeWindowSeconds": 60, "samples": 2, "beaconCommitment": hash,
            "lastStep": 4, "openDisputes": [Int](), "timeline": [Any](),
            "commitment": try JSONSerialization.jsonObject(with: JSONEncoder().encode(commitment)),
            "signedCommitment": try JSONSerialization.jsonObject(with: JSONEncoder().encode(signed)),
        ]
        return (try JSONDecoder().decode(API.LeaseView.self, from: JSONSerialization.data(withJSONObject: object)), trace)
    }

    /// The order the lease belongs to: id 3, its manifest hashing to the lease's manifest hash,
    /// 4 steps (for training) with a checkpoint every 2.
    static func order(runtime: WorkloadSpec.Runtime = .mlpInfer, steps: Int = 4, interval: Int = 2) throws -> Order {
        let data = "sha256:\(Hashing.sha256Hex("data"))"
        let workload = runtime == .mlpTrain
            ? "{runtime: mlp-train, dataset: \"\(data)\", trainRows: 1, layers: [4, 2], steps: \(steps), batch: 1, learningRate: 0.1, seed: 1, checkpointInterval: \(interval)}"
            : "{runtime: mlp-infer, model: \"\(data)\", inputs: \"\(data)\", batch: 1, checkpointInterval: \(interval)}"
        let manifest = try JobManifest.parse("""
            version: 1
            name: job
            kind: \(runtime == .mlpTrain ? "training" : "inference")
            workload: \(workload)
            resources: {cpu: {units: 1}, memory: {size: 1Gi}}
            pricing: {maxPrice: 1}
            verification: {collateral: 1}
            deadline: 10m
            """)
        return Order(
            id: 3, submitter: KeyPair().account, manifest: manifest, manifestHash: Hashing.sha256Hex("x"), createdAt: Timestamp(millis: 0),
            closesAt: Timestamp(millis: 1), escrow: .zero, state: .awarded, bids: []
        )
    }

    static func refusal(_ body: () throws -> JobResult) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as JobResultError {
            guard case .refused = error else { return "not a refusal: \(error)" }
            return error.description
        } catch {
            return "unexpected: \(error)"
        }
    }

    @Test("bytes that match the signed commitment pass, with every check named")
    func matching() throws {
        let (lease, trace) = try Self.lease()
        let checked = try JobResult.verify(lease, of: Self.order(), result: Self.result, finalState: Self.finalState, trace: trace)
        #expect(checked.checks.count == 6)
        #expect(checked.commitment.lease == 7)
    }

    @Test("a result, final state or trace whose hash is not the committed one is refused")
    func mismatches() throws {
        let (lease, trace) = try Self.lease()
        var tampered = Self.result
        tampered[tampered.startIndex] ^= 1
        let result = Self.refusal { try JobResult.verify(lease, of: Self.order(), result: tampered, finalState: Self.finalState, trace: trace) }
        #expect(result?.contains("the result's SHA-256 is") == true, "\(result ?? "passed")")
        let state = Self.refusal { try JobResult.verify(lease, of: Self.order(), result: Self.result, finalState: Data("another".utf8), trace: trace) }
        #expect(state?.contains("the final state's SHA-256 is") == true, "\(state ?? "passed")")
        let shortTrace = Self.refusal { try JobResult.verify(lease, of: Self.order(), result: Self.result, finalState: Self.finalState, trace: trace.dropLast(32)) }
        #expect(shortTrace?.contains("trace:") == true, "\(shortTrace ?? "passed")")
    }

    @Test("a commitment signed by someone else than the lease's provider, or for another lease, is refused")
    func wrongSigner() throws {
        let (forged, trace) = try Self.lease(signer: KeyPair())
        let signer = Self.refusal { try JobResult.verify(forged, of: Self.order(), result: Self.result, finalState: Self.finalState, trace: trace) }
        #expect(signer?.contains("not by the lease's provider") == true, "\(signer ?? "passed")")
        let (other, otherTrace) = try Self.lease(lease: 8)
        let lease = Self.refusal { try JobResult.verify(other, of: Self.order(), result: Self.result, finalState: Self.finalState, trace: otherTrace) }
        #expect(lease?.contains("names lease 8, not 7") == true, "\(lease ?? "passed")")
    }

    @Test("a training result that names another model than the committed final state is refused")
    func trainingModel() throws {
        let training = Data(#"{"runtime":"mlp-train","steps":4,"modelStateHash":"\#(Hashing.sha256Hex("elsewhere"))","heldOutCorrect":1,"heldOutCount":2,"heldOutAccuracy":"0.5000","trainLoss":"0.1"}"#.utf8)
        let (lease, trace) = try Self.lease(result: training)
        let training4 = try Self.order(runtime: .mlpTrain)
        let refused = Self.refusal { try JobResult.verify(lease, of: training4, result: training, finalState: Self.finalState, trace: trace) }
        #expect(refused?.contains("names model") == true, "\(refused ?? "passed")")
        // A training order's result must be a training result; an inference result will not do.
        let (inferLease, inferTrace) = try Self.lease()
        let wrongKind = Self.refusal { try JobResult.verify(inferLease, of: training4, result: Self.result, finalState: Self.finalState, trace: inferTrace) }
        #expect(wrongKind?.contains("not a training result") == true, "\(wrongKind ?? "passed")")
    }

    @Test("a lease of another order, or a schedule that is not the manifest's, is refused")
    func wrongOrderOrSchedule() throws {
        let (lease, trace) = try Self.lease()
        var other = try Self.order()
        other.id = 4
        let order = Self.refusal { try JobResult.verify(lease, of: other, result: Self.result, finalState: Self.finalState, trace: trace) }
        #expect(order?.contains("not one of order 4's") == true, "\(order ?? "passed")")
        let everyThree = try Self.order(interval: 3)
        let schedule = Self.refusal { try JobResult.verify(lease, of: everyThree, result: Self.result, finalState: Self.finalState, trace: trace) }
        #expect(schedule?.contains("is not the manifest's") == true, "\(schedule ?? "passed")")
    }
}
