/// The artifact store's rules (DESIGN section 11a): who may store an artifact, how much, and who
/// may read it. The shell streams the bytes and keeps the files; these decide.
extension Marketplace {
    // MARK: - Uploads

    /// How many bytes `account` may upload now as artifact `hash`, checked before the body is read.
    ///
    /// For a lease (`lease` given), only its provider may upload, while the lease is not final,
    /// and the bytes belong to the lease's order: no quota applies beyond the shell's body limit
    /// (`Int64.max` here). Otherwise the account must be funded (credits available or staked) and
    /// may store up to `policy.artifactQuotaBytes` in all; bytes it stored before are not charged
    /// again.
    public func uploadAllowance(hash: String, by account: AccountID, lease: LeaseID?) throws(MarketplaceError) -> Int64 {
        if let lease {
            _ = try leaseUploadOrder(lease, by: account)
            return .max
        }
        if artifacts[hash]?.uploaders.contains(account) == true { return .max }
        try requireFunded(account)
        let used = self.account(account).artifactBytes
        let left = policy.artifactQuotaBytes - used
        guard left > 0 else {
            throw .quotaExceeded("account \(account.short)… has stored \(used) bytes of artifacts, its whole quota of \(policy.artifactQuotaBytes)")
        }
        return left
    }

    /// Records an upload once its bytes are on disk and their hash checked: for a lease, ties the
    /// artifact to the lease's order; otherwise charges `size` to the uploader's quota (once per
    /// account and artifact). The rules are those of `uploadAllowance`, checked again here because
    /// the market may have moved while the body streamed.
    public mutating func recordUpload(
        hash: String, size: Int64, by account: AccountID, lease: LeaseID?, now: Timestamp
    ) throws(MarketplaceError) -> MarketChange {
        var change = MarketChange()
        if let lease {
            let order = try leaseUploadOrder(lease, by: account)
            tieArtifact(hash, to: order, into: &change)
            return change
        }
        var record = artifacts[hash] ?? ArtifactRecord(hash: hash)
        guard !record.uploaders.contains(account) else { return change }
        try requireFunded(account)
        var owner = self.account(account)
        let (total, overflow) = owner.artifactBytes.addingReportingOverflow(max(size, 0))
        guard !overflow, total <= policy.artifactQuotaBytes else {
            throw .quotaExceeded(
                "account \(account.short)… has stored \(owner.artifactBytes) of its \(policy.artifactQuotaBytes) bytes of artifacts; "
                    + "this one needs \(size) more"
            )
        }
        owner.artifactBytes = total
        accounts[account] = owner
        change.accounts.insert(account)
        _ = record.addUploader(account)
        artifacts[hash] = record
        change.artifacts.insert(hash)
        return change
    }

    /// Ties artifact `hash` to `order`, creating its record if there is none.
    mutating func tieArtifact(_ hash: String, to order: OrderID, into change: inout MarketChange) {
        var record = artifacts[hash] ?? ArtifactRecord(hash: hash)
        guard record.tie(to: order) else { return }
        artifacts[hash] = record
        artifactsByOrder.append(hash, at: order)
        change.artifacts.insert(hash)
    }

    /// The order a lease upload belongs to, if `account` may upload for `lease` now.
    private func leaseUploadOrder(_ id: LeaseID, by account: AccountID) throws(MarketplaceError) -> OrderID {
        guard let lease = leases[id] else { throw missing(lease: id) }
        guard lease.provider == account else { throw .market(.notYours("only lease \(id)'s provider uploads artifacts for it")) }
        guard !lease.isFinal else {
            throw .market(.wrongState("lease \(id) is \(lease.state.rawValue); nothing more is stored for it"))
        }
        return lease.order
    }

    private func requireFunded(_ account: AccountID) throws(MarketplaceError) {
        let balances = ledger.balances(of: account)
        guard balances.available.isZero && balances.staked.isZero else { return }
        throw .unfunded(
            "account \(account.short)… holds no credits, available or staked: artifacts are stored only for a funded account or for a lease"
        )
    }

    // MARK: - Reads

    /// Whether `reader` (nil for an unsigned request) may read artifact `hash`.
    ///
    /// An artifact that belongs to orders may be read by their submitters, by the providers with a
    /// lease on one of them, by the controller's auditor (`policy.auditPool`) and by staked
    /// challengers (free stake of at least `policy.challengerMinimumStake`), who must re-execute
    /// to dispute; by anyone, signed or not, when one of its orders' manifests declares
    /// `artifacts: public`. Whoever stored it outside a lease may always read it; an artifact
    /// that belongs to no order is readable by its uploaders alone. The market knows nothing of
    /// an artifact without a record, so nobody may read that one.
    ///
    /// Orders that finished have left memory: what they allowed is kept on the record
    /// (`finishedReaders`, `finishedPublic`), so the answer does not change when they leave.
    public func mayRead(artifact hash: String, reader: AccountID?) -> Bool {
        guard let record = artifacts[hash] else { return false }
        let owners = record.orders.compactMap { orders[$0] }
        if record.finishedPublic || owners.contains(where: { $0.manifest.artifacts == .anyone }) { return true }
        guard let reader else { return false }
        if record.uploaders.contains(reader) || record.finishedReaders.contains(reader) { return true }
        guard !owners.isEmpty || !record.finishedReaders.isEmpty else { return false }
        if reader == policy.auditPool { return true }
        if owners.contains(where: { $0.submitter == reader }) { return true }
        // A staked challenger reads what it must re-execute: the artifacts of orders with a
        // lease under verification, not every order's.
        let challenger = ledger.balances(of: reader).staked >= policy.challengerMinimumStake
        return owners.contains { order in
            leases(ofOrder: order.id).contains { lease in lease.provider == reader || (challenger && lease.isUnderVerification) }
        }
    }

    /// Whether `account` may name `hash` as an input of a public order: it stored the artifact
    /// itself, or the artifact is public already.
    func mayPublish(_ hash: String, by account: AccountID) -> Bool {
        guard let record = artifacts[hash] else { return false }
        return record.uploaders.contains(account) || mayRead(artifact: hash, reader: nil)
    }

    /// Every input a manifest names must be a `sha256:` reference to an artifact in the store
    /// (`stored`) that the submitter may read: a provider must never be handed a job whose data
    /// does not exist, and an order must not make someone's private artifact readable by naming
    /// it. Every missing input is named at once.
    func checkInputs(of manifest: JobManifest, for submitter: AccountID, stored: Set<String>) throws(MarketplaceError) {
        var problems: [String] = []
        for reference in manifest.workload.inputs {
            switch reference {
            case .local(let path):
                problems.append("input '\(path)' is a local path: upload it and name it sha256:<hash> (tender job submit does both)")
            case .sha256(let hash):
                if !stored.contains(hash) || !mayRead(artifact: hash, reader: submitter) {
                    problems.append("input sha256:\(hash) is not in the artifact store (or not readable by \(submitter.short)…): upload it first")
                } else if manifest.artifacts == .anyone, !mayPublish(hash, by: submitter) {
                    // A public order makes its inputs readable by anyone: only their uploader may.
                    problems.append("input sha256:\(hash) is not yours to make public: upload it yourself, or keep the order's artifacts private")
                }
            }
        }
        guard problems.isEmpty else { throw .invalid(problems.joined(separator: "; ")) }
    }
}
