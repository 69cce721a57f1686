import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore

/// The hardening issue's attacks with orders: huge manifests, free order spam, orders whose data
/// never existed, and lists that return the whole history to every poll.
@Suite("Orders: bounded manifests, a minimum escrow, stored inputs, pages")
struct OrderHardeningTests {
    @Test("a manifest or profile over 64 KiB is refused with 413 before it is parsed")
    func documentSize() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let alice = Signer()
        let padding = "\n#" + String(repeating: "x", count: 70_000)
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: alice) == .created)
            let (status, problem) = try await client.submit(ControllerRouteTests.manifest + padding, by: alice)
            #expect(status == .contentTooLarge)
            #expect(try decode(API.Problem.self, problem).detail.contains("64 KiB"))
            let (profile, _) = try await client.signed(.put, "/v1/providers/\(alice.account.hex)", by: alice,
                                                       body: Data((ControllerRouteTests.profile + padding).utf8), contentType: "application/yaml")
            #expect(profile == .contentTooLarge)
        }
        #expect(await harness.service.snapshot.orders.isEmpty)
    }

    @Test("an order below the minimum escrow is refused with 422 naming the minimum")
    func minimumEscrow() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        let cheap = ControllerRouteTests.manifest.replacingOccurrences(of: "maxPrice: 10", with: "maxPrice: 0.001")
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: alice) == .created)
            let (status, problem) = try await client.submit(cheap, by: alice)
            #expect(status == .unprocessableContent)
            #expect(try decode(API.Problem.self, problem).detail.contains("at least 0.010000"))
        }
        #expect(await harness.service.snapshot.orders.isEmpty)
        #expect(!harness.storedFiles().contains(Hashing.sha256Hex(cheap)))
    }

    @Test("an order naming an input that is not in the store is refused with 422 naming its hash, and stores nothing")
    func missingInput() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let (status, problem) = try await client.submit(ControllerRouteTests.manifest, by: alice)
            #expect(status == .unprocessableContent)
            #expect(try decode(API.Problem.self, problem).detail.contains(Hashing.sha256Hex(ControllerRouteTests.dataset)))
            #expect(harness.storedFiles().isEmpty)
            #expect(await harness.service.snapshot.orders.isEmpty)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: alice) == .created)
            #expect(try await client.submit(ControllerRouteTests.manifest, by: alice).0 == .created)
        }
    }

    @Test("an order whose inputs make no job (text for a dataset, too few rows) is refused with 422 and the reason, and stores nothing")
    func unusableInputs() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            let words = Data("root:x:0:0:root:/root:/bin/bash\n".utf8)
            #expect(try await client.upload(words, by: alice) == .created)
            let wrongData = ControllerRouteTests.manifest.replacingOccurrences(
                of: Hashing.sha256Hex(ControllerRouteTests.dataset), with: Hashing.sha256Hex(words)
            )
            let (status, problem) = try await client.submit(wrongData, by: alice)
            #expect(status == .unprocessableContent)
            let detail = try decode(API.Problem.self, problem).detail
            #expect(detail.contains("cannot run on its inputs") && detail.contains("CSV"), "\(detail)")
            // More training rows than the dataset holds.
            #expect(try await client.upload(ControllerRouteTests.dataset, by: alice) == .created)
            let tooMany = ControllerRouteTests.manifest.replacingOccurrences(of: "trainRows: 1,", with: "trainRows: 5,")
            let (refused, why) = try await client.submit(tooMany, by: alice)
            #expect(refused == .unprocessableContent)
            #expect(try decode(API.Problem.self, why).detail.contains("trainRows"))
            #expect(await harness.service.snapshot.orders.isEmpty)
            #expect(try await client.submit(ControllerRouteTests.manifest, by: alice).0 == .created)
        }
    }

    @Test("orders list by page with a cursor, by state and by submitter")
    func pages() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            for signer in [alice, bob] {
                try await client.fund(signer)
                #expect(try await client.upload(ControllerRouteTests.dataset, by: signer) == .created)
            }
            for signer in [alice, alice, bob] {
                #expect(try await client.submit(ControllerRouteTests.manifest, by: signer).0 == .created)
            }
            #expect(try await client.signed(.post, "/v1/orders/1/cancel", by: alice).0 == .ok)
            func list(_ query: String) async throws -> API.OrderList {
                let (status, body) = try await client.get("/v1/orders\(query)")
                #expect(status == .ok, "\(query)")
                return try decode(API.OrderList.self, body)
            }
            let first = try await list("?limit=2")
            #expect(first.orders.map(\.id) == [1, 2])
            #expect(first.next == 2)
            let rest = try await list("?after=2&limit=2")
            #expect(rest.orders.map(\.id) == [3])
            #expect(rest.next == nil)
            #expect(try await list("?state=open").orders.map(\.id) == [2, 3])
            #expect(try await list("?submitter=\(alice.account.hex)").orders.map(\.id) == [1, 2])
            #expect(try await list("?state=open&submitter=\(alice.account.hex)").orders.map(\.id) == [2])
            #expect(try await client.get("/v1/orders?limit=0").0 == .badRequest)
            #expect(try await client.get("/v1/orders?after=-1").0 == .badRequest)
        }
    }
}
