import Testing
@testable import TenderCore

@Suite("Bid eligibility")
struct EligibilityTests {
    typealias F = Fixtures

    @Test("an eligible provider has no decline reasons")
    func eligible() {
        let order = OrderTerms(id: 1, submitter: F.submitter, manifest: F.manifest(), closesAt: Timestamp(millis: 10_000))
        #expect(Eligibility.declineReasons(order: order, standing: F.standing(1), price: F.credits("3"), now: Timestamp(millis: 1)).isEmpty)
    }

    @Test("an ineligible provider hears every reason at once")
    func everyReason() {
        let manifest = F.manifest(maxPrice: "10", gpus: 8, model: "h100", collateral: "50", minReputation: 0.9, region: "us")
        let order = OrderTerms(id: 1, submitter: F.account(1), manifest: manifest, closesAt: Timestamp(millis: 10_000))
        var standing = F.standing(1, reputation: 2_000, stake: "10")
        standing.jailedUntil = Timestamp(millis: 50_000)
        let reasons = Eligibility.declineReasons(order: order, standing: standing, price: F.credits("11"), now: Timestamp(millis: 10_000))
        #expect(reasons.map(\.code) == ["auction-closed", "own-order", "jailed", "gpus", "attributes", "reputation", "stake", "price"])
        #expect(reasons.allSatisfy { !$0.description.isEmpty })
    }

    @Test("resources: CPU, memory and storage shortfalls are each named")
    func resources() {
        var profile = F.profile()
        profile.inventory.cpuMillis = 1_000
        profile.inventory.memoryBytes = 1 << 30
        profile.inventory.storageBytes = 1 << 30
        let reasons = Eligibility.resourceReasons(F.manifest(), profile: profile)
        #expect(reasons.map(\.code) == ["cpu", "memory", "storage"])
        let noProfile = Eligibility.declineReasons(
            order: OrderTerms(id: 1, submitter: F.submitter, manifest: F.manifest(), closesAt: Timestamp(millis: 5)),
            standing: F.standing(2, profile: nil), price: .zero, now: Timestamp(millis: 1))
        #expect(noProfile.map(\.code) == ["no-profile", "zero-price"])
    }

    @Test("GPU models match on model, memory and interface; unspecified fields are wildcards")
    func gpuMatching() {
        let offered = GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 80 << 30, interface: "sxm")
        #expect(GPUSpec(vendor: "nvidia").isSatisfied(by: offered))
        #expect(GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 40 << 30).isSatisfied(by: offered))
        #expect(!GPUSpec(vendor: "nvidia", model: "h100", ramBytes: 96 << 30).isSatisfied(by: offered))
        #expect(!GPUSpec(vendor: "nvidia", model: "h100", interface: "pcie").isSatisfied(by: offered))
        #expect(!GPUSpec(vendor: "amd").isSatisfied(by: offered))
    }
}
