import TenderCore

extension ControllerPin {
    /// What one verification of a controller's ledger saw, as far as its pin is concerned.
    public struct Observation: Sendable, Equatable {
        /// The controller, as `ControllerPin.identity(of:)` writes its URL.
        public var controller: String
        /// The key whose signature on the head verified.
        public var account: AccountID
        /// The signed head.
        public var head: Head
        /// The hash each journal entry states, entry 1 first, when the whole ledger verified
        /// against `head`; nil when it did not, so neither its entries nor its head are trusted
        /// beyond what the signature alone says.
        public var journal: [String]?
        /// When the ledger was verified.
        public var at: Timestamp

        public init(controller: String, account: AccountID, head: Head, journal: [String]?, at: Timestamp) {
            self.controller = controller
            self.account = account
            self.head = head
            self.journal = journal
            self.at = at
        }

        /// What `audit` says about the controller; nil when its head's signature does not verify,
        /// since then nothing in it is the controller's word.
        public init?(audit: LedgerAudit, controller: String, at: Timestamp) {
            guard let head = audit.head else { return nil }
            self.init(
                controller: controller, account: audit.signer, head: Head(sequence: head.sequence, hash: head.hash),
                journal: audit.isValid ? audit.entryHashes : nil, at: at
            )
        }

        /// The hash this observation gives entry `sequence`: the signed head's own when it is that
        /// entry, else the verified journal's; nil when neither says.
        func hash(ofEntry sequence: UInt64) -> String? {
            if sequence == head.sequence { return head.hash }
            if sequence == 0 { return JournalEntry.genesisHash }
            guard let journal, sequence <= UInt64(journal.count) else { return nil }
            return journal[Int(sequence - 1)]
        }
    }

    /// What `observation` means given what was pinned (nil: this controller was never verified here).
    ///
    /// Every contradiction is reported, not just the first: a changed key over a shortened journal
    /// is the attack this exists for, and the operator should see both halves. `acceptNewKey` excuses
    /// a changed key and nothing else, since a genuine key rotation does not rewrite the journal.
    /// A head is remembered only when the whole ledger verified against it. Pure: no files, no clock.
    public static func judge(_ observation: Observation, pinned: ControllerPin?, acceptNewKey: Bool) -> PinOutcome {
        guard let pinned else {
            guard observation.journal != nil else { return .unverified }
            return .firstUse(ControllerPin(
                controller: observation.controller, account: observation.account, head: observation.head,
                pinnedAt: observation.at, verifiedAt: observation.at
            ))
        }

        var problems: [PinProblem] = []
        let keyChanged = observation.account != pinned.account
        if keyChanged, !acceptNewKey {
            problems.append(.keyChanged(pinned: pinned.account, observed: observation.account))
        }
        if observation.head.sequence < pinned.head.sequence {
            problems.append(.rollback(remembered: pinned.head, observed: observation.head))
        } else if let found = observation.hash(ofEntry: pinned.head.sequence), found != pinned.head.hash {
            problems.append(.fork(remembered: pinned.head, found: found))
        }
        guard problems.isEmpty else { return .refused(problems) }
        guard observation.journal != nil else { return .unverified }

        var next = pinned
        next.head = observation.head
        next.verifiedAt = observation.at
        guard keyChanged else { return .confirmed(next, previous: pinned.head) }
        next.formerAccounts = (pinned.formerAccounts + [pinned.account]).filter { $0 != observation.account }
        next.account = observation.account
        next.pinnedAt = observation.at
        return .rotated(next, previousKey: pinned.account)
    }
}
