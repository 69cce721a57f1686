import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TenderControllerService
import TenderCore
import TenderStore

/// The hardening issue's attacks on the artifact store: anyone could fill it, it held whole bodies
/// in memory, and every artifact was public.
@Suite("Artifacts: funded uploads within a quota, streamed, read by their order's participants")
struct ArtifactAccessTests {
    static let datasetHash = Hashing.sha256Hex(ControllerRouteTests.dataset)

    @Test("an account without credits stores nothing, and its refused upload leaves nothing on disk")
    func unfundedUpload() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let alice = Signer(), bob = Signer()
        try await harness.app.test(.router) { client in
            try await client.fund(alice, credits: 1)
            let transfer = try json(API.TransferRequest(to: bob.account, amount: Amount.credits(1)))
            #expect(try await client.signed(.post, "/v1/transfers", by: alice, body: transfer).0 == .ok)
            let data = Data("payload".utf8)
            let (status, problem) = try await client.signed(.put, "/v1/artifacts/\(Hashing.sha256Hex(data))", by: alice, body: data,
                                                            contentType: "application/octet-stream")
            #expect(status == .forbidden)
            #expect(try decode(API.Problem.self, problem).title == "Account not funded")
        }
        #expect(harness.storedFiles().isEmpty)
    }

    @Test("an account's uploads stop at its quota with 413, each artifact counted once, durably")
    func quota() async throws {
        let harness = try await ControllerHarness(artifactQuotaBytes: 1_000)
        defer { harness.cleanUp() }
        let alice = Signer()
        let first = Data(repeating: 1, count: 600), second = Data(repeating: 2, count: 600)
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            #expect(try await client.upload(first, by: alice) == .created)
            #expect(try await client.upload(first, by: alice) == .created)
            let (status, problem) = try await client.signed(.put, "/v1/artifacts/\(Hashing.sha256Hex(second))", by: alice, body: second,
                                                            contentType: "application/octet-stream")
            #expect(status == .contentTooLarge)
            #expect(try decode(API.Problem.self, problem).detail.contains("400 bytes of its artifact quota left"))
            let (_, view) = try await client.get("/v1/accounts/\(alice.account.hex)")
            #expect(try decode(API.AccountView.self, view).artifactBytes == 600)
        }
        #expect(harness.storedFiles() == [Hashing.sha256Hex(first)])
        let id = alice.account.hex
        let stored = try await harness.storage.document(AccountRecord.self, kind: MarketDocuments.accountKind, id: id)
        #expect(stored?.artifactBytes == 600)
    }

    @Test("an upload is written to disk chunk by chunk and read back whole; no temporary file is left")
    func streaming() async throws {
        let harness = try await ControllerHarness(maxBodyBytes: 1 << 20)
        defer { harness.cleanUp() }
        let alice = Signer()
        // About ten of the test client's 32 KiB chunks.
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let hash = Hashing.sha256Hex(data)
        try await harness.app.test(.router) { client in
            try await client.fund(alice)
            #expect(try await client.upload(data, by: alice) == .created)
            let (status, body) = try await client.artifact(hash, by: alice)
            #expect(status == .ok)
            #expect(body == data)
        }
        #expect(try Data(contentsOf: harness.artifactsDirectory.appendingPathComponent(hash)) == data)
        #expect(harness.storedFiles() == [hash])
    }

    @Test("an order's artifacts are read by its submitter and its provider; not by strangers, not unsigned; staked challengers wait for verification")
    func orderReaders() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let submitter = Signer(), provider = Signer(), challenger = Signer(), stranger = Signer()
        try await harness.app.test(.router) { client in
            for signer in [submitter, provider, challenger, stranger] { try await client.fund(signer) }
            #expect(try await client.signed(.put, "/v1/providers/\(provider.account.hex)", by: provider,
                                             body: Data(ControllerRouteTests.profile.utf8), contentType: "application/yaml").0 == .ok)
            for (signer, credits) in [(provider, Int64(10)), (challenger, 1)] {
                #expect(try await client.signed(.post, "/v1/providers/\(signer.account.hex)/stake", by: signer,
                                                 body: json(API.AmountRequest(amount: Amount.credits(credits)))).0 == .ok)
            }
            #expect(try await client.upload(ControllerRouteTests.dataset, by: submitter) == .created)
            let (created, orderBody) = try await client.submit(ControllerRouteTests.manifest, by: submitter)
            #expect(created == .created)
            let order = try decode(API.OrderView.self, orderBody).order
            #expect(try await client.signed(.post, "/v1/orders/\(order.id)/bids", by: provider,
                                             body: json(API.BidRequest(price: Amount.credits(3)))).0 == .created)
            harness.clock.advance(seconds: 31)
            await MarketClock(service: harness.service, runners: nil, logger: .init(label: "test")).tick()
            let lease = try #require(try decode(API.OrderView.self, try await client.get("/v1/orders/\(order.id)").1).leases.first)
            let own = try decode(API.LeaseList.self, try await client.get("/v1/leases?submitter=\(submitter.account.hex)").1)
            #expect(own.leases.map(\.id) == [lease.id])
            #expect(try decode(API.LeaseList.self, try await client.get("/v1/leases?submitter=\(stranger.account.hex)").1).leases.isEmpty)

            let state = Data("a checkpoint state".utf8)
            #expect(try await client.upload(state, by: stranger, lease: lease.id) == .forbidden)
            #expect(try await client.upload(state, by: provider, lease: lease.id) == .created)
            for hash in [Hashing.sha256Hex(state), Self.datasetHash, order.manifestHash] {
                for reader in [submitter, provider] {
                    #expect(try await client.artifact(hash, by: reader).0 == .ok, "\(hash)")
                }
                // The lease is still running: nothing to re-execute yet (`ArtifactRulesTests`
                // shows the challenger reading once it is under verification).
                #expect(try await client.artifact(hash, by: challenger).0 == .notFound, "\(hash)")
                // Refused as if it did not exist, so a refusal tells nobody what is stored.
                #expect(try await client.artifact(hash, by: stranger).0 == .notFound, "\(hash)")
                #expect(try await client.artifact(hash, by: nil).0 == .unauthorized, "\(hash)")
            }
            // The lease's upload belongs to the order: the provider's own quota is untouched.
            let (_, view) = try await client.get("/v1/accounts/\(provider.account.hex)")
            #expect(try decode(API.AccountView.self, view).artifactBytes == 0)

            // An artifact of no order is its uploader's alone, however much stake a reader holds.
            let notes = Data("the challenger's notes".utf8)
            #expect(try await client.upload(notes, by: challenger) == .created)
            #expect(try await client.artifact(Hashing.sha256Hex(notes), by: challenger).0 == .ok)
            #expect(try await client.artifact(Hashing.sha256Hex(notes), by: provider).0 == .notFound)
        }
    }

    @Test("a manifest that says artifacts: public makes its order's artifacts readable unsigned")
    func publicArtifacts() async throws {
        let harness = try await ControllerHarness()
        defer { harness.cleanUp() }
        let submitter = Signer()
        let manifest = ControllerRouteTests.manifest + "\nartifacts: public"
        try await harness.app.test(.router) { client in
            try await client.fund(submitter)
            #expect(try await client.upload(ControllerRouteTests.dataset, by: submitter) == .created)
            #expect(try await client.artifact(Self.datasetHash, by: nil).0 == .unauthorized)
            #expect(try await client.submit(manifest, by: submitter).0 == .created)
            let (status, body) = try await client.artifact(Self.datasetHash, by: nil)
            #expect(status == .ok)
            #expect(body == ControllerRouteTests.dataset)
            #expect(try await client.artifact(Hashing.sha256Hex(manifest), by: nil).1 == Data(manifest.utf8))
        }
    }
}
