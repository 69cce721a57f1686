/// The rules that span entries, checked in journal order: a signed request is used once (its
/// nonce exceeds every earlier one of its account, except in the run of entries that one request
/// caused, which may take money only once), and a protocol fee follows the payment it is taken
/// from, to the same account under the same cause, is no larger, and goes to the controller.
struct EntrySequence {
    private var lastNonce: [AccountID: UInt64] = [:]
    private var current: RequestEvidence?
    private var paymentsInCurrent = 0
    private var previous: JournalEntry?

    mutating func problem(_ entry: JournalEntry, controller: AccountID) -> String? {
        defer {
            previous = entry
            if entry.request == nil { current = nil }
        }
        if case .fee(let from, let amount, _, let treasury) = entry.operation {
            guard case .releaseEscrow(_, let payee, let paid)? = previous?.operation, payee == from, amount <= paid,
                  previous?.cause == entry.cause, entry.cause != nil else {
                return "a fee of \(amount) from \(from) does not follow a payment to \(from) of at least that under the same cause"
            }
            guard treasury == controller else { return "a fee paid to \(treasury), not to the controller's treasury \(controller)" }
        }
        guard let request = entry.request else { return nil }
        if request != current {
            if let last = lastNonce[request.account], request.nonce <= last {
                return "its request (nonce \(request.nonce)) comes after one with nonce \(last) from the same account: a request replayed"
            }
            lastNonce[request.account] = request.nonce
            current = request
            paymentsInCurrent = 0
        }
        if EntryAuthority.rule(for: entry.operation) != nil {
            paymentsInCurrent += 1
            if paymentsInCurrent > 1 { return "one signed request cannot take money twice" }
        }
        return nil
    }
}
