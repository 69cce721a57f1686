import Foundation
import TenderClient
import TenderCore

/// The `pin` object of `tender ledger verify --json`.
struct PinReport: Encodable {
    /// `first-use`, `confirmed`, `rotated`, `refused`, `not-remembered` (the ledger did not verify,
    /// or the pin could not be written) or `not-checked` (the head's signature does not verify).
    var status: String
    /// The pin file for this controller.
    var file: String
    /// The key pinned once this run is over; nil if none is.
    var key: AccountID?
    /// The key pinned before, when this run replaced it on request.
    var previousKey: AccountID?
    /// The head remembered once this run is over.
    var head: ControllerPin.Head?

    /// `saved`: whether the outcome's pin, if it had one, was written.
    init(outcome: PinOutcome?, pinned: ControllerPin?, saved: Bool, file: URL) {
        let remembered = saved ? outcome?.pinToSave : nil
        let current = remembered ?? pinned
        self.file = file.path
        self.key = current?.account
        self.head = current?.head
        switch outcome {
        case nil: status = "not-checked"
        case .firstUse?: status = saved ? "first-use" : "not-remembered"
        case .confirmed?: status = saved ? "confirmed" : "not-remembered"
        case .rotated(_, let previous)?:
            status = saved ? "rotated" : "not-remembered"
            previousKey = saved ? previous : nil
        case .refused?: status = "refused"
        case .unverified?: status = "not-remembered"
        }
    }
}
