import Foundation
import Testing
@testable import TenderCore

/// The JSON of manifests and profiles is what a person would design: the runtime and the pricing
/// strategy beside their terms, as in the YAML, never Swift's `{"case": {"_0": …}}`.
@Suite("manifest and profile JSON")
struct DesignedCodingTests {
    static func json<T: Encodable>(_ value: T) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: CanonicalJSON.encode(value)) as? [String: Any])
    }

    @Test("every repository manifest's workload reads {runtime, …its parameters} and decodes back to itself")
    func workloads() throws {
        for file in RepositoryFiles.yamlFiles(in: "Manifests") {
            let manifest = try JobManifest.parse(try String(contentsOf: file, encoding: .utf8))
            let data = try CanonicalJSON.encode(manifest)
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("\"_0\""), "\(file.lastPathComponent): \(text)")
            let workload = try #require(try Self.json(manifest)["workload"] as? [String: Any])
            #expect(workload["runtime"] as? String == manifest.workload.runtime.rawValue)
            #expect(try CanonicalJSON.decode(JobManifest.self, from: data) == manifest)
        }
    }

    @Test("every repository profile's pricing reads {strategy, …its terms} and decodes back to itself")
    func profiles() throws {
        for file in RepositoryFiles.yamlFiles(in: "Providers") {
            let profile = try ProviderProfile.parse(try String(contentsOf: file, encoding: .utf8))
            let data = try CanonicalJSON.encode(profile)
            #expect(!String(decoding: data, as: UTF8.self).contains("\"_0\""))
            let pricing = try #require(try Self.json(profile)["pricing"] as? [String: Any])
            switch profile.pricing {
            case .linear: #expect(pricing["strategy"] as? String == "linear" && pricing["perCPUHour"] != nil)
            case .script: #expect(pricing["strategy"] as? String == "script" && pricing["command"] != nil)
            }
            #expect(try CanonicalJSON.decode(ProviderProfile.self, from: data) == profile)
        }
    }

    @Test("the shapes stored before (Swift's synthesized enum coding) still decode")
    func legacyShapes() throws {
        let rates = LinearRates(perGPUHour: try Amount.parse("1"), perCPUHour: try Amount.parse("0.02"), minimum: try Amount.parse("0.01"))
        let linear = Data(#"{"linear":{"_0":{"perGPUHour":1000000,"perCPUHour":20000,"perMemoryGiBHour":0,"perStorageGiBHour":0,"minimum":10000}}}"#.utf8)
        #expect(try JSONDecoder().decode(PricingStrategy.self, from: linear) == .linear(rates))
        let script = Data(#"{"script":{"command":"./price.sh","timeoutSeconds":2}}"#.utf8)
        #expect(try JSONDecoder().decode(PricingStrategy.self, from: script) == .script(command: "./price.sh", timeoutSeconds: 2))

        let manifest = try JobManifest.parse(try String(contentsOf: RepositoryFiles.root.appendingPathComponent("Manifests/digits-infer.yaml"), encoding: .utf8))
        guard case .mlpInfer(let spec) = manifest.workload else {
            Issue.record("digits-infer is not an mlp-infer job")
            return
        }
        let legacy = try JSONSerialization.data(withJSONObject: ["mlpInfer": ["_0": try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec))]])
        #expect(try JSONDecoder().decode(WorkloadSpec.self, from: legacy) == manifest.workload)

        // The other cases, as a store written before wrote them.
        let train = MLPTrainSpec(dataset: .sha256(String(repeating: "a", count: 64)), trainRows: 10, layers: [4, 2], steps: 10, batch: 2,
                                 learningRate: 0.1, seed: 1, checkpointInterval: 5)
        let oldTrain = try JSONSerialization.data(withJSONObject: ["mlpTrain": ["_0": try JSONSerialization.jsonObject(with: JSONEncoder().encode(train))]])
        #expect(try JSONDecoder().decode(WorkloadSpec.self, from: oldTrain) == .mlpTrain(train))
        let exec = #"{"exec":{"_0":{"program":"sha256:\#(String(repeating: "b", count: 64))","programSHA256":"\#(String(repeating: "b", count: 64))","steps":4,"checkpointInterval":2,"stepTimeoutSeconds":30}}}"#
        guard case .exec(let decoded) = try JSONDecoder().decode(WorkloadSpec.self, from: Data(exec.utf8)) else {
            Issue.record("the stored exec workload did not decode as exec")
            return
        }
        #expect(decoded.steps == 4 && decoded.checkpointInterval == 2 && decoded.stepTimeoutSeconds == 30)
    }

    @Test("a workload or pricing without its discriminator is refused, not guessed")
    func refusesUnknown() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkloadSpec.self, from: Data(#"{"steps":3}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkloadSpec.self, from: Data(#"{"runtime":"quantum"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PricingStrategy.self, from: Data(#"{"strategy":"auction"}"#.utf8)) }
    }
}
