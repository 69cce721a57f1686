import Foundation
import TenderClient
import TenderCore

/// What `tender ledger verify` says about a controller's pin, as people read it.
enum PinText {
    /// The line that says what became of the pin; nil when it was refused, since the problems say why.
    static func summary(_ outcome: PinOutcome?, wasPinned: Bool, file: URL) -> String? {
        switch outcome {
        case nil:
            return "controller key not checked against its pin: the ledger head's signature does not verify"
        case .firstUse(let pin)?:
            return "pinned controller key \(pin.account.hex) on first use, at \(pin.head) (\(file.path))"
        case .confirmed(let pin, let previous)?:
            let moved = pin.head.sequence == previous.sequence
                ? "the head is still at entry \(previous.sequence)"
                : "the head moved from entry \(previous.sequence) to entry \(pin.head.sequence)"
            return "controller key \(pin.account.short)... matches its pin; \(moved)"
        case .rotated(let pin, let previousKey)?:
            return "re-pinned the controller key on request (--accept-new-key): it was \(previousKey.hex), it is now \(pin.account.hex)"
        case .refused?:
            return nil
        case .unverified?:
            return wasPinned ? "the pin is unchanged: the ledger did not verify" : "controller key not pinned: the ledger did not verify"
        }
    }

    /// A pin problem, with what the user can do about it.
    static func problem(_ problem: PinProblem, file: URL) -> String {
        switch problem {
        case .keyChanged:
            "\(problem). If the controller's operator really rotated its key, re-pin it deliberately with: "
                + "tender ledger verify --accept-new-key"
        case .rollback, .fork:
            "\(problem). If you know why (the controller was restored from a backup), remove \(file.path) to pin it afresh"
        }
    }
}
