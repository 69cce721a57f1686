import Foundation
import Testing
@testable import TenderCore

@Suite("Manifests and profiles")
struct ManifestTests {
    @Test("every example manifest and provider profile validates")
    func examplesValidate() throws {
        let manifests = RepositoryFiles.yamlFiles(in: "Manifests")
        let profiles = RepositoryFiles.yamlFiles(in: "Providers")
        #expect(manifests.count >= 4)
        #expect(profiles.count >= 3)
        for file in manifests {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try JobManifest.parse(text) }
        }
        for file in profiles {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try ProviderProfile.parse(text) }
        }
    }

    @Test("the digits training example reads as written")
    func digitsTrain() throws {
        let text = try String(contentsOf: RepositoryFiles.root.appendingPathComponent("Manifests/digits-train.yaml"), encoding: .utf8)
        let manifest = try JobManifest.parse(text)
        #expect(manifest.kind == .training)
        #expect(manifest.pricing.maxPrice == (try Amount.parse("2.5")))
        #expect(manifest.pricing.rule == .secondPrice)
        guard case .mlpTrain(let spec) = manifest.workload else {
            Issue.record("expected mlp-train")
            return
        }
        #expect(spec.layers == [64, 64, 10])
        #expect(spec.trainRows == 1437)
        #expect(spec.dataset == .local(path: "../Datasets/digits.csv"))
    }

    static let threeMistakes = """
    version: 1
    name: broken
    kind: training
    workload:
      runtime: mlp-train
      dataset: data.csv
      trainRows: 100
      layers: [4, 2]
      steps: 10
      batch: 0
      learningRate: 0.1
      seed: 1
      checkpointInterval: 5
    resources:
      cpu: {units: 1}
      memory: {size: lots}
      gpu: {units: -2}
    pricing: {maxPrice: 1}
    verification: {collateral: 1}
    deadline: 1h
    """

    @Test("a manifest with three mistakes reports all three with their field paths")
    func threeMistakesReported() {
        #expect {
            try JobManifest.parse(Self.threeMistakes)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            return failure.problems.map(\.path) == ["workload.batch", "resources.memory.size", "resources.gpu.units"]
        }
    }

    @Test("missing sections, wrong types and unknown keys are all reported", arguments: [
        ("version: 1\nname: x\nkind: training\n", ["workload", "resources", "pricing", "verification", "deadline"]),
        ("[1, 2]", [""]),
        ("version: 2\nname: x\nkind: batch\nworkload: 3\nresources: {cpu: {units: 1}, memory: {size: 1Gi}}\npricing: {maxPrice: 1, colour: red}\nverification: {collateral: 1}\ndeadline: soon\n",
         ["version", "kind", "workload", "pricing.colour", "deadline"]),
        ("name: [unclosed", [""]),
    ])
    func manyProblems(text: String, paths: [String]) {
        #expect {
            try JobManifest.parse(text)
        } throws: { error in
            (error as? ValidationFailure)?.problems.map(\.path) == paths
        }
    }

    @Test("profiles report problems with paths")
    func badProfile() {
        let text = """
        version: 1
        name: rig
        inventory:
          gpus: [{vendor: nvidia, model: rtx4090, ram: 24Gi, count: 0, interface: nvlink}]
          cpu: {units: 8}
          memory: {size: 32Gi}
          storage: {size: 1Ti}
        pricing: {strategy: linear, gpuHour: -1}
        stakeTarget: 10
        """
        #expect {
            try ProviderProfile.parse(text)
        } throws: { error in
            (error as? ValidationFailure)?.problems.map(\.path)
                == ["inventory.gpus[0].interface", "inventory.gpus[0].count", "pricing.gpuHour"]
        }
    }

    @Test("a profile's name and attributes are plain text: no markup, no escape sequences, bounded")
    func plainProfileText() {
        let base = """
        version: 1
        name: NAME
        inventory: {cpu: {units: 8}, memory: {size: 32Gi}, storage: {size: 1Ti}}
        attributes: {region: VALUE}
        pricing: {strategy: linear, gpuHour: 0, cpuHour: 0.02}
        stakeTarget: 10
        """
        func paths(name: String, value: String) -> [String] {
            let text = base.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "VALUE", with: value)
            do {
                _ = try ProviderProfile.parse(text)
                return []
            } catch {
                return (error as? ValidationFailure)?.problems.map(\.path) ?? ["not a validation failure: \(error)"]
            }
        }
        #expect(paths(name: "rig-1.eu_west", value: "eu-west") == [])
        #expect(paths(name: "'<img src=x onerror=alert(1)>'", value: "eu-west") == ["name"])
        #expect(paths(name: "\"\\e[31mRED\\e[0m\"", value: "eu-west") == ["name"])
        #expect(paths(name: String(repeating: "a", count: 65), value: "eu-west") == ["name"])
        #expect(paths(name: "rig", value: "\"a\\u0007b\"") == ["attributes.region"])
        #expect(paths(name: "rig", value: String(repeating: "v", count: 129)) == ["attributes.region"])
        // A look-alike letter from another script, and a value that turns the text around.
        #expect(paths(name: "h\u{043E}nest-1", value: "eu-west") == ["name"])
        #expect(paths(name: "rig", value: "\"eu\u{202E}tsew\"") == ["attributes.region"])
    }

    @Test("a profile offers mlp-train and mlp-infer unless it lists its runtimes; exec only when listed")
    func runtimes() throws {
        let base = """
        version: 1
        name: rig
        inventory: {cpu: {units: 8}, memory: {size: 32Gi}, storage: {size: 1Ti}}
        pricing: {strategy: linear, gpuHour: 1}
        stakeTarget: 10
        """
        #expect(try ProviderProfile.parse(base).runtimes == [.mlpTrain, .mlpInfer])
        #expect(try ProviderProfile.parse(base + "\nruntimes: [mlp-train, exec]").runtimes == [.mlpTrain, .exec])
        #expect {
            try ProviderProfile.parse(base + "\nruntimes: [mlp-train, docker]")
        } throws: { error in
            (error as? ValidationFailure)?.problems.map(\.path) == ["runtimes[1]"]
        }
        #expect(throws: ValidationFailure.self) { try ProviderProfile.parse(base + "\nruntimes: []") }
        // A profile stored before runtimes existed decodes with the defaults.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try ProviderProfile.parse(base))) as? [String: Any] ?? [:]
        json["runtimes"] = nil
        let old = try JSONDecoder().decode(ProviderProfile.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.runtimes == ProviderProfile.defaultRuntimes)
    }

    @Test("sizes and durations read as Kubernetes and people write them")
    func units() {
        #expect(ByteSize.bytes("512Mi") == 512 << 20)
        #expect(ByteSize.bytes("1.5Gi") == 3 << 29)
        #expect(ByteSize.bytes("2G") == 2_000_000_000)
        #expect(ByteSize.bytes("32GiB") == 32 << 30)
        #expect(ByteSize.bytes("100") == 100)
        #expect(ByteSize.bytes("Gi") == nil)
        #expect(ByteSize.bytes("99999999999Pi") == nil)
        #expect(ByteSize.format(80 << 30) == "80Gi")
        #expect(DurationText.seconds("1h30m") == 5_400)
        #expect(DurationText.seconds("90") == 90)
        #expect(DurationText.seconds("2d") == 172_800)
        #expect(DurationText.seconds("5x") == nil)
        #expect(DurationText.seconds("m") == nil)
        #expect(DurationText.format(5_400) == "1h30m")
        #expect(ResourceRequest.cpuMillis("0.5") == 500)
        #expect(ResourceRequest.cpuMillis("250m") == 250)
    }

    @Test("a document is told apart as manifest or profile")
    func documentKinds() throws {
        let profile = try String(contentsOf: RepositoryFiles.root.appendingPathComponent("Providers/cpu-only.yaml"), encoding: .utf8)
        guard case .profile(let parsed) = try TenderDocument.parse(profile) else {
            Issue.record("expected a profile")
            return
        }
        #expect(parsed.inventory.gpus.isEmpty)
        #expect(parsed.concurrency == 2)
    }

    @Test("JSON manifests are read like YAML ones")
    func jsonManifest() throws {
        let json = """
        {"version": "1", "name": "j", "kind": "inference",
         "workload": {"runtime": "mlp-infer", "model": "sha256:\(String(repeating: "a", count: 64))", "inputs": "in.csv", "batch": 10, "checkpointInterval": 1},
         "resources": {"cpu": {"units": 1}, "memory": {"size": "1Gi"}},
         "pricing": {"maxPrice": "0.5"}, "verification": {"collateral": 0}, "deadline": "10m"}
        """
        let manifest = try JobManifest.parse(json)
        #expect(manifest.workload.inputs.first == .sha256(String(repeating: "a", count: 64)))
        #expect(manifest.deadlineSeconds == 600)
    }
}

@Suite("Manifest input rewriting")
struct ManifestRewritingTests {
    @Test("local inputs become sha256 references and the manifest still reads the same")
    func rewrite() throws {
        let text = try String(contentsOf: RepositoryFiles.root.appendingPathComponent("Manifests/digits-train.yaml"), encoding: .utf8)
        let hash = String(repeating: "b", count: 64)
        let rewritten = try JobManifest.rewritingInputs(text, ["../Datasets/digits.csv": "sha256:\(hash)"])
        var expected = try JobManifest.parse(text)
        guard case .mlpTrain(var spec) = expected.workload else {
            Issue.record("expected mlp-train")
            return
        }
        spec.dataset = .sha256(hash)
        expected.workload = .mlpTrain(spec)
        #expect(try JobManifest.parse(rewritten) == expected)
        #expect(rewritten.hasPrefix("{"))
    }
}
