import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import TenderControllerService
import TenderCore
import TenderStore
import Testing

/// Two controllers' market services on one PostgreSQL database, in process: one leads, the other
/// follows the store change by change, refuses writes with the leader's address, and takes over
/// when the leader lets go.
@Suite("A follower on a shared database", .enabled(if: TestStore.postgresServer != nil, "needs TENDER_TEST_POSTGRES"))
struct FollowerTests {
    let key = KeyPair()
    var policy: MarketPolicy { MarketPolicy(treasury: key.account, auditPool: key.account) }

    func service(_ location: PostgresLocation, url: String) async throws -> (MarketService, PostgresMarketStorage) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let storage = try await PostgresMarketStorage(location, logger: logger)
        let service = try await MarketService(
            storage: storage, policy: policy, controllerKey: key, clock: { .wallClock }, logger: logger, advertisedURL: url
        )
        return (service, storage)
    }

    /// Two controllers' services on a new database: the first to start leads.
    struct Pair {
        let server: PostgresLocation
        let database: String
        let leader: MarketService, leaderStorage: PostgresMarketStorage
        let follower: MarketService, followerStorage: PostgresMarketStorage

        /// Closes both stores and drops the database.
        func discard() async throws {
            try await leaderStorage.close()
            try await followerStorage.close()
            try await PostgresAdmin.dropDatabase(database, on: server, logger: Logger(label: "test"))
        }
    }

    func pair() async throws -> Pair {
        let server = try #require(TestStore.postgresServer)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let location = try await PostgresAdmin.createScratchDatabase(on: server, logger: logger)
        let (leader, leaderStorage) = try await service(location, url: "http://leader.example:8080")
        let (follower, followerStorage) = try await service(location, url: "http://follower.example:8080")
        return Pair(server: server, database: location.database, leader: leader, leaderStorage: leaderStorage,
                    follower: follower, followerStorage: followerStorage)
    }

    @Test("the follower takes each change as stored, answers writes with the leader's URL, and leads once the leader lets go")
    func followAndTakeOver() async throws {
        let pair = try await pair()
        let (leader, leaderStorage, follower) = (pair.leader, pair.leaderStorage, pair.follower)
        #expect(leader.isLeading && !follower.isLeading)

        let alice = KeyPair().account, bob = KeyPair().account
        _ = try await leader.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(10), to: alice, now: now)) }
        await follower.replicate()
        _ = try await leader.perform { market, now throws(MarketplaceError) in ((), try market.transfer(try! .credits(3), from: alice, to: bob, now: now)) }
        await follower.replicate()
        #expect(await follower.read { $0.ledger.balances(of: bob).available } == (try Amount.credits(3)))
        #expect(await follower.read { $0.ledger.headHash } == (await leader.read { $0.ledger.headHash }))
        #expect(await follower.read { $0.account(alice) } == (await leader.read { $0.account(alice) }))
        let followed = await follower.followed
        #expect(followed.updates >= 1, "the follower took changes as stored, not by reloading: \(followed)")
        #expect(follower.leaderURL == "http://leader.example:8080")

        await #expect {
            try await follower.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(1), to: bob, now: now)) }
        } throws: { error in
            if case ControllerError.notLeading(let url) = error { return url == "http://leader.example:8080" }
            return false
        }

        // The leader lets go (a graceful stop; a killed one's lock is freed by the server).
        try await leaderStorage.close()
        await follower.replicate()
        #expect(follower.isLeading)
        _ = try await follower.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(1), to: bob, now: now)) }
        #expect(await follower.read { $0.ledger.balances(of: bob).available } == (try Amount.credits(4)))
        #expect(try Ledger.replay(try await pair.followerStorage.wholeJournal()) == (await follower.snapshot.ledger))
        try await pair.discard()
    }

    @Test("a follower does not take a journal that ends on an entry unsigned or signed by another key, nor load it again, to follow or to lead, until the store moves",
          arguments: [false, true])
    func forgedChangesRefused(signedByAnotherKey: Bool) async throws {
        let pair = try await pair()
        let (leader, follower) = (pair.leader, pair.follower)
        let alice = KeyPair().account
        _ = try await leader.perform { market, now throws(MarketplaceError) in ((), try market.mint(try! .credits(10), to: alice, now: now)) }
        await follower.replicate()
        let before = await follower.read { ($0.ledger.sequence, $0.ledger.headHash) }
        #expect(before.0 == 1)

        // Someone with write access to the database, but not the key, appends an entry: unsigned,
        // or signed with a key of their own.
        var ledger = await leader.read { $0.ledger }
        var forged = MarketRecords()
        forged.journal = [try ledger.apply(.mint(to: alice, amount: try .credits(1_000)), at: .wallClock)]
        if signedByAnotherKey { forged.signer = KeyPair() }
        try await pair.leaderStorage.write(forged, at: .wallClock)

        await follower.replicate()
        #expect(await follower.read { ($0.ledger.sequence, $0.ledger.headHash) } == before)
        #expect(await follower.followed.refusals == 1)
        await follower.replicate()
        #expect(await follower.followed.refusals == 1, "the refused revision is not loaded again")
        #expect(await follower.read { $0.ledger.balances(of: alice).available } == (try Amount.credits(10)))

        // The leader lets go: the follower does not take the lead of the refused journal, nor try
        // again each tick (a takeover would load it only to refuse it).
        try await pair.leaderStorage.close()
        // The lock is free once the server has ended the leader's session: probed through the
        // follower's store, then let go, so the follower's own choice is what is tested.
        try await waitUntil("the leader's lock is free") { await pair.followerStorage.tryToLead(advertising: nil) }
        await pair.followerStorage.resign()
        await follower.replicate()
        await follower.replicate()
        #expect(!follower.isLeading)
        #expect(await follower.followed.refusals == 1, "the refused revision is not loaded again to take the lead")
        try await pair.discard()
    }

    @Test("a follower's HTTP answers: writes, signed requests and events go to the leader; unsigned reads are its own, unless it has not seen the record yet")
    func followerRoutes() async throws {
        let pair = try await pair()
        let follower = pair.follower
        await follower.replicate()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-follower-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = ControllerSettings(dev: true, maxBodyBytes: 1 << 20, artifactsDirectory: directory)
        let app = Application(router: try ControllerApplication.router(service: follower, settings: settings, metrics: RequestMetrics()), logger: logger)
        let alice = Signer()
        try await app.test(.router) { client in
            let body = try json(API.FaucetRequest(account: alice.account, amount: Amount.credits(1)))
            try await client.execute(uri: "/v1/faucet", method: .post, headers: try alice.headers(method: .post, path: "/v1/faucet", body: body),
                                     body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .misdirectedRequest)
                #expect(response.headers[HTTPField.Name("Tender-Leader")!] == "http://leader.example:8080/v1/faucet")
            }
            try await client.execute(uri: "/v1/events?after=0", method: .get) { response in
                #expect(response.status == .temporaryRedirect)
                #expect(response.headers[.location] == "http://leader.example:8080/v1/events?after=0")
            }
            let health = try await client.execute(uri: "/v1/health", method: .get) { response in
                (response.status, Data(response.body.readableBytesView))
            }
            #expect(health.0 == .ok)
            #expect(try JSONDecoder().decode(API.Health.self, from: health.1).role == "follower")
            // A record this follower does not know (the leader may have written it a moment ago)
            // is looked up at the leader.
            try await client.execute(uri: "/v1/orders/1", method: .get) { response in
                #expect(response.status == .temporaryRedirect)
                #expect(response.headers[.location] == "http://leader.example:8080/v1/orders/1")
            }
        }
        try await pair.discard()
    }
}
