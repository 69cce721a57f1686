import Foundation
import TenderClient
import TenderCore

/// Where a challenger's progress lines go as they happen: standard output, or standard error
/// under `--json` so standard output stays one JSON document.
struct ChallengeOutput: Sendable {
    let json: Bool

    func line(_ text: String) {
        if json {
            printError(text)
        } else {
            print(text)
            // Watching through a pipe, each line should arrive when it happens, not at exit.
            fflush(nil)
        }
    }

    /// What a `Challenger` reports, one line per event.
    func show(_ event: ChallengeEvent) {
        switch event {
        case .checked(let lease, let provider, let segmentCount, let checks):
            line(ChallengeText.checked(lease: lease, provider: provider, segmentCount: segmentCount, checks: checks))
            for check in checks where check.verdict != .passed {
                line("  segment \(check.segment.map(String.init) ?? "result"): \(check.detail)")
            }
        case .opened(let view, let resumed):
            line(ChallengeText.opened(view, resumed: resumed))
        case .moved(let id, let record):
            line(ChallengeText.moved(id, record))
        case .ruled(let outcome):
            line(ChallengeText.ruled(outcome))
        case .note(let lease, let text):
            line("  lease \(lease): \(text)")
        }
    }
}
