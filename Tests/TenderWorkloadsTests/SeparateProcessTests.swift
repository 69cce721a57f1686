import Foundation
import Testing

/// Determinism across processes: the same manifest run by two separate `tender` processes gives
/// the same root, bit for bit. Needs the built `tender` executable (CI builds it before testing).
@Suite("Determinism across processes")
struct SeparateProcessTests {
    static var tender: URL? {
        guard let root = ExampleManifestTests.repository else { return nil }
        return [".build/debug/tender", ".build/release/tender"]
            .map { root.appendingPathComponent($0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Report: Decodable {
        var root: String
        var finalStateHash: String
        var leaves: Int
    }

    @Test("two processes running the same manifest commit the same root", .enabled(if: tender != nil))
    func sameRootTwice() throws {
        let tender = try #require(Self.tender)
        let root = try #require(ExampleManifestTests.repository)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-twice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try String(contentsOf: root.appendingPathComponent("Manifests/digits-train.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "../Datasets/digits.csv", with: root.appendingPathComponent("Datasets/digits.csv").path)
            .replacingOccurrences(of: "steps: 2700", with: "steps: 120")
        let file = directory.appendingPathComponent("short.yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)

        let reports = try (0..<2).map { run -> Report in
            let process = Process()
            process.executableURL = tender
            process.arguments = ["workload", "run", file.path, "--json"]
            process.environment = ["TENDER_HOME": directory.appendingPathComponent("home-\(run)").path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return try JSONDecoder().decode(Report.self, from: data)
        }
        #expect(reports[0].leaves == 5)
        #expect(reports[0].root == reports[1].root)
        #expect(reports[0].finalStateHash == reports[1].finalStateHash)
        #expect(reports[0].root.count == 64)
    }
}
