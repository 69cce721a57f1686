import TenderCore

/// What checking a controller's ledger from the outside found: `tender ledger verify`.
///
/// The journal is replayed in full (hash chain, each entry's hash and balance, each operation
/// re-derived, the supply invariant at the end); the controller's reported supply must equal the
/// replayed totals; the signed head must verify and name the last entry's hash. A client that trusts
/// nothing but the controller's public key can run this.
public struct LedgerAudit: Sendable {
    /// The signed head the journal was checked against.
    public var head: API.LedgerHead?
    /// Who signed the head.
    public var signer: AccountID
    /// The controller's own account, from `/v1/health`, when it was asked.
    public var controller: AccountID?
    /// The replay of the fetched journal.
    public var verification: JournalVerification
    /// What the controller reports as its supply, at the same head; nil if it could not be pinned down.
    public var supply: LedgerTotals?
    /// Every failed check, in words; empty when the ledger verifies.
    public var problems: [String]
    /// The hash each fetched entry states, in the order fetched (entry 1 first when the journal
    /// verifies): what a `ControllerPin` compares its remembered head with.
    public var entryHashes: [String]

    /// True when every check passed.
    public var isValid: Bool { problems.isEmpty }

    /// Checks fetched pieces against each other. Pure: no network, no clock.
    ///
    /// `entries` must be the journal from its first entry through the head's sequence; `supply` must
    /// have been read while the head stood still (nil to skip that check, which counts as a problem).
    /// `earlierKeys`: keys this client trusted for the controller before a rotation it accepted;
    /// they may have signed the journal's first entries (see `Ledger.verify`).
    public static func check(
        head signedHead: Signed<API.LedgerHead>, entries: [JournalEntry], supply: LedgerTotals?, controller: AccountID?,
        earlierKeys: [AccountID] = []
    ) -> LedgerAudit {
        var problems: [String] = []
        let head: API.LedgerHead?
        do {
            head = try signedHead.verified()
        } catch {
            head = nil
            problems.append("the signed ledger head does not verify: \(error)")
        }
        if let controller, signedHead.signer != controller {
            problems.append("the ledger head is signed by \(signedHead.signer), but the controller's account is \(controller)")
        }

        let signer = controller ?? signedHead.signer
        // The head's signature vouches for the entries after the journal's last signed one.
        let verification = Ledger.verify(
            entries, controller: signer, earlierKeys: earlierKeys.filter { $0 != signer },
            signedHead: signedHead.signer == signer ? head?.hash : nil
        )
        if let problem = verification.problem {
            problems.append("journal: \(problem)")
        }

        if let head, verification.isValid {
            let last = entries.last?.sequence ?? 0
            if last != head.sequence {
                problems.append("the journal fetched ends at entry \(last), but the signed head is at entry \(head.sequence)")
            } else if verification.headHash != head.hash {
                problems.append("the signed head names hash \(head.hash) for entry \(head.sequence), but the journal's entry hashes to \(verification.headHash)")
            }
        }

        if let supply {
            if verification.isValid, supply != verification.totals {
                let differences = Self.differences(reported: supply, replayed: verification.totals).joined(separator: "; ")
                problems.append("the controller's reported supply differs from the journal's totals: \(differences)")
            }
        } else {
            problems.append("the ledger kept changing while it was read, so the reported supply could not be compared at a fixed head; try again")
        }

        return LedgerAudit(
            head: head, signer: signedHead.signer, controller: controller,
            verification: verification, supply: supply, problems: problems, entryHashes: entries.map(\.hash)
        )
    }

    /// `minted: controller 2000.000001, journal 2000.000000` for each total that differs.
    static func differences(reported: LedgerTotals, replayed: LedgerTotals) -> [String] {
        var pairs: [(String, Amount, Amount)] = [("minted", reported.minted, replayed.minted), ("burned", reported.burned, replayed.burned)]
        pairs += Bucket.holderBuckets.map { ($0.rawValue, reported.holdings[$0], replayed.holdings[$0]) }
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0): controller \($0.1), journal \($0.2)" }
    }
}

extension TenderAPIClient {
    /// Fetches and checks the whole ledger: the head first, then the journal up to it, then the
    /// supply, then the head again.
    ///
    /// If the head moved while the supply was read (concurrent writes), the journal is extended to the
    /// new head and the supply read again, up to `attempts` times. Transport and API failures throw;
    /// failed checks are reported in the result.
    public func auditLedger(pageLimit: Int? = nil, attempts: Int = 5, earlierKeys: [AccountID] = []) async throws(ClientError) -> LedgerAudit {
        let controller = try await health().controller
        var signedHead = try await ledgerHead()
        var entries: [JournalEntry] = []
        for _ in 0..<max(1, attempts) {
            // A head that does not verify ends the chase; `check` reports it.
            guard let head = try? signedHead.verified() else { break }
            entries += try await journalEntries(after: entries.last?.sequence ?? 0, through: head.sequence, pageLimit: pageLimit)
            if (entries.last?.sequence ?? 0) < head.sequence {
                // The head is signed as a change is made, and its entry can be read once it is
                // stored, a moment later: wait for it rather than report a short journal.
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let supply = try await supply()
            let later = try await ledgerHead()
            if let laterHead = try? later.verified(), laterHead.sequence == head.sequence, laterHead.hash == head.hash {
                return .check(head: signedHead, entries: entries, supply: supply, controller: controller, earlierKeys: earlierKeys)
            }
            signedHead = later
        }
        if let head = try? signedHead.verified() {
            entries += try await journalEntries(after: entries.last?.sequence ?? 0, through: head.sequence, pageLimit: pageLimit)
        }
        return .check(head: signedHead, entries: entries, supply: nil, controller: controller, earlierKeys: earlierKeys)
    }
}
