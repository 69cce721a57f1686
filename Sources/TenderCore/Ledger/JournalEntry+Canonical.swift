import Foundation

/// The canonical JSON of a journal entry, written by hand (`CanonicalJSONText`) rather than through
/// `JSONEncoder`: every signed write hashes one entry and stores its parts, and the encoder's tree
/// cost more than the rest of a transfer's bookkeeping. The bytes are the encoder's, member for
/// member; tests compare them for every operation and every kind of character.
extension JournalEntry {
    /// The entry's parts as the store keeps them in its columns: the same bytes the hash covers.
    public struct CanonicalParts: Sendable, Equatable {
        public let operation: String
        public let postings: String
        public let request: String?
        public let cause: String?
    }

    public var canonicalParts: CanonicalParts {
        func text(_ write: (inout CanonicalJSONText) -> Void) -> String {
            var json = CanonicalJSONText()
            write(&json)
            return json.text
        }
        return CanonicalParts(
            operation: text(operation.write),
            postings: text { Self.write(postings, to: &$0) },
            request: request.map { request in text(request.write) },
            cause: cause.map { cause in text(cause.write) }
        )
    }

    /// The UTF-8 bytes the hash is taken over: `previousHash`, a newline, then the canonical JSON
    /// of the entry without its hash and signature (members sorted; a missing request or cause
    /// is left out, so older entries hash as they always did).
    static func hashedBytes(
        sequence: UInt64, time: Timestamp, operation: LedgerOperation, postings: [Posting], previousHash: String,
        request: RequestEvidence?, cause: EntryCause?
    ) -> [UInt8] {
        var json = CanonicalJSONText(capacity: 1_024)
        json.raw(previousHash)
        json.raw("\n")
        json.object { o in
            if let cause {
                o.member("cause")
                cause.write(to: &o)
            }
            o.member("operation")
            operation.write(to: &o)
            o.member("postings")
            write(postings, to: &o)
            o.member("previousHash", previousHash)
            if let request {
                o.member("request")
                request.write(to: &o)
            }
            o.member("sequence", sequence)
            o.member("time", time.millis)
        }
        return json.bytes
    }

    private static func write(_ postings: [Posting], to json: inout CanonicalJSONText) {
        json.array(postings) { json, posting in
            json.object { o in
                if let account = posting.account { o.member("account", account.hex) }
                o.member("bucket", posting.bucket.rawValue)
                o.member("delta", posting.delta)
            }
        }
    }
}

extension RequestEvidence {
    func write(to json: inout CanonicalJSONText) {
        json.object { o in
            o.member("account", account.hex)
            o.member("body")
            o.base64(body)
            o.member("method", method)
            o.member("nonce", nonce)
            o.member("signature")
            o.base64(signature)
            o.member("target", target)
        }
    }
}

extension EntryCause {
    func write(to json: inout CanonicalJSONText) {
        json.object { o in
            switch self {
            case .order(let id): o.member("order", id.rawValue)
            case .lease(let id): o.member("lease", id.rawValue)
            case .dispute(let id): o.member("dispute", id.rawValue)
            }
        }
    }
}
