import Foundation
import TenderCore

/// The demo's market: three CPU providers and three jobs, written as the same YAML a person would.
///
/// The two honest providers are in `eu-west` at different prices, so the first two jobs (placed in
/// `eu-west`) get two bids and clear at the higher one under second-price. The cheater is the
/// cheapest but in `us-east`: it bids only on the third job, which is placed there, and wins it
/// alone, at the job's maximum (second-price with no losing bid). It commits wrong state hashes
/// for every segment, so the controller's audit or the challenger catches it.
struct DemoScenario {
    struct Provider {
        var key: String
        var region: String
        /// Credits per CPU-hour; the demo's jobs are priced by CPU and memory only.
        var cpuHour: String
        var faults: [String]
    }

    struct Job {
        var file: String
        var name: String
        /// Filled in when the job is submitted: the trained model for the inference job.
        var text: (_ model: String?) -> String
    }

    static let providers = [
        Provider(key: "honest-1", region: "eu-west", cpuHour: "0.04", faults: []),
        Provider(key: "honest-2", region: "eu-west", cpuHour: "0.06", faults: []),
        Provider(key: cheater, region: "us-east", cpuHour: "0.02", faults: ["skip-steps:1"]),
    ]

    static let submitter = "submitter"
    /// The provider that lies, and the one job only it can win.
    static let cheater = "cheater"
    static let cheatersJob = "digits-train-us"
    static let challenger = "challenger"

    /// Keys the demo makes, in the order it funds them.
    static var keys: [String] { providers.map(\.key) + [submitter, challenger] }

    static func profile(_ provider: Provider) -> String {
        """
        # tender demo: a CPU-only provider in \(provider.region).
        version: 1
        name: \(provider.key)
        inventory:
          cpu:
            units: 2
          memory:
            size: 4Gi
          storage:
            size: 16Gi
        attributes:
          region: \(provider.region)
        pricing:
          strategy: linear
          gpuHour: 0
          cpuHour: \(provider.cpuHour)
          memoryGiHour: 0.002
          minimum: 0.005
        concurrency: 1
        stakeTarget: 5
        runtimes: [mlp-train, mlp-infer]
        """
    }

    /// The three jobs; `dataset` is an absolute path to the digits CSV.
    static func jobs(dataset: String, trainingSteps: Int) -> [Job] {
        [
            training(file: "1-digits-train.yaml", name: "digits-train", region: "eu-west", maxPrice: "0.5", seed: 7,
                     dataset: dataset, steps: trainingSteps),
            Job(file: "2-digits-infer.yaml", name: "digits-infer") { model in
                manifest(name: "digits-infer", kind: "inference", region: "eu-west", cpu: 1, maxPrice: "0.25", deadline: "15m", workload: """
                      runtime: mlp-infer
                      model: sha256:\(model ?? "")
                      inputs: \(yamlQuoted(dataset))
                      batch: 90
                      checkpointInterval: 2
                      inputScale: 16
                    """)
            },
            training(file: "3-digits-train-us.yaml", name: cheatersJob, region: "us-east", maxPrice: "0.2", seed: 11,
                     dataset: dataset, steps: trainingSteps),
        ]
    }

    /// A digits training job of `steps` steps placed in `region`, committing 20 segments.
    static func training(file: String, name: String, region: String, maxPrice: String, seed: Int, dataset: String, steps: Int) -> Job {
        Job(file: file, name: name) { _ in
            manifest(name: name, kind: "training", region: region, cpu: 2, maxPrice: maxPrice, deadline: "30m", workload: """
                  runtime: mlp-train
                  dataset: \(yamlQuoted(dataset))
                  trainRows: 1437
                  layers: [64, 32, 10]
                  activation: relu
                  steps: \(steps)
                  batch: 32
                  learningRate: 0.1
                  momentum: 0.9
                  seed: \(seed)
                  checkpointInterval: \(max(steps / 20, 1))
                  inputScale: 16
                """)
        }
    }

    /// `text` as a YAML double-quoted scalar: a path may hold ': ' or ' #'.
    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A short auction and challenge window, so the demo takes minutes; real jobs use longer ones.
    static func manifest(
        name: String, kind: String, region: String, cpu: Int, maxPrice: String, deadline: String, workload: String
    ) -> String {
        """
        # tender demo: \(name), placed in \(region).
        version: 1
        name: \(name)
        kind: \(kind)
        workload:
        \(workload)
        resources:
          cpu:
            units: \(cpu)
          memory:
            size: 1Gi
        placement:
          attributes:
            region: \(region)
        pricing:
          maxPrice: \(maxPrice)
          rule: second-price
          auctionDuration: 4s
        verification:
          mode: sampled
          samples: 4
          challengeWindow: 20s
          collateral: 1
        deadline: \(deadline)
        """
    }
}
