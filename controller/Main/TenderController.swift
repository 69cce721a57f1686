import ArgumentParser
import Foundation

@main
struct TenderController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender-controller",
        abstract: "The Tender controller: runs the market, the ledger and the artifact store.",
        discussion: """
        Exit codes: 0 success, 1 failure, 2 bad usage or input.

        Example:
          tender-controller check-config --config controller/tender-controller.yaml
        """,
        subcommands: [CheckConfig.self]
    )
}

/// Loads and checks a configuration file, then prints the effective settings.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a controller configuration file and print the effective settings.",
        discussion: "Example:\n  tender-controller check-config --config controller/tender-controller.yaml"
    )

    @Option(help: "Configuration file.")
    var config: String = "controller/tender-controller.yaml"

    func run() async throws {
        do {
            let loaded = try ControllerConfig.load(path: config)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(loaded), as: UTF8.self))
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
