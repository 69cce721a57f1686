import Foundation
import Testing
@testable import TenderCore

@Suite("Akash SDL compute profiles")
struct AkashSDLTests {
    @Test("every real SDL file's compute resources parse", .enabled(if: RepositoryFiles.akashSDLDirectory != nil))
    func allRealFilesParse() throws {
        let directory = try #require(RepositoryFiles.akashSDLDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        #expect(files.count >= 117)
        var gpuProfiles = 0
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                let profiles = try SDLComputeProfiles.parse(text)
                #expect(!profiles.isEmpty, "\(file) has no compute profile")
                gpuProfiles += profiles.values.filter { $0.gpuUnits > 0 }.count
            } catch {
                Issue.record("\(file): \(error.description)")
            }
        }
        #expect(gpuProfiles >= files.count)
    }

    @Test("an SDL GPU block reads models, memory and interface")
    func gpuBlock() throws {
        let text = """
        profiles:
          compute:
            llm:
              resources:
                cpu: {units: 8}
                memory: {size: 64Gi}
                storage:
                  - size: 100Gi
                  - name: data
                    size: 1Ti
                    attributes: {persistent: true, class: beta3}
                gpu:
                  units: 2
                  attributes:
                    vendor:
                      nvidia:
                        - model: h100
                          ram: 80Gi
                          interface: sxm
                        - model: 4000
        """
        let resources = try #require(try SDLComputeProfiles.parse(text)["llm"])
        #expect(resources.gpu?.units == 2)
        #expect(resources.gpu?.acceptable == [
            GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 80 << 30, interface: "sxm"),
            GPUSpec(vendor: "nvidia", model: "4000"),
        ])
        #expect(resources.storage.count == 2)
        #expect(resources.storage[1].persistent)
        #expect(resources.storageBytes == (100 << 30) + (1 << 40))
    }
}
