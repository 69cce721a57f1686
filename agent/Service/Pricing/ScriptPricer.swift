import Foundation
import Synchronization
import TenderCore

/// Runs an operator's pricing command: the order as JSON on stdin, a price in credits on stdout.
///
/// The command runs through `/bin/sh -c` in the profile's directory, so `./price.sh` is relative
/// to the profile. It is killed when it outlives its timeout. Anything but one amount of credits
/// on stdout (at most six decimals) is a failure with the reason, never a guess.
public struct ScriptPricer: Sendable {
    public var command: String
    public var directory: URL
    public var timeout: Duration

    public init(command: String, directory: URL, timeout: Duration) {
        self.command = command
        self.directory = directory
        self.timeout = timeout
    }

    /// Runs the command for `order` off the cooperative pool and returns its price or why it has none.
    public func quote(_ order: Order) async -> QuoteOutcome {
        let input = OrderQuoteRequest(order).json()
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run(input: input)) }
            thread.name = "tender-pricing"
            thread.start()
        }
    }

    /// Ignores SIGPIPE for the whole process, once: writing to a script that has already exited
    /// must be an error, not the agent's death.
    static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Blocking: runs the command with `input` on stdin.
    public func run(input: Data) -> QuoteOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch {
            return .failed("cannot start '\(command)' in \(directory.path): \(error.localizedDescription)")
        }
        let output = Collector(stdout.fileHandleForReading)
        let errors = Collector(stderr.fileHandleForReading)
        // A script that exits without reading stdin closes the pipe; with SIGPIPE ignored the write
        // fails with EPIPE instead of killing the agent.
        Self.ignoreBrokenPipes
        // Small JSON: fits the pipe buffer, so this never blocks on a script that ignores stdin.
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            let pid = process.processIdentifier
            process.terminate()
            kill(pid, SIGKILL)
            _ = exited.wait(timeout: .now() + 2)
            return .failed("'\(command)' did not answer within \(Self.format(seconds))s and was killed")
        }
        let text = output.text(waiting: 1).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = errors.text(waiting: 0.2).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed("'\(command)' exited with status \(process.terminationStatus)\(message.isEmpty ? "" : ": \(message.prefix(200))")")
        }
        do {
            return .price(try Amount.parse(text))
        } catch {
            return .failed("'\(command)' printed '\(text.prefix(80))', not a price in credits (like 1.25)")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// Reads a pipe to its end on its own thread, so a chatty script cannot fill the pipe and stall.
    final class Collector: Sendable {
        private let data = Mutex(Data())
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                let bytes = handle.readDataToEndOfFile()
                data.withLock { $0 = bytes }
                done.signal()
            }
            thread.start()
        }

        /// What was read, waiting up to `seconds` for the end of the stream (a killed script's
        /// children may hold the pipe open).
        func text(waiting seconds: Double) -> String {
            _ = done.wait(timeout: .now() + seconds)
            return String(decoding: data.withLock { $0 }, as: UTF8.self)
        }
    }
}
