import Foundation
import Logging
import TenderCore
import TenderStore

/// Which store the controller tests run on. SQLite by default; with `TENDER_TEST_STORE=postgres`,
/// a new database per test on the server `TENDER_TEST_POSTGRES` names (`.ci/run` starts one and
/// runs these suites a second time that way).
enum TestStore {
    /// The PostgreSQL server tests may create databases on, if one was named.
    static var postgresServer: PostgresLocation? {
        guard let url = ProcessInfo.processInfo.environment["TENDER_TEST_POSTGRES"], !url.isEmpty else { return nil }
        return try? PostgresLocation(url: url)
    }

    /// True when the controller suites are to run on PostgreSQL.
    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["TENDER_TEST_STORE"] == "postgres" }

    /// What a controller child process is started with: `--db` and any further options. On
    /// PostgreSQL, a new database and a controller key in `directory` (a shared database has no
    /// directory to keep one beside).
    static func controllerDatabase(in directory: URL) async throws -> (db: String, arguments: [String]) {
        guard usesPostgres else { return (directory.appendingPathComponent("db.sqlite").path, []) }
        return try await postgresDatabase(in: directory)
    }

    /// A new PostgreSQL database and a controller key file in `directory`, as `--db` and `--key-file`.
    static func postgresDatabase(in directory: URL) async throws -> (db: String, arguments: [String]) {
        guard let server = postgresServer else { throw HarnessFailure("TENDER_TEST_STORE=postgres needs TENDER_TEST_POSTGRES=postgres://…") }
        var logger = Logger(label: "test-store")
        logger.logLevel = .critical
        let location = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        let keyFile = directory.appendingPathComponent("controller.key")
        guard FileManager.default.createFile(
            atPath: keyFile.path, contents: Data(KeyPair().rawPrivateKey.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600]
        ) else { throw HarnessFailure("cannot write \(keyFile.path)") }
        return (location.url, ["--key-file", keyFile.path])
    }

    /// A new, empty store: on PostgreSQL when asked for (failing if no server is named), else an
    /// SQLite file in `directory`.
    static func make(in directory: URL) async throws -> ScratchStore {
        var logger = Logger(label: "test-store")
        logger.logLevel = .critical
        guard usesPostgres else { return try ScratchStore.sqlite(in: directory, logger: logger) }
        guard let server = postgresServer else { throw HarnessFailure("TENDER_TEST_STORE=postgres needs TENDER_TEST_POSTGRES=postgres://…") }
        return try await ScratchStore.postgres(on: server, logger: logger)
    }

    /// Runs `body` on a new, empty store (`make`), then discards it and its directory whether the
    /// body passed or threw, so a failing test leaves no scratch database behind.
    static func withScratch<T>(_ prefix: String, _ body: (ScratchStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await make(in: directory)
        do {
            let value = try await body(store)
            await store.discard()
            return value
        } catch {
            await store.discard()
            throw error
        }
    }
}
