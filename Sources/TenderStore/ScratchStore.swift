import Foundation
import Logging

/// A throwaway market store for tests and `tender bench`: a new SQLite file in a temporary
/// directory, or a new database on a PostgreSQL server. `discard` removes it.
public struct ScratchStore: Sendable {
    public let location: StoreLocation
    public let storage: any MarketStorage
    private let server: PostgresLocation?
    private let logger: Logger

    /// A new SQLite file `tender.sqlite` in `directory`.
    public static func sqlite(in directory: URL, logger: Logger) throws -> ScratchStore {
        let file = directory.appendingPathComponent("tender.sqlite")
        return ScratchStore(location: .sqlite(file), storage: try SQLiteMarketStorage(path: file), server: nil, logger: logger)
    }

    /// A new, empty database on the server `server` names, opened.
    public static func postgres(on server: PostgresLocation, logger: Logger) async throws -> ScratchStore {
        let location = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        let storage = try await PostgresMarketStorage(location, logger: logger)
        // Nobody else uses a new database: this store writes.
        _ = await storage.tryToLead(advertising: nil)
        return ScratchStore(location: .postgres(location), storage: storage, server: server, logger: logger)
    }

    /// Closes the store and drops its database (an SQLite file is left to its directory's owner).
    public func discard() async {
        try? await storage.close()
        if let server, case .postgres(let location) = location {
            try? await PostgresAdmin.dropDatabase(location.database, on: server, logger: logger)
        }
    }
}
