import ArgumentParser
import Foundation
import TenderClient
import TenderCore

struct Provider: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register and inspect provider profiles.",
        discussion: """
        Example:
          tender provider register Providers/h100-sxm-8x.yaml --key gpu-1 && tender stake add 500 --key gpu-1
        """,
        subcommands: [Register.self, Show.self]
    )

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a provider profile and register it for the --key account.",
            discussion: """
            The profile is checked locally first: any problem exits 2 and nothing is sent. Registering \
            again replaces the profile.

            Example:
              tender provider register Providers/h100-sxm-8x.yaml --key gpu-1
            """
        )

        @Argument(help: "Provider profile (YAML or JSON).")
        var file: String

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read as UTF-8 text" : "no such file"
                printError("error: \(file): \(reason)")
                throw ExitStatus.badInput
            }
            let profile: ProviderProfile
            do {
                profile = try ProviderProfile.parse(text)
            } catch {
                printError("error: \(file) is not a valid provider profile:")
                for problem in error.problems { printError("  \(problem)") }
                throw ExitStatus.badInput
            }
            let client = try connection.client(key: try identity.load())
            let view = try await CLIError.call { () async throws(ClientError) in try await client.registerProvider(profile: text) }
            if connection.json {
                try JSONOutput.print(view)
                return
            }
            print("registered \(TenderDocument.profile(profile).summary)")
            print("  account  \(view.account.hex)")
            let staked = view.balances.staked
            if staked < profile.stakeTarget {
                print("  staked   \(staked) of a \(profile.stakeTarget) target; add stake with: tender stake add AMOUNT")
            } else {
                print("  staked   \(staked)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a provider's profile, stake, reputation and balances.",
            discussion: "Example:\n  tender provider show --key gpu-1"
        )

        @Argument(help: "Account id (default: the --key account).")
        var account: String?

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let id = try account.map(CLIError.account) ?? identity.load().account
            let client = try connection.client()
            let view = try await CLIError.call { () async throws(ClientError) in try await client.account(id) }
            if connection.json {
                try JSONOutput.print(view)
            } else {
                AccountText.details(view, showProfile: true).forEach { print($0) }
            }
            if view.profile == nil {
                printError("error: \(id.hex) has not registered a provider profile; register one with: tender provider register FILE")
                throw ExitStatus.failure
            }
        }
    }
}
