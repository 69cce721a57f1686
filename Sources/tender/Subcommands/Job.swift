import ArgumentParser
import Foundation
import TenderClient
import TenderCore

struct Job: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit, follow, list and cancel jobs (orders).",
        discussion: """
        The controller is --controller, $TENDER_CONTROLLER, or http://127.0.0.1:8080.

        Example:
          tender job submit Manifests/digits-train.yaml --key alice --watch
        """,
        subcommands: [Submit.self, Status.self, List.self, Cancel.self]
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

        struct Upload: Encodable {
            var path: String
            var sha256: String
            var bytes: Int
        }

        struct Submitted: Encodable {
            var order: API.OrderView
            var uploads: [Upload]
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
            let uploads = job.inputs.map { Upload(path: $0.path, sha256: $0.sha256, bytes: $0.data.count) }
            let order = submitted.order
            if !connection.json {
                print("submitted order \(order.id) '\(order.manifest.name)'")
                var rows: [[String]] = uploads.map { ["  uploaded", "\($0.path) (\($0.bytes) bytes) sha256:\($0.sha256)"] }
                rows.append(["  escrow", "\(order.escrow) credits"])
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
