import Foundation
import Logging

/// Where a controller keeps its market, as named on the command line (`--db`) or in the config:
/// an SQLite file path, or a `postgres://` URL.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(URL)
    case postgres(PostgresLocation)

    public init(_ text: String) throws(StoreError) {
        if PostgresLocation.isURL(text) {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            guard !text.isEmpty else { throw .badLocation(text: text, reason: "name an SQLite file or a postgres:// URL") }
            // A mistyped URL must not quietly become a market of its own in a file of that name.
            let lowered = text.lowercased()
            if text.contains("://") || lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:") {
                throw .badLocation(text: PostgresLocation.redacted(text), reason: "only postgres://USER@HOST:PORT/DATABASE URLs are understood; a file path has no ://")
            }
            self = .sqlite(URL(fileURLWithPath: text))
        }
    }

    /// The SQLite file, when the market is kept in one.
    public var file: URL? {
        if case .sqlite(let url) = self { url } else { nil }
    }

    public var description: String {
        switch self {
        case .sqlite(let url): url.path
        case .postgres(let location): location.description
        }
    }

    /// Opens the store: creates and migrates the SQLite file, or connects to PostgreSQL and
    /// migrates its schema, and checks that commits there are durable.
    public func open(logger: Logger) async throws -> any MarketStorage {
        switch self {
        case .sqlite(let url): try SQLiteMarketStorage(path: url)
        case .postgres(let location): try await PostgresMarketStorage(location, logger: logger)
        }
    }
}
