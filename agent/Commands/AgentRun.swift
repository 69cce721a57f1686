import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TenderAgentService
import TenderClient
import TenderCore
import TenderWorkloads

/// `tender-agent run`: the live provider loop, until SIGTERM or SIGINT. A library command so
/// that `tender demo` can start real agents from its own executable.
public struct AgentRun: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Register, stake, bid on open orders, and run won leases until stopped.",
        discussion: """
        Registers the profile, keeps the stake at its stakeTarget, screens every open order (logging each reason it declines), bids at the profile's price, runs won leases up to its concurrency, heartbeats, uploads checkpoint states and results, and posts the signed commitment.

        exec jobs run other people's programs: the profile offers them only if it lists `exec` under runtimes, and the agent runs them in a bubblewrap sandbox (no network, a clean environment, none of the operator's files, limits on memory, processes, file size and CPU time). Without a working sandbox it declines them (sandbox-unavailable) unless --allow-unsandboxed-exec is given.

        Progress is kept in --state-dir, so a restarted agent resumes a lease from its last checkpoint. Stops cleanly on SIGTERM or SIGINT. An unreachable controller is retried, not fatal.

        Faults (for testing auditors; off by default, logged at warning level):
          --fault skip-steps:0.1       commit wrong state hashes for ~10% of segments
          --fault wrong-result         commit a wrong result hash
          --fault withhold-artifacts   do not upload checkpoint states
          --fault miss-deadline        never post the commitment

        Example:
          tender-agent run --profile Providers/cpu-only.yaml --controller http://127.0.0.1:8080 --key provider
        """
    )

    @Option(help: "Provider profile (YAML or JSON).")
    var profile: String

    @Option(help: "Controller URL.")
    var controller: String = "http://127.0.0.1:8080"

    @Option(help: "Key name in the keystore ($TENDER_HOME/keys); create one with: tender keys create NAME.")
    var key: String

    @Option(help: "Directory for lease progress (default: $TENDER_HOME/agent/<account>).")
    var stateDir: String?

    @Option(name: .customLong("fault"), help: "Inject a fault (repeatable): skip-steps:FRACTION, wrong-result, withhold-artifacts, miss-deadline.")
    var faults: [String] = []

    @Option(help: "Seconds between polls of the controller.")
    var pollInterval: Double = 1

    @Option(help: "Seconds between heartbeats while a lease runs.")
    var heartbeatInterval: Double = 5

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Flag(help: "Run exec jobs WITHOUT a sandbox when bubblewrap cannot start one: the job's program then runs as this user, with its files, keys and network. Only for machines that run nothing else.")
    var allowUnsandboxedExec = false

    public init() {}

    public func validate() throws {
        guard pollInterval > 0, heartbeatInterval > 0 else { throw ValidationError("intervals must be greater than 0") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
    }

    public func run() async throws {
        let profileURL = URL(fileURLWithPath: profile)
        let text: String
        let parsed: ProviderProfile
        do {
            text = try String(contentsOf: profileURL, encoding: .utf8)
            parsed = try ProviderProfile.parse(text)
        } catch let failure as ValidationFailure {
            fail("\(profile) is not a valid profile:\n\(failure)")
        } catch {
            fail("cannot read \(profile): \(error.localizedDescription)")
        }
        let keyPair: KeyPair
        do { keyPair = try Keystore(directory: Keystore.defaultDirectory()).load(name: key) } catch { fail("\(error)") }
        let faultPlan: FaultPlan
        do { faultPlan = try FaultPlan.parse(faults) } catch { fail("\(error)") }
        let client: TenderAPIClient
        do { client = try TenderAPIClient(controller: controller, key: keyPair, timeout: 30) } catch { fail("\(error)") }

        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tender-agent")
        var isolation = ExecIsolation.refused(reason: "the profile does not offer exec")
        if parsed.runtimes.contains(.exec) {
            isolation = ExecIsolation.detect(allowUnsandboxed: allowUnsandboxedExec)
            switch isolation {
            case .sandboxed: logger.notice("\(isolation.summary)")
            case .unconfined: logger.critical("--allow-unsandboxed-exec: \(isolation.summary)")
            case .refused: logger.warning("\(isolation.summary); exec orders will be declined (sandbox-unavailable)")
            }
        }
        let stateDirectory = stateDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? AgentConfiguration.defaultStateDirectory(for: keyPair.account)
        let configuration = AgentConfiguration(
            profile: parsed, profileText: text,
            profileContentType: profileURL.pathExtension.lowercased() == "json" ? "application/json" : "application/yaml",
            profileDirectory: profileURL.deletingLastPathComponent().standardizedFileURL, key: keyPair, client: client,
            stateDirectory: stateDirectory, faults: faultPlan, detectedGPUs: NvidiaSMI.detect(),
            pollInterval: .milliseconds(Int64(pollInterval * 1000)), heartbeatInterval: .milliseconds(Int64(heartbeatInterval * 1000)),
            execIsolation: isolation
        )
        let agent = ProviderAgent(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: AgentService(agent: agent), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            logger.error("agent failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
