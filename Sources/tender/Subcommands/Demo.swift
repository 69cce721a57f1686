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
          tender demo --keep    # then open the dashboard's URL; Ctrl-C stops
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

    @Option(help: ArgumentHelp("Working directory, new or empty, kept afterwards with every process's log (default: a temporary one, removed after a run that passed).", valueName: "dir"))
    var directory: String?

    @Option(help: "Training steps of each training job, 20 to 20000 (600 reach about 0.9 held-out accuracy; more draw a longer loss curve).")
    var steps = 3000

    @Option(help: "Give up after this many seconds, at least 30.")
    var timeout = 600

    func validate() throws {
        guard (20...20_000).contains(steps) else { throw ValidationError("--steps must be between 20 and 20000") }
        guard timeout >= 30 else { throw ValidationError("--timeout must be at least 30 seconds") }
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080") }
    }

    func run() async throws {
        let datasetURL = try locateDataset()
        let work = try workDirectory()
        let signals = DemoSignals()
        let story = DemoStory(toStandardError: json)
        let run: DemoRun
        do {
            run = try await DemoRun.start(work: work, dataset: datasetURL, listen: listen, steps: steps, story: story)
        } catch {
            try fail("\(error)", work: work, died: [])
        }
        var report: DemoReport?
        var failure: String?
        do {
            report = try await run.play(timeout: .seconds(timeout), interrupt: signals)
        } catch {
            failure = "\(error)"
        }
        if let report {
            if json { try JSONOutput.print(report) } else { report.text.forEach { print($0) } }
            fflush(nil)
            if !report.passed { failure = "the demo did not end as it should: " + report.problems.joined(separator: "; ") }
        }
        if keep, failure == nil {
            story.say("the controller is still running (its agents are stopped): open \(run.controller.url.absoluteString)/ for the dashboard; Ctrl-C stops it")
            while !signals.isRequested { try? await Task.sleep(for: .milliseconds(200)) }
        }
        let died = run.children.filter(\.died)
        await run.stop()
        if let failure { try fail(failure, work: work, died: died, reported: report != nil) }
        if directory == nil { try? FileManager.default.removeItem(at: work) }
    }

    /// What a script reading `--json` gets when there is no summary: that it failed, and why.
    struct Failure: Encodable {
        var passed = false
        var problems: [String]
        var directory: String
    }

    private func fail(_ failure: String, work: URL, died: [DemoProcess], reported: Bool = false) throws -> Never {
        if json, !reported { try? JSONOutput.print(Failure(problems: [failure], directory: work.path)) }
        fflush(nil)
        printError("error: \(failure)")
        printError("logs and data are kept in \(work.path) (controller.log, logs/*.log)")
        for child in died {
            printError("  \(child.name) had exited with \(child.exitStatus ?? 0): \(child.tail(3).joined(separator: " | "))")
        }
        throw ExitStatus.failure
    }

    /// `--directory`, new or empty, or a new temporary one: the demo's market starts from nothing.
    private func workDirectory() throws(ExitCode) -> URL {
        guard let directory else {
            return FileManager.default.temporaryDirectory.appendingPathComponent("tender-demo-\(UUID().uuidString.prefix(8))", isDirectory: true)
        }
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                printError("error: --directory \(directory) is a file, not a directory")
                throw ExitStatus.badInput
            }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            guard contents.isEmpty else {
                printError("error: --directory \(directory) is not empty: the demo starts a market from nothing; name a new or empty directory")
                throw ExitStatus.badInput
            }
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            printError("error: cannot create --directory \(directory): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
            throw ExitStatus.badInput
        }
        return url
    }

    /// The dataset given, else `Datasets/digits.csv` in the current directory or above this build;
    /// checked here, so a file the jobs cannot train on stops the demo before anything starts.
    private func locateDataset() throws(ExitCode) -> URL {
        if let dataset {
            let url = URL(fileURLWithPath: dataset).standardizedFileURL
            try Self.check(dataset: url, named: dataset)
            return url
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var directory = DemoProcess.executable.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory)
            directory.deleteLastPathComponent()
        }
        for base in candidates {
            let file = base.appendingPathComponent("Datasets/digits.csv")
            if FileManager.default.isReadableFile(atPath: file.path) {
                try Self.check(dataset: file, named: file.path)
                return file.standardizedFileURL
            }
        }
        printError("error: Datasets/digits.csv is not here: run the demo from the repository, or pass --dataset PATH")
        throw ExitStatus.badInput
    }

    /// The digits data: 64 pixel columns and a label, and more than the 1,437 rows the jobs train on, so that some are held out for accuracy.
    static func check(dataset url: URL, named name: String) throws(ExitCode) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: url.path) else {
            printError("error: cannot read the dataset \(name): not a readable file")
            throw ExitStatus.badInput
        }
        do {
            let parsed = try NumericCSV.parse(String(decoding: data, as: UTF8.self))
            let rows = parsed.features.count / max(parsed.featureCount, 1)
            guard parsed.featureCount == 64, rows > 1_437 else {
                printError("error: \(name) is not the digits data: \(parsed.featureCount) feature columns and \(rows) rows, where the demo's jobs need 64 and more than 1,437")
                throw ExitStatus.badInput
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(name) is not the digits data: \(error)")
            throw ExitStatus.badInput
        }
    }
}
