import Testing
@testable import TenderAgentService
import TenderCore

@Suite("nvidia-smi inventory")
struct NvidiaSMITests {
    @Test("groups identical GPUs and reads model, memory and interface")
    func parsesSample() {
        let text = """
        NVIDIA H100 80GB HBM3, 81559 MiB
        NVIDIA H100 80GB HBM3, 81559 MiB
        NVIDIA A100-SXM4-80GB, 81920 MiB
        NVIDIA GeForce RTX 4090, 24564 MiB
        Tesla T4, 15360 MiB

        garbage line
        """
        let groups = NvidiaSMI.parse(text)
        #expect(groups.count == 4)
        #expect(groups[0] == Inventory.GPUGroup(spec: GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 80 << 30, interface: "pcie"), count: 2))
        #expect(groups[1].spec == GPUSpec(vendor: "nvidia", model: "a100", ramBytes: 80 << 30, interface: "sxm"))
        #expect(groups[2].spec == GPUSpec(vendor: "nvidia", model: "rtx4090", ramBytes: 24 << 30, interface: "pcie"))
        #expect(groups[3].spec.model == "t4")
        #expect(groups[3].spec.ramBytes == 15 << 30)
    }

    @Test("empty output is no GPUs")
    func empty() {
        #expect(NvidiaSMI.parse("").isEmpty)
    }

    @Test("a parsed GPU satisfies a manifest asking for that model")
    func matchesRequest() {
        let group = NvidiaSMI.parse("NVIDIA GeForce RTX 4090, 24564 MiB")[0]
        #expect(GPUSpec(vendor: "nvidia", model: "rtx4090", ramBytes: 24 << 30).isSatisfied(by: group.spec))
    }
}
