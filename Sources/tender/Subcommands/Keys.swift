import ArgumentParser
import Foundation
import TenderClient
import TenderCore

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and inspect signing keys (accounts).",
        discussion: """
        Keys live in $TENDER_HOME/keys (default ~/.tender/keys), one file per key, mode 0600. \
        An account id is the hex of the key's Ed25519 public key.

        Example:
          tender keys create alice && tender keys show alice
        """,
        subcommands: [Create.self, List.self, Show.self]
    )

    struct Options: ParsableArguments {
        @Option(help: "Keystore directory (default: $TENDER_HOME/keys or ~/.tender/keys).")
        var keystore: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        var store: Keystore {
            Keystore(directory: keystore.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? Keystore.defaultDirectory())
        }
    }

    struct KeyView: Encodable {
        var name: String
        var account: String
        var file: String
        var createdAt: Int64
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new key pair.",
            discussion: "Example:\n  tender keys create alice"
        )

        @Argument(help: "Name for the key, e.g. alice.")
        var name: String

        @OptionGroup var options: Options

        func run() async throws {
            let now = Timestamp(millis: Int64(Date().timeIntervalSince1970 * 1000))
            do {
                let (key, url) = try options.store.create(name: name, now: now)
                if options.json {
                    try JSONOutput.print(KeyView(name: name, account: key.account.hex, file: url.path, createdAt: now.millis))
                } else {
                    print("created key '\(name)'")
                    print("  account  \(key.account.hex)")
                    print("  file     \(url.path)")
                }
            } catch let error as KeystoreError {
                printError("error: \(error.description)")
                throw error.isUserInput ? ExitStatus.badInput : ExitStatus.failure
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored keys.",
            discussion: "Example:\n  tender keys list --json"
        )

        @OptionGroup var options: Options

        func run() async throws {
            let store = options.store
            let entries = try store.list()
            var views: [KeyView] = []
            var failed = false
            for entry in entries {
                switch entry {
                case .success(let key):
                    views.append(KeyView(name: key.name, account: key.account.hex, file: store.fileURL(key.name).path, createdAt: key.createdAt.millis))
                case .failure(let error):
                    failed = true
                    printError("warning: \(error.description)")
                }
            }
            if options.json {
                try JSONOutput.print(views)
            } else if views.isEmpty {
                print("no keys in \(store.directory.path); create one with: tender keys create NAME")
            } else {
                let width = views.map(\.name.count).max() ?? 0
                for view in views {
                    print(view.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + view.account)
                }
            }
            if failed { throw ExitStatus.failure }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a key's account id (never the private key).",
            discussion: "Example:\n  tender keys show alice"
        )

        @Argument(help: "Name of the key.")
        var name: String

        @OptionGroup var options: Options

        func run() async throws {
            let store = options.store
            do {
                let key = try store.read(name: name)
                _ = try store.load(name: name) // proves the private key matches the account id
                if options.json {
                    try JSONOutput.print(KeyView(name: key.name, account: key.account.hex, file: store.fileURL(name).path, createdAt: key.createdAt.millis))
                } else {
                    print("key      \(key.name)")
                    print("account  \(key.account.hex)")
                    print("file     \(store.fileURL(name).path)")
                }
            } catch let error as KeystoreError {
                printError("error: \(error.description)")
                throw error.isUserInput ? ExitStatus.badInput : ExitStatus.failure
            }
        }
    }
}

extension KeystoreError {
    /// Errors the user caused by what they typed, which exit 2 rather than 1.
    var isUserInput: Bool {
        switch self {
        case .badName, .exists, .notFound: true
        case .tooOpen, .corrupt, .unwritable: false
        }
    }
}
