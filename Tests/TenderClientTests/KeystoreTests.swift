import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Keystore")
struct KeystoreTests {
    /// A fresh keystore directory under the system temp directory, removed afterwards.
    static func withStore(_ body: (Keystore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tender-keystore-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(Keystore(directory: directory.appendingPathComponent("keys", isDirectory: true)))
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
    }

    @Test("create, list and load round trip, with a 0600 file in a 0700 directory")
    func roundTrip() throws {
        try Self.withStore { store in
            let now = Timestamp(millis: 1_700_000_000_000)
            let (alice, url) = try store.create(name: "alice", now: now)
            let (bob, _) = try store.create(name: "bob", now: now)
            #expect(try Self.mode(url) == 0o600)
            #expect(try Self.mode(store.directory) == 0o700)

            let listed = try store.list().map { try $0.get() }
            #expect(listed.map(\.name) == ["alice", "bob"])
            #expect(listed.map(\.account) == [alice.account, bob.account])
            #expect(listed.allSatisfy { $0.createdAt == now })

            let loaded = try store.load(name: "alice")
            #expect(loaded.account == alice.account)
            // The loaded key signs for the same account.
            let message = Data("tender".utf8)
            try alice.account.verify(signature: try loaded.sign(message), for: message)

            #expect(throws: KeystoreError.exists("alice", url.path)) { try store.create(name: "alice", now: now) }
        }
    }

    @Test("a key file others can read is refused")
    func refusesOpenFile() throws {
        try Self.withStore { store in
            let (_, url) = try store.create(name: "carol", now: Timestamp(millis: 0))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            #expect(throws: KeystoreError.tooOpen(url.path, "644")) { try store.load(name: "carol") }
            let listed = try store.list()
            #expect(listed.count == 1)
            #expect(throws: KeystoreError.tooOpen(url.path, "644")) { try listed[0].get() }
        }
    }

    @Test("missing keys, bad names and damaged files are reported", arguments: ["", ".hidden", "a/b", String(repeating: "x", count: 65)])
    func badNames(_ name: String) throws {
        try Self.withStore { store in
            #expect(throws: KeystoreError.badName(name)) { try store.create(name: name, now: Timestamp(millis: 0)) }
        }
    }

    @Test("a missing key names the directory and how to create one")
    func missing() throws {
        try Self.withStore { store in
            #expect(throws: KeystoreError.notFound("dave", store.directory.path)) { try store.load(name: "dave") }
            #expect(KeystoreError.notFound("dave", store.directory.path).description.contains("tender keys create dave"))
        }
    }

    @Test("a damaged key file is reported, not trusted")
    func damaged() throws {
        try Self.withStore { store in
            try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
            let url = store.fileURL("eve")
            #expect(FileManager.default.createFile(atPath: url.path, contents: Data("{not json".utf8), attributes: [.posixPermissions: 0o600]))
            #expect(throws: KeystoreError.corrupt(url.path, "not a Tender key file")) { try store.load(name: "eve") }
        }
    }
}
