import ArgumentParser
import Foundation
import TenderClient
import TenderControllerService
import TenderCore
import TenderWorkloads

/// `tender demo`: the whole market on this machine, told as it happens.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a whole market here: a controller, three providers (one cheats), a submitter and a challenger.",
        discussion: """
        Starts a controller in this process (a temporary SQLite database, dev mode) and, as child \
        processes of this executable, three provider agents (honest-1 and honest-2 in eu-west, and \
        a cheaper 'cheater' in us-east that commits wrong state hashes), a challenger \
        (tender challenge watch) and, for each job, a submitter (tender job submit). The jobs: the \
        digits training job, an inference job on the model it trained, and a training job only the \
        cheater can bid on. It prints the bids and prices, training progress, the audits, the \
        cheater caught and slashed, and settlement; then a summary and `tender ledger verify`.

        Exit codes: 0 when the honest jobs settled, the cheater was slashed and the ledger \
        verified; 1 otherwise (the logs are kept and named); 2 bad usage or a missing dataset.

        Examples:
          tender demo
          tender demo --keep            # then open the dashboard URL it prints; Ctrl-C stops it
          tender demo --json > demo.json
        """
    )

    @Flag(help: "Print the summary as JSON on standard output; the story goes to standard error.")
    var json = false

    @Flag(help: "Leave the controller running when done and print the dashboard URL; Ctrl-C stops it.")
    var keep = false

    @Option(help: ArgumentHelp("The digits dataset (default: Datasets/digits.csv here or beside this build).", valueName: "path"))
    var dataset: String?

    @Option(help: ArgumentHelp("Where the controller listens (port 0: any free port).", valueName: "host:port"))
    var listen = "127.0.0.1:0"

    @Option(help: ArgumentHelp("Working directory, kept afterwards (default: a temporary one, removed after a run that passed).", valueName: "dir"))
    var directory: String?

    @Option(help: "Training steps of each training job (600 reach about 0.9 held-out accuracy; more draw a longer loss curve).")
    var steps = 1500

    @Option(help: "Give up after this many seconds.")
    var timeout = 600

    func validate() throws {
        guard (20...20_000).contains(steps) else { throw ValidationError("--steps must be between 20 and 20000") }
        guard timeout >= 30 else { throw ValidationError("--timeout must be at least 30 seconds") }
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080") }
    }

    func run() async throws {
        let datasetURL = try locateDataset()
        let work = directory.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tender-demo-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let story = DemoStory(toStandardError: json)
        let run = try await DemoRun.start(work: work, dataset: datasetURL, listen: listen, steps: steps, story: story)
        let interrupt = Interrupt(note: "stopping the demo")
        var report: DemoReport?
        var failure: String?
        do {
            report = try await run.play(timeout: .seconds(timeout), interrupt: interrupt)
        } catch {
            failure = "\(error)"
        }
        if let report {
            if json { try JSONOutput.print(report) } else { report.text.forEach { print($0) } }
            if !report.passed { failure = "the demo did not end as it should: " + report.problems.joined(separator: "; ") }
        }
        if keep, failure == nil {
            story.say("the market is still running: open \(run.controller.url.absoluteString)/ for the dashboard; Ctrl-C stops it")
            while !interrupt.isRequested { try? await Task.sleep(for: .milliseconds(200)) }
        }
        let died = run.children.filter(\.died)
        await run.stop()
        if let failure {
            fflush(nil)
            printError("error: \(failure)")
            printError("logs and data are kept in \(work.path) (controller.log, logs/*.log)")
            for child in died {
                printError("  \(child.name) had exited with \(child.exitStatus ?? 0): \(child.tail(3).joined(separator: " | "))")
            }
            throw ExitStatus.failure
        }
        if directory == nil { try? FileManager.default.removeItem(at: work) }
    }

    /// The dataset given, else `Datasets/digits.csv` in the current directory or above this build.
    private func locateDataset() throws(ExitCode) -> URL {
        if let dataset {
            guard FileManager.default.isReadableFile(atPath: dataset) else {
                printError("error: cannot read the dataset \(dataset)")
                throw ExitStatus.badInput
            }
            return URL(fileURLWithPath: dataset).standardizedFileURL
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var directory = DemoProcess.executable.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory)
            directory.deleteLastPathComponent()
        }
        for base in candidates {
            let file = base.appendingPathComponent("Datasets/digits.csv")
            if FileManager.default.isReadableFile(atPath: file.path) { return file.standardizedFileURL }
        }
        printError("error: Datasets/digits.csv is not here: run the demo from the repository, or pass --dataset PATH")
        throw ExitStatus.badInput
    }
}
