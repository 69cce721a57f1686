import Foundation
import TenderWorkloads

/// The demo's running commentary: each line stamped with the seconds since the demo began, on
/// standard output, or on standard error under `--json` so standard output stays one document.
struct DemoStory: Sendable {
    let toStandardError: Bool
    let start = ContinuousClock.now

    /// Seconds since the demo began.
    var seconds: Double { ChildProcess.seconds(ContinuousClock.now - start) }

    func say(_ line: String) {
        let stamp = String(format: "[%6.1fs] ", seconds)
        if toStandardError {
            printError(stamp + line)
        } else {
            print(stamp + line)
            // Line by line even into a pipe or a file, so a log shows the story as it happens.
            fflush(nil)
        }
    }
}
