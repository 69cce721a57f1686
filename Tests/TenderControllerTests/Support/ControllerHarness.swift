import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
@testable import TenderControllerService
import TenderCore
import TenderStore

/// A controller on a temporary database, driven in process through `app.test(.router)`.
struct ControllerHarness {
    let directory: URL
    let service: MarketService
    /// The store under the controller: SQLite, or PostgreSQL with `TENDER_TEST_STORE=postgres`.
    let store: ScratchStore
    let app: Application<RouterResponder<BasicRequestContext>>
    let clock: TestClock

    /// A settable clock, so tests decide when auctions close.
    final class TestClock: Sendable {
        private let value = Mutex(Timestamp(millis: 1_700_000_000_000))
        var now: Timestamp { value.withLock { $0 } }
        func advance(seconds: Int64) { value.withLock { $0 = $0.adding(seconds: seconds) } }
    }

    /// `wrapping` puts a test's own storage between the controller and the scratch store.
    init(
        dev: Bool = true, maxBodyBytes: Int = 1 << 20, artifactQuotaBytes: Int64 = 1 << 30,
        wrapping wrap: (any MarketStorage) -> any MarketStorage = { $0 }
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-controller-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try await TestStore.make(in: directory)
        let key = KeyPair()
        let clock = TestClock()
        self.clock = clock
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        service = try await MarketService(
            storage: wrap(store.storage), policy: MarketPolicy(treasury: key.account, auditPool: key.account, artifactQuotaBytes: artifactQuotaBytes),
            controllerKey: key, clock: { clock.now }, logger: logger
        )
        let settings = ControllerSettings(dev: dev, maxBodyBytes: maxBodyBytes, artifactsDirectory: directory.appendingPathComponent("artifacts"))
        let router = try ControllerApplication.router(service: service, settings: settings, metrics: RequestMetrics())
        app = Application(router: router, logger: logger)
    }

    /// Removes the directory; a PostgreSQL database is dropped in the background.
    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
        if TestStore.usesPostgres { Task { [store] in await store.discard() } }
    }

    /// The store, for tests that read what was written.
    var storage: any MarketStorage { store.storage }

    /// The artifact store's directory.
    var artifactsDirectory: URL { directory.appendingPathComponent("artifacts") }

    /// Every file in the artifact store, temporary ones included.
    func storedFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: artifactsDirectory.path)) ?? []).sorted()
    }
}

/// Signs requests the way any client must (DESIGN section 3).
struct Signer {
    let key: KeyPair
    private static let counter = Mutex<UInt64>(1)

    init(_ key: KeyPair = KeyPair()) { self.key = key }

    var account: AccountID { key.account }

    static func nextNonce() -> UInt64 { counter.withLock { $0 += 1; return $0 } }

    func headers(method: HTTPRequest.Method, path: String, body: Data, nonce: UInt64 = Signer.nextNonce(),
                 contentType: String = "application/json") throws -> HTTPFields {
        let signature = try RequestSignature.sign(method: method.rawValue, pathWithQuery: path, nonce: nonce, body: body, with: key)
        var fields = HTTPFields()
        for header in signature.headers { fields[HTTPField.Name(header.name)!] = header.value }
        fields[.contentType] = contentType
        return fields
    }
}

extension TestClientProtocol {
    /// Sends a signed request and returns status and body.
    @discardableResult
    func signed(_ method: HTTPRequest.Method, _ path: String, by signer: Signer, body: Data = Data(),
                contentType: String = "application/json", nonce: UInt64? = nil) async throws -> (HTTPResponse.Status, Data) {
        let headers = try signer.headers(method: method, path: path, body: body, nonce: nonce ?? Signer.nextNonce(), contentType: contentType)
        return try await execute(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, Data(response.body.readableBytesView))
        }
    }

    func get(_ path: String) async throws -> (HTTPResponse.Status, Data) {
        try await execute(uri: path, method: .get) { response in (response.status, Data(response.body.readableBytesView)) }
    }

    /// Funds `signer` from the dev faucet, which also makes the account known to the controller.
    func fund(_ signer: Signer, credits: Int64 = 100) async throws {
        let body = try json(API.FaucetRequest(account: signer.account, amount: Amount.credits(credits)))
        let (status, problem) = try await signed(.post, "/v1/faucet", by: signer, body: body)
        guard status == .ok else { throw HarnessFailure("faucet answered \(status): \(String(decoding: problem, as: UTF8.self))") }
    }

    /// Stores `data` as `signer`'s artifact (`?lease=N` when given) and returns the status.
    @discardableResult
    func upload(_ data: Data, by signer: Signer, lease: LeaseID? = nil) async throws -> HTTPResponse.Status {
        let path = "/v1/artifacts/\(Hashing.sha256Hex(data))" + (lease.map { "?lease=\($0)" } ?? "")
        return try await signed(.put, path, by: signer, body: data, contentType: "application/octet-stream").0
    }

    /// Reads an artifact, signed by `signer`, or unsigned when it is nil.
    func artifact(_ hash: String, by signer: Signer?) async throws -> (HTTPResponse.Status, Data) {
        let path = "/v1/artifacts/\(hash)"
        guard let signer else { return try await get(path) }
        return try await signed(.get, path, by: signer)
    }

    /// Submits `manifest` as `signer`'s order.
    func submit(_ manifest: String, by signer: Signer) async throws -> (HTTPResponse.Status, Data) {
        try await signed(.post, "/v1/orders", by: signer, body: Data(manifest.utf8), contentType: "application/yaml")
    }
}

/// A harness step that did not go as every test assumes.
struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func json<T: Encodable>(_ value: T) throws -> Data { try CanonicalJSON.encode(value) }

func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T { try JSONDecoder().decode(type, from: data) }
