import Crypto
import Foundation

/// One applied operation: what was asked, what moved, and its link in the hash chain.
///
/// `hash` is SHA-256 (lowercase hex) of the UTF-8 bytes of `previousHash + "\n"` followed by the
/// canonical JSON of the entry without its `hash`. Each entry commits to everything before it, so the
/// controller signs only the head and any edit to an earlier line shows up as a broken link or a bad
/// hash.
public struct JournalEntry: Sendable, Hashable, Codable {
    /// 1 for the first entry, then one more for each.
    public let sequence: UInt64
    /// The `now` the operation was applied at.
    public let time: Timestamp
    public let operation: LedgerOperation
    /// The bucket changes, in the order the ledger derived them. Zero changes are left out.
    public let postings: [Posting]
    /// The previous entry's hash; `JournalEntry.genesisHash` for the first.
    public let previousHash: String
    /// The user's signed request that caused the entry; nil for what the controller did on its own.
    public let request: RequestEvidence?
    /// The order, lease or dispute the entry follows from; nil for a plain account operation.
    public let cause: EntryCause?
    public let hash: String
    /// The controller's Ed25519 signature over the hash's 32 bytes (base64). Not part of the hash.
    /// The controller signs the last entry of each transaction it commits; the entries before it
    /// are vouched for by that signature through the hash chain (`Ledger.verify`), and carry none.
    /// So only the holder of the controller's key can add an entry that verifies, whoever can
    /// write its database: a controller refuses to load a journal that ends unsigned
    /// (`StoreError.unsignedJournalTail`), or, after start-up, one whose last signature is not
    /// its key's (`JournalTrust`), so its next signature never vouches for entries someone else
    /// appended; and a signature by any other key fails `Ledger.verify`.
    public let signature: String?

    /// The `previousHash` of the first entry: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Rebuilds an entry as stored. Nothing is checked here; `Ledger.verify` checks a journal.
    public init(
        sequence: UInt64, time: Timestamp, operation: LedgerOperation, postings: [Posting], previousHash: String,
        request: RequestEvidence? = nil, cause: EntryCause? = nil, hash: String, signature: String? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.operation = operation
        self.postings = postings
        self.previousHash = previousHash
        self.request = request
        self.cause = cause
        self.hash = hash
        self.signature = signature
    }

    /// Builds and hashes a new entry.
    static func sealed(
        sequence: UInt64, time: Timestamp, operation: LedgerOperation,
        postings: [Posting], previousHash: String, request: RequestEvidence?, cause: EntryCause?
    ) -> JournalEntry {
        let hash = hashHex(
            sequence: sequence, time: time, operation: operation, postings: postings, previousHash: previousHash,
            request: request, cause: cause
        )
        return JournalEntry(
            sequence: sequence, time: time, operation: operation,
            postings: postings, previousHash: previousHash, request: request, cause: cause, hash: hash
        )
    }

    /// The entry with the controller's signature over its hash.
    public func signed(by key: KeyPair) throws(IdentityError) -> JournalEntry {
        let signature = try key.sign(Hex.decode(hash) ?? Data()).base64EncodedString()
        return JournalEntry(
            sequence: sequence, time: time, operation: operation, postings: postings, previousHash: previousHash,
            request: request, cause: cause, hash: hash, signature: signature
        )
    }

    /// Whether `controller` signed this entry's hash.
    public func isSigned(by controller: AccountID) -> Bool {
        guard let signature, let raw = Data(base64Encoded: signature), let digest = Hex.decode(hash) else { return false }
        do {
            try controller.verify(signature: raw, for: digest)
            return true
        } catch {
            return false
        }
    }

    // MARK: - Hashing

    /// The hash this entry's contents call for, whatever its `hash` field says.
    public func computedHash() -> String {
        Self.hashHex(
            sequence: sequence, time: time, operation: operation, postings: postings, previousHash: previousHash,
            request: request, cause: cause
        )
    }

    /// The hex SHA-256 of the hashed bytes (`hashedBytes`): a new entry's hash, and the one replay
    /// recomputes.
    private static func hashHex(
        sequence: UInt64, time: Timestamp, operation: LedgerOperation,
        postings: [Posting], previousHash: String, request: RequestEvidence?, cause: EntryCause?
    ) -> String {
        Hex.encode(SHA256.hash(data: hashedBytes(
            sequence: sequence, time: time, operation: operation, postings: postings, previousHash: previousHash,
            request: request, cause: cause
        )))
    }

    /// True when the postings balance: holder deltas + burned delta == minted delta.
    public var isBalanced: Bool { postings.isBalanced }
}
