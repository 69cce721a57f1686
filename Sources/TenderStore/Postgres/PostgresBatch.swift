import PostgresNIO
import TenderCore

/// A whole batch of writes as a handful of statements, whatever its size: every journal entry in
/// one insert (the head trigger runs row by row and sees the rows before it), every document in
/// one upsert, every deadline in one upsert and one delete. Later writes of the same document or
/// deadline win, as if the writes had run one by one.
///
/// The writer tries this first; if the server refuses a statement, it runs the batch again write
/// by write, each in its own savepoint, so the refusal is told to the write that caused it alone.
struct PostgresBatch {
    private var journal: [JournalColumns] = []
    private var documents: [DocumentKey: (json: String, updatedAt: Int64)] = [:]
    private var documentOrder: [DocumentKey] = []
    /// The last word on each deadline: a due time, or nil for removed.
    private var deadlines: [DocumentKey: Int64?] = [:]
    /// One row per record (an upsert may not touch a row twice in one statement), the last
    /// written winning, in the order first seen.
    private var archiveRows: [DocumentKey: ArchiveRow] = [:]
    private var archiveOrder: [DocumentKey] = []
    private var archive: [ArchiveRow] { archiveOrder.compactMap { archiveRows[$0] } }

    private struct DocumentKey: Hashable {
        var kind: String
        var id: String
    }

    init(_ writes: [(records: MarketRecords, now: Timestamp)]) throws {
        // The last write to append entries signs the head the batch leaves (`MarketRecords.signer`).
        let closer = writes.lastIndex { $0.records.signsJournal }
        for (index, (records, now)) in writes.enumerated() {
            journal += try records.journal(signingHead: index == closer).map(JournalColumns.init)
            try records.forEachDocument { kind, id, json in
                let key = DocumentKey(kind: kind, id: id)
                if documents[key] == nil { documentOrder.append(key) }
                documents[key] = (json, now.millis)
            }
            for deadline in records.deadlines { deadlines[DocumentKey(kind: deadline.kind, id: deadline.id)] = .some(deadline.dueAt.millis) }
            for (kind, id) in records.removedDeadlines { deadlines[DocumentKey(kind: kind, id: id)] = .some(nil) }
            for row in records.archive {
                let key = DocumentKey(kind: row.kind, id: row.id)
                if archiveRows[key] == nil { archiveOrder.append(key) }
                archiveRows[key] = row
            }
        }
    }

    func write(on connection: PostgresConnection, logger: Logger) async throws {
        if !journal.isEmpty {
            // request, cause and signature are never empty text, so '' stands for NULL in the arrays.
            try await connection.query("""
                INSERT INTO journal (sequence, time, operation, postings, previous_hash, hash, request, cause, signature)
                SELECT sequence, time, operation, postings, previous_hash, hash, nullif(request, ''), nullif(cause, ''), nullif(signature, '')
                FROM unnest(\(journal.map(\.sequence))::bigint[], \(journal.map(\.time))::bigint[], \(journal.map(\.operation))::text[],
                            \(journal.map(\.postings))::text[], \(journal.map(\.previousHash))::text[], \(journal.map(\.hash))::text[],
                            \(journal.map { $0.request ?? "" })::text[], \(journal.map { $0.cause ?? "" })::text[],
                            \(journal.map { $0.signature ?? "" })::text[])
                    WITH ORDINALITY AS e(sequence, time, operation, postings, previous_hash, hash, request, cause, signature, n)
                ORDER BY n
                """, logger: logger)
        }
        if !documentOrder.isEmpty {
            let rows = documentOrder.compactMap { key in documents[key].map { (key, $0) } }
            try await connection.query("""
                INSERT INTO documents (kind, id, body, updated_at)
                SELECT * FROM unnest(\(rows.map(\.0.kind))::text[], \(rows.map(\.0.id))::text[], \(rows.map(\.1.json))::text[], \(rows.map(\.1.updatedAt))::bigint[])
                ON CONFLICT (kind, id) DO UPDATE
                SET body = excluded.body, updated_at = excluded.updated_at, revision = nextval('tender_document_revision')
                """, logger: logger)
        }
        let set = deadlines.compactMap { key, due in due.map { (key, $0) } }
        if !set.isEmpty {
            try await connection.query("""
                INSERT INTO deadlines (kind, id, due_at)
                SELECT * FROM unnest(\(set.map(\.0.kind))::text[], \(set.map(\.0.id))::text[], \(set.map(\.1))::bigint[])
                ON CONFLICT (kind, id) DO UPDATE SET due_at = excluded.due_at
                """, logger: logger)
        }
        let archive = self.archive
        if !archive.isEmpty {
            // second and parent are never '' or -1, so those stand for NULL in the arrays.
            try await connection.query("""
                INSERT INTO archive (kind, id, number, state, first, second, parent)
                SELECT kind, id, number, state, first, nullif(second, ''), nullif(parent, -1)
                FROM unnest(\(archive.map(\.kind))::text[], \(archive.map(\.id))::text[],
                            \(archive.map { Int64(clamping: $0.number) })::bigint[], \(archive.map(\.state))::text[],
                            \(archive.map(\.first))::text[], \(archive.map { $0.second ?? "" })::text[],
                            \(archive.map { $0.parent.map { Int64(clamping: $0) } ?? -1 })::bigint[])
                    AS a(kind, id, number, state, first, second, parent)
                ON CONFLICT (kind, id) DO UPDATE
                SET state = excluded.state, first = excluded.first, second = excluded.second, parent = excluded.parent
                """, logger: logger)
        }
        let removed = deadlines.filter { $0.value == nil }.map(\.key)
        if !removed.isEmpty {
            try await connection.query("""
                DELETE FROM deadlines WHERE (kind, id) IN (SELECT * FROM unnest(\(removed.map(\.kind))::text[], \(removed.map(\.id))::text[]))
                """, logger: logger)
        }
    }
}
