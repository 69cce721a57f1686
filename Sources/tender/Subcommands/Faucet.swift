import ArgumentParser
import Foundation
import TenderClient
import TenderCore

struct Faucet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint test credits (controllers started with --dev only).",
        discussion: """
        The request is signed by --key; the credits go to --to, or to the --key account.

        Example:
          tender faucet 1000 --key alice
        """
    )

    @Argument(help: "Credits to mint, e.g. 1000 or 2.5.")
    var amount: String

    @Option(help: ArgumentHelp("Account id to credit (default: the --key account).", valueName: "account"))
    var to: String?

    @OptionGroup var connection: ControllerOptions
    @OptionGroup var identity: KeyOptions

    func run() async throws {
        let amount = try CLIError.amount(amount)
        let recipient = try to.map(CLIError.account)
        let client = try connection.client(key: try identity.load())
        let view = try await CLIError.call { () async throws(ClientError) in try await client.faucet(amount, to: recipient) }
        if connection.json {
            try JSONOutput.print(view)
        } else {
            print("minted \(amount) credits to \(view.account.hex)")
            print("  available  \(view.balances.available)")
        }
    }
}
