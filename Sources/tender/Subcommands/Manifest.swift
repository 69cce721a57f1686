import ArgumentParser
import Foundation
import TenderCore

struct Manifest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with job manifests and provider profiles.",
        discussion: "Example:\n  tender manifest validate Manifests/*.yaml Providers/*.yaml",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate job manifests and provider profiles (YAML or JSON).",
            discussion: """
            Every problem in every file is reported with its field path. Exits 2 if any file is invalid.

            Example:
              tender manifest validate Manifests/*.yaml Providers/*.yaml
            """
        )

        @Argument(help: "Manifest or provider profile files.")
        var files: [String]

        @Flag(help: "Print JSON instead of text.")
        var json = false

        struct FileReport: Encodable {
            var file: String
            var valid: Bool
            var kind: String?
            var summary: String?
            var problems: [ValidationProblem]
        }

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one file") }
        }

        func run() async throws {
            let reports = files.map(Self.check)
            if json {
                try JSONOutput.print(reports)
            } else {
                for report in reports {
                    if report.valid {
                        print("ok       \(report.file)  \(report.summary ?? "")")
                    } else {
                        print("invalid  \(report.file)")
                        for problem in report.problems { print("         \(problem)") }
                    }
                }
                let invalid = reports.filter { !$0.valid }.count
                print(invalid == 0 ? "\(reports.count) valid" : "\(invalid) of \(reports.count) invalid")
            }
            if reports.contains(where: { !$0.valid }) { throw ExitStatus.badInput }
        }

        static func check(_ file: String) -> FileReport {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read as UTF-8 text" : "no such file"
                return FileReport(file: file, valid: false, problems: [ValidationProblem(path: "", message: reason)])
            }
            do {
                let document = try TenderDocument.parse(text)
                let kind = if case .manifest = document { "manifest" } else { "profile" }
                return FileReport(file: file, valid: true, kind: kind, summary: document.summary, problems: [])
            } catch {
                return FileReport(file: file, valid: false, problems: error.problems)
            }
        }
    }
}
