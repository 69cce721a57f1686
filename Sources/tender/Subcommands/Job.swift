import ArgumentParser
import Foundation
import TenderClient
import TenderCore

/// A file a job command uploaded or wrote, as `--json` reports it.
struct FileRecord: Encodable {
    var path: String
    var sha256: String
    var bytes: Int
}

struct Job: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit, follow, collect, list and cancel jobs (orders).",
        discussion: """
        The controller is --controller, $TENDER_CONTROLLER, or http://127.0.0.1:8080.

        Examples:
          tender job submit Manifests/digits-train.yaml --key alice --watch
          tender job result 1 --out ./digits-model --key alice
        """,
        subcommands: [Submit.self, Status.self, Result.self, List.self, Cancel.self]
    )

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a manifest's input files and submit it as an order.",
            discussion: """
            The manifest and every input file it names (paths relative to the manifest) are checked \
            first: any problem exits 2 and nothing is uploaded. Each input is then stored by its \
            SHA-256 and the manifest is submitted with its paths rewritten to sha256: references. \
            The manifest's maximum price is locked in escrow from the --key account.

            With --watch, follows the order until it expires, is cancelled, or all its leases are \
            final; exits 0 only if every lease settled.

            Example:
              tender job submit Manifests/digits-train.yaml --key alice --watch
            """
        )

        @Argument(help: "Job manifest (YAML or JSON).")
        var file: String

        @Flag(help: "Follow the order until it is done, printing each change.")
        var watch = false

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        struct Submitted: Encodable {
            var order: API.OrderView
            var uploads: [FileRecord]
        }

        func run() async throws {
            let job: JobSubmission
            do {
                job = try JobSubmission.load(file: URL(fileURLWithPath: file))
            } catch {
                printError("error: \(file) cannot be submitted:")
                for problem in error.problems { printError("  \(problem)") }
                throw ExitStatus.badInput
            }
            let client = try connection.client(key: try identity.load())
            let submitted = try await CLIError.call { () async throws(ClientError) in try await client.submit(job) }
            let uploads = job.inputs.map { FileRecord(path: $0.path, sha256: $0.sha256, bytes: $0.data.count) }
            let order = submitted.order
            if !connection.json {
                print("submitted order \(order.id) '\(order.manifest.name)'")
                var rows: [[String]] = uploads.map { ["  uploaded", "\($0.path) (\($0.bytes) bytes) sha256:\($0.sha256)"] }
                rows.append(["  escrow", "\(order.escrow) credits"])
                rows.append(["  pricing", PriceExplanation.beforeAuction(order.manifest.pricing, replicas: order.manifest.verification.replicas)])
                rows.append(["  auction", "closes \(Display.time(order.closesAt))"])
                if !watch { rows.append(["  follow", "tender job status \(order.id)"]) }
                Display.table(rows).forEach { print($0) }
            }
            guard watch else {
                if connection.json { try JSONOutput.print(Submitted(order: submitted, uploads: uploads)) }
                return
            }
            let final = try await OrderWatch(client: client, json: connection.json).follow(submitted)
            if connection.json { try JSONOutput.print(Submitted(order: final, uploads: uploads)) }
            if !OrderWatch.succeeded(final) { throw ExitStatus.failure }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an order, its bids and its leases.",
            discussion: "Example:\n  tender job status 7"
        )

        @Argument(help: "Order id.")
        var id: OrderID

        @OptionGroup var connection: ControllerOptions

        func run() async throws {
            let client = try connection.client()
            let view = try await CLIError.call { () async throws(ClientError) in try await client.order(id) }
            if connection.json {
                try JSONOutput.print(view)
            } else {
                OrderText.details(view).forEach { print($0) }
            }
        }
    }

    struct Result: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a job's result and final state, checked against the provider's signed commitment.",
            discussion: """
            Checks, before writing anything: the commitment carries the lease provider's valid \
            signature and names the lease; the trace of checkpoint hashes has the committed hash, \
            rebuilds the committed Merkle root and ends in the committed final state; the result and \
            the final state hash to what was committed; a training result names that final state as \
            its model. Any difference refuses the download (exit 1) and writes nothing. A slashed or \
            failed lease's result is refused too.

            Writes into --out: result.json, final-state.bin (for training, the model), trace.bin (one \
            32-byte state hash per checkpoint) and commitment.json (the signed commitment). An \
            order's artifacts are read by its submitter and its providers (and staked challengers \
            while a lease is under verification), unless its manifest says artifacts: public: pass \
            --key to sign the download.

            Example:
              tender job result 7 --out ./result --key alice
            """
        )

        @Argument(help: "Order id.")
        var id: OrderID

        @Option(help: ArgumentHelp("Directory to write into (created if missing).", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("Which lease of the order (default: its settled one, else its first committed one).", valueName: "id"))
        var lease: LeaseID?

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        struct Written: Encodable {
            var order: OrderID
            var lease: LeaseID
            var provider: AccountID
            var state: Lease.State
            /// False while the audit or the challenge window can still find the provider wrong.
            var settled: Bool
            var files: [FileRecord]
            var checks: [String]
        }

        func run() async throws {
            let key = identity.keyName == nil ? nil : try identity.load()
            let client = try connection.client(key: key)
            let view = try await CLIError.call { () async throws(ClientError) in try await client.order(id) }
            let fetched: JobResult
            do {
                fetched = try await JobResult.fetch(view, lease: lease, client: client)
            } catch {
                switch error {
                case .client(let failure):
                    if failure.status == 401, key == nil {
                        printError("error: this order's results are read with a signed request: pass --key NAME (the submitter's key) or set TENDER_KEY")
                        throw ExitStatus.badInput
                    }
                    throw CLIError.report(failure)
                case .noLease where lease != nil:
                    printError("error: \(error)")
                    throw ExitStatus.badInput
                default:
                    printError("error: \(error); nothing written")
                    throw ExitStatus.failure
                }
            }
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            var files: [FileRecord] = []
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                for (name, data) in [
                    ("result.json", fetched.result), ("final-state.bin", fetched.finalState), ("trace.bin", fetched.trace),
                    ("commitment.json", try encoder.encode(fetched.signedCommitment)),
                ] {
                    let file = directory.appendingPathComponent(name)
                    try data.write(to: file, options: .atomic)
                    files.append(FileRecord(path: file.path, sha256: Hashing.sha256Hex(data), bytes: data.count))
                }
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? "a file is in the way, or the directory is not writable"
                printError("error: cannot write into \(out): \(reason)")
                throw ExitStatus.failure
            }
            let written = Written(
                order: id, lease: fetched.lease.id, provider: fetched.lease.provider, state: fetched.lease.state,
                settled: fetched.lease.state == .settled, files: files, checks: fetched.checks
            )
            if !written.settled {
                let window = fetched.lease.windowEndsAt.map { " until \(Display.time($0))" } ?? ""
                printError("note: lease \(written.lease) is \(written.state.rawValue), not settled: the hashes match what the provider signed, but the audit or a challenger can still find its work wrong\(window)")
            }
            if connection.json {
                try JSONOutput.print(written)
                return
            }
            print("lease \(written.lease) of order \(id) (provider \(written.provider.short), \(written.state.rawValue)): every hash matches the signed commitment")
            for check in written.checks { print("  ok  \(check)") }
            for file in files { print("  wrote \(file.path) (\(file.bytes) bytes)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders, optionally by state or only your own.",
            discussion: "Example:\n  tender job list --state open --mine --key alice"
        )

        enum StateFilter: String, ExpressibleByArgument, CaseIterable {
            case open, awarded, expired, cancelled
        }

        @Option(help: "Only orders in this state.")
        var state: StateFilter?

        @Flag(help: "Only orders submitted by the --key account.")
        var mine = false

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let submitter = mine ? try identity.load().account : nil
            let client = try connection.client()
            let state = state.flatMap { Order.State(rawValue: $0.rawValue) }
            let orders = try await CLIError.call { () async throws(ClientError) in
                try await client.allOrders(state: state, submitter: submitter)
            }
            let list = API.OrderList(orders: orders)
            if connection.json {
                try JSONOutput.print(list)
                return
            }
            guard !list.orders.isEmpty else {
                print("no orders")
                return
            }
            let rows = [["ID", "STATE", "NAME", "ESCROW", "BIDS", "SUBMITTER", "CLOSES"]] + list.orders.map { order in
                [order.id.description, order.state.rawValue, order.manifest.name, order.escrow.description,
                 String(order.bids.count), order.submitter.short, Display.clock(order.closesAt)]
            }
            Display.table(rows).forEach { print($0) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel one of your open orders; its escrow is refunded.",
            discussion: "Example:\n  tender job cancel 7 --key alice"
        )

        @Argument(help: "Order id.")
        var id: OrderID

        @OptionGroup var connection: ControllerOptions
        @OptionGroup var identity: KeyOptions

        func run() async throws {
            let client = try connection.client(key: try identity.load())
            let view = try await CLIError.call { () async throws(ClientError) in try await client.cancelOrder(id) }
            if connection.json {
                try JSONOutput.print(view)
            } else {
                print("order \(view.order.id) is \(view.order.state.rawValue); escrow now \(view.order.escrow) credits")
            }
        }
    }
}
