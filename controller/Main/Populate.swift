import ArgumentParser
import Foundation
import Logging
import TenderControllerService

/// Builds a synthetic market in a new database, for measuring the controller at scale.
struct Populate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill a new database with a synthetic market (funded accounts, open orders, transfers) to measure a controller at scale.",
        discussion: """
        Every record is made through the controller's own write path, but no user signed these \
        requests, so `tender ledger verify` refuses the journal: the market is for measuring. The \
        inputs the orders name are recorded but not stored, so the orders can be listed and bid on, \
        not run. Writes only a new database: an existing file is refused. Start a controller on it \
        afterwards with serve --dev --db. Exit codes: 0 success, 1 failure, 2 bad input.

        Example:
          tender-controller populate --db /tmp/big/tender.sqlite --accounts 100000 --orders 10000
        """
    )

    @Option(help: "The new SQLite database file to create.")
    var db: String

    @Option(help: "Funded accounts to create (1,000 credits each).")
    var accounts = 1_000

    @Option(help: "Open orders to submit (one submitter per hundred).")
    var orders = 0

    @Option(help: "Transfers between the accounts, to lengthen the journal.")
    var transfers = 0

    @Flag(help: "Cancel each order once submitted: finished orders instead of open ones.")
    var cancelOrders = false

    func run() async throws {
        let refusal = accounts < 0 || orders < 0 || transfers < 0 ? "counts cannot be negative"
            : transfers > 0 && accounts == 0 ? "--transfers needs --accounts above 0" : nil
        if let refusal {
            FileHandle.standardError.write(Data("error: \(refusal)\n".utf8))
            throw ExitCode(2)
        }
        let url = URL(fileURLWithPath: db)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            FileHandle.standardError.write(Data("error: \(url.path) exists; populate writes only a new database\n".utf8))
            throw ExitCode(2)
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var logger = Logger(label: "tender-controller")
        logger.logLevel = .notice
        let summary = try await MarketPopulator.populate(
            databasePath: url, plan: .init(accounts: accounts, orders: orders, transfers: transfers, cancelOrders: cancelOrders), logger: logger
        )
        print("""
            populated \(url.path): \(summary.accounts) funded accounts, \(summary.openOrders) open orders\
            \(cancelOrders ? " (\(orders) cancelled)" : ""), \
            \(summary.journalEntries) journal entries in \(String(format: "%.1f", summary.seconds)) s
            """)
    }
}
