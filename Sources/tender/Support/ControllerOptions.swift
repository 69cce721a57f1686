import ArgumentParser
import Foundation
import TenderClient
import TenderCore

/// `--controller` and `--json`, shared by every command that talks to a controller.
struct ControllerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Controller URL (default: $TENDER_CONTROLLER or http://127.0.0.1:8080).", valueName: "url"))
    var controller: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The URL given, else `$TENDER_CONTROLLER`, else the default.
    var controllerURL: String {
        if let controller { return controller }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TENDER_CONTROLLER"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return TenderAPIClient.defaultBaseURL.absoluteString
    }

    /// A client for the chosen controller, signing with `key` if given. A bad URL exits 2.
    func client(key: KeyPair? = nil) throws(ExitCode) -> TenderAPIClient {
        do {
            return try TenderAPIClient(controller: controllerURL, key: key)
        } catch {
            throw CLIError.report(error)
        }
    }
}

/// `--key` and `--keystore`, for commands that sign or act as an account.
struct KeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Name of the key to act as (default: $TENDER_KEY).", valueName: "name"))
    var key: String?

    @Option(help: ArgumentHelp("Keystore directory (default: $TENDER_HOME/keys or ~/.tender/keys).", valueName: "dir"))
    var keystore: String?

    /// The key name given, else `$TENDER_KEY`.
    var keyName: String? {
        if let key { return key }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TENDER_KEY"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    var store: Keystore {
        Keystore(directory: keystore.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? Keystore.defaultDirectory())
    }

    /// The key to sign with; exits 2 if none is named or it is not in the keystore.
    func load() throws(ExitCode) -> KeyPair {
        guard let name = keyName else {
            printError("error: this command signs its request: pass --key NAME or set TENDER_KEY (create a key with: tender keys create NAME)")
            throw ExitStatus.badInput
        }
        do {
            return try store.load(name: name)
        } catch {
            printError("error: \(error.description)")
            throw error.isUserInput ? ExitStatus.badInput : ExitStatus.failure
        }
    }

    /// The key if one is named, nil otherwise.
    func loadIfNamed() throws(ExitCode) -> KeyPair? {
        keyName == nil ? nil : try load()
    }
}

/// Turning client errors into messages on standard error and the CLI's exit codes.
enum CLIError {
    /// Prints `error` and returns the exit code it maps to: 2 for bad input, 1 otherwise.
    static func report(_ error: ClientError) -> ExitCode {
        printError("error: \(error.description)")
        return error.isUserInput ? ExitStatus.badInput : ExitStatus.failure
    }

    /// Runs a client call, reporting a failure and exiting with its code.
    static func call<T>(_ body: () async throws(ClientError) -> T) async throws(ExitCode) -> T {
        do {
            return try await body()
        } catch {
            throw report(error)
        }
    }

    /// Parses an account id typed by a user; exits 2 if it is not one.
    static func account(_ text: String) throws(ExitCode) -> AccountID {
        do {
            return try AccountID(text)
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.badInput
        }
    }

    /// Parses credits typed by a user (`12.5`); exits 2 if it is not an amount.
    static func amount(_ text: String, positive: Bool = true) throws(ExitCode) -> Amount {
        let amount: Amount
        do {
            amount = try Amount.parse(text)
        } catch {
            printError("error: \(error.description)")
            throw ExitStatus.badInput
        }
        if positive, amount.isZero {
            printError("error: the amount must be more than 0")
            throw ExitStatus.badInput
        }
        return amount
    }
}

/// Order, lease and dispute ids as command-line arguments.
extension MarketID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
