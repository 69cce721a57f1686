import ArgumentParser
import Foundation
import TenderControllerService
import TenderCore

/// Makes the signing key that `serve --key-file` reads, since `serve` never makes one there.
struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a controller signing key for serve --key-file.",
        discussion: """
        Writes the base64 of a new Ed25519 private key to PATH, mode 0600, creating its directory \
        (mode 0700) if needed, and prints the controller's account. Refuses to overwrite a file. \
        The format is that of the controller.key a controller creates beside its database, so an \
        existing controller keeps its account by moving that file instead. Keep the key outside \
        the data directory: whoever can write there should not be able to replace the key that \
        signs the ledger. (tender keys create writes another format, for accounts.)

        Example:
          tender-controller keygen --key-file /etc/tender/controller.key
        """
    )

    @Option(help: ArgumentHelp("Where to write the key.", valueName: "path"))
    var keyFile: String

    func run() async throws {
        let url = URL(fileURLWithPath: keyFile)
        let key: KeyPair
        do {
            key = try ControllerKey.create(at: url)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(error.isUserInput ? 2 : 1)
        }
        print("created controller key \(url.path)")
        print("  account  \(key.account.hex)")
        print("start the controller with: tender-controller serve --key-file \(url.path)")
    }
}
