import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Job submission")
struct JobSubmissionTests {
    static let manifest = """
    version: 1
    name: tiny-train
    kind: training
    workload:
      runtime: mlp-train
      dataset: data/tiny.csv   # relative to this file
      trainRows: 3
      layers: [2, 4, 2]
      steps: 10
      batch: 2
      learningRate: 0.1
      seed: 1
      checkpointInterval: 5
    resources:
      cpu:
        units: 1
      memory:
        size: 256Mi
      storage:
        - size: 256Mi
    pricing:
      maxPrice: 1.5
    verification:
      mode: sampled
      samples: 2
      challengeWindow: 1m
      collateral: 1
    deadline: 10m
    """

    /// A temp directory holding the manifest and, if asked, its dataset.
    static func withJob(dataset: Bool, manifest: String = manifest, _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-job-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        if dataset {
            try Data("0,1,0\n1,0,1\n1,1,0\n0,0,1\n".utf8).write(to: directory.appendingPathComponent("data/tiny.csv"))
        }
        let file = directory.appendingPathComponent("job.yaml")
        try Data(manifest.utf8).write(to: file)
        try body(file)
    }

    @Test("local inputs are read relative to the manifest and rewritten to sha256 references")
    func rewritesInputs() throws {
        try Self.withJob(dataset: true) { file in
            let job = try JobSubmission.load(file: file)
            #expect(job.inputs.count == 1)
            let input = try #require(job.inputs.first)
            #expect(input.path == "data/tiny.csv")
            #expect(input.sha256 == Hashing.sha256Hex(input.data))

            let rewritten = try job.rewrittenManifest()
            let reread = try JobManifest.parse(rewritten)
            #expect(reread.workload.inputs == [.sha256(input.sha256)])
            #expect(reread.name == "tiny-train")
            #expect(reread.pricing.maxPrice == job.manifest.pricing.maxPrice)
        }
    }

    @Test("a missing input is a problem at its field path, and nothing is loaded")
    func missingInput() throws {
        try Self.withJob(dataset: false) { file in
            do {
                _ = try JobSubmission.load(file: file)
                Issue.record("a manifest with a missing input loaded")
            } catch let error as ValidationFailure {
                #expect(error.problems.count == 1)
                #expect(error.problems.first?.path == "workload.dataset")
                #expect(error.problems.first?.message.contains("no such file") == true)
                #expect(error.problems.first?.message.contains("data/tiny.csv") == true)
            }
        }
    }

    @Test("an invalid manifest reports every problem before any input is looked at")
    func invalidManifest() throws {
        let broken = Self.manifest.replacingOccurrences(of: "units: 1", with: "units: -1")
            .replacingOccurrences(of: "maxPrice: 1.5", with: "maxPrice: 1.1234567")
        try Self.withJob(dataset: false, manifest: broken) { file in
            do {
                _ = try JobSubmission.load(file: file)
                Issue.record("an invalid manifest loaded")
            } catch let error as ValidationFailure {
                let paths = error.problems.map(\.path)
                #expect(paths.contains("resources.cpu.units"))
                #expect(paths.contains("pricing.maxPrice"))
                #expect(!paths.contains("workload.dataset"))
            }
        }
    }

    @Test("a manifest that is not there is one clear problem")
    func noManifest() {
        let file = URL(fileURLWithPath: "/nonexistent/tender/job.yaml")
        #expect(throws: ValidationFailure([ValidationProblem(path: "", message: "no such file: /nonexistent/tender/job.yaml")])) {
            try JobSubmission.load(file: file)
        }
    }
}
