import ArgumentParser

/// The CLI's exit codes (DESIGN section 9): 0 success, 1 failure, 2 bad usage or input.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let badInput = ExitCode(2)
}

/// Prints to standard error, where diagnostics belong so `--json` output stays parseable.
func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleOutput.standardError(string)
    }
}
