import ArgumentParser

@main
struct TenderAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender-agent",
        abstract: "The provider agent: screens orders against a machine's profile and prices them.",
        discussion: """
        Exit codes: 0 success, 1 failure, 2 bad usage or input.

        Example:
          tender-agent screen --profile Providers/rtx4090-home.yaml Manifests/*.yaml
        """,
        subcommands: [Screen.self]
    )
}
