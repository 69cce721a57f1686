import ArgumentParser
import Foundation
import TenderClient
import TenderCore
import TenderWorkloads

/// `tender challenge`: check other providers' committed work and dispute what does not re-execute.
struct Challenge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-execute segments of committed leases and dispute the ones that do not check out.",
        discussion: """
        A challenger fetches a lease's commitment, its trace and the job's inputs, re-executes \
        segments of its own choosing from the states the provider stored, and compares each result \
        bit for bit with the provider's committed hash. On a mismatch it opens a \
        dispute claiming the hash it computed and plays the bisection game to the referee's ruling.

        A dispute needs free stake (the controller's challengerMinimumStake, 1 credit by default, as with \
        tender stake add 1 --key NAME) and posts a bond from the available balance (20% of the \
        lease's collateral by default). A won dispute returns the bond and pays 40% of the \
        provider's slashed collateral; a lost one forfeits the bond. A state the provider never \
        stored is reported, not disputed: a controller whose auditor runs counts it as fraud itself.

        The job's inputs are kept in $TENDER_HOME/artifacts (or --cache). An exec job runs the \
        submitter's program on this machine, as a provider does: in a bubblewrap sandbox, or not at \
        all unless --allow-unsandboxed-exec is given.

        Example:
          tender challenge watch --key carol --samples 8
        """,
        subcommands: [Watch.self, Contest.self, Status.self]
    )

    /// Options shared by the commands that check leases and play disputes.
    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("Seconds between two reads of a dispute, and for watch between two passes over the leases.", valueName: "seconds"))
        var pollInterval: Double = 2

        @Option(help: ArgumentHelp("Directory for the jobs' inputs (default: $TENDER_HOME/artifacts).", valueName: "dir"))
        var cache: String?

        @Flag(help: "Re-execute exec jobs WITHOUT a sandbox when bubblewrap cannot start one: the submitter's program then runs as you, with your files, keys and network.")
        var allowUnsandboxedExec = false

        func validate() throws {
            guard pollInterval > 0, pollInterval <= 3600 else { throw ValidationError("--poll-interval must be more than 0 and at most 3600 seconds") }
        }

        var interval: Duration { .milliseconds(Int64((pollInterval * 1000).rounded())) }

        var cacheURL: URL {
            cache.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? LocalArtifactStore().directory
        }

        func challenger(_ client: TenderAPIClient, output: ChallengeOutput) -> Challenger {
            Challenger(
                client: client, cache: cacheURL, exec: ExecIsolation.detect(allowUnsandboxed: allowUnsandboxedExec),
                pollInterval: interval, observer: { event in output.show(event) }
            )
        }
    }

    /// The default `challengerMinimumStake`; the controller may be configured otherwise.
    static let defaultMinimumStake = (try? Amount.credits(1)) ?? .zero

    /// A warning when `account` may not hold the free stake a dispute needs; nil when it does.
    static func stakeWarning(_ account: API.AccountView, keyName: String?) -> String? {
        let staked = account.balances.staked
        guard staked < defaultMinimumStake else { return nil }
        let has = staked.isZero ? "has no free stake" : "has only \(staked) of free stake"
        return "account \(account.account.short) \(has): a dispute needs the controller's challengerMinimumStake "
            + "of free stake (1 credit by default). Stake with: tender stake add 1 --key \(keyName ?? "NAME")"
    }

    /// Prints a challenger's error and returns its exit code: 2 for bad input, 1 otherwise.
    static func report(_ error: ChallengeError) -> ExitCode {
        printError("error: \(error.description)")
        return error.isUserInput ? ExitStatus.badInput : ExitStatus.failure
    }

    // MARK: - watch

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow the leases under verification, check each once, and dispute what does not re-execute.",
            discussion: """
            Each pass reads the committed, auditing and disputed leases page by page and checks every \
            lease not checked before: --samples segments of its own random choice (--seed repeats a \
            choice). One line per lease lists its segments and their verdicts; each dispute prints \
            when it opens, at every move, and at its ruling with the bond returned or lost and the \
            slash share earned. Open disputes of the --key account left by an earlier run are played \
            first.

            With --once, one pass over the leases there are now, then the summary. Otherwise the \
            watch runs until Ctrl-C: the first finishes the lease in hand (a dispute in play is \
            played to its ruling, or its bond would be lost) and prints the summary; a second quits \
            at once. With --json the summary and every report are printed as one JSON document at the \
            end and the progress lines go to standard error.

            Exits 1 when the controller stays unreachable, a lease could not be checked, or a \
            dispute was lost.

            Example:
              tender challenge watch --key carol --samples 8 --once
            """
        )

        @Option(help: "Segments to re-execute per lease.")
        var samples: Int = 4

        @Flag(help: "One pass over the leases there are now, then exit.")
        var once = false

        @Option(help: "Seed for the choice of segments (default: random), to repeat a run.")
        var seed: UInt64?

        @OptionGroup var options: Options
        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        /// Passes in a row that may find the controller unreachable before the watch gives up.
        static let patience = 30

        func validate() throws {
            guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        }

        func run() async throws {
            let key = try identity.load()
            let client = try connection.client(key: key)
            let start = try await CLIError.call { () async throws(ClientError) in try await client.account(key.account) }
            if let warning = Challenge.stakeWarning(start, keyName: identity.keyName) { printError("warning: \(warning)") }
            let output = ChallengeOutput(json: connection.json)
            var watch = ChallengeWatch(
                client: client, challenger: options.challenger(client, output: output), me: key.account, samples: samples,
                output: output, generator: seed.map { SplitMixGenerator(seed: $0) } ?? .random()
            )
            let interrupt = once ? nil : Interrupt(note: "stopping after the lease in hand (a dispute in play is played to its ruling); Ctrl-C again quits at once")
            output.line(
                "\(once ? "checking" : "watching") leases under verification as \(key.account.short), \(samples) segment\(samples == 1 ? "" : "s") per lease"
                    + (once ? "" : "; Ctrl-C for the summary")
            )
            var failure: ChallengeError?
            var misses = 0
            while true {
                do {
                    try await watch.pass(stop: interrupt)
                    misses = 0
                } catch {
                    guard !once, error.isUnreachable, misses < Self.patience else {
                        failure = error
                        break
                    }
                    if misses == 0 { output.line("controller unreachable; trying again every \(Display.duration(Int64(options.pollInterval.rounded(.up))))") }
                    misses += 1
                }
                guard let interrupt, !interrupt.isRequested else { break }
                await interrupt.sleep(for: options.interval)
                if interrupt.isRequested { break }
            }
            let end = try? await client.account(key.account)
            let summary = watch.summary(
                availableBefore: start.balances.available, availableAfter: end?.balances.available, interrupted: interrupt?.isRequested ?? false
            )
            if connection.json {
                try JSONOutput.print(summary)
            } else {
                ChallengeWatch.lines(summary).forEach { print($0) }
            }
            if let failure { throw Challenge.report(failure) }
            if !summary.failures.isEmpty || summary.disputesLost > 0 { throw ExitStatus.failure }
        }
    }

    // MARK: - dispute

    /// `tender challenge dispute`: named so it does not shadow `TenderCore.Dispute`.
    struct Contest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dispute",
            abstract: "Dispute one segment of a lease and play the game to its ruling.",
            discussion: """
            Re-executes segment I of the lease (from leaf I to leaf I+1) from the state the provider \
            stored. If the result is not the provider's hash, opens a dispute claiming the hash it \
            computed (or picks up this account's open dispute on that segment) and plays it to the \
            referee's ruling, printing every move. If re-execution gives the provider's hash, the \
            segment checks out and nothing is disputed: exits 1. A state missing from the artifact \
            store is not disputed either (exits 1): a controller whose auditor runs counts it as fraud.

            Exits 0 when the dispute is won or voided (the lease was proven fraudulent elsewhere and \
            the bond returned), 1 when it is lost, 2 for a segment outside the commitment.

            Example:
              tender challenge dispute 7 --segment 12 --key carol
            """
        )

        @Argument(help: "Lease id.")
        var lease: LeaseID

        @Option(help: ArgumentHelp("The segment to dispute: from leaf I to leaf I+1.", valueName: "I"))
        var segment: Int

        @OptionGroup var options: Options
        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func validate() throws {
            guard segment >= 0 else { throw ValidationError("--segment must be 0 or more") }
        }

        func run() async throws {
            let key = try identity.load()
            let client = try connection.client(key: key)
            let account = try await CLIError.call { () async throws(ClientError) in try await client.account(key.account) }
            if let warning = Challenge.stakeWarning(account, keyName: identity.keyName) {
                guard !account.balances.staked.isZero else {
                    printError("error: \(warning)")
                    throw ExitStatus.failure
                }
                printError("warning: \(warning)")
            }
            let output = ChallengeOutput(json: connection.json)
            let report: ChallengeReport
            do {
                report = try await options.challenger(client, output: output).dispute(lease: lease, segment: segment)
            } catch {
                throw Challenge.report(error)
            }
            if connection.json {
                try JSONOutput.print(report)
            } else if let line = ChallengeText.balance(report) {
                print(line)
            }
            if report.disputes.contains(where: \.lost) { throw ExitStatus.failure }
        }
    }

    // MARK: - status

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the --key account's disputes, or show one dispute.",
            discussion: """
            Without an id, lists every dispute the --key account is a party to (as challenger or as \
            provider), with its phase, whose move is next and by when. With an id, shows that \
            dispute: the agreed and disputed states, the deadline, every move and the ruling.

            Example:
              tender challenge status 3
            """
        )

        @Argument(help: "Dispute id (default: list the --key account's disputes).")
        var dispute: DisputeID?

        @Flag(name: .customLong("open"), help: "List only the disputes still open.")
        var openOnly = false

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let client = try connection.client()
            if let dispute {
                let view = try await CLIError.call { () async throws(ClientError) in try await client.dispute(dispute) }
                if connection.json {
                    try JSONOutput.print(view)
                } else {
                    ChallengeText.details(view).forEach { print($0) }
                }
                return
            }
            let me = try identity.load().account
            var disputes: [API.DisputeView] = []
            var after: UInt64?
            repeat {
                let cursor = after
                let page = try await CLIError.call { () async throws(ClientError) in
                    try await client.disputes(account: me, openOnly: openOnly, after: cursor, limit: 100)
                }
                disputes += page.disputes
                after = page.next
            } while after != nil
            if connection.json {
                try JSONOutput.print(API.DisputeList(disputes: disputes, next: nil))
            } else if disputes.isEmpty {
                print("no \(openOnly ? "open " : "")disputes for account \(me.short)")
            } else {
                ChallengeText.table(disputes).forEach { print($0) }
            }
        }
    }
}
