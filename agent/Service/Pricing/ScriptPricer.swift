import Foundation
import Synchronization
import TenderCore
import TenderWorkloads

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

    /// Blocking: runs the command with `input` on stdin. The command starts in a process group of
    /// its own, and on timeout the whole group is killed; no wait here is unbounded.
    public func run(input: Data) -> QuoteOutcome {
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", command], environment: nil, directory: directory.path,
                standardInput: stdin.fileHandleForReading.fileDescriptor,
                standardOutput: stdout.fileHandleForWriting.fileDescriptor,
                standardError: stderr.fileHandleForWriting.fileDescriptor
            )
        } catch {
            return .failed("cannot start '\(command)' in \(directory.path): \(error)")
        }
        // The child has its copies; closing ours lets the readers see the end of the streams.
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        let output = Collector(stdout.fileHandleForReading)
        let errors = Collector(stderr.fileHandleForReading)
        // A script that exits without reading stdin closes the pipe; with SIGPIPE ignored the write
        // fails with EPIPE instead of killing the agent.
        Self.ignoreBrokenPipes
        // Small JSON: fits the pipe buffer, so this never blocks on a script that ignores stdin.
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let ending = child.wait(timeout: timeout)
        let seconds = ChildProcess.seconds(timeout)
        switch ending {
        case .timedOut:
            return .failed("'\(command)' did not answer within \(Self.format(seconds))s and was killed")
        case .signalled(let signal):
            return .failed("'\(command)' was killed by signal \(signal)")
        case .exited(let status) where status != 0:
            let message = errors.text(waiting: 0.2).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed("'\(command)' exited with status \(status)\(message.isEmpty ? "" : ": \(message.prefix(200))")")
        case .exited:
            break
        }
        let text = output.text(waiting: 1).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return .price(try Amount.parse(text))
        } catch {
            return .failed("'\(command)' printed '\(text.prefix(80))', not a price in credits (like 1.25)")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// Reads a pipe to its end on its own thread, so a chatty script cannot fill the pipe and stall;
    /// keeps the first 64 KiB and drains the rest.
    final class Collector: Sendable {
        static let keep = 64 << 10
        private let data = Mutex(Data())
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                while let chunk = try? handle.read(upToCount: 16 << 10), !chunk.isEmpty {
                    data.withLock { data in
                        if data.count < Self.keep { data.append(chunk.prefix(Self.keep - data.count)) }
                    }
                }
                try? handle.close()
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
