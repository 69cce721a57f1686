import TenderCore

/// A journal entry as the columns every backend stores it in.
///
/// Each JSON column is the entry's canonical text for that part (`JournalEntry.canonicalParts`),
/// the same bytes the entry's hash covers, so what is read back re-hashes to the stored hash and
/// `Ledger.replay` accepts it.
struct JournalColumns: Sendable {
    var sequence: Int64
    var time: Int64
    var operation: String
    var postings: String
    var previousHash: String
    var hash: String
    var request: String?
    var cause: String?
    var signature: String?

    init(
        sequence: Int64, time: Int64, operation: String, postings: String, previousHash: String, hash: String,
        request: String?, cause: String?, signature: String?
    ) {
        (self.sequence, self.time, self.operation, self.postings) = (sequence, time, operation, postings)
        (self.previousHash, self.hash, self.request, self.cause, self.signature) = (previousHash, hash, request, cause, signature)
    }

    init(_ entry: JournalEntry) throws {
        guard let sequence = Int64(exactly: entry.sequence) else { throw StoreError.sequenceOutOfRange(entry.sequence) }
        let parts = entry.canonicalParts
        self.init(
            sequence: sequence, time: entry.time.millis, operation: parts.operation, postings: parts.postings,
            previousHash: entry.previousHash, hash: entry.hash, request: parts.request, cause: parts.cause,
            signature: entry.signature
        )
    }

    func entry() throws -> JournalEntry {
        let what = "journal entry \(sequence)"
        guard let unsigned = UInt64(exactly: sequence) else {
            throw StoreError.decodingFailed(what: what, reason: "negative sequence")
        }
        return JournalEntry(
            sequence: unsigned,
            time: Timestamp(millis: time),
            operation: try StoreJSON.decode(LedgerOperation.self, from: operation, what: what),
            postings: try StoreJSON.decode([Posting].self, from: postings, what: what),
            previousHash: previousHash,
            request: try request.map { try StoreJSON.decode(RequestEvidence.self, from: $0, what: what) },
            cause: try cause.map { try StoreJSON.decode(EntryCause.self, from: $0, what: what) },
            hash: hash,
            signature: signature
        )
    }
}
