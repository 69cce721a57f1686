import ArgumentParser
import Foundation
import TenderClient
import TenderCore

/// `--watch`: polls an order every second and prints each change until it is done.
///
/// Done means expired or cancelled, or awarded with every lease final (settled, failed or slashed).
/// On a terminal a running lease's progress bar is redrawn in place; elsewhere each change is a new
/// line. With `--json` the progress goes to standard error so standard output stays one document.
struct OrderWatch {
    var client: TenderAPIClient
    var json: Bool
    /// How many polls in a row may find the controller unreachable before giving up.
    var patience = 30

    /// Follows the order from `view` until it is done; returns its final state.
    func follow(_ view: API.OrderView) async throws(ExitCode) -> API.OrderView {
        var view = view
        var output = ProgressOutput(toStandardError: json)
        var misses = 0
        var told: [LeaseID: Int] = [:]
        while true {
            output.show(key: Self.key(view), line: Self.line(view))
            // Each new entry of a lease's timeline once, as it happens: who won and why the price,
            // the commitment, the audit, disputes, settlement or slashing.
            for lease in view.leases {
                let seen = told[lease.id] ?? 0
                for entry in lease.timeline.dropFirst(seen) {
                    output.note("  " + Self.timelineLine(entry, lease: lease, order: view.order))
                }
                told[lease.id] = max(seen, lease.timeline.count)
            }
            if Self.isDone(view) { break }
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                break
            }
            do {
                view = try await client.order(view.order.id)
                misses = 0
            } catch {
                guard case .unreachable = error, misses < patience else {
                    output.finish()
                    throw CLIError.report(error)
                }
                misses += 1
                if misses == 1 { output.note("controller unreachable; retrying every second") }
            }
        }
        output.finish()
        return view
    }

    /// True when nothing more will happen to the order.
    static func isDone(_ view: API.OrderView) -> Bool {
        switch view.order.state {
        case .expired, .cancelled: true
        case .open: false
        case .awarded: !view.leases.isEmpty && view.leases.allSatisfy(\.isFinal)
        }
    }

    /// True when the order ended the way its submitter wanted: every lease settled.
    static func succeeded(_ view: API.OrderView) -> Bool {
        view.order.state == .awarded && !view.leases.isEmpty && view.leases.allSatisfy { $0.state == .settled }
    }

    /// What changes the line's shape; progress within a running lease does not.
    static func key(_ view: API.OrderView) -> String {
        "\(view.order.state.rawValue) \(view.order.bids.count) " + view.leases.map { "\($0.id):\($0.state.rawValue)" }.joined(separator: ",")
    }

    static func line(_ view: API.OrderView) -> String {
        let order = view.order
        switch order.state {
        case .open:
            return "order \(order.id): open, bids: \(OrderText.bidSummary(order.bids)), auction closes \(Display.clock(order.closesAt))"
        case .expired:
            return "order \(order.id): expired without an eligible bid; escrow refunded"
        case .cancelled:
            return "order \(order.id): cancelled; escrow refunded"
        case .awarded:
            if view.leases.isEmpty { return "order \(order.id): awarded" }
            return view.leases.map { lease in
                var text = "order \(order.id) lease \(lease.id): \(lease.state.rawValue)"
                if lease.state == .running {
                    if let total = order.manifest.totalSteps, total > 0 {
                        text += " " + TextProgressBar.text(fraction: Double(lease.lastStep) / Double(total), width: 20)
                    }
                    text += " " + OrderText.stepText(lease, manifest: order.manifest)
                    if let loss = lease.lastLoss { text += " loss \(MarketNarrator.loss(loss))" }
                } else if !lease.isFinal {
                    if let audit = lease.audit { text += ", audit \(audit.checked)/\(audit.sampled + 1)\(audit.passed ? " passed" : "")" }
                    if !lease.openDisputes.isEmpty { text += ", \(lease.openDisputes.count) dispute(s) open" }
                    if let ends = lease.windowEndsAt { text += ", challenge window ends \(Display.clock(ends))" }
                } else if let last = lease.timeline.last {
                    text += ": \(last.detail)"
                }
                return text
            }.joined(separator: "; ")
        }
    }

    /// One timeline entry, e.g. `lease 4 audit-passed: audit passed: 8 of 90 segments re-executed…`.
    static func timelineLine(_ entry: LeaseEvent, lease: API.LeaseView, order: Order) -> String {
        let at = Display.clock(entry.at)
        if entry.kind == .awarded {
            let why = PriceExplanation.cleared(order.manifest.pricing, bids: order.bids, winner: lease.provider, payment: lease.payment)
            return "\(at) lease \(lease.id) awarded to \(lease.provider.short): \(why)"
        }
        return "\(at) lease \(lease.id) \(entry.kind.rawValue): \(entry.detail)"
    }
}

/// Prints progress lines, redrawing in place on a terminal when only the progress changed.
struct ProgressOutput {
    let toStandardError: Bool
    let isTerminal: Bool
    private var lastKey: String?
    private var lastLine: String?
    private var lineOpen = false

    init(toStandardError: Bool) {
        self.toStandardError = toStandardError
        self.isTerminal = isatty(toStandardError ? STDERR_FILENO : STDOUT_FILENO) == 1
    }

    mutating func show(key: String, line: String) {
        guard line != lastLine else { return }
        if isTerminal, key == lastKey, lineOpen {
            write("\r\u{1B}[2K" + line)
        } else {
            if lineOpen { write("\n") }
            write(line)
            if isTerminal {
                lineOpen = true
            } else {
                write("\n")
            }
        }
        lastKey = key
        lastLine = line
    }

    mutating func note(_ text: String) {
        finish()
        write(text + "\n")
    }

    mutating func finish() {
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func write(_ text: String) {
        if toStandardError {
            FileHandleOutput.standardError(text)
        } else {
            // Through `print`, so it stays in order with what the command printed before.
            print(text, terminator: "")
            fflush(nil)
        }
    }
}
