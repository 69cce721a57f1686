import ArgumentParser
import Foundation
import Logging
import TenderControllerService
import TenderStore

@main
struct TenderController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender-controller",
        abstract: "The Tender controller: runs the market, the ledger and the artifact store.",
        discussion: """
        Exit codes: 0 success, 1 failure, 2 bad usage or input.

        Examples:
          tender-controller serve --dev --db /tmp/tender/tender.sqlite
          tender-controller keygen --key-file /etc/tender/controller.key
        """,
        subcommands: [Serve.self, CheckConfig.self, Keygen.self, Populate.self]
    )
}

/// Serves the `/v1` API until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the marketplace API.",
        discussion: """
        State lives in an SQLite database (synchronous=FULL) and a content-addressed artifact \
        directory next to it. The controller's signing key is controller.key beside the database, \
        created on first start (not over a journal whose last entry is signed: that entry's key \
        belongs there), or the file --key-file (or keyFile in the config) names, kept out of reach \
        of whoever can write the data directory; that file must exist (tender-controller keygen \
        makes one). \
        Stops cleanly on SIGTERM and resumes its clocks on restart.

        Examples:
          tender-controller serve --dev --listen 127.0.0.1:8080 --db ./tender.sqlite
          tender-controller serve --db /var/lib/tender/tender.sqlite --key-file /etc/tender/controller.key
        """
    )

    @Option(help: "Address to listen on, HOST:PORT (overrides the config file).")
    var listen: String?

    @Option(help: "SQLite database file, or postgres://USER@HOST:PORT/DATABASE for a database several controllers share (overrides the config file).")
    var db: String?

    @Option(help: "Artifact directory (default: 'artifacts' next to an SQLite database, or in the current directory for PostgreSQL).")
    var artifacts: String?

    @Option(help: ArgumentHelp(
        "The controller's signing key, outside the data directory (overrides the config file; default: controller.key next to the database). Never created here: make one with tender-controller keygen.",
        valueName: "path"
    ))
    var keyFile: String?

    @Option(help: ArgumentHelp(
        "Where other controllers on a shared (PostgreSQL) database send writes while this one leads (default: http:// and the listen address).",
        valueName: "url"
    ))
    var advertise: String?

    @Option(help: "Configuration file; the built-in defaults apply when it is absent.")
    var config: String = "controller/tender-controller.yaml"

    @Flag(help: "Start even though the journal's last entry was signed by another key (making controller.key beside the database if there is none): a deliberate key rotation (clients then re-pin with tender ledger verify --accept-new-key). Needed until the new key has signed a write.")
    var acceptNewKey = false

    @Flag(help: "Development mode: opens the faucet (POST /v1/faucet).")
    var dev = false

    func run() async throws {
        var loaded = ControllerConfig()
        if FileManager.default.fileExists(atPath: config) {
            do { loaded = try ControllerConfig.load(path: config) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        if let listen { loaded.listen = listen }
        if let db { loaded.database = db }
        if let keyFile { loaded.keyFile = keyFile }
        if let advertise { loaded.advertise = advertise }
        let problems = loaded.problems()
        guard problems.isEmpty else {
            FileHandle.standardError.write(Data("error: \(problems.joined(separator: "; "))\n".utf8))
            throw ExitCode(2)
        }
        let store: StoreLocation
        do { store = try StoreLocation(loaded.database) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        // Beside an SQLite file; a shared database has no directory, so the current one.
        let artifactsURL = artifacts.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? (store.file?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .appendingPathComponent(loaded.artifacts, isDirectory: true)
        var logger = Logger(label: "tender-controller")
        logger.logLevel = .info
        do {
            let app = try await ControllerApplication.make(
                config: loaded, dev: dev, store: store, artifactsDirectory: artifactsURL,
                keyFile: loaded.keyFile.map { URL(fileURLWithPath: $0) }, acceptNewKey: acceptNewKey, logger: logger
            )
            logger.info("tender-controller listening", metadata: ["listen": "\(loaded.listen)", "db": "\(store)", "dev": "\(dev)"])
            try await app.runService()
        } catch let error as ControllerKeyError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(error.isUserInput ? 2 : 1)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
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
            var loaded = try ControllerConfig.load(path: config)
            // A database URL may carry a password: never print it.
            loaded.database = PostgresLocation.redacted(loaded.database)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(loaded), as: UTF8.self))
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
