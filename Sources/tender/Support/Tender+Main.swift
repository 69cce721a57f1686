import ArgumentParser
import Foundation

extension Tender {
    /// Runs the command line, exiting 2 for usage errors (DESIGN section 9).
    ///
    /// ArgumentParser's own entry point exits with `EX_USAGE` (64) when arguments do not parse or a
    /// `validate()` throws; Tender promises 0, 1 and 2 only. Everything else is ArgumentParser's
    /// usual handling: help exits 0, a thrown `ExitCode` exits with that code.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            exit(withError: error)
        }
    }
}
