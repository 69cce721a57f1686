import ArgumentParser
import TenderAgentCommands

@main
struct TenderAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender-agent",
        abstract: "The provider agent: bids on orders this machine can run, runs won leases, commits results.",
        discussion: """
        Exit codes: 0 success, 1 failure, 2 bad usage or input.

        Examples:
          tender-agent run --profile Providers/cpu-only.yaml --controller http://127.0.0.1:8080 --key provider
          tender-agent screen --profile Providers/rtx4090-home.yaml Manifests/*.yaml
        """,
        subcommands: [AgentRun.self, AgentScreen.self]
    )
}
