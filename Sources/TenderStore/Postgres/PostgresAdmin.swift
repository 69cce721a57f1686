import Foundation
import PostgresNIO

/// Creating and dropping whole databases on a server, for throwaway stores (`ScratchStore`).
public enum PostgresAdmin {
    /// Creates an empty database `name` (lower-case letters, digits and underscores) on the server
    /// `server` names, connecting to `server`'s own database to do it; returns the new one's location.
    public static func createDatabase(_ name: String, on server: PostgresLocation, logger: Logger) async throws -> PostgresLocation {
        try await run("CREATE DATABASE \(try quoted(name))", on: server, logger: logger)
        return server.database(name)
    }

    /// Creates a throwaway database, `tender_scratch_` and a random suffix, for tests and the bench.
    public static func createScratchDatabase(on server: PostgresLocation, logger: Logger) async throws -> PostgresLocation {
        let name = "tender_scratch_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return try await createDatabase(name, on: server, logger: logger)
    }

    /// Drops database `name`, closing whatever connections it still has.
    public static func dropDatabase(_ name: String, on server: PostgresLocation, logger: Logger) async throws {
        try await run("DROP DATABASE IF EXISTS \(try quoted(name)) WITH (FORCE)", on: server, logger: logger)
    }

    private static func quoted(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw StoreError.badLocation(text: name, reason: "a database name here is lower-case letters, digits and underscores")
        }
        return "\"\(name)\""
    }

    private static func run(_ sql: String, on server: PostgresLocation, logger: Logger) async throws {
        try await PostgresMarketStorage.reachable(server, logger: logger)
        let client = PostgresClient(configuration: server.clientConfiguration, backgroundLogger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            } catch {
                throw StoreError.unreachable(location: server.description, reason: PostgresMarketStorage.describe(error))
            }
        }
    }
}
