import ArgumentParser

@main
struct Tender: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender",
        abstract: "Tender: a compute marketplace for AI work whose results anyone can check.",
        discussion: """
        Exit codes: 0 success, 1 failure, 2 bad usage or input.

        Examples:
          tender demo
          tender keys create alice
          tender manifest validate Manifests/*.yaml Providers/*.yaml
          tender faucet 1000 --key alice
          tender job submit Manifests/digits-train.yaml --key alice --watch
          tender challenge watch --key carol
          tender ledger verify
        """,
        subcommands: [Demo.self, Keys.self, Manifest.self, WorkloadCommand.self, Bench.self, Job.self, Provider.self, Stake.self, Challenge.self, LedgerCommands.self, Faucet.self, AgentCommand.self]
    )
}
