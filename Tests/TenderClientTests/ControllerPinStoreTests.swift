import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Controller pin files")
struct ControllerPinStoreTests {
    /// A fresh pin directory under the system temp directory, removed afterwards.
    static func withStore(_ body: (ControllerPinStore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tender-pins-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(ControllerPinStore(directory: directory.appendingPathComponent("controllers", isDirectory: true)))
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
    }

    static func pin(_ controller: String, sequence: UInt64 = 3) -> ControllerPin {
        ControllerPin(
            controller: controller, account: KeyPair().account,
            head: .init(sequence: sequence, hash: Hashing.sha256Hex("entry \(sequence)")),
            pinnedAt: Timestamp(millis: 1_000), verifiedAt: Timestamp(millis: 2_000)
        )
    }

    @Test("a pin round-trips through a 0600 file in a 0700 directory, and a later save replaces it")
    func roundTrip() throws {
        try Self.withStore { store in
            let controller = "http://127.0.0.1:8080"
            #expect(try store.load(controller: controller) == nil)
            let first = Self.pin(controller)
            try store.save(first)
            #expect(try store.load(controller: controller) == first)
            let url = store.fileURL(for: controller)
            #expect(try Self.mode(url) == 0o600)
            #expect(try Self.mode(store.directory) == 0o700)

            var later = first
            later.head = .init(sequence: 9, hash: Hashing.sha256Hex("entry 9"))
            try store.save(later)
            #expect(try store.load(controller: controller) == later)
            #expect(try Self.mode(url) == 0o600)
            // No temporary file is left beside the pin.
            #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == [url.lastPathComponent])
        }
    }

    @Test("file names are safe, readable, and distinct for distinct controllers")
    func fileNames() {
        let names = ["http://127.0.0.1:8080", "http://127.0.0.1:8081", "https://127.0.0.1:8080", "http://[::1]:8080/../x"]
            .map(ControllerPinStore.fileName(for:))
        #expect(Set(names).count == names.count)
        #expect(names[0].hasPrefix("127.0.0.1_8080-"))
        for name in names {
            #expect(name.hasSuffix(".json"))
            #expect(!name.contains("/"))
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, "\(name)")
        }
    }

    @Test("a damaged pin, or one naming another controller, is reported rather than replaced")
    func damaged() throws {
        try Self.withStore { store in
            let controller = "http://127.0.0.1:8080"
            try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
            let url = store.fileURL(for: controller)
            try Data("not json".utf8).write(to: url)
            #expect(throws: ControllerPinStoreError.corrupt(url.path, "not a controller pin")) { try store.load(controller: controller) }

            try store.save(Self.pin("http://10.0.0.1:8080"))
            try FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: store.fileURL(for: "http://10.0.0.1:8080"), to: url)
            #expect(throws: ControllerPinStoreError.self) { try store.load(controller: controller) }
        }
    }
}
