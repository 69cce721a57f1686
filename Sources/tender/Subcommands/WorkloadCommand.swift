import ArgumentParser
import Foundation
import TenderClient
import TenderCore
import TenderWorkloads

struct WorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Run a manifest's workload on this machine, exactly as a provider would.",
        discussion: "Example:\n  tender workload run Manifests/digits-train.yaml",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a manifest locally: train or infer, commit every checkpoint, print the Merkle root.",
            discussion: """
            Inputs are read relative to the manifest, or from the local artifact store \
            ($TENDER_HOME/artifacts) for sha256: references. The result and the final state are kept \
            in that store, so an inference manifest can name a trained model by its hash. \
            Two runs of the same manifest give the same root, bit for bit, on any machine. An exec \
            job's program runs in a bubblewrap sandbox, as on a provider.

            Example:
              tender workload run Manifests/digits-train.yaml
            """
        )

        @Argument(help: "The job manifest to run.")
        var manifest: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Flag(help: "Do not draw the progress bar.")
        var quiet = false

        @Flag(help: "Run an exec job's program WITHOUT a sandbox when bubblewrap cannot start one (it then runs as you, with your files and network).")
        var allowUnsandboxedExec = false

        struct Report: Encodable {
            var manifest: String
            var runtime: String
            var steps: Int
            var leaves: Int
            var root: String
            var finalStateHash: String
            var resultHash: String
            var loss: Float?
            var heldOutAccuracy: Double?
            var heldOutCorrect: Int?
            var heldOutCount: Int?
            var seconds: Double
        }

        func run() async throws {
            let url = URL(fileURLWithPath: manifest)
            let parsed: JobManifest
            do {
                parsed = try JobManifest.parse(try String(contentsOf: url, encoding: .utf8))
            } catch let failure as ValidationFailure {
                printError("error: \(manifest) is not a valid manifest:\n" + failure.problems.map { "  \($0)" }.joined(separator: "\n"))
                throw ExitStatus.badInput
            } catch {
                printError("error: cannot read \(manifest): no such file or not UTF-8 text")
                throw ExitStatus.badInput
            }
            let store = LocalArtifactStore()
            let base = url.deletingLastPathComponent()
            let workload: any Workload
            do {
                let isolation: ExecIsolation = if case .exec = parsed.workload {
                    ExecIsolation.detect(allowUnsandboxed: allowUnsandboxedExec)
                } else {
                    .refused(reason: "not an exec job")
                }
                workload = try WorkloadFactory.make(parsed.workload, exec: isolation) { reference in
                    try store.resolve(reference, relativeTo: base)
                }
            } catch {
                printError("error: \(error)")
                throw ExitStatus.badInput
            }
            let runner = try WorkloadRunner(workload)
            let progress = ProgressBar(total: workload.totalSteps, enabled: !quiet && !json)
            let clock = ContinuousClock()
            let start = clock.now
            let result = try runner.run { checkpoint in progress.update(step: checkpoint.step, loss: checkpoint.loss) }
            let elapsed = clock.now - start
            progress.finish()

            try store.put(result.finalState.bytes)
            let resultHash = try store.put(result.result)
            var report = Report(
                manifest: manifest, runtime: workload.runtime, steps: workload.totalSteps, leaves: result.commitment.leafCount,
                root: result.commitment.root, finalStateHash: result.finalState.hashHex, resultHash: resultHash,
                loss: result.finalState.loss, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            )
            if let training = workload as? MLPTrainWorkload {
                let evaluation = training.evaluate(try training.decode(result.finalState.bytes).model)
                report.heldOutAccuracy = evaluation.heldOutAccuracy
                report.heldOutCorrect = evaluation.heldOutCorrect
                report.heldOutCount = evaluation.heldOutCount
            }
            if let inference = try? JSONDecoder().decode(MLPInferResult.self, from: result.result), let correct = inference.correct {
                report.heldOutCorrect = correct
                report.heldOutCount = inference.predictions.count
                report.heldOutAccuracy = inference.predictions.isEmpty ? nil : Double(correct) / Double(inference.predictions.count)
            }
            if json {
                try JSONOutput.print(report)
                return
            }
            print("\(parsed.name): \(report.runtime), \(report.steps) steps in \(String(format: "%.1f", report.seconds)) s")
            if let loss = report.loss { print("  loss              \(String(format: "%.4f", loss))") }
            if let accuracy = report.heldOutAccuracy, let correct = report.heldOutCorrect, let count = report.heldOutCount {
                let label = workload is MLPTrainWorkload ? "held-out accuracy" : "accuracy         "
                print("  \(label) \(String(format: "%.4f", accuracy)) (\(correct)/\(count))")
            }
            print("  root              \(report.root) (\(report.leaves) leaves)")
            print("  final state       sha256:\(report.finalStateHash)")
            print("  result            sha256:\(report.resultHash)")
            print("  kept in           \(store.directory.path)")
        }
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    // Only touched from the single thread running the workload; never shared.
    private let total: Int
    private let enabled: Bool
    private var lastDrawn = -1

    init(total: Int, enabled: Bool) {
        self.total = max(total, 1)
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(step: Int, loss: Float?) {
        guard enabled else { return }
        let percent = min(100, step * 100 / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let filled = percent / 4
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 25 - filled)
        let lossText = loss.map { String(format: " loss %.4f", $0) } ?? ""
        FileHandleOutput.standardError("\r[\(bar)] \(percent)% step \(step)/\(total)\(lossText)   ")
    }

    func finish() {
        if enabled { FileHandleOutput.standardError("\n") }
    }
}
