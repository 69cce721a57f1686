import Foundation
import Logging
import Testing
import TenderStore

/// The backends the storage suites run on: SQLite always, PostgreSQL when `TENDER_TEST_POSTGRES`
/// names a server (`.ci/run` starts one), each test on a new database.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [StoreBackend] {
        postgresServer == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresServer: PostgresLocation? {
        guard let url = ProcessInfo.processInfo.environment["TENDER_TEST_POSTGRES"], !url.isEmpty else { return nil }
        return try? PostgresLocation(url: url)
    }

    var testDescription: String { rawValue }

    static let logger: Logger = {
        var logger = Logger(label: "store-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `body` with a new, empty store of this kind and discards it afterwards.
    func withScratchStore<T>(_ body: (ScratchStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store: ScratchStore
        switch self {
        case .sqlite:
            store = try ScratchStore.sqlite(in: directory, logger: Self.logger)
        case .postgres:
            guard let server = Self.postgresServer else { throw StoreError.badLocation(text: "", reason: "TENDER_TEST_POSTGRES is not set") }
            store = try await ScratchStore.postgres(on: server, logger: Self.logger)
        }
        do {
            let result = try await body(store)
            await store.discard()
            return result
        } catch {
            await store.discard()
            throw error
        }
    }
}
