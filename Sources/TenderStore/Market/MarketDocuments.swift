/// The names under which the market's records are stored: one document per (kind, id).
public enum MarketDocuments {
    public static let accountKind = "account"
    public static let orderKind = "order"
    public static let leaseKind = "lease"
    public static let metaKind = "meta"
    public static let disputeKind = "dispute"
    /// Beacon secrets: private records, written with the award and read only by the clock at the
    /// reveal. No route serves this kind; a revealed secret is served from the lease's audit.
    public static let beaconSecretKind = "beacon-secret"
    /// What the market knows of each stored artifact (uploaders, orders), by its hash.
    public static let artifactKind = "artifact"
    public static let countersID = "counters"
    /// The ledger at a journal sequence (`Ledger.Snapshot`), so start-up replays only the tail.
    public static let snapshotKind = "ledger-snapshot"
    public static let snapshotID = "latest"
}
