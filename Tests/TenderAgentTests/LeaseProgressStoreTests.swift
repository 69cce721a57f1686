import Foundation
import Testing
@testable import TenderAgentService
import TenderCore

@Suite("lease progress on disk")
struct LeaseProgressStoreTests {
    func store() -> LeaseProgressStore {
        LeaseProgressStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("tender-progress-\(UUID().uuidString)"), lease: 4)
    }

    func progress(_ states: [Data], manifest: String = "m") -> LeaseProgressStore.Progress {
        LeaseProgressStore.Progress(lease: 4, manifestHash: manifest, leafIndex: states.count - 1, step: (states.count - 1) * 10,
                                    stateHashes: states.map(Hashing.sha256Hex), loss: 0.5)
    }

    @Test("the last checkpoint round-trips, and queued uploads are listed by leaf")
    func roundTrip() throws {
        let store = store()
        defer { store.remove() }
        let states = [Data("s0".utf8), Data("s1".utf8)]
        try store.save(progress(Array(states.prefix(1))), state: states[0], queueUpload: true)
        try store.save(progress(states), state: states[1], queueUpload: true)
        let loaded = try #require(store.load(manifestHash: "m"))
        #expect(loaded.progress == progress(states))
        #expect(loaded.state == states[1])
        #expect(store.pendingUploads().map(\.leaf) == [0, 1])
    }

    @Test("progress for another manifest, or a state that does not match its hash, is not resumed")
    func refusesMismatch() throws {
        let store = store()
        defer { store.remove() }
        try store.save(progress([Data("s0".utf8)]), state: Data("s0".utf8), queueUpload: false)
        #expect(store.load(manifestHash: "other") == nil)
        try store.save(progress([Data("s0".utf8)]), state: Data("tampered".utf8), queueUpload: false)
        #expect(store.load(manifestHash: "m") == nil)
        #expect(store.pendingUploads().isEmpty)
    }
}
