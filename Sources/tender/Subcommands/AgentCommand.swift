import ArgumentParser
import TenderAgentCommands

/// `tender agent run|screen`: the provider agent's commands, the same as `tender-agent`'s.
///
/// Hidden from the help: operators run `tender-agent`. It is here so that `tender demo` can start
/// its agents from its own executable, which `swift run tender demo` is sure to have built.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "The provider agent's commands (the same as tender-agent).",
        shouldDisplay: false,
        subcommands: [AgentRun.self, AgentScreen.self]
    )
}
