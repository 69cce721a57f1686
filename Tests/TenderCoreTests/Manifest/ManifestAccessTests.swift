import Foundation
import Testing
@testable import TenderCore

/// The manifest's `artifacts` field and the size bound on manifests and profiles.
@Suite("Manifest artifact access and size")
struct ManifestAccessTests {
    static let tiny = """
    version: 1
    name: tiny
    kind: training
    workload: {runtime: mlp-train, dataset: "sha256:\(String(repeating: "a", count: 64))", trainRows: 10, layers: [4, 2], steps: 10, batch: 2, learningRate: 0.1, seed: 1, checkpointInterval: 5}
    resources: {cpu: {units: 1}, memory: {size: 1Gi}}
    pricing: {maxPrice: 10, auctionDuration: 30s}
    verification: {collateral: 2, challengeWindow: 60s}
    deadline: 1h
    """

    @Test("artifacts are private unless the manifest says public")
    func access() throws {
        #expect(try JobManifest.parse(Self.tiny).artifacts == .participants)
        #expect(try JobManifest.parse(Self.tiny + "\nartifacts: private").artifacts == .participants)
        #expect(try JobManifest.parse(Self.tiny + "\nartifacts: public").artifacts == .anyone)
        let failure = #expect(throws: ValidationFailure.self) { try JobManifest.parse(Self.tiny + "\nartifacts: everyone") }
        #expect(failure?.problems.map(\.path) == ["artifacts"])
    }

    @Test("a manifest stored before the field existed reads as private")
    func storedWithoutField() throws {
        var manifest = try JobManifest.parse(Self.tiny + "\nartifacts: public")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(manifest), as: UTF8.self)
        #expect(text.hasPrefix(#"{"artifacts":"public","#))
        let old = text.replacingOccurrences(of: #""artifacts":"public","#, with: "")
        manifest.artifacts = .participants
        #expect(try JSONDecoder().decode(JobManifest.self, from: Data(old.utf8)) == manifest)
    }

    @Test("a manifest or profile over 64 KiB is refused before it is parsed")
    func size() throws {
        let padding = TenderDocument.maximumBytes - Self.tiny.utf8.count - 2
        let atLimit = Self.tiny + "\n#" + String(repeating: "x", count: padding)
        #expect(atLimit.utf8.count == TenderDocument.maximumBytes)
        #expect(throws: Never.self) { try JobManifest.parse(atLimit) }
        let failure = #expect(throws: ValidationFailure.self) { try JobManifest.parse(atLimit + "x") }
        #expect(failure?.problems.first?.message.contains("at most 65536") == true)
        #expect(throws: ValidationFailure.self) { try TenderDocument.parse(atLimit + "x") }
        #expect(throws: ValidationFailure.self) { try ProviderProfile.parse(atLimit + "x") }
    }
}
