import Foundation

/// Files of the repository the tests read: the example manifests and profiles, and the shared data.
enum RepositoryFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Manifest
        .deletingLastPathComponent() // TenderCoreTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static func yamlFiles(in folder: String) -> [URL] {
        let directory = root.appendingPathComponent(folder, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The real Akash SDL files beside the repository (`../shared/data/akash-sdl`), or
    /// `$TENDER_SDL_DIR`; absent on machines without the shared data.
    static var akashSDLDirectory: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["TENDER_SDL_DIR"].map { URL(fileURLWithPath: $0, isDirectory: true) },
            root.deletingLastPathComponent().appendingPathComponent("shared/data/akash-sdl", isDirectory: true),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
