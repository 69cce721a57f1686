import TenderCore

/// What one verification of a controller's ledger means for its pin: `ControllerPin.judge`'s answer.
///
/// Each case carries exactly what the shell needs: the pin to write, or the problems to report.
public enum PinOutcome: Sendable, Equatable {
    /// Nothing was pinned for this controller: its key and head are now.
    case firstUse(ControllerPin)
    /// The pinned key signed a head that extends the remembered one, which is now the new head.
    case confirmed(ControllerPin, previous: ControllerPin.Head)
    /// A new key was accepted on the operator's word (`--accept-new-key`); the history still holds.
    case rotated(ControllerPin, previousKey: AccountID)
    /// The ledger contradicts the pin; nothing is remembered.
    case refused([PinProblem])
    /// The ledger did not verify, so its head is not worth remembering, and nothing in it
    /// contradicts the pin either; the ledger's own problems are reported elsewhere.
    case unverified

    /// The pin to write, if this outcome changes it.
    public var pinToSave: ControllerPin? {
        switch self {
        case .firstUse(let pin), .confirmed(let pin, _), .rotated(let pin, _): pin
        case .refused, .unverified: nil
        }
    }

    /// What contradicts the pin; empty unless refused.
    public var problems: [PinProblem] {
        if case .refused(let problems) = self { return problems }
        return []
    }
}
