import Foundation
import TenderCore

/// The ledger's public record: the journal, the supply and the signed head.
extension TenderAPIClient {
    /// `GET /v1/ledger/journal?after=N&limit=M`: entries after sequence `after`, at most `limit`.
    public func journal(after: UInt64? = nil, limit: Int? = nil) async throws(ClientError) -> API.JournalPage {
        try await call(.get("/v1/ledger/journal", query: [("after", after.map(String.init)), ("limit", limit.map(String.init))]))
    }

    /// Every journal entry after `after` up to and including `sequence`, page by page.
    ///
    /// Follows `next` until the last page or until `sequence` is reached; entries past `sequence`
    /// (written while paging) are dropped. A page that does not move forward is an unexpected answer,
    /// so a misbehaving controller cannot keep this looping.
    public func journalEntries(after: UInt64 = 0, through sequence: UInt64? = nil, pageLimit: Int? = nil) async throws(ClientError) -> [JournalEntry] {
        var entries: [JournalEntry] = []
        var cursor = after
        while sequence.map({ cursor < $0 }) ?? true {
            let page = try await journal(after: cursor, limit: pageLimit)
            for entry in page.entries {
                if let sequence, entry.sequence > sequence { return entries }
                entries.append(entry)
            }
            guard let next = page.next else { break }
            let reached = page.entries.last?.sequence ?? cursor
            guard next > cursor, next >= reached, !page.entries.isEmpty else {
                throw .unexpectedResponse(status: 200, reason: "journal page after \(cursor) does not advance (next \(next))")
            }
            cursor = next
        }
        return entries
    }

    /// `GET /v1/ledger/supply`: minted, burned, and every bucket summed over all accounts.
    public func supply() async throws(ClientError) -> LedgerTotals {
        try await call(.get("/v1/ledger/supply"))
    }

    /// `GET /v1/ledger/head`: the journal head, signed by the controller. Check it with `.verified()`.
    public func ledgerHead() async throws(ClientError) -> Signed<API.LedgerHead> {
        try await call(.get("/v1/ledger/head"))
    }
}
