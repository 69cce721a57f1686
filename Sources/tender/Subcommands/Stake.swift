import ArgumentParser
import Foundation
import TenderClient
import TenderCore

struct Stake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stake collateral, start unbonding it, and withdraw what has matured.",
        discussion: """
        Free stake backs bids and is locked as collateral behind leases. Stake leaves through \
        unbonding, which waits past the challenge window of every lease it backed.

        Example:
          tender stake add 500 --key gpu-1
        """,
        subcommands: [Add.self, Remove.self, Withdraw.self]
    )

    /// The receipt and, when it could be read, the account afterwards.
    struct Result: Encodable {
        var receipt: API.Receipt
        var account: API.AccountView?
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move credits from available to free stake.",
            discussion: "Example:\n  tender stake add 500 --key gpu-1"
        )

        @Argument(help: "Credits to stake, e.g. 500 or 12.5.")
        var amount: String

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let amount = try CLIError.amount(amount)
            let client = try connection.client(key: try identity.load())
            let receipt = try await CLIError.call { () async throws(ClientError) in try await client.stake(amount) }
            try await Stake.report(receipt, client: client, json: connection.json, action: "staked \(amount) credits")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start unbonding free stake; withdraw it once it matures.",
            discussion: "Example:\n  tender stake remove 100 --key gpu-1 && tender stake withdraw --key gpu-1"
        )

        @Argument(help: "Credits to unstake, e.g. 100.")
        var amount: String

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let amount = try CLIError.amount(amount)
            let client = try connection.client(key: try identity.load())
            let receipt = try await CLIError.call { () async throws(ClientError) in try await client.unstake(amount) }
            try await Stake.report(receipt, client: client, json: connection.json, action: "unbonding \(amount) credits")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move every matured unbonding entry back to available.",
            discussion: "Example:\n  tender stake withdraw --key gpu-1"
        )

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let client = try connection.client(key: try identity.load())
            let receipt = try await CLIError.call { () async throws(ClientError) in try await client.withdrawStake() }
            try await Stake.report(receipt, client: client, json: connection.json, action: "withdrew matured stake")
        }
    }

    /// Prints what a stake call did, with the account's balances afterwards when they can be read.
    static func report(_ receipt: API.Receipt, client: TenderAPIClient, json: Bool, action: String) async throws {
        var view: API.AccountView?
        if let account = client.account {
            view = try? await client.account(account)
        }
        if json {
            try JSONOutput.print(Result(receipt: receipt, account: view))
            return
        }
        let entries = receipt.journal.map(String.init).joined(separator: ", ")
        switch receipt.journal.count {
        case 0: print("\(action) (journal unchanged)")
        case 1: print("\(action) (journal entry \(entries))")
        default: print("\(action) (journal entries \(entries))")
        }
        guard let view else { return }
        var rows: [[String]] = [
            ["  available", view.balances.available.description],
            ["  staked", view.balances.staked.description],
            ["  locked collateral", view.balances.lockedCollateral.description],
            ["  unbonding", view.balances.unbonding.description],
        ]
        for (index, line) in AccountText.unbonding(view.unbonding).enumerated() {
            rows.append([index == 0 ? "  withdrawable" : "", line])
        }
        Display.table(rows).forEach { print($0) }
    }
}
