import Foundation
import TenderCore

/// The JSON text the store keeps in its TEXT columns, with failures turned into `StoreError`s.
///
/// Always `CanonicalJSON` (sorted keys, compact), so the same value is stored as the same bytes
/// and a journal line reads back exactly as it was hashed.
enum StoreJSON {
    static func encode(_ value: some Encodable, what: @autoclosure () -> String) throws(StoreError) -> String {
        try written(what: what()) { String(decoding: try CanonicalJSON.encode(value), as: UTF8.self) }
    }

    /// Text a value writes itself (e.g. `AccountRecord.canonicalJSON`), with its failure named.
    static func written(what: @autoclosure () -> String, _ write: () throws -> String) throws(StoreError) -> String {
        do {
            return try write()
        } catch {
            throw .encodingFailed(what: what(), reason: String(describing: error))
        }
    }

    static func decode<T: Decodable>(
        _ type: T.Type, from text: String, what: @autoclosure () -> String
    ) throws(StoreError) -> T {
        do {
            return try CanonicalJSON.decode(type, from: Data(text.utf8))
        } catch {
            throw .decodingFailed(what: what(), reason: String(describing: error))
        }
    }
}
