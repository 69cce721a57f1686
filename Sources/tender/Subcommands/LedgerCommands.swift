import ArgumentParser
import Foundation
import TenderClient
import TenderCore

/// `tender ledger`: named so it does not shadow `TenderCore.Ledger`.
struct LedgerCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Read balances and the journal, and verify the whole ledger.",
        discussion: """
        Example:
          tender ledger verify
        """,
        subcommands: [Balance.self, Journal.self, Verify.self]
    )

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an account's balances in every bucket.",
            discussion: "Example:\n  tender ledger balance --key alice"
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
                AccountText.details(view, showProfile: false).forEach { print($0) }
            }
        }
    }

    struct Journal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one page of the ledger journal.",
            discussion: "Example:\n  tender ledger journal --after 100 --limit 20"
        )

        @Option(help: "Start after this entry's sequence number.")
        var after: UInt64?

        @Option(help: "At most this many entries (the controller may cap it).")
        var limit: Int?

        @OptionGroup var connection: ControllerOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let client = try connection.client()
            let page = try await CLIError.call { () async throws(ClientError) in try await client.journal(after: after, limit: limit) }
            if connection.json {
                try JSONOutput.print(page)
                return
            }
            if page.entries.isEmpty {
                print("no journal entries after \(after ?? 0)")
            } else {
                let rows = [["SEQ", "TIME", "OPERATION", "POSTINGS"]] + page.entries.map { entry in
                    [String(entry.sequence), Display.clock(entry.time), entry.operation.name,
                     entry.postings.map(\.description).joined(separator: ", ")]
                }
                Display.table(rows).forEach { print($0) }
            }
            if let next = page.next { print("more: tender ledger journal --after \(next)") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the whole journal and check it end to end.",
            discussion: """
            Replays every entry (hash chain, each entry's hash and balance, each operation re-derived), \
            checks the supply invariant, compares the controller's reported supply with the journal's \
            totals, and checks the controller's signature on the journal head and that it names the \
            last entry. Exits 1 on any failure, naming it.

            The first verification of a controller pins its key and the head it verified, in \
            $TENDER_HOME/controllers/. Later ones fail if the head is signed by another key, if the \
            head is behind the remembered one (a rollback), or if the remembered entry now has another \
            hash (a fork); otherwise the new head is remembered. If the controller's operator really \
            rotated its key, --accept-new-key pins the new one; it excuses nothing else.

            Example:
              tender ledger verify --controller http://127.0.0.1:8080
            """
        )

        @Option(help: "Entries to ask for per page.")
        var pageSize: Int = 1000

        @Flag(help: "Pin the controller's new key when it differs from the pinned one (only once its operator has said it rotated the key).")
        var acceptNewKey = false

        @OptionGroup var connection: ControllerOptions

        struct Report: Encodable {
            var valid: Bool
            var entriesChecked: Int
            var headSequence: UInt64?
            var headHash: String?
            var signedAt: Timestamp?
            var signer: AccountID
            var controller: AccountID?
            var totals: LedgerTotals
            var supply: LedgerTotals?
            var pin: PinReport
            var problems: [String]
        }

        func validate() throws {
            if pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
        }

        func run() async throws {
            let client = try connection.client()
            let pins = ControllerPinStore(directory: ControllerPinStore.defaultDirectory())
            let controller = ControllerPin.identity(of: client.baseURL)
            let pinFile = pins.fileURL(for: controller)
            let pinned: ControllerPin?
            do {
                pinned = try pins.load(controller: controller)
            } catch {
                printError("error: \(error)")
                throw ExitStatus.failure
            }

            // Entries signed before a rotation this user accepted were signed by keys it trusted then.
            let earlierKeys = pinned?.trustedAccounts ?? []
            let audit = try await CLIError.call { () async throws(ClientError) in
                try await client.auditLedger(pageLimit: pageSize, earlierKeys: earlierKeys)
            }
            let now = Timestamp(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
            let outcome = ControllerPin.Observation(audit: audit, controller: controller, at: now).map {
                ControllerPin.judge($0, pinned: pinned, acceptNewKey: acceptNewKey)
            }
            var saveProblem: String?
            if let pin = outcome?.pinToSave {
                do {
                    try pins.save(pin)
                } catch {
                    saveProblem = "could not remember the verified head: \(error)"
                }
            }
            let pinProblems = (outcome?.problems ?? []).map { PinText.problem($0, file: pinFile) }
            let problems = audit.problems + pinProblems + (saveProblem.map { [$0] } ?? [])
            let valid = problems.isEmpty

            let verification = audit.verification
            if connection.json {
                try JSONOutput.print(Report(
                    valid: valid, entriesChecked: verification.entriesChecked, headSequence: audit.head?.sequence,
                    headHash: audit.head?.hash, signedAt: audit.head?.signedAt, signer: audit.signer,
                    controller: audit.controller, totals: verification.totals, supply: audit.supply,
                    pin: PinReport(outcome: outcome, pinned: pinned, saved: saveProblem == nil, file: pinFile), problems: problems
                ))
            } else {
                let verdict = valid ? "ledger OK" : "ledger verification FAILED"
                print("\(verdict): \(verification.entriesChecked) entries replayed")
                var rows: [[String]] = []
                if let head = audit.head {
                    rows.append(["  head", "entry \(head.sequence), hash \(head.hash)"])
                    rows.append(["  signed", "by \(audit.signer.hex) at \(Display.clock(head.signedAt))"])
                }
                let totals = verification.totals
                rows.append(["  minted", totals.minted.description])
                rows.append(["  burned", totals.burned.description])
                rows.append(["  outstanding", totals.outstanding.description])
                rows += AccountText.balanceRows(totals.holdings, indent: "    ").dropLast()
                if audit.isValid { rows.append(["  invariant", "holdings + burned = minted; supply matches the controller's"]) }
                Display.table(rows).forEach { print($0) }
                if saveProblem == nil, let line = PinText.summary(outcome, wasPinned: pinned != nil, file: pinFile) { print(line) }
            }
            for problem in problems { printError("error: \(problem)") }
            if !valid { throw ExitStatus.failure }
        }
    }
}
